//! The claims intake: submissions that arrive while one group is being judged wait and are
//! judged together in the next, one transaction for many facilities. Under load a group grows
//! to fill the time the last one took, so throughput rises without a fixed wait; alone, a
//! claim is judged at once.

use crate::error::ApiError;
use crate::today;
use carepool_service::Registry;
use carepool_service::claims::{Answer, ReceivedClaim, RecentContext};
use tokio::sync::{mpsc, oneshot};

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
    claims: Vec<ReceivedClaim>,
    answer: oneshot::Sender<Answer>,
}

impl Intake {
    /// Starts the task that judges the groups (on the current tokio runtime).
    pub fn start(registry: Registry) -> Intake {
        let (sender, receiver) = mpsc::channel(QUEUE);
        tokio::spawn(judge_groups(registry, receiver));
        Intake { sender }
    }

    /// Receives and judges one submission, with whatever else arrives meanwhile.
    pub async fn submit(&self, claims: Vec<ReceivedClaim>) -> Result<Answer, ApiError> {
        let failed = || ApiError::internal("the claims intake failed while judging a submission");
        let (answer, answered) = oneshot::channel();
        self.sender
            .send(Waiting { claims, answer })
            .await
            .map_err(|_| failed())?;
        answered.await.map_err(|_| failed())
    }
}

/// Takes what is waiting, up to a group's size, judges it and answers; until every sender is
/// gone. A submission whose sender stopped waiting (a closed connection) is still judged.
async fn judge_groups(registry: Registry, mut receiver: mpsc::Receiver<Waiting>) {
    let mut recent = RecentContext::new(&registry);
    while let Some(first) = receiver.recv().await {
        let mut claims = first.claims.len();
        let mut group = vec![first];
        while claims < GROUP_CLAIMS {
            match receiver.try_recv() {
                Ok(next) => {
                    claims += next.claims.len();
                    group.push(next);
                }
                Err(_) => break,
            }
        }
        let (submissions, answers): (Vec<_>, Vec<_>) = group
            .into_iter()
            .map(|waiting| (waiting.claims, waiting.answer))
            .unzip();
        // On its own task, so that a panic fails this group's answers, not the intake.
        let judging = registry.clone();
        let judged = tokio::spawn(async move {
            let results = judging
                .submit_together(submissions, today(), &mut recent)
                .await;
            (results, recent)
        });
        match judged.await {
            Ok((results, used)) => {
                recent = used;
                for (answer, result) in answers.into_iter().zip(results) {
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
