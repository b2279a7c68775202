use crate::error::ErrorCode;

/// Why the engine refused an input or a value. A refused input leaves the run exactly as it
/// was, so the caller may drop the input (a stale alarm, an answer nobody asked for) or route
/// it elsewhere (a message that is not an answer can still trigger workflows).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WorkflowError {
    #[error(
        "the run belongs to workflow {run_workflow} v{run_version}, not {workflow} v{version}"
    )]
    WrongWorkflow {
        run_workflow: String,
        run_version: u32,
        workflow: String,
        version: u32,
    },
    #[error("the run has already finished")]
    Finished,
    #[error("the run is waiting for {waiting}, not for {input}")]
    UnexpectedInput {
        waiting: &'static str,
        input: &'static str,
    },
    #[error("request refused: {0}")]
    UrlRefused(String),
}

impl WorkflowError {
    pub fn code(&self) -> ErrorCode {
        match self {
            WorkflowError::Finished | WorkflowError::UnexpectedInput { .. } => {
                ErrorCode::BadRequest
            }
            WorkflowError::WrongWorkflow { .. } => ErrorCode::NotFound,
            WorkflowError::UrlRefused(_) => ErrorCode::BadRequest,
        }
    }
}
