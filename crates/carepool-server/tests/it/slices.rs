//! An import reads its input a slice at a time (a file of millions of members is never held):
//! whatever the slices, it decides as if it had read the input whole.

use crate::support::{Harness, example, load_registry};
use carepool_core::registry::{Family, Location, Member};
use carepool_schema::{Record, Row, Value};
use carepool_service::{
    ImportMode, ImportReport, ImportSource, NotWritten, Numbered, Reading, RowProblem,
    ServiceError, Slice,
};
use std::convert::Infallible;

/// An input of CSV-like lines (the table's columns in order, no header: the first is line 2),
/// handed out `at_once` records at a time.
struct Sliced {
    rows: Vec<Row>,
    at_once: usize,
    next: usize,
}

impl Sliced {
    fn of<R: Record>(lines: &[&str], at_once: usize) -> Sliced {
        let rows = lines
            .iter()
            .map(|line| {
                let row: Row = R::table()
                    .columns
                    .iter()
                    .zip(line.split(','))
                    .map(|(column, text)| Value::parse(column, text).unwrap())
                    .collect();
                assert_eq!(row.len(), R::table().columns.len(), "{line}");
                row
            })
            .collect();
        Sliced {
            rows,
            at_once,
            next: 0,
        }
    }
}

impl<R: Record> ImportSource<R> for Sliced {
    type Error = Infallible;

    fn next_slice(&mut self) -> Result<Option<Slice<R>>, Infallible> {
        if self.next >= self.rows.len() {
            return Ok(None);
        }
        let end = (self.next + self.at_once).min(self.rows.len());
        let records = (self.next..end)
            .map(|index| Numbered {
                line: index as u64 + 2,
                item: R::from_row(&self.rows[index]).unwrap(),
            })
            .collect();
        self.next = end;
        Ok(Some(Slice {
            records,
            unreadable: Vec::new(),
            unread_keys: Vec::new(),
        }))
    }

    fn rewind(&mut self) -> Result<(), Infallible> {
        self.next = 0;
        Ok(())
    }
}

/// A problem as (line, column, message).
type Told<'a> = (u64, Option<&'a str>, &'a str);

/// Each problem as (line, column, message).
fn told(problems: &[RowProblem]) -> Vec<Told<'_>> {
    problems
        .iter()
        .map(|p| (p.line, p.column.as_deref(), p.message.as_str()))
        .collect()
}

/// What an import would do, as (new, changed, unchanged, rejected problems).
fn said(report: &ImportReport) -> (u64, Vec<String>, u64, Vec<Told<'_>>) {
    (
        report.new,
        report.changed.clone(),
        report.unchanged,
        told(&report.rejected),
    )
}

fn refused<T: std::fmt::Debug>(done: Result<T, NotWritten<Infallible>>) -> Vec<RowProblem> {
    match done {
        Err(NotWritten::Refused(ServiceError::Invalid(problems))) => problems,
        other => panic!("not refused for its rows: {other:?}"),
    }
}

/// A record at a time or all at once, an import finds the same problems: a key repeated in a
/// later slice (named with its first line), a reference to a row later in the input (found), a
/// reference to nothing (refused), a national id given twice; all or nothing writes nothing.
pub async fn an_import_read_in_slices_refuses_as_if_read_whole(h: Harness) {
    load_registry(&h).await;
    let before = h.dump().await;
    let locations = [
        "V8,Bad\u{0}name,village,D1,rural",
        "V9,Orphan,village,V8,rural",
        "V8,Hamlet,village,D1,rural",
        "V8,Again,village,NOWHERE,rural",
        "V7,Far,village,NOWHERE,rural",
        "V8,Thrice,village,D1,rural",
    ];
    // A row a database cannot hold is not seen; a repeat names the first line its key is on,
    // before what the database says of its line.
    let expected = vec![
        (
            2,
            Some("name"),
            "holds a NUL byte at character 4: a field is one line of text",
        ),
        (5, Some("code"), "duplicate location V8: already on line 4"),
        (5, Some("parent_code"), "unknown location 'NOWHERE'"),
        (6, Some("parent_code"), "unknown location 'NOWHERE'"),
        (7, Some("code"), "duplicate location V8: already on line 4"),
    ];
    for at_once in [1, 2, 6] {
        let mut input = Sliced::of::<Location>(&locations, at_once);
        let done = h
            .registry
            .import::<Location, _>(&mut input, ImportMode::AllOrNothing, &|_, _| {})
            .await;
        assert_eq!(told(&refused(done)), expected, "{at_once} at once");
    }
    let members = [
        "M8,F2,Hari Devi,child,M,2010-01-01,NID800,,,active,2025-04-01",
        "M9,F3,Uma Rao,spouse,F,1972-01-01,NID800,,,active,2025-04-01",
        // A row given twice whole is told once, by its key.
        "M8,F2,Hari Devi,child,M,2010-01-01,NID800,,,active,2025-04-01",
    ];
    let mut input = Sliced::of::<Member>(&members, 1);
    let done = h
        .registry
        .import_dry_run::<Member, _>(&mut input, ImportMode::AllOrNothing)
        .await;
    assert_eq!(
        told(&refused(done)),
        vec![
            (
                3,
                Some("national_id"),
                "national id NID800 is already given to the member on line 2"
            ),
            (4, Some("id"), "duplicate member M8: already on line 2"),
        ]
    );
    assert_eq!(h.dump().await, before, "nothing written");
}

/// Skipping bad records, a record at a time or all at once: a row that refers to a rejected row
/// later in the input is rejected with it, and so is a row that refers to that one, unless the
/// database holds the row referred to; the good rows are written, in one transaction.
pub async fn an_import_read_in_slices_strands_what_a_rejected_row_held(h: Harness) {
    load_registry(&h).await;
    let locations = [
        "V6,Child,village,D5,rural",
        "V5,Grandchild,village,V6,rural",
        "D5,Nowhere district,district,NOWHERE,",
        "V4,Fine,village,D1,urban",
        "V1,Fishers' village on the lake,village,D1,rural",
        "V2,Market town,village,NOWHERE2,urban",
        "V3,Hill village,village,V2,rural",
    ];
    let expected = (
        2,
        vec!["V1".to_string()],
        0,
        vec![
            (
                2,
                Some("parent_code"),
                "location 'D5' is left out: it is rejected on line 4",
            ),
            (
                3,
                Some("parent_code"),
                "location 'V6' is left out: it is rejected on line 2",
            ),
            (4, Some("parent_code"), "unknown location 'NOWHERE'"),
            (7, Some("parent_code"), "unknown location 'NOWHERE2'"),
        ],
    );
    for at_once in [1, 3, 7] {
        let mut input = Sliced::of::<Location>(&locations, at_once);
        let report = h
            .registry
            .import_dry_run::<Location, _>(&mut input, ImportMode::SkipBad)
            .await
            .unwrap();
        assert_eq!(said(&report), expected, "{at_once} at once");
    }
    let mut input = Sliced::of::<Location>(&locations, 1);
    let report = h
        .registry
        .import::<Location, _>(&mut input, ImportMode::SkipBad, &|_, _| {})
        .await
        .unwrap();
    assert_eq!(said(&report), expected);
    let exported = h.export("locations").await;
    for kept in [
        "V4,Fine",
        "V1,Fishers' village on the lake",
        "V3,Hill village",
    ] {
        assert!(exported.contains(kept), "{kept} in {exported}");
    }
    for left_out in ["V6,", "V5,", "D5,", "NOWHERE2"] {
        assert!(!exported.contains(left_out), "{left_out} in {exported}");
    }
}

/// A family moved to another scheme in the last slice refuses the whole import: the slices
/// before it, already written in the transaction, are not kept.
pub async fn a_move_in_a_late_slice_refuses_the_slices_before_it(h: Harness) {
    load_registry(&h).await;
    h.load_scheme(&example("mutual/scheme.toml")).await;
    let before = h.dump().await;
    let families = [
        "F7,pip,V1,40,HH7",
        "F8,pip,V2,41,HH8",
        "F1,mho-kb,V1,22.5,HH1",
    ];
    let mut input = Sliced::of::<Family>(&families, 1);
    let done = h
        .registry
        .import::<Family, _>(&mut input, ImportMode::AllOrNothing, &|_, _| {})
        .await;
    let problems = refused(done);
    assert_eq!(
        told(&problems)
            .iter()
            .map(|(line, column, _)| (*line, *column))
            .collect::<Vec<_>>(),
        vec![(4, Some("scheme"))]
    );
    assert!(
        problems[0]
            .message
            .contains("family F1 belongs to scheme pip"),
        "{}",
        problems[0].message
    );
    assert_eq!(h.dump().await, before, "nothing written");
}

/// A file of more than one slice (10,000 records), through `carepool import`'s own path: a key
/// repeated in another slice is named with its first line; a village names a district on the
/// file's last line; changed after it was checked, the file is
/// refused with nothing written, the slices already written in the transaction included; as it
/// then is, it is imported whole, with the import's own record first in the trail.
pub async fn a_file_of_many_slices_is_refused_if_it_changes_while_imported(h: Harness) {
    load_registry(&h).await;
    let villages = 10_050;
    let mut text = String::from("code,name,kind,parent_code,area\nW0,First,village,D9,rural\n");
    for n in 1..villages - 1 {
        text += &format!("W{n},Village {n},village,D1,rural\n");
    }
    text += "D9,Far district,district,P1,\n";
    let before = h.dump().await;
    // A key given again in the second slice, read a third time to be told apart from a
    // look-alike.
    let repeated = h.write(
        "repeated.csv",
        &text.replace("W10040,Village 10040,", "W5,Village 10040,"),
    );
    let error = h.import("locations", &repeated).await.unwrap_err();
    assert!(
        error
            .to_string()
            .contains("line 10042, column code: duplicate location W5: already on line 7"),
        "{error}"
    );
    let file = h.write("villages.csv", &text);
    let changed = text.replace(
        "W10040,Village 10040,",
        "W10040,Village ten thousand and forty,",
    );
    let changing = file.clone();
    let change_once_checked = move |reading: Reading, read: u64| {
        if reading == Reading::Checking && read == villages {
            std::fs::write(&changing, &changed).unwrap();
        }
    };
    let done = carepool_io::import_file::<Location>(
        &h.registry,
        &file,
        ImportMode::AllOrNothing,
        &change_once_checked,
    )
    .await;
    match done {
        Err(error @ carepool_io::CsvError::Changed { .. }) => {
            assert!(
                error.to_string().contains("villages.csv changed"),
                "{error}"
            )
        }
        other => panic!("not refused as changed: {other:?}"),
    }
    assert_eq!(h.dump().await, before, "nothing written");

    let summary = h.import("locations", &file).await.unwrap();
    assert_eq!((summary.new, summary.written), (villages, villages));
    let exported = h.export("locations").await;
    for written in [
        "W0,First,village,D9,rural",
        "W10040,Village ten thousand and forty,",
    ] {
        assert!(exported.contains(written), "{written}");
    }
    let trail = h.trail_of("locations").await;
    let actions: Vec<&str> = trail.iter().map(|r| r.action.as_str()).collect();
    // The small registry's import, then this one's: its own record, then its new keys a slice
    // at a time.
    assert_eq!(
        actions,
        ["import", "import_new", "import", "import_new", "import_new"]
    );
    assert!(
        trail[2]
            .after
            .as_deref()
            .unwrap_or_default()
            .contains("\"new\":10050"),
        "{:?}",
        trail[2].after
    );
}

/// A quote never closed swallows the rest of the file into one field: even an import that
/// skips bad rows is refused, naming the line, with nothing written, or the rows it could not
/// read would be lost without a word.
pub async fn a_quote_left_open_refuses_even_an_import_that_skips_bad_rows(h: Harness) {
    load_registry(&h).await;
    let before = h.dump().await;
    let file = h.write(
        "members.csv",
        "id,family_id,name,relationship,sex,birth_date,national_id,categories,monthly_wage,status,status_since\n\
         M6,F2,Hari Devi,child,M,2010-01-01,,,,active,2025-04-01\n\
         M7,F2,\"Uma Devi,spouse,F,1976-01-01,,,,active,2025-04-01\n\
         M8,F3,Ravi Rao,child,M,2012-01-01,,,,active,2025-04-01\n",
    );
    for mode in [ImportMode::SkipBad, ImportMode::AllOrNothing] {
        let done = carepool_io::import_file::<Member>(&h.registry, &file, mode, &|_, _| {}).await;
        let error = done.unwrap_err().to_string();
        assert!(
            error.contains("line 3: a quote opened on this line is never closed"),
            "{mode:?}: {error}"
        );
    }
    assert_eq!(h.dump().await, before, "nothing written");
    assert!(!h.dir.path().join("members.csv.rejects.csv").exists());
}
