//! The claims a payment run reads, a page at a time, in the steps of one locked write.

use crate::Registry;
use crate::claims::queue::next_page_of_claims;
use crate::error::ServiceError;
use carepool_core::claims::ClaimStatus;
use carepool_schema::claim_tables::{CLAIMS, claims};
use carepool_schema::{Projection, Row};
use carepool_store::{
    Lock, LockedReads, PageStart, Read, ReadHandle, ReadRows, Step, StoreError, Writes,
};

/// How many claims a step of a payment run reads: a page of ten columns, a few megabytes.
const CLAIMS_PAGE: usize = 10_000;

/// The columns of a claim a payment run reads.
fn claim_columns() -> Projection {
    Projection::new(
        &CLAIMS,
        &[
            claims::ID.id(),
            claims::FAMILY_ID.id(),
            claims::PROVIDER_ID.id(),
            claims::MEMBER_ID.id(),
            claims::STATUS.id(),
            claims::APPROVED.id(),
            claims::ALLOWANCE.id(),
            claims::DECIDED_DATE.id(),
            claims::PAYMENT_BATCH.id(),
            claims::ALLOWANCE_BATCH.id(),
        ],
    )
}

/// The claims that may be paid (decided and not yet paid), read a page at a time: those of
/// each such status in the order of their family and id, as the index adjudication's queue
/// reads by (status, family, id) holds them.
struct PayablePages {
    columns: Projection,
    statuses: Vec<ClaimStatus>,
    /// The status being read, by its place in `statuses`.
    reading: usize,
    start: PageStart,
}

impl PayablePages {
    fn new() -> PayablePages {
        PayablePages {
            columns: claim_columns(),
            statuses: (ClaimStatus::ALL.iter().copied())
                .filter(|s| s.payable())
                .collect(),
            reading: 0,
            start: PageStart::First,
        }
    }

    /// The read of the next page; none once every page was read.
    fn next(&self) -> Option<Read> {
        let status = self.statuses.get(self.reading)?;
        Some(Read::Page {
            table: &CLAIMS,
            columns: self.columns.columns().to_vec(),
            filters: vec![claims::STATUS.equals(status)],
            order: claims::FAMILY_ID.index(),
            start: self.start.clone(),
            limit: CLAIMS_PAGE,
        })
    }

    /// Moves past `page`, the rows the last read found: a page short of full was its status's
    /// last.
    fn passed(&mut self, page: &[Row]) {
        self.start = next_page_of_claims(&self.columns, page, CLAIMS_PAGE).unwrap_or_else(|| {
            self.reading += 1;
            PageStart::First
        });
    }
}

/// What a payment run does in the steps of one locked write: reads what it needs first, then
/// each page of the claims that may be paid, then ends.
pub(super) trait PagedRun: Send {
    fn begin(&mut self, read: ReadRows) -> Result<Writes, StoreError>;
    fn page(&mut self, columns: &Projection, page: &[Row]) -> Result<Writes, StoreError>;
    fn end(&mut self) -> Result<Writes, StoreError>;
}

impl Registry {
    /// Runs `run` in one transaction holding every claim: `first`'s rows to begin, then the
    /// pages of claims that may be paid, each page's writes made before the next is read.
    pub(super) async fn over_payable_claims(
        &self,
        first: &LockedReads,
        run: &mut dyn PagedRun,
    ) -> Result<(), ServiceError> {
        let mut pages = PayablePages::new();
        let mut begun = false;
        let mut page_read: Option<ReadHandle> = None;
        self.store
            .write_locked_in_steps("payment run", &Lock::AllClaims, first, &mut |mut read| {
                let writes = match page_read {
                    _ if !begun => {
                        begun = true;
                        run.begin(read)?
                    }
                    Some(handle) => {
                        let page = read.take(handle)?;
                        pages.passed(&page);
                        run.page(&pages.columns, &page)?
                    }
                    None => {
                        return Ok(Step {
                            writes: run.end()?,
                            next: None,
                        });
                    }
                };
                let mut next = LockedReads::default();
                page_read = pages.next().map(|page| next.add(page));
                Ok(Step {
                    writes,
                    next: Some(next),
                })
            })
            .await?;
        Ok(())
    }
}
