//! The store's own promises, on each backend: what is written is read back exactly, an update of
//! some columns touches only those, and a write the database refuses is a conflict that leaves
//! nothing behind. SQLite moves many rows through its own handle rather than sqlx's, so both
//! ways are held to the same promises here.

use crate::support::{Harness, load_registry};
use carepool_store::schema::{Row, Value};
use carepool_store::tables::{COVERAGE, FAMILIES, LOCATIONS, MEMBERS};
use carepool_store::{Lock, StoreError, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

fn text(s: &str) -> Value {
    Value::Text(s.into())
}

pub async fn rows_read_back_exactly_and_updates_touch_only_their_columns(h: Harness) {
    load_registry(&h).await;
    let store = &h.store;
    let awkward = vec![
        vec![
            text("F1"),
            text("pip"),
            text("V1"),
            Value::Real(12.345678901234567),
            text("HH \"1\"; ünïcode \\ / \n tab\t"),
        ],
        vec![
            text("F2"),
            text("pip"),
            text("V2"),
            Value::Real(0.1),
            Value::Null,
        ],
        vec![text("F3"), text("pip"), text("V2"), Value::Null, text("")],
    ];
    let written = Arc::new(AtomicU64::new(0));
    let heard = written.clone();
    store
        .upsert(&FAMILIES, &awkward, &move |n| {
            heard.store(n, Ordering::Relaxed)
        })
        .await
        .unwrap();
    assert_eq!(
        written.load(Ordering::Relaxed),
        3,
        "progress hears of every row"
    );
    let ids = ["F3", "F1", "F2", "nobody"].map(String::from);
    assert_eq!(
        store.rows_where_in(&FAMILIES, 0, &ids).await.unwrap(),
        awkward,
        "every value, in key order"
    );
    assert!(
        store
            .rows_where_in(&FAMILIES, 0, &[])
            .await
            .unwrap()
            .is_empty()
    );
    let cover = store
        .rows_where_in(&COVERAGE, 0, &["M2".into()])
        .await
        .unwrap();
    assert_eq!(cover[0][1], Value::Date("2025-04-01".parse().unwrap()));
    assert_eq!(cover[0][2], Value::Null);

    // Only the named column changes, though the rows given carry other values too.
    let mut renamed: Vec<Row> = store
        .rows_where_in(&LOCATIONS, 0, &["V1".into(), "V2".into()])
        .await
        .unwrap();
    for row in &mut renamed {
        row[1] = text("renamed");
        row[4] = text("not written");
    }
    let name_only: &[usize] = &[1];
    let update = |rows: Vec<Row>| {
        let mut writes = Some(vec![Write::Update {
            table: &LOCATIONS,
            columns: name_only,
            rows,
        }]);
        move |_: Vec<Vec<Row>>| -> Result<Vec<Write>, StoreError> {
            Ok(writes.take().unwrap_or_default())
        }
    };
    store
        .write_locked(&Lock::Nothing, &[], &mut update(renamed.clone()))
        .await
        .unwrap();
    let stored = store
        .rows_where_in(&LOCATIONS, 0, &["V1".into(), "V2".into()])
        .await
        .unwrap();
    assert_eq!(
        stored,
        vec![
            vec![
                text("V1"),
                text("renamed"),
                text("village"),
                text("D1"),
                text("rural")
            ],
            vec![
                text("V2"),
                text("renamed"),
                text("village"),
                text("D1"),
                text("urban")
            ],
        ]
    );

    // A row that is not there fails the whole write.
    let mut missing = renamed;
    missing[0][1] = text("changed again");
    missing[1][0] = text("V9");
    let refused = store
        .write_locked(&Lock::Nothing, &[], &mut update(missing))
        .await;
    assert!(
        matches!(
            refused,
            Err(StoreError::NotFound {
                what: "location",
                ..
            })
        ),
        "{refused:?}"
    );
    assert_eq!(
        store
            .rows_where_in(&LOCATIONS, 0, &["V1".into()])
            .await
            .unwrap()[0][1],
        text("renamed"),
        "nothing written"
    );

    // Two members under one national id: refused as a conflict naming the member, all or none.
    let mut twins = store
        .rows_where_in(&MEMBERS, 0, &["M1".into()])
        .await
        .unwrap();
    const NATIONAL_ID: usize = 6;
    twins[0][NATIONAL_ID] = text("NID-TWIN");
    let mut twin = twins[0].clone();
    twin[0] = text("M-TWIN");
    twins.push(twin);
    let refused = store.upsert(&MEMBERS, &twins, &|_| {}).await;
    match refused {
        Err(StoreError::Conflict(message)) => assert!(
            message.starts_with("a member with that key or unique value already exists"),
            "{message}"
        ),
        other => panic!("expected a conflict, got {other:?}"),
    }
    let stored = store
        .rows_where_in(&MEMBERS, 0, &["M1".into(), "M-TWIN".into()])
        .await
        .unwrap();
    assert_eq!(stored.len(), 1, "the new member is not written");
    assert_ne!(stored[0][NATIONAL_ID], text("NID-TWIN"), "nor the change");
}
