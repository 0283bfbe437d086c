//! The received claims of an adjudication run, read a page at a time in the order they are
//! batched (by family, each family whole), so that a run holds a few pages whatever the size of
//! the queue: a national scheme's eleven million received claims are never all in memory.
//!
//! Claims carry the family their member had when they arrived, and are read in the order of
//! that family. A member may have moved since, or been registered since a claim for an unknown
//! member arrived: such a claim is judged with the family the member has now, with that family's
//! other claims and in their order received. A first pass over the queue finds them (by looking
//! up every claimant's family, a page at a time) and keeps them apart; the second pass adds them
//! to the batch that holds their family. They are the only claims held for the whole run.

use super::adjudicate::{BATCH, BatchingFamily, Queued, in_batch_order, whole_families};
use crate::Registry;
use crate::error::ServiceError;
use carepool_core::claims::ClaimStatus;
use carepool_schema::claim_tables::{CLAIMS, claims};
use carepool_schema::{Projection, Row};
use carepool_store::PageStart;
use chrono::NaiveDate;
use std::collections::{BTreeMap, HashSet};

/// Claims read per page of the first pass, which only looks their members' families up.
const LOOKUP_PAGE: usize = 10_000;

/// Where the page of claims after `page` starts, pages of `size` claims read in the order of
/// their family and id (`columns` holds both); none when `page` was the last.
pub(crate) fn next_page_of_claims(
    columns: &Projection,
    page: &[Row],
    size: usize,
) -> Option<PageStart> {
    let last = page.last().filter(|_| page.len() == size)?;
    Some(PageStart::after(
        columns.text(last, claims::FAMILY_ID),
        columns.text(last, claims::ID).unwrap_or_default(),
    ))
}

/// The received claims still to batch, and where the next page starts.
pub(super) struct Queue {
    registry: Registry,
    today: NaiveDate,
    /// Where the next page starts; None once the last was read.
    next_page: Option<PageStart>,
    batches: Batcher,
    /// Received claims that arrived after the decision date, left for a later run.
    pub waiting: u64,
}

impl Queue {
    /// Starts a run's queue: finds the claims that waited past `today` and those to judge with
    /// another family than they carry.
    pub async fn start(registry: &Registry, today: NaiveDate) -> Result<Queue, ServiceError> {
        let mut queue = Queue {
            registry: registry.clone(),
            today,
            next_page: Some(PageStart::First),
            batches: Batcher::new(BATCH),
            waiting: 0,
        };
        let mut start = Some(PageStart::First);
        while let Some(from) = start {
            let (page, next) = queue.page(&from, LOOKUP_PAGE).await?;
            start = next;
            let mut due = Vec::with_capacity(page.len());
            for claim in page {
                match claim {
                    Some(claim) => due.push(claim),
                    None => queue.waiting += 1,
                }
            }
            let member_ids = crate::unique(due.iter().map(|c| c.member_id.clone()));
            let family_of = queue.registry.families_of(&member_ids).await?;
            for claim in due {
                let family = family_of.get(&claim.member_id).map(String::as_str);
                let now = BatchingFamily::of(family, &claim.member_id);
                queue.batches.note_family(claim, now);
            }
        }
        Ok(queue)
    }

    /// The next batch of whole families, in the order received within each; None when every
    /// claim was batched.
    pub async fn next_batch(&mut self) -> Result<Option<Vec<Queued>>, ServiceError> {
        loop {
            let last_page_read = self.next_page.is_none();
            if let Some(batch) = self.batches.take(last_page_read) {
                return Ok(Some(batch));
            }
            if last_page_read {
                return Ok(None);
            }
            let from = self.next_page.take().expect("a page to read");
            let (page, next) = self.page(&from, BATCH).await?;
            self.batches
                .absorb(page.into_iter().flatten(), next.as_ref());
            self.next_page = next;
        }
    }

    /// A page of the received claims, each with the family it carries, or None for one that
    /// arrived after the decision date; and where the page after it starts (None after the
    /// last).
    async fn page(
        &self,
        from: &PageStart,
        size: usize,
    ) -> Result<(Vec<Option<Queued>>, Option<PageStart>), ServiceError> {
        let columns = Projection::new(
            &CLAIMS,
            &[
                claims::ID.id(),
                claims::RECEIVED_DATE.id(),
                claims::MEMBER_ID.id(),
                claims::PROVIDER_ID.id(),
                claims::FAMILY_ID.id(),
            ],
        );
        let rows = (self.registry.store)
            .project_page(
                &CLAIMS,
                columns.columns(),
                &[claims::STATUS.equals(&ClaimStatus::Received)],
                claims::FAMILY_ID.index(),
                from,
                size,
            )
            .await?;
        let next = next_page_of_claims(&columns, &rows, size);
        let claims = rows.iter().map(|row| self.queued(&columns, row)).collect();
        Ok((claims, next))
    }

    fn queued(&self, columns: &Projection, row: &Row) -> Option<Queued> {
        let text = |column| columns.text(row, column).unwrap_or_default().to_string();
        let received = columns.value(row, claims::RECEIVED_DATE).as_date()?;
        if received > self.today {
            return None;
        }
        let member_id = text(claims::MEMBER_ID);
        Some(Queued {
            family: BatchingFamily::of(columns.text(row, claims::FAMILY_ID), &member_id),
            received,
            id: text(claims::ID),
            member_id,
            provider_id: text(claims::PROVIDER_ID),
        })
    }
}

/// Cuts the pages of the queue into batches of whole families, with the claims judged with
/// another family than they carry put with that family.
struct Batcher {
    size: usize,
    /// Claims whose member's family is not the one they carry, by the family they are judged
    /// with, until the pages reach it.
    moved: BTreeMap<BatchingFamily, Vec<Queued>>,
    /// The ids of those claims, to leave them out where the pages meet them, for the whole run.
    moved_ids: HashSet<String>,
    /// Claims of whole families read and not yet batched, in batch order.
    pending: Vec<Queued>,
    /// The claims of the last family read, whose others may be on the next page.
    tail: Vec<Queued>,
}

impl Batcher {
    fn new(size: usize) -> Batcher {
        Batcher {
            size,
            moved: BTreeMap::new(),
            moved_ids: HashSet::new(),
            pending: Vec::new(),
            tail: Vec::new(),
        }
    }

    /// Keeps apart a claim to judge with family `now` if it carries another.
    fn note_family(&mut self, mut claim: Queued, now: BatchingFamily) {
        if now != claim.family {
            claim.family = now.clone();
            self.moved_ids.insert(claim.id.clone());
            self.moved.entry(now).or_default().push(claim);
        }
    }

    /// Takes in a page of claims in the order of the families they carry (claims of unknown
    /// members first), the claims of `tail` before them, and the claims moved into the
    /// families the page completes; `next` is where the page after it starts, None after the
    /// last.
    fn absorb(&mut self, page: impl Iterator<Item = Queued>, next: Option<&PageStart>) {
        let mut read = std::mem::take(&mut self.tail);
        read.extend(page.filter(|claim| !self.moved_ids.contains(&claim.id)));
        // Every family before the one the page ended in is whole.
        let first_incomplete = match next {
            None => None,
            Some(PageStart::After(family, _)) => Some(BatchingFamily::Family(family.clone())),
            Some(_) => Some(BatchingFamily::Family(String::new())),
        };
        let moved_in = match &first_incomplete {
            None => std::mem::take(&mut self.moved),
            Some(incomplete) => {
                let whole = read.partition_point(|claim| &claim.family < incomplete);
                self.tail = read.split_off(whole);
                let later = self.moved.split_off(incomplete);
                std::mem::replace(&mut self.moved, later)
            }
        };
        // Their ids stay in `moved_ids`: a page may still meet them in the family they carry.
        read.extend(moved_in.into_values().flatten());
        self.pending.extend(read);
        in_batch_order(&mut self.pending);
    }

    /// A batch of about `size` claims of whole families, or of the rest once `all_read`.
    fn take(&mut self, all_read: bool) -> Option<Vec<Queued>> {
        let last_batch = all_read && !self.pending.is_empty();
        if self.pending.len() < self.size && !last_batch {
            return None;
        }
        let families: Vec<&BatchingFamily> = self.pending.iter().map(|q| &q.family).collect();
        let first = whole_families(&families, self.size)[0].clone();
        Some(self.pending.drain(first).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A claim received on day `day` of January 2026 carrying `family` (None: an unknown
    /// member's).
    fn claim(id: &str, family: Option<&str>, member: &str, day: u32) -> Queued {
        Queued {
            family: BatchingFamily::of(family, member),
            received: NaiveDate::from_ymd_opt(2026, 1, day).unwrap(),
            id: id.to_string(),
            member_id: member.to_string(),
            provider_id: "F1".to_string(),
        }
    }

    fn after(family: &str, id: &str) -> PageStart {
        PageStart::After(family.to_string(), id.to_string())
    }

    fn ids(batch: &[Queued]) -> Vec<&str> {
        batch.iter().map(|q| q.id.as_str()).collect()
    }

    /// Every batch the batcher gives once the last page is read.
    fn drain(batcher: &mut Batcher) -> Vec<Vec<String>> {
        std::iter::from_fn(|| batcher.take(true))
            .map(|batch| ids(&batch).into_iter().map(String::from).collect())
            .collect()
    }

    #[test]
    fn a_family_read_across_two_pages_is_batched_whole() {
        let mut batcher = Batcher::new(3);
        let page = [
            claim("a1", Some("A"), "m1", 1),
            claim("a2", Some("A"), "m1", 2),
            claim("b1", Some("B"), "m2", 3),
            claim("b2", Some("B"), "m2", 4),
        ];
        batcher.absorb(page.into_iter(), Some(&after("B", "b2")));
        // B may go on: only A is whole, and two claims are not a batch of three yet.
        assert!(batcher.take(false).is_none());
        let page = [
            claim("b3", Some("B"), "m3", 1),
            claim("c1", Some("C"), "m4", 5),
        ];
        batcher.absorb(page.into_iter(), None);
        assert_eq!(
            drain(&mut batcher),
            [vec!["a1", "a2", "b3", "b1", "b2"], vec!["c1"]]
        );
    }

    #[test]
    fn a_family_over_three_pages_and_a_page_left_empty_are_batched_whole() {
        let mut batcher = Batcher::new(2);
        batcher.note_family(
            claim("z1", Some("Z"), "m9", 1),
            BatchingFamily::Family("A".into()),
        );
        let pages = [
            vec![
                claim("a1", Some("A"), "m1", 3),
                claim("a2", Some("A"), "m1", 4),
            ],
            vec![claim("a3", Some("A"), "m2", 2)],
            // Every claim of this page is one moved to A: nothing new to batch.
            vec![claim("z1", Some("Z"), "m9", 1)],
        ];
        for (n, page) in pages.into_iter().enumerate() {
            let next = after(if n < 2 { "A" } else { "Z" }, "last");
            batcher.absorb(page.into_iter(), Some(&next));
            if n < 2 {
                assert!(batcher.take(false).is_none(), "A may go on after page {n}");
            }
        }
        // The third page ended in Z: A is whole, with the claim moved into it first.
        let batch = batcher.take(false).expect("A is whole");
        assert_eq!(ids(&batch), ["z1", "a3", "a1", "a2"]);
        batcher.absorb(std::iter::empty(), None);
        assert!(drain(&mut batcher).is_empty());
    }

    #[test]
    fn a_claim_of_a_member_who_moved_is_batched_with_the_new_family_in_order_received() {
        let mut batcher = Batcher::new(100);
        // x1 arrived when its member was in Z; the member is in B now.
        let moved = claim("x1", Some("Z"), "m9", 3);
        batcher.note_family(moved, BatchingFamily::Family("B".into()));
        batcher.note_family(
            claim("b1", Some("B"), "m2", 2),
            BatchingFamily::Family("B".into()),
        );
        batcher.absorb(
            [
                claim("a1", Some("A"), "m1", 1),
                claim("b1", Some("B"), "m2", 2),
            ]
            .into_iter(),
            Some(&after("B", "b1")),
        );
        let page = [
            claim("b2", Some("B"), "m2", 4),
            claim("x1", Some("Z"), "m9", 3),
        ];
        batcher.absorb(page.into_iter(), None);
        assert_eq!(drain(&mut batcher), [vec!["a1", "b1", "x1", "b2"]]);
    }

    #[test]
    fn a_claim_moved_to_a_family_read_earlier_is_held_until_that_family_is_whole() {
        let mut batcher = Batcher::new(1);
        batcher.note_family(
            claim("x1", Some("Z"), "m9", 1),
            BatchingFamily::Family("A".into()),
        );
        batcher.absorb(
            [claim("a1", Some("A"), "m1", 2)].into_iter(),
            Some(&after("A", "a1")),
        );
        // A may have more claims on the next page: neither a1 nor x1 is batched yet.
        assert!(batcher.take(false).is_none());
        batcher.absorb(
            [claim("b1", Some("B"), "m2", 1)].into_iter(),
            Some(&after("B", "b1")),
        );
        let batch = batcher.take(false).expect("A is whole");
        assert_eq!(ids(&batch), ["x1", "a1"]);
        assert!(
            batch
                .iter()
                .all(|q| q.family == BatchingFamily::Family("A".into()))
        );
        // Met again on a later page (it carries Z), it is not judged twice.
        batcher.absorb([claim("x1", Some("Z"), "m9", 1)].into_iter(), None);
        assert_eq!(drain(&mut batcher), [vec!["b1"]]);
    }

    #[test]
    fn a_claim_for_a_member_registered_since_waits_for_the_members_family() {
        let mut batcher = Batcher::new(1);
        let now_known = claim("u1", None, "m7", 1);
        batcher.note_family(now_known, BatchingFamily::Family("C".into()));
        batcher.note_family(
            claim("u2", None, "m8", 2),
            BatchingFamily::UnknownMember("m8".into()),
        );
        let unknown = [claim("u1", None, "m7", 1), claim("u2", None, "m8", 2)];
        batcher.absorb(
            unknown.into_iter(),
            Some(&PageStart::AfterNull("u2".into())),
        );
        // The still unknown member's claim is judged apart at once; u1 waits for C.
        assert_eq!(ids(&batcher.take(false).unwrap()), ["u2"]);
        assert!(batcher.take(false).is_none());
        batcher.absorb([claim("c1", Some("C"), "m3", 3)].into_iter(), None);
        assert_eq!(drain(&mut batcher), [vec!["u1", "c1"]]);
    }
}
