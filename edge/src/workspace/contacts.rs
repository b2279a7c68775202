//! Contacts in the Workspace DO: the person behind each visitor (standard fields, custom fields,
//! tags; rules in `charla_shared::contact`). An agent reaches a contact only through a
//! conversation they may see, so access levels cover contacts too.

use charla_shared::contact::{Contact, ContactChange, ContactPatch};
use charla_shared::lifecycle::Source;
use charla_shared::protocol::ConversationSummary;
use charla_shared::search::{contact_text, IndexBatch, IndexDoc};
use serde::Deserialize;

use super::agents::Viewer;
use super::store::Workspace;
use crate::error::{EdgeError, Result};
use crate::ids::now_millis;
use crate::internal::conversation::{self, ContactOffered, ConversationCall};
use crate::internal::workspace::{ContactPage, CreatedContact, PatchedContact};

/// Most contacts one REST page carries.
const MAX_CONTACT_PAGE: u32 = 200;

/// Display names kept in memory (see `Workspace::names`); beyond it the cache starts over.
const NAMES_KEPT: usize = 10_000;

#[derive(Deserialize)]
struct ContactRow {
    data: String,
}

#[derive(Deserialize)]
struct IdRow {
    id: String,
}

#[derive(Deserialize)]
struct AssigneeRow {
    assignee_id: Option<String>,
}

impl Workspace {
    pub(super) fn stored_contact(&self, id: &str) -> Result<Option<Contact>> {
        let rows: Vec<ContactRow> = self
            .sql()
            .exec("SELECT data FROM contacts WHERE id = ?", vec![id.into()])?
            .to_array()?;
        rows.into_iter()
            .next()
            .map(|r| serde_json::from_str(&r.data).map_err(EdgeError::from))
            .transpose()
    }

    /// 404 for a contact with no conversation here; 403 when none of its conversations is
    /// visible to the viewer.
    fn check_contact_access(&self, viewer: &Viewer, id: &str) -> Result<()> {
        let rows: Vec<AssigneeRow> = self
            .sql()
            .exec(
                "SELECT assignee_id FROM conversations WHERE contact_id = ?",
                vec![id.into()],
            )?
            .to_array()?;
        if rows.is_empty() {
            return Err(EdgeError::NotFound("unknown contact".into()));
        }
        if rows.iter().any(|r| viewer.sees(r.assignee_id.as_deref())) {
            Ok(())
        } else {
            Err(EdgeError::Forbidden(
                "this contact's conversations are assigned to someone else".into(),
            ))
        }
    }

    pub(super) fn contact_for(&self, viewer: &Viewer, id: &str) -> Result<Contact> {
        self.check_contact_access(viewer, id)?;
        Ok(self.stored_contact(id)?.unwrap_or_else(|| Contact::new(id)))
    }

    /// A contact the workspace knows (it has a conversation here, or a stored record), for the
    /// REST API, whose keys see every contact; 404 otherwise.
    pub(super) fn known_contact(&self, id: &str) -> Result<Contact> {
        if let Some(contact) = self.stored_contact(id)? {
            return Ok(contact);
        }
        if self.latest_conversation_of(id)?.is_some() {
            return Ok(Contact::new(id));
        }
        Err(EdgeError::NotFound("unknown contact".into()))
    }

    /// Contacts in id order after `after`, at most `limit`; with `query`, those whose name,
    /// email or phone contains it (case-insensitive). The cursor is the last id given.
    pub(super) fn contact_page(
        &self,
        after: Option<&str>,
        limit: u32,
        query: Option<&str>,
    ) -> Result<ContactPage> {
        let limit = limit.clamp(1, MAX_CONTACT_PAGE);
        let after = after.unwrap_or_default();
        let ids: Vec<IdRow> = match query.map(str::trim).filter(|q| !q.is_empty()) {
            Some(q) => {
                let pattern = format!("%{}%", like_escaped(&q.to_lowercase()));
                self.sql()
                    .exec(
                        "SELECT id FROM contacts WHERE id > ?1 AND (
                           lower(coalesce(json_extract(data, '$.name'), '')) LIKE ?2 ESCAPE '\\'
                           OR lower(coalesce(json_extract(data, '$.email'), '')) LIKE ?2 ESCAPE '\\'
                           OR coalesce(json_extract(data, '$.phone'), '') LIKE ?2 ESCAPE '\\')
                         ORDER BY id LIMIT ?3",
                        vec![after.into(), pattern.into(), (limit as i64 + 1).into()],
                    )?
                    .to_array()?
            }
            None => self
                .sql()
                .exec(
                    "SELECT id FROM (SELECT contact_id AS id FROM conversations
                                     UNION SELECT id FROM contacts)
                     WHERE id > ? ORDER BY id LIMIT ?",
                    vec![after.into(), (limit as i64 + 1).into()],
                )?
                .to_array()?,
        };
        let more = ids.len() > limit as usize;
        let contacts = ids
            .into_iter()
            .take(limit as usize)
            .map(|row| {
                Ok(self
                    .stored_contact(&row.id)?
                    .unwrap_or_else(|| Contact::new(&row.id)))
            })
            .collect::<Result<Vec<Contact>>>()?;
        let next = more
            .then(|| contacts.last().map(|c| c.id.clone()))
            .flatten();
        Ok(ContactPage { contacts, next })
    }

    /// A contact made through the REST API from `patch` (it must name, email or phone
    /// someone). An idempotency key this API key used before answers what it made then.
    pub(super) fn api_create_contact(
        &self,
        key_id: &str,
        contact_id: &str,
        idempotency_key: Option<&str>,
        patch: &ContactPatch,
    ) -> Result<CreatedContact> {
        #[derive(Deserialize)]
        struct MadeRow {
            made_id: String,
        }
        if let Some(idem) = idempotency_key {
            let rows: Vec<MadeRow> = self
                .sql()
                .exec(
                    "SELECT made_id FROM api_idempotency WHERE key_id = ? AND idempotency_key = ?",
                    vec![key_id.into(), idem.into()],
                )?
                .to_array()?;
            if let Some(row) = rows.into_iter().next() {
                let contact = self
                    .stored_contact(&row.made_id)?
                    .unwrap_or_else(|| Contact::new(&row.made_id));
                return Ok(CreatedContact {
                    contact,
                    created: false,
                });
            }
        }
        let names_someone = [&patch.name, &patch.email, &patch.phone]
            .iter()
            .any(|v| v.as_deref().is_some_and(|v| !v.trim().is_empty()));
        if !names_someone {
            return Err(EdgeError::BadRequest(
                "a new contact needs a name, an email or a phone".into(),
            ));
        }
        if self.stored_contact(contact_id)?.is_some() {
            return Err(EdgeError::BadRequest("that contact id is taken".into()));
        }
        let made = self.write_contact_patch(contact_id, patch)?;
        if let Some(workspace_id) = self.known.borrow().clone() {
            self.emit_contact(&workspace_id, &made.contact, true, &made.changes);
        }
        if let Some(idem) = idempotency_key {
            self.sql().exec(
                "INSERT INTO api_idempotency (key_id, idempotency_key, made_id, created_at)
                 VALUES (?, ?, ?, ?)",
                vec![
                    key_id.into(),
                    idem.into(),
                    contact_id.into(),
                    now_millis().into(),
                ],
            )?;
        }
        Ok(CreatedContact {
            contact: made.contact,
            created: true,
        })
    }

    /// Forget a contact whose conversations were deleted already.
    pub(super) fn contact_deleted(&self, contact_id: &str) -> Result<()> {
        for statement in [
            "DELETE FROM contacts WHERE id = ?",
            "DELETE FROM identities WHERE visitor_id = ?",
            "DELETE FROM api_idempotency WHERE made_id = ?",
        ] {
            self.sql().exec(statement, vec![contact_id.into()])?;
        }
        self.names.borrow_mut().remove(contact_id);
        Ok(())
    }

    /// Apply a patch (validated whole by the core) and re-push the inbox lines whose display
    /// name changed.
    pub(super) fn patch_contact(
        &self,
        viewer: &Viewer,
        id: &str,
        patch: &ContactPatch,
    ) -> Result<PatchedContact> {
        self.check_contact_access(viewer, id)?;
        self.apply_contact_patch(id, patch)
    }

    /// Apply a patch to a contact, whoever asked (callers check access first), and tell the
    /// webhooks that hear `contact.updated`.
    pub(super) fn apply_contact_patch(
        &self,
        id: &str,
        patch: &ContactPatch,
    ) -> Result<PatchedContact> {
        let patched = self.write_contact_patch(id, patch)?;
        if let Some(workspace_id) = self.known.borrow().clone() {
            self.emit_contact(&workspace_id, &patched.contact, false, &patched.changes);
        }
        Ok(patched)
    }

    fn write_contact_patch(&self, id: &str, patch: &ContactPatch) -> Result<PatchedContact> {
        let mut contact = self.stored_contact(id)?.unwrap_or_else(|| Contact::new(id));
        let changes = contact.apply(patch, now_millis())?;
        if !changes.is_empty() {
            self.names.borrow_mut().remove(id);
            self.sql().exec(
                "INSERT INTO contacts (id, name, data, updated_at) VALUES (?, ?, ?, ?)
                 ON CONFLICT (id) DO UPDATE SET name = excluded.name, data = excluded.data,
                   updated_at = excluded.updated_at",
                vec![
                    id.into(),
                    contact.name.clone().into(),
                    serde_json::to_string(&contact)?.into(),
                    contact.updated_at.into(),
                ],
            )?;
            let renamed = changes
                .iter()
                .any(|c| matches!(c, ContactChange::Field { field, .. } if field == "name"));
            let findable = changes.iter().any(|c| {
                matches!(c, ContactChange::Field { field, .. } if ["name", "email", "phone"].contains(&field.as_str()))
            });
            if findable {
                self.index_contact(&contact);
            }
            if renamed {
                for summary in self.summaries_of_contact(id)? {
                    self.push_summary(&summary)?;
                }
            }
        }
        Ok(PatchedContact { contact, changes })
    }

    /// Tell the contact's conversation what changed, so "contact field/tag updated" workflows
    /// can run there: `conversation_id` when the caller knows it (the visitor's own), else the
    /// contact's most recent one. Best effort: a failure is logged, the change stands.
    pub(super) async fn notify_contact_changes(
        &self,
        workspace_id: &str,
        contact_id: &str,
        conversation_id: Option<&str>,
        changes: &[ContactChange],
        source: Source,
    ) {
        if changes.is_empty() {
            return;
        }
        let target = match conversation_id {
            Some(id) => Some(id.to_owned()),
            None => self.latest_conversation_of(contact_id).ok().flatten(),
        };
        let Some(conversation_id) = target else {
            return;
        };
        let call = ConversationCall::ContactChanged {
            changes: changes.to_vec(),
            source,
        };
        let sent =
            conversation::ask::<ContactOffered>(&self.env, workspace_id, &conversation_id, &call)
                .await;
        if let Err(err) = sent {
            worker::console_log!("contact change not offered to workflows: {err}");
        }
    }

    /// The contact's most recently active conversation in the inbox index.
    pub(super) fn latest_conversation_of(&self, contact_id: &str) -> Result<Option<String>> {
        let rows: Vec<IdRow> = self
            .sql()
            .exec(
                "SELECT id FROM conversations WHERE contact_id = ? ORDER BY last_at DESC LIMIT 1",
                vec![contact_id.into()],
            )?
            .to_array()?;
        Ok(rows.into_iter().next().map(|r| r.id))
    }

    /// The name agents gave the contact, which wins over the visitor's generated label.
    pub(super) fn display_name(&self, s: &ConversationSummary) -> Result<Option<String>> {
        self.contact_display_name(&s.contact_id)
    }

    pub(super) fn contact_display_name(&self, contact_id: &str) -> Result<Option<String>> {
        #[derive(Deserialize)]
        struct NameRow {
            name: Option<String>,
        }
        if let Some(known) = self.names.borrow().get(contact_id) {
            return Ok(known.clone());
        }
        let rows: Vec<NameRow> = self
            .sql()
            .exec(
                "SELECT name FROM contacts WHERE id = ?",
                vec![contact_id.into()],
            )?
            .to_array()?;
        let name = rows.into_iter().next().and_then(|r| r.name);
        let mut names = self.names.borrow_mut();
        if names.len() >= NAMES_KEPT {
            names.clear();
        }
        names.insert(contact_id.to_owned(), name.clone());
        Ok(name)
    }

    /// Give the search index the contact's name, email and phone (through `SEARCH_QUEUE`,
    /// beside this request; a failed send leaves the old text until the next change).
    fn index_contact(&self, contact: &Contact) {
        let Some(workspace_id) = self.known.borrow().clone() else {
            return;
        };
        let batch = IndexBatch {
            workspace_id,
            docs: vec![IndexDoc::Contact {
                contact_id: contact.id.clone(),
                text: contact_text(
                    contact.name.as_deref().unwrap_or_default(),
                    contact.email.as_deref(),
                    contact.phone.as_deref(),
                ),
                at: contact.updated_at,
            }],
            wake: Vec::new(),
        };
        let env = self.env.clone();
        self.state.wait_until(async move {
            let sent = match (env.queue("SEARCH_QUEUE"), serde_json::to_string(&batch)) {
                (Ok(queue), Ok(body)) => queue.send(body).await.map_err(|e| e.to_string()),
                (Err(e), _) => Err(e.to_string()),
                (_, Err(e)) => Err(e.to_string()),
            };
            if let Err(err) = sent {
                worker::console_error!("contact not indexed for search: {err}");
            }
        });
    }
}

/// `text` with LIKE's wildcards (and the escape character) escaped by `\`.
fn like_escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
