//! Snippets in the Workspace DO. Who may do what is decided here, with the caller's role as
//! the agents table has it now: workspace snippets are read by everyone and changed by owners
//! and managers; a personal snippet exists only for its owner (to anyone else it is not
//! found, so its id reveals nothing).

use charla_shared::ids::IdKind;
use charla_shared::snippets::{Snippet, SnippetRequest, SnippetScope, MAX_SNIPPETS_PER_SCOPE};
use serde::Deserialize;

use super::agents::Viewer;
use super::schema::{enum_str, parse_enum};
use super::store::Workspace;
use crate::error::{EdgeError, Result};
use crate::ids::{is_valid, new_id, now_millis};

/// The owner column of workspace snippets: one value, so `UNIQUE (owner_id, shortcut)` keeps
/// shortcuts unique per scope (the workspace's, and each agent's own).
const WORKSPACE_OWNER: &str = "";

#[derive(Deserialize)]
struct SnippetRow {
    id: String,
    scope: String,
    owner_id: String,
    shortcut: String,
    text: String,
    updated_at: i64,
}

impl From<SnippetRow> for Snippet {
    fn from(row: SnippetRow) -> Self {
        Snippet {
            id: row.id,
            scope: parse_enum(&row.scope, SnippetScope::Workspace),
            owner_id: (!row.owner_id.is_empty()).then_some(row.owner_id),
            shortcut: row.shortcut,
            text: row.text,
            updated_at: row.updated_at,
        }
    }
}

fn owner_of(viewer: &Viewer, scope: SnippetScope) -> &str {
    match scope {
        SnippetScope::Workspace => WORKSPACE_OWNER,
        SnippetScope::Personal => &viewer.id,
    }
}

/// Whether `viewer` may create, edit or delete a snippet of `scope` they can see.
fn may_change(viewer: &Viewer, scope: SnippetScope) -> Result<()> {
    match scope {
        SnippetScope::Personal => Ok(()),
        SnippetScope::Workspace if viewer.role.can_manage() => Ok(()),
        SnippetScope::Workspace => Err(EdgeError::Forbidden(
            "only owners and managers can change workspace snippets".into(),
        )),
    }
}

impl Workspace {
    /// The workspace's snippets and the viewer's own, by shortcut.
    pub(super) fn snippets(&self, viewer: &Viewer) -> Result<Vec<Snippet>> {
        let rows: Vec<SnippetRow> = self
            .sql()
            .exec(
                "SELECT id, scope, owner_id, shortcut, text, updated_at FROM snippets \
                 WHERE owner_id = ? OR owner_id = ? ORDER BY shortcut, scope",
                vec![WORKSPACE_OWNER.into(), viewer.id.as_str().into()],
            )?
            .to_array()?;
        Ok(rows.into_iter().map(Snippet::from).collect())
    }

    /// A snippet the viewer can see (a malformed id names none and is never looked up).
    fn visible_snippet(&self, viewer: &Viewer, snippet_id: &str) -> Result<Snippet> {
        let unknown = || EdgeError::NotFound("unknown snippet".into());
        if !is_valid(IdKind::Snippet, snippet_id) {
            return Err(unknown());
        }
        let rows: Vec<SnippetRow> = self
            .sql()
            .exec(
                "SELECT id, scope, owner_id, shortcut, text, updated_at FROM snippets \
                 WHERE id = ? AND (owner_id = ? OR owner_id = ?)",
                vec![
                    snippet_id.into(),
                    WORKSPACE_OWNER.into(),
                    viewer.id.as_str().into(),
                ],
            )?
            .to_array()?;
        rows.into_iter()
            .next()
            .map(Snippet::from)
            .ok_or_else(unknown)
    }

    /// Create (`snippet_id: None`) or replace a snippet. Its scope is fixed when it is made.
    pub(super) fn save_snippet(
        &self,
        viewer: &Viewer,
        snippet_id: Option<&str>,
        request: &SnippetRequest,
    ) -> Result<Snippet> {
        let request = request.validated()?;
        may_change(viewer, request.scope)?;
        let owner = owner_of(viewer, request.scope);
        if let Some(id) = snippet_id {
            let existing = self.visible_snippet(viewer, id)?;
            may_change(viewer, existing.scope)?;
            if existing.scope != request.scope {
                return Err(EdgeError::BadRequest(
                    "a snippet's scope cannot change; create a new one".into(),
                ));
            }
        }
        #[derive(Deserialize)]
        struct Count {
            n: i64,
            taken: i64,
        }
        let counts: Vec<Count> = self
            .sql()
            .exec(
                "SELECT COUNT(*) AS n, COALESCE(SUM(shortcut = ? AND id != ?), 0) AS taken \
                 FROM snippets WHERE owner_id = ?",
                vec![
                    request.shortcut.as_str().into(),
                    snippet_id.unwrap_or("").into(),
                    owner.into(),
                ],
            )?
            .to_array()?;
        let (n, taken) = counts.first().map_or((0, 0), |c| (c.n, c.taken));
        if taken > 0 {
            return Err(EdgeError::BadRequest(format!(
                "/{} is already a snippet of this scope",
                request.shortcut
            )));
        }
        let now = now_millis();
        let id = match snippet_id {
            Some(id) => {
                self.sql().exec(
                    "UPDATE snippets SET shortcut = ?, text = ?, updated_at = ? WHERE id = ?",
                    vec![
                        request.shortcut.as_str().into(),
                        request.text.as_str().into(),
                        now.into(),
                        id.into(),
                    ],
                )?;
                id.to_owned()
            }
            None => {
                if n as usize >= MAX_SNIPPETS_PER_SCOPE {
                    return Err(EdgeError::BadRequest(format!(
                        "a scope holds at most {MAX_SNIPPETS_PER_SCOPE} snippets"
                    )));
                }
                let id = new_id(IdKind::Snippet.prefix())?;
                self.sql().exec(
                    "INSERT INTO snippets (id, scope, owner_id, shortcut, text, updated_at) \
                     VALUES (?, ?, ?, ?, ?, ?)",
                    vec![
                        id.as_str().into(),
                        enum_str(&request.scope).into(),
                        owner.into(),
                        request.shortcut.as_str().into(),
                        request.text.as_str().into(),
                        now.into(),
                    ],
                )?;
                id
            }
        };
        Ok(Snippet {
            id,
            shortcut: request.shortcut,
            text: request.text,
            scope: request.scope,
            owner_id: (!owner.is_empty()).then(|| owner.to_owned()),
            updated_at: now,
        })
    }

    pub(super) fn delete_snippet(&self, viewer: &Viewer, snippet_id: &str) -> Result<()> {
        let existing = self.visible_snippet(viewer, snippet_id)?;
        may_change(viewer, existing.scope)?;
        self.sql()
            .exec("DELETE FROM snippets WHERE id = ?", vec![snippet_id.into()])?;
        Ok(())
    }
}
