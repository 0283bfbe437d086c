//! The location tree never loops: a location put, through its parents, inside itself (a district
//! under one of its own villages) would leave it and every family there outside any district, and
//! indicators by area would drop them. An import, a single change through the API and an import
//! that skips bad rows each refuse the rows of a loop, saying the loop.

use crate::support::{Harness, load_registry};
use carepool_core::registry::Location;
use carepool_service::ImportMode;
use serde_json::json;

const HEADER: &str = "code,name,kind,parent_code,area";

pub async fn a_loop_in_the_location_tree_is_refused(h: Harness) {
    load_registry(&h).await;
    let before = h.dump().await;
    let cases = [
        (
            "two new districts in each other",
            "CA,Alpha,district,CB,\nCB,Beta,district,CA,\n",
            vec![
                "line 2, column parent_code: the location tree would loop, each location lying in the next: CA → CB → CA",
                "line 3, column parent_code: the location tree would loop, each location lying in the next: CB → CA → CB",
            ],
        ),
        (
            "a stored district under one of its own villages",
            "D1,Lakeside,district,V1,\n",
            vec![
                "line 2, column parent_code: the location tree would loop, each location lying in the next: D1 → V1 → D1",
            ],
        ),
        (
            "a province under a village two levels below it",
            "P1,North,province,V1,\n",
            vec![
                "line 2, column parent_code: the location tree would loop, each location lying in the next: P1 → V1 → D1 → P1",
            ],
        ),
        (
            "a province under a new district of its own",
            "D9,Uplands,district,P1,\nP1,North,province,D9,\n",
            vec![
                "line 2, column parent_code: the location tree would loop, each location lying in the next: D9 → P1 → D9",
                "line 3, column parent_code: the location tree would loop, each location lying in the next: P1 → D9 → P1",
            ],
        ),
    ];
    for (case, rows, expected) in cases {
        let file = h.write("loop.csv", &format!("{HEADER}\n{rows}"));
        let error = h.import("locations", &file).await.unwrap_err().to_string();
        for problem in expected {
            assert!(
                error.contains(problem),
                "{case}: {problem:?} not in {error}"
            );
        }
    }
    // A line that cannot be read as a row still gives its key. As written, the file puts V1 in
    // D2, so D1 under V1 closes no loop; and V9 lies under a refused row, not under nothing.
    let file = h.write(
        "unread.csv",
        &format!(
            "{HEADER}\nV1,Fishers' village,village,D2,suburban\nD1,Lakeside,district,V1,\n\
             V9,Far,village,D5,rural\nD5,,district,D1,\n"
        ),
    );
    let error = h.import("locations", &file).await.unwrap_err().to_string();
    let problems: Vec<&str> = error.lines().skip(1).map(str::trim).collect();
    assert_eq!(
        problems,
        [
            "line 2, column area: 'suburban' is not one of: urban, rural",
            "line 5, column name: is required",
        ],
        "{error}"
    );
    let skipping = h.write(
        "skipping.csv",
        &format!(
            "{HEADER}\nD5,,district,D1,\nV50,Child,village,D5,rural\nV51,Fine,village,D1,rural\n"
        ),
    );
    let preview =
        carepool_io::preview_file::<Location>(&h.registry, &skipping, ImportMode::SkipBad);
    let told: Vec<String> = (preview.await.unwrap().problems.iter())
        .map(|p| p.to_string())
        .collect();
    assert_eq!(
        told,
        [
            "line 2, column name: is required",
            "line 3, column parent_code: location 'D5' is left out: it is rejected on line 2",
        ]
    );

    // A chain that ends at the top is no loop, however it is ordered.
    let file = h.write(
        "chain.csv",
        &format!("{HEADER}\nV9,Far,village,D9,rural\nD9,Uplands,district,P1,\n"),
    );
    let dry_run =
        carepool_io::preview_file::<Location>(&h.registry, &file, ImportMode::AllOrNothing);
    assert_eq!(dry_run.await.unwrap().new, 2);

    // One change through the API is held to the same rule.
    let moved = json!({ "code": "D1", "name": "Lakeside", "kind": "district", "parent_code": "V2", "area": null });
    let (status, body) = h.call("PUT", "/api/locations/D1", Some(moved)).await;
    assert_eq!(
        (
            status.as_u16(),
            &body["error"]["field"],
            &body["error"]["message"]
        ),
        (
            422,
            &json!("parent_code"),
            &json!("the location tree would loop, each location lying in the next: D1 → V2 → D1")
        ),
        "{body}"
    );
    assert_eq!(h.dump().await, before, "nothing written");

    // A village moved under another village loops nowhere.
    let moved = json!({ "code": "V2", "name": "Market town", "kind": "village", "parent_code": "V1", "area": "urban" });
    let (status, body) = h.call("PUT", "/api/locations/V2", Some(moved)).await;
    assert_eq!(status.as_u16(), 200, "{body}");
}

/// Skipping bad rows, the rows of a loop are left out, and so are the rows under them. A row
/// left out keeps its stored version, which may close a loop with rows that were fine without
/// it: those are left out in turn, until the rows written make a tree.
pub async fn skipping_bad_rows_leaves_out_every_loop_the_written_rows_would_make(h: Harness) {
    load_registry(&h).await;
    let rows = [
        "CA,Alpha,district,CB,",
        "CB,Beta,district,CA,",
        "VA,Under Alpha,village,CA,rural",
        // Fine while D1 lies in V2 and V2 at the top; but V2's row is bad, so V2 stays in D1,
        // closing D1 → V2 → D1; then D1 stays in P1, closing P1 → D1 → P1. Each is found only
        // once the row before it is left out.
        "P1,North,province,D1,",
        "D1,Lakeside,district,V2,",
        "V2,Market town,village ,,urban",
        "V4,Fine,village,D1,rural",
        "V5,Short,village",
        "V6,Long,village,D1,rural,extra",
    ];
    let file = h.write("locations.csv", &format!("{HEADER}\n{}\n", rows.join("\n")));
    let summary =
        carepool_io::import_file::<Location>(&h.registry, &file, ImportMode::SkipBad, &|_, _| {})
            .await
            .unwrap();
    assert_eq!(
        (summary.new, summary.changed.len(), summary.rejected),
        (1, 0, 8)
    );
    let rejects = std::fs::read_to_string(summary.rejects_file.unwrap()).unwrap();
    let loop_of = |line: u64, path: &str| {
        format!(
            "\"line {line}, column parent_code: the location tree would loop, each location lying in the next: {path}\""
        )
    };
    let expected = [
        format!("{HEADER},error"),
        format!("CA,Alpha,district,CB,,{}", loop_of(2, "CA → CB → CA")),
        format!("CB,Beta,district,CA,,{}", loop_of(3, "CB → CA → CB")),
        "VA,Under Alpha,village,CA,rural,\"line 4, column parent_code: location 'CA' is left out: it is rejected on line 2\"".into(),
        format!("P1,North,province,D1,,{}", loop_of(5, "P1 → D1 → P1")),
        format!("D1,Lakeside,district,V2,,{}", loop_of(6, "D1 → V2 → D1")),
        "V2,Market town,village ,,urban,\"line 7, column kind: 'village ' has spaces around it\"".into(),
        // A line short of fields gets its reasons in the reasons' column all the same.
        "V5,Short,village,,,line 9: has 3 fields where the header has 5".into(),
        // A line with more keeps them, after its reasons.
        "V6,Long,village,D1,rural,line 10: has 6 fields where the header has 5,extra".into(),
    ];
    assert_eq!(rejects.lines().collect::<Vec<_>>(), expected);
    let exported = h.export("locations").await;
    for stored in [
        "P1,North,province,,",
        "D1,Lakeside,district,P1,",
        "V2,Market town,village,D1,urban",
        "V4,Fine,village,D1,rural",
    ] {
        assert!(exported.contains(stored), "{stored} not in {exported}");
    }
}
