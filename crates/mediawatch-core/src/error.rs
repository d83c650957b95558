//! Errors of the core library. Every error has a stable `code` (snake_case) that the CLI prints and the UI
//! switches on, and a human message that names the problem.

use serde::{Deserialize, Serialize};

/// The closed set of error codes shared by the CLI (`{"error":{"code","message"}}`) and the IPC boundary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    InvalidInput,
    InvalidQuery,
    NotFound,
    Conflict,
    Network,
    Parse,
    Storage,
    Cancelled,
    Internal,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidInput => "invalid_input",
            ErrorCode::InvalidQuery => "invalid_query",
            ErrorCode::NotFound => "not_found",
            ErrorCode::Conflict => "conflict",
            ErrorCode::Network => "network",
            ErrorCode::Parse => "parse",
            ErrorCode::Storage => "storage",
            ErrorCode::Cancelled => "cancelled",
            ErrorCode::Internal => "internal",
        }
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A query the topic language cannot read: the message, and the 1-based column of the problem.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message} at column {column}")]
pub struct QueryError {
    pub message: String,
    pub column: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    InvalidInput(String),
    #[error("invalid query: {0}")]
    InvalidQuery(#[from] QueryError),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    Network(String),
    #[error("{0}")]
    Parse(String),
    #[error("database: {0}")]
    Storage(String),
    /// A file the analyst asked for could not be written or read (code `storage`): the message names it.
    #[error("{0}")]
    File(String),
    #[error("cancelled")]
    Cancelled,
    #[error("{0}")]
    Internal(String),
}

impl Error {
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::InvalidInput(_) => ErrorCode::InvalidInput,
            Error::InvalidQuery(_) => ErrorCode::InvalidQuery,
            Error::NotFound(_) => ErrorCode::NotFound,
            Error::Conflict(_) => ErrorCode::Conflict,
            Error::Network(_) => ErrorCode::Network,
            Error::Parse(_) => ErrorCode::Parse,
            Error::Storage(_) | Error::File(_) => ErrorCode::Storage,
            Error::Cancelled => ErrorCode::Cancelled,
            Error::Internal(_) => ErrorCode::Internal,
        }
    }

    /// The `{code, message}` body the CLI prints on stderr and the desktop shell sends over IPC.
    pub fn body(&self) -> ErrorBody {
        ErrorBody { code: self.code(), message: self.to_string() }
    }
}

/// `{code, message}`: the serialised form of an [`Error`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ErrorBody {
    pub code: ErrorCode,
    pub message: String,
}

impl From<Error> for ErrorBody {
    fn from(e: Error) -> Self {
        e.body()
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
