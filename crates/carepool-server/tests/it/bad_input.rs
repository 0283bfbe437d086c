//! Every kind of bad input is refused with its place and rule named, and the database is left
//! exactly as it was (on SQLite, byte for byte).

use crate::support::{Harness, example, load_registry};

const MEMBER_HEADER: &str = "id,family_id,name,relationship,sex,birth_date,national_id,categories,monthly_wage,status,status_since";

pub async fn bad_input_changes_nothing(h: Harness) {
    load_registry(&h).await;
    let logical_before = h.dump().await;
    let file_before = sqlite_bytes(&h).await;

    let member = |fields: &str| {
        format!(
            "{MEMBER_HEADER}\nM8,F1,Good row,child,F,2020-01-01,,,,active,2025-04-01\n{fields}\n"
        )
    };
    let cases: Vec<(&str, String, &str)> = vec![
        ("members", format!("{MEMBER_HEADER}\n\"M8,F1,unterminated\n"), "line 2: has 1 fields where the header has 11"),
        ("members", member("M9,F1,Bad,child,F,2020-01-01,,,,active"), "line 3: has 10 fields where the header has 11"),
        ("members", "id,family_id,name\nM9,F1,X\n".into(), "line 1, column relationship: required column is missing"),
        ("members", format!("{MEMBER_HEADER},shoe_size\n"), "line 1, column shoe_size: unknown column"),
        ("members", member("M9,F1,Bad,child,F,2020-02-30,,,,active,2025-04-01"), "line 3, column birth_date: '2020-02-30' is not a date"),
        ("members", member("M8,F1,Again,child,F,2020-01-01,,,,active,2025-04-01"), "line 3, column id: duplicate member M8: already on line 2"),
        ("members", member("M9,F99,Bad,child,F,2020-01-01,,,,active,2025-04-01"), "line 3, column family_id: unknown family 'F99'"),
        ("members", member("M9,F1,Bad,child,F,2020-01-01,,,,asleep,2025-04-01"), "line 3, column status: 'asleep' is not one of: active, pending, inactive, deceased"),
        ("members", member("M9,F1,Bad,child,F,2020-01-01,NID001,,,active,2025-04-01"), "national_id"),
        ("families", "id,scheme,location_code\nF9,pip,NOWHERE\n".into(), "line 2, column location_code: unknown location 'NOWHERE'"),
        ("families", "id,scheme,location_code\nF9,nosuch,V1\n".into(), "line 2, column scheme: unknown scheme 'nosuch' (load it with carepool init)"),
        ("providers", "code,name,ownership,level,location_code,empanelled_from\nH9,X,public,clinic,V1,2025-01-01\n".into(), "line 2, column level"),
        ("coverage", "member_id,start_date\nM404,2025-04-01\n".into(), "line 2, column member_id: unknown member 'M404'"),
        ("contributions", "receipt,family_id,payer,period_start,period_end,amount,paid_on\nR9,F1,member,2025-01-01,2025-12-31,12.345,2025-01-01\n".into(), "line 2, column amount"),
        ("locations", "code,name,kind,parent_code\nV9,Orphan,village,V8\nV8,Hamlet,village,NOWHERE\n".into(), "line 3, column parent_code: unknown location 'NOWHERE'"),
    ];
    for (i, (kind, text, expected)) in cases.iter().enumerate() {
        let file = h.write(&format!("bad-{i}.csv"), text);
        let error = match h.import(kind, &file).await {
            Ok(summary) => panic!("case {i} ({kind}) was accepted: {summary:?}"),
            Err(error) => error.to_string(),
        };
        assert!(
            error.contains(&file.display().to_string()),
            "case {i}: the file is not named: {error}"
        );
        assert!(
            error.contains(expected),
            "case {i}: expected {expected:?} in: {error}"
        );
    }

    // A malformed scheme file, and a scheme that breaks its rules, are refused too.
    let original = std::fs::read_to_string(example("pip-inpatient.toml")).unwrap();
    let malformed = h.write(
        "malformed.toml",
        &original.replace("currency = \"INR\"", "currency = INR"),
    );
    let error = carepool_io::read_scheme_file(&malformed)
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("malformed.toml") && error.contains("line"),
        "{error}"
    );
    let broken = h.write(
        "broken.toml",
        &original
            .replace("effective_from = 2025-04-01", "effective_from = 2027-01-01")
            .replace("up_to = \"350000\"", "up_to = \"1000\""),
    );
    let error = h
        .registry
        .load_scheme(carepool_io::read_scheme_file(&broken).unwrap())
        .await
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("packages[0].categories[1].limit_raising"),
        "{error}"
    );

    assert_eq!(
        h.dump().await,
        logical_before,
        "a refused input changed the database"
    );
    assert_eq!(
        sqlite_bytes(&h).await,
        file_before,
        "a refused input changed the SQLite file"
    );
}

/// The SQLite file's bytes once its log is folded in (none for PostgreSQL).
async fn sqlite_bytes(h: &Harness) -> Option<Vec<u8>> {
    let file = h.sqlite_file.as_ref()?;
    let checkpoint =
        carepool_store_sqlite::SqliteStore::open(&format!("sqlite://{}", file.display()))
            .await
            .unwrap();
    checkpoint.checkpoint().await.unwrap();
    Some(std::fs::read(file).unwrap())
}
