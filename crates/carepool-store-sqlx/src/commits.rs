//! Whether another connection has committed between points of a write run, so that what was
//! decided ahead of a lock may be written (see `carepool_store::WriteRun`).

/// A point in the database's history of commits, as a write run's connection saw it: at the
/// run's start, or inside a write's transaction once its lock is held.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommitMark {
    /// SQLite's `PRAGMA data_version`: two reads on one connection differ when another
    /// connection committed in between (the connection's own commits leave it alone).
    DataVersion(i64),
    /// A PostgreSQL snapshot, which names the transactions not yet committed when it was
    /// taken.
    Snapshot(Snapshot),
}

/// What `pg_current_snapshot()` says (every transaction id below `xmax` and not in
/// `in_progress` had ended), and the id of the transaction it was read in, if it had one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    own: Option<u64>,
    xmax: u64,
    in_progress: Vec<u64>,
}

impl Snapshot {
    /// From `pg_current_snapshot()::text` (`xmin:xmax:xip,xip,...`) and
    /// `pg_current_xact_id()::text`.
    pub fn parse(own: Option<&str>, snapshot: &str) -> Result<Snapshot, String> {
        let unreadable = || format!("cannot read the snapshot {snapshot:?}");
        let id = |text: &str| text.parse::<u64>().map_err(|_| unreadable());
        let mut parts = snapshot.split(':');
        let (Some(_xmin), Some(xmax), Some(xip), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(unreadable());
        };
        Ok(Snapshot {
            own: own.map(id).transpose()?,
            xmax: id(xmax)?,
            in_progress: xip
                .split(',')
                .filter(|t| !t.is_empty())
                .map(id)
                .collect::<Result<_, _>>()?,
        })
    }

    /// Whether a transaction not among `ours` may have committed after `earlier` was taken
    /// and before `self` was: one that had not ended at `earlier` (in progress, or not yet
    /// begun) and has ended at `self`. A transaction that ended by rolling back counts too:
    /// telling would take another query, and counting it only costs judging again.
    fn others_may_have_committed_since(&self, earlier: &Snapshot, ours: &[u64]) -> bool {
        let not_ended_then = (earlier.xmax..self.xmax).chain(earlier.in_progress.iter().copied());
        not_ended_then
            .filter(|id| !ours.contains(id))
            .any(|id| !self.in_progress.contains(&id))
    }
}

impl CommitMark {
    /// Whether nobody but the run itself committed between each of `earlier` (marks the run
    /// took before, on the same connection; none after a failed write) and this mark.
    pub fn nobody_else_committed_since(&self, earlier: &[Option<CommitMark>]) -> bool {
        match self {
            CommitMark::DataVersion(now) => earlier
                .iter()
                .all(|mark| mark == &Some(CommitMark::DataVersion(*now))),
            CommitMark::Snapshot(now) => {
                let snapshots: Option<Vec<&Snapshot>> = earlier
                    .iter()
                    .map(|mark| match mark {
                        Some(CommitMark::Snapshot(snapshot)) => Some(snapshot),
                        _ => None,
                    })
                    .collect();
                let Some(snapshots) = snapshots else {
                    return false;
                };
                // The run's own writes since the earliest mark: those the marks were taken in.
                let ours: Vec<u64> = snapshots
                    .iter()
                    .chain([&now])
                    .filter_map(|s| s.own)
                    .collect();
                snapshots
                    .iter()
                    .all(|then| !now.others_may_have_committed_since(then, &ours))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snapshot(own: Option<&str>, text: &str) -> Option<CommitMark> {
        Some(CommitMark::Snapshot(Snapshot::parse(own, text).unwrap()))
    }

    fn unchanged(earlier: &[Option<CommitMark>], now: Option<CommitMark>) -> bool {
        now.unwrap().nobody_else_committed_since(earlier)
    }

    #[test]
    fn snapshots_are_read_as_postgresql_writes_them() {
        let read = Snapshot::parse(Some("105"), "100:107:100,103").unwrap();
        assert_eq!(
            read,
            Snapshot {
                own: Some(105),
                xmax: 107,
                in_progress: vec![100, 103]
            }
        );
        assert_eq!(
            Snapshot::parse(None, "7:7:").unwrap().in_progress,
            Vec::<u64>::new()
        );
        for bad in ["7:7", "7:x:", "7:7:1:2", "7:7:1,,a"] {
            let refused = Snapshot::parse(None, bad).unwrap_err();
            assert!(refused.contains(bad), "{refused}");
        }
        assert!(Snapshot::parse(Some("-1"), "7:7:").is_err());
    }

    #[test]
    fn only_the_runs_own_transactions_may_end_between_snapshots() {
        // The run's start (no transaction of its own), then its writes 10, 11 and 12.
        let start = snapshot(None, "10:10:");
        let first = snapshot(Some("10"), "10:11:");
        let second = snapshot(Some("11"), "11:12:");
        assert!(unchanged(&[start.clone(), start.clone()], first.clone()));
        assert!(unchanged(&[start.clone(), first.clone()], second.clone()));
        let third = snapshot(Some("12"), "12:13:");
        assert!(unchanged(&[first.clone(), second.clone()], third));

        // Another writer's 12 began and ended between the marks.
        let after_other = snapshot(Some("13"), "13:14:");
        assert!(!unchanged(&[first.clone(), second.clone()], after_other));
        // ... or is still running: it has committed nothing.
        let other_running = snapshot(Some("13"), "12:14:12");
        assert!(unchanged(&[first, second], other_running));
    }

    #[test]
    fn a_transaction_running_at_the_earlier_mark_that_ended_since_counts() {
        let earlier = snapshot(Some("20"), "15:21:15");
        let still_running = snapshot(Some("21"), "15:22:15");
        assert!(unchanged(std::slice::from_ref(&earlier), still_running));
        let ended = snapshot(Some("21"), "21:22:");
        assert!(!unchanged(&[earlier], ended));
    }

    #[test]
    fn a_missing_mark_means_nothing_is_known() {
        let now = snapshot(Some("11"), "11:11:");
        assert!(!unchanged(&[None, snapshot(Some("10"), "10:10:")], now));
        let version = Some(CommitMark::DataVersion(3));
        assert!(!unchanged(&[None, version.clone()], version.clone()));
        assert!(unchanged(
            &[version.clone(), version.clone()],
            version.clone()
        ));
        assert!(!unchanged(
            &[version.clone(), version],
            Some(CommitMark::DataVersion(4))
        ));
    }
}
