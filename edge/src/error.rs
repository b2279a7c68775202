use charla_shared::protocol::ErrorBody;
use charla_shared::ErrorCode;
use worker::Response;

/// The edge's one error type. Every variant becomes a JSON `ErrorBody` with a stable code, so
/// clients never have to parse prose and internal details never leak.
#[derive(Debug, thiserror::Error)]
pub enum EdgeError {
    #[error("{0}")]
    BadRequest(String),
    /// A 400 with itemised problems (`details`), e.g. a workflow's validation errors.
    #[error("{message}")]
    Invalid {
        message: String,
        details: Vec<serde_json::Value>,
    },
    #[error("missing or invalid credentials")]
    Unauthorized,
    /// A 401 that tells the person why (a used reset link, a deactivated account).
    #[error("{0}")]
    SignedOut(String),
    #[error("{0}")]
    Forbidden(String),
    /// A 403 from the REST API: the key lacks this scope (named in `details`).
    #[error("this API key lacks the scope {}", .0.as_str())]
    MissingScope(charla_shared::api_keys::Scope),
    #[error("{0}")]
    NotFound(String),
    /// 429 with `Retry-After: retry_after` (seconds); nothing was done.
    #[error("{message}")]
    RateLimited { message: String, retry_after: u64 },
    /// A refusal with its own code and status, e.g. a file over the limit (413,
    /// `file_too_large`) or of a type the workspace refuses (415, `file_type_not_allowed`).
    #[error("{message}")]
    Refused {
        status: u16,
        code: ErrorCode,
        message: String,
    },
    #[error("server misconfigured: {0}")]
    Config(String),
    #[error("internal error")]
    Worker(#[from] worker::Error),
    #[error("internal error")]
    Json(#[from] serde_json::Error),
}

pub type Result<T> = std::result::Result<T, EdgeError>;

impl From<charla_shared::Error> for EdgeError {
    fn from(err: charla_shared::Error) -> Self {
        match err.code() {
            ErrorCode::Unauthorized => EdgeError::Unauthorized,
            ErrorCode::NotFound => EdgeError::NotFound(err.to_string()),
            code @ (ErrorCode::FileTooLarge
            | ErrorCode::FileTypeNotAllowed
            | ErrorCode::TooManyFiles) => EdgeError::Refused {
                status: match code {
                    ErrorCode::FileTooLarge => 413,
                    ErrorCode::FileTypeNotAllowed => 415,
                    _ => 400,
                },
                code,
                message: err.to_string(),
            },
            _ => EdgeError::BadRequest(err.to_string()),
        }
    }
}

impl EdgeError {
    fn status_and_code(&self) -> (u16, ErrorCode) {
        match self {
            EdgeError::BadRequest(_) | EdgeError::Invalid { .. } => (400, ErrorCode::BadRequest),
            EdgeError::Unauthorized | EdgeError::SignedOut(_) => (401, ErrorCode::Unauthorized),
            EdgeError::Forbidden(_) | EdgeError::MissingScope(_) => (403, ErrorCode::Forbidden),
            EdgeError::NotFound(_) => (404, ErrorCode::NotFound),
            EdgeError::RateLimited { .. } => (429, ErrorCode::RateLimited),
            EdgeError::Refused { status, code, .. } => (*status, *code),
            EdgeError::Config(_) | EdgeError::Worker(_) | EdgeError::Json(_) => {
                (500, ErrorCode::Internal)
            }
        }
    }

    pub fn into_response(self) -> Response {
        let (status, code) = self.status_and_code();
        if status == 500 {
            worker::console_error!("charla edge error: {self:?}");
        }
        let message = self.to_string();
        let retry_after = match &self {
            EdgeError::RateLimited { retry_after, .. } => Some(*retry_after),
            _ => None,
        };
        let details = match self {
            EdgeError::Invalid { details, .. } => details,
            EdgeError::MissingScope(scope) => {
                vec![serde_json::json!({ "missing_scope": scope.as_str() })]
            }
            _ => Vec::new(),
        };
        let body = ErrorBody {
            code,
            message,
            details,
            retry_after,
        };
        let mut resp = Response::from_json(&body)
            .map(|r| r.with_status(status))
            .unwrap_or_else(|_| Response::error("internal error", 500).expect("plain response"));
        if let Some(secs) = retry_after {
            let _ = resp.headers_mut().set("Retry-After", &secs.to_string());
        }
        resp
    }
}
