//! Claims sent to be judged at once (the API): received and judged in one transaction, and
//! answered from the decisions in hand. Submissions that arrive together are judged together,
//! so a busy server commits once for many facilities instead of twice per claim.

use super::context::{Loader, RegistryRows, claimants};
use super::{ClaimView, ReceivedClaim, check_providers_known, check_resent, check_sent};
use crate::Registry;
use crate::audit::Actor;
use crate::error::ServiceError;
use carepool_core::claims::{Claim, ClaimRecord, ClaimStatus};
use chrono::NaiveDate;
use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

/// How long submissions judged one after another reuse the locations and scheme versions read
/// for earlier ones. A batch run keeps them for the whole run; a server runs for months, so a
/// changed location or a newly loaded scheme version reaches the claims it judges within this.
const REUSE_FOR: Duration = Duration::from_secs(1);

/// The locations and scheme versions read for recent submissions (see [`REUSE_FOR`]); what
/// changes claim by claim (members, cover, contributions, limits) is always read afresh.
pub struct RecentContext {
    loader: Loader,
    read_since: Instant,
}

impl RecentContext {
    pub fn new(registry: &Registry) -> RecentContext {
        RecentContext {
            loader: Loader::new(registry),
            read_since: registry.clock().now(),
        }
    }

    fn loader(&mut self, registry: &Registry) -> &mut Loader {
        if registry.clock().now() - self.read_since > REUSE_FOR {
            *self = RecentContext::new(registry);
        }
        &mut self.loader
    }
}

/// Claims sent together (one request), and by whom.
#[derive(Debug, Clone)]
pub struct Submission {
    pub by: Actor,
    pub claims: Vec<ReceivedClaim>,
}

/// One submission's answer: each of its claims as decided, in the order sent; or why it was
/// refused (nothing of it written).
pub type Answer = Result<Vec<ClaimView>, ServiceError>;

/// A group of submissions with what judging it reads outside the lock (what is stored of its
/// claims, its claimants' registry rows), or why reading failed: read while the group before
/// it is judged.
pub struct ReadSubmissions {
    submissions: Vec<Submission>,
    read: Result<SubmissionRows, ServiceError>,
}

struct SubmissionRows {
    stored: HashMap<String, ClaimRecord>,
    registry: RegistryRows,
    member_ids: Vec<String>,
}

impl Registry {
    /// Receives and judges several submissions of this registry's actor in one transaction,
    /// answering each in order. A submission with a bad claim is refused alone. Should the
    /// transaction fail, each submission is tried again alone, so that one's fault is never
    /// another's.
    pub async fn submit_together(
        &self,
        submissions: Vec<Vec<ReceivedClaim>>,
        today: NaiveDate,
        recent: &mut RecentContext,
    ) -> Vec<Answer> {
        let submissions = submissions
            .into_iter()
            .map(|claims| Submission {
                by: self.actor().clone(),
                claims,
            })
            .collect();
        let read = self.read_submissions(submissions).await;
        self.judge_submissions(read, today, recent).await
    }

    /// The first half of [`Registry::submit_together`] (for submissions of any users): the
    /// reads that need no lock.
    pub async fn read_submissions(&self, submissions: Vec<Submission>) -> ReadSubmissions {
        let read = self.read_for(&submissions).await;
        ReadSubmissions { submissions, read }
    }

    /// The second half of [`Registry::submit_together`]. The rows read may be a little old:
    /// what the decisions depend on that changes claim by claim (the claims, their history, the
    /// limits used) is read again under the lock.
    pub async fn judge_submissions(
        &self,
        read: ReadSubmissions,
        today: NaiveDate,
        recent: &mut RecentContext,
    ) -> Vec<Answer> {
        let ReadSubmissions { submissions, read } = read;
        match self
            .try_submit_together(&submissions, read, today, recent)
            .await
        {
            Ok(answers) => answers,
            // A claim stored meanwhile with other content than this copy (by a group judged
            // before or beside it, whose commit the read ahead did not see, or another server)
            // is read again below and refused as a changed resend; an unchanged copy was
            // answered as stored.
            Err(error)
                if submissions.len() == 1
                    && !matches!(
                        error,
                        ServiceError::Conflict(_) | ServiceError::Taken { .. }
                    ) =>
            {
                vec![Err(error)]
            }
            Err(_) => {
                let mut answers = Vec::with_capacity(submissions.len());
                for submission in submissions {
                    let alone = std::slice::from_ref(&submission);
                    let read = self.read_for(alone).await;
                    let answer = self
                        .try_submit_together(alone, read, today, recent)
                        .await
                        .and_then(|mut answer| answer.pop().expect("one answer"));
                    answers.push(answer);
                }
                answers
            }
        }
    }

    async fn read_for(&self, submissions: &[Submission]) -> Result<SubmissionRows, ServiceError> {
        let claims = || submissions.iter().flat_map(|s| &s.claims);
        let ids: Vec<String> = claims().map(|c| c.claim.id()).collect();
        let (member_ids, provider_ids) =
            claimants(claims().map(|c| (&c.claim.member_id, &c.claim.provider_id)));
        // The registry rows of every claimant are read beside what is stored of the claims:
        // those of a claim refused or sent before are read for nothing, but a group waits for
        // one round of reads less.
        let (stored, registry) = tokio::try_join!(
            self.claim_records(&ids),
            RegistryRows::read(self.clone(), member_ids.clone(), provider_ids),
        )?;
        Ok(SubmissionRows {
            stored,
            registry,
            member_ids,
        })
    }

    /// Judges the submissions' new claims (and their stored claims still waiting) in one
    /// transaction, from what was read for them; the outer error is the reads' or the
    /// transaction's, the inner ones each submission's.
    async fn try_submit_together(
        &self,
        submissions: &[Submission],
        read: Result<SubmissionRows, ServiceError>,
        today: NaiveDate,
        recent: &mut RecentContext,
    ) -> Result<Vec<Answer>, ServiceError> {
        let SubmissionRows {
            stored,
            registry,
            member_ids,
        } = read?;
        // New claims accepted so far (and who sent them), so that two submissions of one claim
        // store it once.
        let mut fresh: HashMap<String, (&Claim, &str)> = HashMap::new();
        let mut waiting: HashMap<String, &ClaimRecord> = HashMap::new();
        // Who sent again a claim stored and still waiting, which its sending judges.
        let mut senders: HashMap<String, String> = HashMap::new();
        let mut refused: Vec<Option<ServiceError>> = Vec::with_capacity(submissions.len());
        for Submission { by, claims } in submissions {
            let mut problems = check_sent(claims, today);
            if problems.is_empty() {
                problems = check_resent(claims, |id| {
                    stored
                        .get(id)
                        .map(|record| &record.claim)
                        .or_else(|| fresh.get(id).map(|(claim, _)| *claim))
                });
                problems.extend(check_providers_known(
                    claims,
                    |id| stored.contains_key(id),
                    |provider| registry.knows_provider(provider),
                ));
            }
            if !problems.is_empty() {
                refused.push(Some(ServiceError::Invalid(problems)));
                continue;
            }
            for received in claims {
                let id = received.claim.id();
                match stored.get(&id) {
                    Some(record) if record.status == ClaimStatus::Received => {
                        senders.insert(id.clone(), by.name().to_string());
                        waiting.insert(id, record);
                    }
                    Some(_) => {}
                    None => {
                        fresh.entry(id).or_insert((&received.claim, by.name()));
                    }
                }
            }
            refused.push(None);
        }

        let mut decided: HashMap<String, ClaimView> = HashMap::new();
        // Claims another writer stored after they were read, sent again unchanged.
        let mut resent: HashSet<String> = HashSet::new();
        if !fresh.is_empty() || !waiting.is_empty() {
            let loaded = recent.loader(self).resolve(registry).await?;
            let waiting_ids: Vec<&str> = waiting.keys().map(String::as_str).collect();
            // Judged in the order received whatever the order here (see `judge_batch`).
            let new_records = fresh
                .values()
                .map(|(claim, by)| ClaimRecord::received((*claim).clone(), None, by))
                .collect();
            let judged = self
                .judge_batch(
                    &loaded,
                    member_ids,
                    &waiting_ids,
                    new_records,
                    &senders,
                    today,
                )
                .await?;
            for (record, reasons) in judged.decided {
                let view = ClaimView::new(record, reasons);
                decided.insert(view.id.clone(), view);
            }
            resent.extend(judged.resent);
        }

        let mut answers = Vec::with_capacity(submissions.len());
        for (Submission { claims, .. }, refusal) in submissions.iter().zip(refused) {
            if let Some(error) = refusal {
                answers.push(Err(error));
                continue;
            }
            let mut views = Vec::with_capacity(claims.len());
            for received in claims {
                let id = received.claim.id();
                let mut view = match decided.get(&id) {
                    Some(view) => view.clone(),
                    // Sent before and decided then: answered as it stands.
                    None => self.claim_view(&id).await?,
                };
                view.sent_before = stored.contains_key(&id) || resent.contains(&id);
                views.push(view);
            }
            answers.push(Ok(views));
        }
        Ok(answers)
    }
}
