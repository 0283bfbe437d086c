//! The experience study on the live database through the API, on the small registry of the
//! shared story: three members covered from 1 April 2025 (one pending), two stays.

use crate::claims::{Meddle, PageRead, death_at_first_page, meddling};
use crate::reserve::stay;
use crate::support::{Harness, example, export, load_registry};
use axum::http::StatusCode;
use carepool_core::registry::{Family, Member, MemberStatus, Relationship, Sex};
use carepool_schema::claim_tables::{CLAIMS, ClaimRow};
use carepool_schema::tables::{COVERAGE, Coverage, FAMILIES, MEMBERS};
use carepool_schema::{Record, Row, Value};
use carepool_service::Registry;
use carepool_service::experience::ExperienceOptions;
use serde_json::json;

fn close(value: &serde_json::Value, want: f64) {
    let got = value.as_f64().unwrap_or(f64::NAN);
    assert!((got - want).abs() < 1e-9, "{got} against {want}");
}

pub async fn experience_on_the_live_database(h: Harness) {
    load_registry(&h).await;
    let claims = json!([
        stay("E1", "M1", "2025-06-10", "2025-06-20"),
        stay("E2", "M4", "2025-07-05", "2025-07-20"),
        stay("E3", "M3", "2025-08-05", "2025-08-20"),
    ]);
    let (status, body) = h.call("POST", "/api/claims", Some(claims)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let options = json!({ "scheme": "pip", "from": "2025-01-01", "to": "2025-12-31" });
    let (status, study) = h.call("POST", "/api/experience", Some(options)).await;
    assert_eq!(status, StatusCode::OK, "{study}");
    // M1 and M2 (rural) and M4 (urban): 275 days each from 1 April; M3 is pending.
    let summary = &study["summary"];
    close(&summary["exposure"], 825.0 / 365.0);
    close(&summary["pending_exposure"], 275.0 / 365.0);
    close(&summary["family_exposure"], 550.0 / 365.0);
    close(&summary["average_family_size"], 1.5);
    assert_eq!(summary["claims"], 2);
    close(&summary["incidence_per_1000"], 2000.0 * 365.0 / 825.0);
    assert_eq!(
        summary["average_cost"], "1000.00",
        "an amount: a decimal string"
    );
    close(&summary["alos"], 1.0);
    assert_eq!(summary["outside"]["pending"], 1);
    let area = study["relativities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["factor"] == "area")
        .unwrap();
    assert_eq!(area["base"], "rural");
    let urban = area["levels"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["level"] == "urban")
        .unwrap();
    close(&urban["incidence_relativity"], 2.0);
    assert_eq!(study["locations"][0]["location"], "D1");
    let ownership = &study["diagnostics"]["ownership"][0];
    assert_eq!(ownership["ownership"], "public");

    let (status, body) = h
        .call("POST", "/api/experience", Some(json!({ "split": "week" })))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"]["field"], "split", "{body}");
    let (status, body) = h
        .call(
            "POST",
            "/api/experience",
            Some(json!({ "scheme": "nhi-x" })),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["field"], "scheme", "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("no scheme 'nhi-x' is loaded"),
        "{body}"
    );
    let (status, body) = h
        .call(
            "POST",
            "/api/experience",
            Some(json!({ "from": "2020-01-01", "to": "2020-12-31" })),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["code"], "not_estimable", "{body}");

    // No body, or null, is every option at its default, as `{}` is.
    let (_, defaults) = h.call("POST", "/api/experience", Some(json!({}))).await;
    for body in [None, Some(serde_json::Value::Null)] {
        assert_eq!(h.call("POST", "/api/experience", body).await.1, defaults);
    }
}

/// The study reads the registry a page of families at a time (5,000 of every scheme): 10,500
/// families more, every third of another scheme, interleaved by key, each with one member
/// covered from 1 April 2025 and one claim. Also a claim that came with a family of the first
/// page for a member now in the third (moved since), one that came with no family for a member
/// registered since, and one of a member still unknown: each counted once, where it belongs.
pub async fn the_study_reads_the_registry_a_page_of_families_at_a_time(h: Harness) {
    load_registry(&h).await;
    h.load_scheme(&example("mutual/scheme.toml")).await;
    let first = json!([stay("E1", "M1", "2025-06-10", "2025-06-20")]);
    let (status, body) = h.call("POST", "/api/claims", Some(first)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let key = [Value::Text("H1/E1".into())];
    let template = ClaimRow::from_row(&h.store.get(&CLAIMS, &key).await.unwrap().unwrap()).unwrap();
    let day = |text: &str| text.parse().unwrap();
    let count = 10_500;
    let ours = |i: usize| !i.is_multiple_of(3);
    let (mut families, mut members, mut cover, mut claims) = (vec![], vec![], vec![], vec![]);
    for i in 0..count {
        let (family, member) = (format!("G{i:05}"), format!("N{i:05}"));
        let scheme = if ours(i) { "pip" } else { "mho-kb" };
        families.push(
            Family {
                id: family.clone(),
                scheme: scheme.into(),
                location_code: "V1".into(),
                poverty_score: None,
                household_id: None,
            }
            .into_row(),
        );
        members.push(
            Member {
                id: member.clone(),
                family_id: family.clone(),
                name: format!("Member {i}"),
                relationship: Relationship::Head,
                sex: Sex::Female,
                birth_date: day("1990-01-01"),
                national_id: None,
                categories: vec![],
                monthly_wage: None,
                status: MemberStatus::Active,
                status_since: day("2025-04-01"),
            }
            .into_row(),
        );
        cover.push(
            Coverage {
                member_id: member.clone(),
                start_date: day("2025-04-01"),
                end_date: None,
                package: None,
                family_id: Some(family.clone()),
            }
            .into_row(),
        );
        let claim = |number: String, family: Option<String>| {
            let mut claim = template.clone();
            claim.id = format!("H1/{number}");
            claim.claim_number = number;
            claim.member_id = member.clone();
            claim.family_id = family;
            claim.into_row()
        };
        claims.push(claim(format!("C{i:05}"), Some(family.clone())));
        match i {
            // Came with the first page's G00001, before the member moved to G10400.
            10_400 => claims.push(claim("MOVED".into(), Some("G00001".into()))),
            // Came with no family: the member was registered since.
            10_402 => claims.push(claim("LATE".into(), None)),
            _ => {}
        }
    }
    let mut unknown = template.clone();
    (
        unknown.id,
        unknown.claim_number,
        unknown.member_id,
        unknown.family_id,
    ) = ("H1/X1".into(), "X1".into(), "X1".into(), None);
    claims.push(unknown.into_row());
    for (table, rows) in [
        (&FAMILIES, &families),
        (&MEMBERS, &members),
        (&COVERAGE, &cover),
        (&CLAIMS, &claims),
    ] {
        let rows: &Vec<Row> = rows;
        h.store.upsert(table, rows, &|_| {}).await.unwrap();
    }

    let options = json!({ "scheme": "pip", "from": "2025-01-01", "to": "2025-12-31" });
    let (status, study) = h.call("POST", "/api/experience", Some(options)).await;
    assert_eq!(status, StatusCode::OK, "{study}");
    let ours = (0..count).filter(|&i| ours(i)).count();
    assert_eq!(ours, 7_000);
    // M1, M2, M4 and our members, each 275 days from 1 April; M3 pending, M5 not covered.
    assert_eq!(study["settings"]["members"], 5 + ours);
    close(
        &study["summary"]["exposure"],
        (3 + ours) as f64 * 275.0 / 365.0,
    );
    close(
        &study["summary"]["family_exposure"],
        (2 + ours) as f64 * 275.0 / 365.0,
    );
    // E1, one claim of each of our members, the moved one's and the late one's; the unknown
    // member's is given but outside; the other scheme's claims are not the study's.
    assert_eq!(study["settings"]["claims_given"], 1 + ours + 2 + 1);
    assert_eq!(study["summary"]["claims"], 1 + ours + 2);
    assert_eq!(study["summary"]["outside"]["unknown_member"], 1);
    assert_eq!(study["summary"]["outside"]["not_covered"], 0);
}

/// The study counts the database as it stood when it began: a member who dies while its pages
/// are read (another writer, just before the first page's rows are read) is counted alive, as
/// before the death; the next study counts the death.
pub async fn a_study_counts_the_database_as_it_stood_when_it_began(h: Harness) {
    load_registry(&h).await;
    let today = "2026-01-15".parse().unwrap();
    let options = ExperienceOptions {
        scheme: Some("pip".into()),
        from: Some("2025-01-01".parse().unwrap()),
        to: Some("2025-12-31".parse().unwrap()),
        ..ExperienceOptions::default()
    };
    let study = async |registry: &Registry| {
        let study = registry.experience(&options, today).await.unwrap();
        serde_json::to_value(study).unwrap()
    };
    let before = study(&h.registry).await;
    let meddled = meddling(
        &h,
        death_at_first_page(&h, "M1", "2025-06-30", PageRead::Range).await,
    );
    let during = study(&meddled).await;
    assert!(
        during == before,
        "counted as the database stood when the study began: exposure {} against {}",
        during["summary"]["exposure"],
        before["summary"]["exposure"]
    );
    let after = study(&h.registry).await;
    assert_ne!(
        after["summary"]["exposure"], before["summary"]["exposure"],
        "the death, committed, counts in the next study"
    );
}

/// An export writes the table as it stood when it began: a member who dies while its pages are
/// read (another writer, just before the first page is read) is written alive; the next
/// export has the death.
pub async fn an_export_writes_the_table_as_it_stood_when_it_began(h: Harness) {
    load_registry(&h).await;
    let before = export(&h.registry, "members").await;
    let meddled = meddling(
        &h,
        death_at_first_page(&h, "M1", "2025-06-30", PageRead::List).await,
    );
    assert_eq!(export(&meddled, "members").await, before);
    let after = export(&h.registry, "members").await;
    let m1 = |csv: &str| {
        csv.lines()
            .find(|l| l.starts_with("M1,"))
            .unwrap()
            .to_string()
    };
    assert!(m1(&after).contains("deceased,2025-06-30"), "{}", m1(&after));
    assert_ne!(m1(&after), m1(&before));
}

/// An export to a file that fails midway (here at its first page, after the header) leaves no
/// file, and a file already under that name as it was; one that ends writes the table there.
pub async fn an_export_that_fails_leaves_no_file_and_the_old_one_as_it_was(h: Harness) {
    load_registry(&h).await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("members.csv");
    let broken = meddling(&h, Meddle::FailPages(PageRead::List));
    let cells = carepool_io::Cells::Raw;
    let failed = carepool_io::export_to_file::<Member>(&broken, &path, cells).await;
    let said = failed.unwrap_err().to_string();
    assert!(said.contains("the database went away"), "{said}");
    assert!(std::fs::read_dir(dir.path()).unwrap().next().is_none());

    std::fs::write(&path, "kept\n").unwrap();
    let failed = carepool_io::export_to_file::<Member>(&broken, &path, cells).await;
    assert!(failed.is_err_and(|e| e.to_string() == said));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "kept\n");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);

    let written = carepool_io::export_to_file::<Member>(&h.registry, &path, cells).await;
    assert_eq!(written.unwrap(), 5);
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        export(&h.registry, "members").await
    );
}

/// A projection over the API: one line, two years, hand-computed; a wrong assumption is named.
pub async fn projection_over_the_api(h: Harness) {
    let assumptions = json!({
        "base": { "date": "2026-04-01", "lines": [
            { "name": "surgery", "incidence_per_1000": 100.0, "average_cost": 1000.0 }
        ] },
        "projection": { "start": "2026-10-01", "years": 2 },
        "population": { "members": [1000.0, 3000.0], "family_size": [5.0] },
        "loadings": { "expenses": [0.2] },
        "stress": [ { "name": "utilisation +10%", "utilisation": 0.1 } ]
    });
    let (status, body) = h
        .call("POST", "/api/project", Some(assumptions.clone()))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // 183 days to the start, no trend: a risk cost of 100 a member, 125 with expenses.
    assert_eq!(body["base"]["level_premium_per_member"], "125.00");
    assert_eq!(body["base"]["level_premium_per_family"], "625.00");
    assert_eq!(body["results"][0]["scenario"], "utilisation +10%");
    let change: f64 = body["results"][0]["change"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(change > 0.0, "{body}");
    assert!(
        body["results"][0]["change_share"].is_number(),
        "a share is a number"
    );

    let costing = json!({
        "horizon": { "first_year": 2027, "years": 10 },
        "coverage": { "start": 0.5, "target": 1.0, "target_year": 6 },
        "population": [ { "cell": "all", "people": [1000.0] } ],
        "benefits": [ { "name": "care", "cost_per_capita": 10.0 } ],
        "economy": { "gdp": 100000.0, "real_growth": [0.0], "inflation": [0.0], "government_share": [0.2] },
        "revenue": { "amounts": [4000.0] }
    });
    let (status, years) = h.call("POST", "/api/costing", Some(costing.clone())).await;
    assert_eq!(status, StatusCode::OK, "{years}");
    assert_eq!(years.as_array().unwrap().len(), 10);
    assert_eq!(years[0]["total_cost"], "5000.00");
    assert_eq!(years[0]["financing_gap"], "1000.00");
    assert_eq!(years[5]["total_cost"], "10000.00");
    close(&years[0]["coverage"], 0.5);
    let mut wrong = costing;
    wrong["coverage"]["target"] = json!(1.5);
    let (status, body) = h.call("POST", "/api/costing", Some(wrong)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");

    let mut bad = assumptions;
    bad["loadings"]["expenses"] = json!([1.5]);
    let (status, body) = h.call("POST", "/api/project", Some(bad)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("expenses: 1.5 is out of range"),
        "{body}"
    );
}
