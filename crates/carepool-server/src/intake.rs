//! The claims intake: submissions that arrive while one group is being judged wait and are
//! judged together in the next, one transaction for many facilities. Under load (every judge
//! busy) a group grows to fill the time the judges take, so throughput rises without a fixed
//! wait; alone, a claim is judged at once. A group's reads that need no lock (its claimants'
//! registry rows) are made while the group before it is judged. Where the store takes writers
//! side by side (PostgreSQL, which locks only a group's families), several groups are judged
//! at once: each spends most of its time waiting on round trips and its commit.

use crate::error::ApiError;
use crate::operations::Metrics;
use carepool_service::Registry;
use carepool_service::audit::Actor;
use carepool_service::claims::{Answer, ReadSubmissions, ReceivedClaim, RecentContext, Submission};
use std::sync::Arc;
use tokio::sync::{Mutex, mpsc, oneshot};

/// A group takes no further submission once it holds this many claims (one large submission
/// may take it past).
const GROUP_CLAIMS: usize = 256;
/// Submissions waiting beyond this make senders wait for room.
const QUEUE: usize = 4_096;

/// Where handlers send claims to be judged.
#[derive(Clone)]
pub struct Intake {
    sender: mpsc::Sender<Waiting>,
}

struct Waiting {
    submission: Submission,
    answer: oneshot::Sender<Answer>,
}

/// A group with what it reads before the lock, on its way to be judged.
struct ReadGroup {
    read: ReadSubmissions,
    answers: Vec<oneshot::Sender<Answer>>,
}

impl Intake {
    /// Starts the tasks that read and judge the groups (on the current tokio runtime): one group
    /// is read while those before it are judged, as many at once as the store takes writers
    /// side by side.
    pub fn start(registry: Registry, metrics: Metrics) -> Intake {
        let (sender, receiver) = mpsc::channel(QUEUE);
        let (read_sender, read_receiver) = mpsc::channel(1);
        tokio::spawn(read_groups(registry.clone(), receiver, read_sender));
        let groups = Arc::new(Mutex::new(read_receiver));
        for _ in 0..registry.store().locked_writes_at_once().max(1) {
            tokio::spawn(judge_groups(
                registry.clone(),
                metrics.clone(),
                groups.clone(),
            ));
        }
        Intake { sender }
    }

    /// Receives and judges one submission by `by`, with whatever else arrives meanwhile.
    pub async fn submit(&self, by: Actor, claims: Vec<ReceivedClaim>) -> Result<Answer, ApiError> {
        let failed = || ApiError::internal("the claims intake failed while judging a submission");
        let (answer, answered) = oneshot::channel();
        let submission = Submission { by, claims };
        self.sender
            .send(Waiting { submission, answer })
            .await
            .map_err(|_| failed())?;
        answered.await.map_err(|_| failed())
    }
}

/// Once a judge has taken the last group, takes what is waiting, up to a group's size, reads
/// what it needs and hands it on; until every sender is gone. Waiting for a judge first lets a
/// group fill for as long as the judges are busy.
async fn read_groups(
    registry: Registry,
    mut receiver: mpsc::Receiver<Waiting>,
    judge: mpsc::Sender<ReadGroup>,
) {
    while let Ok(room) = judge.reserve().await {
        let Some(first) = receiver.recv().await else {
            return;
        };
        let mut claims = first.submission.claims.len();
        let mut group = vec![first];
        while claims < GROUP_CLAIMS {
            match receiver.try_recv() {
                Ok(next) => {
                    claims += next.submission.claims.len();
                    group.push(next);
                }
                Err(_) => break,
            }
        }
        let (submissions, answers): (Vec<_>, Vec<_>) = group
            .into_iter()
            .map(|waiting| (waiting.submission, waiting.answer))
            .unzip();
        // On its own task, so that a panic fails this group's answers, not the intake.
        let reading = registry.clone();
        match tokio::spawn(async move { reading.read_submissions(submissions).await }).await {
            Ok(read) => room.send(ReadGroup { read, answers }),
            Err(failure) => tracing::error!(%failure, "the claims intake failed reading a group"),
        }
    }
}

/// Judges the groups read it takes, one after another beside the other judges, answers their
/// submissions and counts the claims judged. A submission whose sender stopped waiting (a
/// closed connection) is still judged.
async fn judge_groups(
    registry: Registry,
    metrics: Metrics,
    groups: Arc<Mutex<mpsc::Receiver<ReadGroup>>>,
) {
    let mut recent = RecentContext::new(&registry);
    loop {
        let next = groups.lock().await.recv().await;
        let Some(ReadGroup { read, answers }) = next else {
            return;
        };
        // On its own task, so that a panic fails this group's answers, not the intake.
        let judging = registry.clone();
        let judged = tokio::spawn(async move {
            let results = judging
                .judge_submissions(read, judging.today(), &mut recent)
                .await;
            (results, recent)
        });
        match judged.await {
            Ok((results, used)) => {
                recent = used;
                for (answer, result) in answers.into_iter().zip(results) {
                    if let Ok(views) = &result {
                        metrics.judged(views);
                    }
                    let _ = answer.send(result);
                }
            }
            Err(failure) => {
                tracing::error!(%failure, "the claims intake failed on a group");
                recent = RecentContext::new(&registry);
            }
        }
    }
}
