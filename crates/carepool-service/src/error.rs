use carepool_core::claims::intake::IntakeRefusal;
use carepool_core::eligibility::RuleFailure;
use carepool_core::registry::FieldError;
use carepool_core::scheme::SchemeError;
use carepool_core::words::{Sentence, Words};
use carepool_store::StoreError;
use serde::Serialize;
use std::fmt;

/// The reason of a problem after which the rest of an input cannot be read (a quote never
/// closed swallows it): even an import that skips bad rows is refused, or the rows it could not
/// read would go unnoticed.
pub const REST_UNREADABLE: &str = "rest_unreadable";

/// Why an input read in parts (a claims file, a registry file) wrote nothing.
#[derive(Debug)]
pub enum NotWritten<E> {
    /// A part could not be read: the reader's error.
    Unreadable(E),
    /// The input was refused (every problem named), or could not be stored.
    Refused(ServiceError),
}

/// One thing wrong with one input row: where (line, column), which record (key), and what rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowProblem {
    /// The line in the input file (1 is the header); 0 for a row that did not come from a file.
    pub line: u64,
    pub column: Option<String>,
    pub message: String,
    /// Rules refused by eligibility, when that is the problem.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<RuleFailure>,
    /// A stable code for why, where one is given (a claim refused at intake: `future_date`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<&'static str>,
    /// The problem in words a page says in its language, where the rule gives them.
    #[serde(skip)]
    pub words: Option<Words>,
}

impl RowProblem {
    pub fn new(line: u64, column: Option<&str>, message: impl Into<String>) -> RowProblem {
        RowProblem {
            line,
            column: column.map(str::to_string),
            message: message.into(),
            rules: vec![],
            reason: None,
            words: None,
        }
    }

    /// A rule of one field broken, on `line`.
    pub fn of_field(line: u64, broken: FieldError) -> RowProblem {
        RowProblem {
            words: broken.words,
            ..RowProblem::new(line, Some(broken.field), broken.message)
        }
    }

    /// A claim refused at intake, on `line`.
    pub fn of_intake(line: u64, refused: IntakeRefusal) -> RowProblem {
        RowProblem {
            reason: Some(refused.reason),
            words: refused.words,
            ..RowProblem::new(line, Some(refused.field), refused.message)
        }
    }
}

impl fmt::Display for RowProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line > 0 {
            write!(f, "line {}", self.line)?;
            if let Some(column) = &self.column {
                write!(f, ", column {column}")?;
            }
            write!(f, ": ")?;
        } else if let Some(column) = &self.column {
            write!(f, "{column}: ")?;
        }
        f.write_str(&self.message)
    }
}

impl ServiceError {
    /// One field of a record given alone (not from a file) breaks a rule.
    pub fn field(broken: FieldError) -> ServiceError {
        ServiceError::Invalid(vec![RowProblem::of_field(0, broken)])
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// The input breaks rules; nothing was written.
    #[error("{} problem(s) in the input, nothing written; first: {}", .0.len(), .0.first().map(ToString::to_string).unwrap_or_default())]
    Invalid(Vec<RowProblem>),
    /// A scheme definition breaks its rules.
    #[error("the scheme definition breaks {} rule(s): {}", .0.len(), .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Scheme(Vec<SchemeError>),
    #[error("no {what} with key {key}")]
    NotFound { what: &'static str, key: String },
    /// The write clashes with what is stored (a key taken, history that would be rewritten).
    #[error("{0}")]
    Conflict(String),
    /// A key or a unique value is taken; `field` holds it.
    #[error("{message}")]
    Taken {
        message: String,
        field: &'static str,
        /// The message in words a page says in its language (empty: English only).
        words: Words,
    },
    /// The rules forbid this user the change (segregation of duties), whatever their role.
    #[error("{0}")]
    Forbidden(String),
    /// Stored data breaks the rules: a fault inside, not the user's.
    #[error("{0}")]
    Corrupt(String),
    /// The data do not allow the estimate asked for (a reserve on too few claims, say).
    /// Its words, where the study gives them, let a page say why in its language.
    #[error("cannot estimate: {0}")]
    NotEstimable(Sentence),
    #[error(transparent)]
    Store(StoreError),
}

/// A study whose result holds a figure that is not a number cannot be estimated on its inputs.
impl From<carepool_actuarial::NotFinite> for ServiceError {
    fn from(found: carepool_actuarial::NotFinite) -> ServiceError {
        ServiceError::not_estimable(Words::default(), found.to_string())
    }
}

impl ServiceError {
    /// The data do not allow the estimate: why, in English and in `words` (empty: English only).
    pub fn not_estimable(words: Words, english: impl Into<String>) -> ServiceError {
        ServiceError::NotEstimable(Sentence::new(words, english))
    }
}

impl From<StoreError> for ServiceError {
    fn from(error: StoreError) -> ServiceError {
        match error {
            StoreError::NotFound { what, key } => ServiceError::NotFound { what, key },
            StoreError::Conflict(message) => ServiceError::Conflict(message),
            StoreError::Taken {
                message,
                field,
                words,
            } => ServiceError::Taken {
                message,
                field,
                words,
            },
            other => ServiceError::Store(other),
        }
    }
}
