//! One snippet's form in the snippets settings: what the fields hold and the request they
//! make, checked by the same rules the edge applies (`charla_shared::snippets`), so a mistake
//! shows before the round trip.

use charla_shared::snippets::{Snippet, SnippetRequest, SnippetScope};

use crate::settings::i18n::SettingsTexts;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnippetForm {
    pub shortcut: String,
    pub text: String,
    pub scope: SnippetScope,
}

impl SnippetForm {
    /// A blank form: agents can only make personal snippets, so theirs starts there.
    pub fn blank(can_manage: bool) -> Self {
        SnippetForm {
            shortcut: String::new(),
            text: String::new(),
            scope: if can_manage {
                SnippetScope::Workspace
            } else {
                SnippetScope::Personal
            },
        }
    }

    pub fn of(snippet: &Snippet) -> Self {
        SnippetForm {
            shortcut: snippet.shortcut.clone(),
            text: snippet.text.clone(),
            scope: snippet.scope,
        }
    }

    pub fn request(&self) -> Result<SnippetRequest, String> {
        SnippetRequest {
            shortcut: self.shortcut.trim().trim_start_matches('/').to_owned(),
            text: self.text.clone(),
            scope: self.scope,
        }
        .validated()
        .map_err(|e| e.to_string())
    }
}

/// Whether the signed-in agent may change `snippet` (the edge refuses the rest): their own, and
/// the workspace's if they manage it.
pub fn editable(snippet: &Snippet, can_manage: bool) -> bool {
    snippet.scope == SnippetScope::Personal || can_manage
}

pub fn scope_label(s: &SettingsTexts, scope: SnippetScope) -> &'static str {
    match scope {
        SnippetScope::Workspace => s.scope_workspace,
        SnippetScope::Personal => s.scope_personal,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snippet(scope: SnippetScope) -> Snippet {
        Snippet {
            id: "s_1".into(),
            shortcut: "hola".into(),
            text: "Hola {{contact.first_name}}".into(),
            scope,
            owner_id: None,
            updated_at: 0,
        }
    }

    #[test]
    fn requests_are_checked_as_the_edge_checks_them() {
        let mut form = SnippetForm::blank(true);
        assert_eq!(form.scope, SnippetScope::Workspace);
        assert_eq!(SnippetForm::blank(false).scope, SnippetScope::Personal);
        form.shortcut = " /Hola ".into();
        form.text = " Hola {{contact.first_name | \"cliente\"}} ".into();
        let request = form.request().expect("valid");
        assert_eq!(request.shortcut, "hola");
        assert_eq!(request.text, "Hola {{contact.first_name | \"cliente\"}}");
        form.text = "{{event.text}}".into();
        assert!(form.request().is_err());
        form.text = "x".into();
        form.shortcut = "dos palabras".into();
        assert!(form.request().is_err());
        let back = SnippetForm::of(&snippet(SnippetScope::Personal));
        assert_eq!(back.shortcut, "hola");
        assert_eq!(back.scope, SnippetScope::Personal);
    }

    #[test]
    fn who_edits_what() {
        assert!(editable(&snippet(SnippetScope::Personal), false));
        assert!(!editable(&snippet(SnippetScope::Workspace), false));
        assert!(editable(&snippet(SnippetScope::Workspace), true));
    }
}
