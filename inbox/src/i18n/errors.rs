//! What the inbox says when the edge refuses something. The edge's `message` is English prose
//! for logs and API users; the UI speaks from the stable [`ErrorCode`] (and the `reason` of
//! known details), in the agent's language, optionally after what it was doing ("Could not
//! save the team."). A code the table does not know yet reads as a generic failure.

use charla_shared::ErrorCode;

use super::{Lang, Texts};
use crate::api::ApiError;
use crate::chat::thread::Refusal;

impl Texts {
    /// The message for a stable error code. Matched exhaustively: a new code does not build
    /// until both languages say something for it.
    pub fn code(&self, code: ErrorCode) -> &'static str {
        match code {
            ErrorCode::FrameTooLarge => self.err_frame_too_large,
            ErrorCode::MalformedFrame => self.err_malformed,
            ErrorCode::TextTooLong => self.err_text_too_long,
            ErrorCode::EmptyText => self.err_empty_text,
            ErrorCode::InvalidClientId => self.err_client_id,
            ErrorCode::Unauthorized => self.err_unauthorized,
            ErrorCode::Forbidden => self.err_forbidden,
            ErrorCode::NotFound => self.err_not_found,
            ErrorCode::BadRequest => self.err_bad_request,
            ErrorCode::RateLimited => self.err_rate_limited,
            ErrorCode::Internal => self.err_internal,
            ErrorCode::FileTooLarge => self.err_file_too_large,
            ErrorCode::FileTypeNotAllowed => self.err_file_type,
            ErrorCode::TooManyFiles => self.err_too_many_files,
        }
    }

    /// What the conversation says of a refused frame or action.
    pub fn refusal(&self, r: Refusal) -> &'static str {
        match r {
            Refusal::Code(code) => self.code(code),
            Refusal::NotConnected => self.not_connected,
        }
    }

    /// The close dialog's wording: a bad request there is a missing category or summary.
    pub fn close_refusal(&self, r: Refusal) -> &'static str {
        match r {
            Refusal::Code(ErrorCode::BadRequest) => self.close_bad_request,
            r => self.refusal(r),
        }
    }

    /// The message for a failed call, without context.
    pub fn error(&self, e: &ApiError) -> String {
        match e {
            ApiError::Unauthorized { .. } => self.err_unauthorized.to_owned(),
            ApiError::Refused { code, .. } => {
                code.map_or(self.err_unknown, |c| self.code(c)).to_owned()
            }
            ApiError::RateLimited { retry_after } => self.rate_limited(*retry_after),
            ApiError::Network => self.err_network.to_owned(),
            ApiError::Decode => self.err_decode.to_owned(),
        }
    }

    /// "Could not save the team. You don't have permission to do that." `doing` is an
    /// infinitive phrase from a table (`save the team`, `guardar el equipo`).
    pub fn failed_to(&self, doing: &str, e: &ApiError) -> String {
        let reason = self.error(e);
        match self.lang {
            Lang::En => format!("Could not {doing}. {reason}"),
            Lang::Es => format!("No se pudo {doing}. {reason}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{EN, ES};

    /// Every code, with an exhaustive match so a new code fails here too.
    fn all_codes() -> Vec<ErrorCode> {
        let codes = [
            ErrorCode::FrameTooLarge,
            ErrorCode::MalformedFrame,
            ErrorCode::TextTooLong,
            ErrorCode::EmptyText,
            ErrorCode::InvalidClientId,
            ErrorCode::Unauthorized,
            ErrorCode::Forbidden,
            ErrorCode::NotFound,
            ErrorCode::BadRequest,
            ErrorCode::RateLimited,
            ErrorCode::Internal,
            ErrorCode::FileTooLarge,
            ErrorCode::FileTypeNotAllowed,
            ErrorCode::TooManyFiles,
        ];
        for c in codes {
            match c {
                ErrorCode::FrameTooLarge
                | ErrorCode::MalformedFrame
                | ErrorCode::TextTooLong
                | ErrorCode::EmptyText
                | ErrorCode::InvalidClientId
                | ErrorCode::Unauthorized
                | ErrorCode::Forbidden
                | ErrorCode::NotFound
                | ErrorCode::BadRequest
                | ErrorCode::RateLimited
                | ErrorCode::Internal
                | ErrorCode::FileTooLarge
                | ErrorCode::FileTypeNotAllowed
                | ErrorCode::TooManyFiles => {}
            }
        }
        codes.to_vec()
    }

    #[test]
    fn every_code_has_its_own_message_in_both_languages() {
        let mut seen = Vec::new();
        for code in all_codes() {
            let (en, es) = (EN.code(code), ES.code(code));
            assert!(!en.is_empty() && !es.is_empty(), "{code:?}");
            assert_ne!(en, es, "{code:?} untranslated");
            assert!(!seen.contains(&en), "{code:?} shares its message");
            seen.push(en);
        }
    }

    #[test]
    fn refusals_never_show_the_server_text() {
        let refused = |code| ApiError::Refused {
            status: 403,
            code,
            message: "agents may not change settings".into(),
            details: Vec::new(),
        };
        assert_eq!(
            ES.error(&refused(Some(ErrorCode::Forbidden))),
            "No tienes permiso para hacer esto."
        );
        assert_eq!(EN.error(&refused(None)), "Something went wrong. Try again.");
        assert_eq!(
            EN.failed_to("save the team", &refused(Some(ErrorCode::Forbidden))),
            "Could not save the team. You don't have permission to do that."
        );
        assert_eq!(
            ES.failed_to("guardar el equipo", &ApiError::Network),
            "No se pudo guardar el equipo. No se puede conectar con el servidor. Revisa tu conexión e inténtalo de nuevo."
        );
        assert_eq!(
            ES.error(&ApiError::RateLimited { retry_after: 90 }),
            "Demasiadas solicitudes. Inténtalo de nuevo en 2 minutos."
        );
        let expired = ApiError::Unauthorized {
            message: "invalid or expired token".into(),
        };
        assert_eq!(EN.error(&expired), "Your session has ended. Sign in again.");
    }

    #[test]
    fn waits_and_plurals() {
        assert_eq!(EN.wait(0), "1 second");
        assert_eq!(EN.wait(45), "45 seconds");
        assert_eq!(EN.wait(60), "1 minute");
        assert_eq!(EN.wait(61), "2 minutes");
        assert_eq!(ES.wait(1), "1 segundo");
        assert_eq!(ES.wait(30), "30 segundos");
        assert_eq!(ES.wait(900), "15 minutos");
        assert_eq!(EN.unread(3), "3 unread");
        assert_eq!(ES.unread(3), "3 sin leer");
        assert_eq!(EN.results(1), "1 result");
        assert_eq!(ES.results(2), "2 resultados");
        assert_eq!(ES.assigned_to("Ana"), "Asignada a Ana");
        assert_eq!(ES.steps(1), "1 paso");
        assert_eq!(EN.steps(3), "3 steps");
        assert_eq!(
            ES.cannot_see(&["Ana", "Bruno"]),
            "Ana, Bruno no pueden ver esta conversación (está asignada a otra persona). Quita las menciones o reasigna la conversación primero."
        );
        assert_eq!(ES.title_with_unread(2), "(2) Bandeja de Charla");
    }
}
