use serde::{Deserialize, Serialize};

/// Stable, machine-readable error codes. They travel in `error` frames and JSON error bodies,
/// so clients can react (e.g. re-create a session on `unauthorized`) without parsing prose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    FrameTooLarge,
    MalformedFrame,
    TextTooLong,
    EmptyText,
    InvalidClientId,
    Unauthorized,
    Forbidden,
    NotFound,
    BadRequest,
    /// Too many requests or frames: wait (`Retry-After`) and try again; nothing was stored.
    RateLimited,
    Internal,
    /// A file over the workspace's size limit; nothing was stored.
    FileTooLarge,
    /// A file whose bytes are of a type the workspace does not accept; nothing was stored.
    FileTypeNotAllowed,
    /// More attachments than one message carries, or more uploads waiting to be sent than a
    /// conversation holds.
    TooManyFiles,
}

/// The one error type of the core. Each variant maps to an [`ErrorCode`] for the wire.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    #[error("frame is {size} bytes; the limit is {limit}")]
    FrameTooLarge { size: usize, limit: usize },
    #[error("malformed frame: {0}")]
    MalformedFrame(String),
    #[error("message text is {chars} characters; the limit is {limit}")]
    TextTooLong { chars: usize, limit: usize },
    #[error("message text is empty")]
    EmptyText,
    #[error("client message id must be 1..={max} characters of [A-Za-z0-9_-]")]
    InvalidClientId { max: usize },
    #[error("invalid or expired token")]
    InvalidToken,
    #[error("{0}")]
    BadRequest(String),
    /// An id that names nothing: of the wrong shape (see [`crate::ids`]) or not found.
    #[error("no such {0}")]
    Unknown(&'static str),
    #[error("the file is {size} bytes; the limit is {limit}")]
    FileTooLarge { size: u64, limit: u64 },
    #[error("files of type {0} are not accepted here")]
    FileTypeNotAllowed(String),
    #[error("{count} files; the limit is {limit}")]
    TooManyFiles { count: usize, limit: usize },
}

impl Error {
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::FrameTooLarge { .. } => ErrorCode::FrameTooLarge,
            Error::MalformedFrame(_) => ErrorCode::MalformedFrame,
            Error::TextTooLong { .. } => ErrorCode::TextTooLong,
            Error::EmptyText => ErrorCode::EmptyText,
            Error::InvalidClientId { .. } => ErrorCode::InvalidClientId,
            Error::InvalidToken => ErrorCode::Unauthorized,
            Error::BadRequest(_) => ErrorCode::BadRequest,
            Error::Unknown(_) => ErrorCode::NotFound,
            Error::FileTooLarge { .. } => ErrorCode::FileTooLarge,
            Error::FileTypeNotAllowed(_) => ErrorCode::FileTypeNotAllowed,
            Error::TooManyFiles { .. } => ErrorCode::TooManyFiles,
        }
    }
}
