//! Contacts: the person behind a visitor. Standard fields (name, email, phone), free custom
//! fields and tags. Owned by the Workspace Durable Object; filled by agents, the pre-chat form,
//! `identify` and workflows. Changes come back as a [`ContactChange`] list because workflows
//! trigger on "contact field updated" / "contact tag updated".

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::basic::Millis;
use crate::error::Error;

/// Most custom fields per contact, and most tags.
pub const MAX_FIELDS: usize = 50;
pub const MAX_TAGS: usize = 50;
/// Longest field value / tag, in characters.
pub const MAX_VALUE_CHARS: usize = 500;
pub const MAX_TAG_CHARS: usize = 40;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    /// The visitor id (`v_…`) the contact was first seen as.
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    /// E.164, e.g. `+34600111222`.
    #[serde(default)]
    pub phone: Option<String>,
    /// Custom fields, keys `[a-z0-9_]{1,40}`.
    #[serde(default)]
    pub fields: BTreeMap<String, String>,
    #[serde(default)]
    pub tags: BTreeSet<String>,
    #[serde(default)]
    pub updated_at: Millis,
}

/// A partial update. Standard fields: absent = keep, `""` = clear. Custom fields: `null`
/// removes the key.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactPatch {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub fields: BTreeMap<String, Option<String>>,
    #[serde(default)]
    pub add_tags: Vec<String>,
    #[serde(default)]
    pub remove_tags: Vec<String>,
}

/// What a patch actually changed (a no-op patch returns nothing, so workflows do not fire).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ContactChange {
    /// `field` is `name`, `email`, `phone` or a custom key.
    Field {
        field: String,
        old: Option<String>,
        new: Option<String>,
    },
    TagAdded {
        tag: String,
    },
    TagRemoved {
        tag: String,
    },
}

impl Contact {
    pub fn new(id: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            ..Self::default()
        }
    }

    /// A field by name, standard ones included, as workflows and templates read it
    /// (`first_name` is the name's first word).
    pub fn field(&self, key: &str) -> Option<&str> {
        match key {
            "name" => self.name.as_deref(),
            "first_name" => self
                .name
                .as_deref()
                .and_then(|n| n.split_whitespace().next()),
            "email" => self.email.as_deref(),
            "phone" => self.phone.as_deref(),
            "id" => Some(&self.id),
            _ => self.fields.get(key).map(String::as_str),
        }
    }

    pub fn has_tag(&self, tag: &str) -> bool {
        self.tags.contains(&normalize_tag(tag))
    }

    /// Validate the whole patch first, then apply it: a refused patch changes nothing.
    pub fn apply(
        &mut self,
        patch: &ContactPatch,
        now: Millis,
    ) -> Result<Vec<ContactChange>, Error> {
        let name = patch.name.as_deref().map(clean_name).transpose()?;
        let email = patch.email.as_deref().map(clean_email).transpose()?;
        let phone = patch.phone.as_deref().map(clean_phone).transpose()?;
        let mut fields = self.fields.clone();
        for (key, value) in &patch.fields {
            check_field_key(key)?;
            match value {
                Some(v) => {
                    fields.insert(key.clone(), clean_value(v)?);
                }
                None => {
                    fields.remove(key);
                }
            }
        }
        if fields.len() > MAX_FIELDS {
            return Err(Error::BadRequest(format!(
                "a contact has at most {MAX_FIELDS} custom fields"
            )));
        }
        let mut tags = self.tags.clone();
        for tag in &patch.add_tags {
            tags.insert(clean_tag(tag)?);
        }
        for tag in &patch.remove_tags {
            tags.remove(&normalize_tag(tag));
        }
        if tags.len() > MAX_TAGS {
            return Err(Error::BadRequest(format!(
                "a contact has at most {MAX_TAGS} tags"
            )));
        }

        let mut changes = Vec::new();
        for (field, slot, new) in [
            ("name", &mut self.name, name),
            ("email", &mut self.email, email),
            ("phone", &mut self.phone, phone),
        ] {
            if let Some(new) = new {
                if *slot != new {
                    changes.push(ContactChange::Field {
                        field: field.to_owned(),
                        old: slot.clone(),
                        new: new.clone(),
                    });
                    *slot = new;
                }
            }
        }
        let keys: BTreeSet<&String> = self.fields.keys().chain(fields.keys()).collect();
        for key in keys {
            let (old, new) = (self.fields.get(key), fields.get(key));
            if old != new {
                changes.push(ContactChange::Field {
                    field: key.clone(),
                    old: old.cloned(),
                    new: new.cloned(),
                });
            }
        }
        for tag in tags.difference(&self.tags) {
            changes.push(ContactChange::TagAdded { tag: tag.clone() });
        }
        for tag in self.tags.difference(&tags) {
            changes.push(ContactChange::TagRemoved { tag: tag.clone() });
        }
        self.fields = fields;
        self.tags = tags;
        if !changes.is_empty() {
            self.updated_at = now;
        }
        Ok(changes)
    }
}

/// Tags compare case-insensitively ("VIP" = "vip").
pub fn normalize_tag(tag: &str) -> String {
    tag.trim().to_lowercase()
}

fn clean_tag(tag: &str) -> Result<String, Error> {
    let tag = normalize_tag(tag);
    if tag.is_empty() || tag.chars().count() > MAX_TAG_CHARS || tag.chars().any(char::is_control) {
        return Err(Error::BadRequest(format!(
            "tags are 1-{MAX_TAG_CHARS} characters"
        )));
    }
    Ok(tag)
}

fn check_field_key(key: &str) -> Result<(), Error> {
    let ok = !key.is_empty()
        && key.len() <= 40
        && key
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        && !matches!(key, "name" | "email" | "phone" | "id" | "first_name");
    if ok {
        Ok(())
    } else {
        Err(Error::BadRequest(format!(
            "custom field {key:?}: keys are 1-40 of a-z, 0-9, _ and not a standard field"
        )))
    }
}

fn clean_value(value: &str) -> Result<String, Error> {
    let value = value.trim();
    if value.chars().count() > MAX_VALUE_CHARS {
        return Err(Error::BadRequest(format!(
            "field values are at most {MAX_VALUE_CHARS} characters"
        )));
    }
    Ok(value.to_owned())
}

fn clean_name(name: &str) -> Result<Option<String>, Error> {
    let name = name.trim();
    if name.chars().count() > 100 || name.chars().any(char::is_control) {
        return Err(Error::BadRequest("name is at most 100 characters".into()));
    }
    Ok((!name.is_empty()).then(|| name.to_owned()))
}

/// `""` clears; otherwise a plausible address (one `@`, a dotted domain, no spaces).
pub fn clean_email(email: &str) -> Result<Option<String>, Error> {
    let email = email.trim();
    if email.is_empty() {
        return Ok(None);
    }
    if is_email(email) {
        Ok(Some(email.to_owned()))
    } else {
        Err(Error::BadRequest(format!(
            "{email:?} is not an email address"
        )))
    }
}

pub fn is_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    email.len() <= 254
        && !local.is_empty()
        && !domain.contains('@')
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
        && domain.contains('.')
        && domain.split('.').all(|label| !label.is_empty())
}

/// `""` clears; otherwise E.164 after removing spaces, dashes, dots and brackets.
pub fn clean_phone(phone: &str) -> Result<Option<String>, Error> {
    let trimmed = phone.trim();
    if trimmed.is_empty() {
        return Ok(None);
    }
    let compact: String = trimmed
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '.' | '(' | ')'))
        .collect();
    if is_e164(&compact) {
        Ok(Some(compact))
    } else {
        Err(Error::BadRequest(format!(
            "{trimmed:?} is not a phone number in international format (+34600111222)"
        )))
    }
}

/// `+` then 8 to 15 digits, the first not 0.
pub fn is_e164(phone: &str) -> bool {
    let Some(digits) = phone.strip_prefix('+') else {
        return false;
    };
    (8..=15).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit())
        && !digits.starts_with('0')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn patch(json: &str) -> ContactPatch {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn apply_reports_exactly_what_changed() {
        let mut c = Contact::new("v_1");
        let changes = c
            .apply(
                &patch(r#"{"name":" Ana García ","email":"ana@example.com","fields":{"plan":"gold"},"add_tags":["VIP"]}"#),
                10,
            )
            .unwrap();
        assert_eq!(changes.len(), 4);
        assert_eq!(c.field("first_name"), Some("Ana"));
        assert_eq!(c.field("plan"), Some("gold"));
        assert!(c.has_tag("vip"));
        assert_eq!(c.updated_at, 10);

        // The same patch again changes nothing and reports nothing.
        let again = c
            .apply(
                &patch(r#"{"name":"Ana García","fields":{"plan":"gold"},"add_tags":["vip"]}"#),
                20,
            )
            .unwrap();
        assert!(again.is_empty());
        assert_eq!(c.updated_at, 10);

        let removed = c
            .apply(
                &patch(r#"{"email":"","fields":{"plan":null},"remove_tags":["Vip"]}"#),
                30,
            )
            .unwrap();
        assert_eq!(
            removed,
            vec![
                ContactChange::Field {
                    field: "email".into(),
                    old: Some("ana@example.com".into()),
                    new: None
                },
                ContactChange::Field {
                    field: "plan".into(),
                    old: Some("gold".into()),
                    new: None
                },
                ContactChange::TagRemoved { tag: "vip".into() },
            ]
        );
    }

    #[test]
    fn a_refused_patch_changes_nothing() {
        let mut c = Contact::new("v_1");
        c.apply(&patch(r#"{"name":"Ana"}"#), 1).unwrap();
        let before = c.clone();
        for bad in [
            r#"{"name":"Bea","email":"not-an-email"}"#,
            r#"{"name":"Bea","phone":"600 111 222"}"#,
            r#"{"fields":{"Bad Key":"x"}}"#,
            r#"{"fields":{"email":"x"}}"#,
            r#"{"add_tags":["  "]}"#,
        ] {
            assert!(c.apply(&patch(bad), 2).is_err(), "{bad}");
            assert_eq!(c, before, "{bad}");
        }
    }

    #[test]
    fn email_and_phone_validation() {
        for ok in ["a@b.co", "first.last+tag@sub.example.org"] {
            assert!(is_email(ok), "{ok}");
        }
        for bad in ["", "a@b", "a b@c.com", "@b.com", "a@@b.com", "a@b..com"] {
            assert!(!is_email(bad), "{bad}");
        }
        assert_eq!(
            clean_phone(" +34 600-111.222 ").unwrap(),
            Some("+34600111222".into())
        );
        for bad in [
            "600111222",
            "+0600111222",
            "+34",
            "+34600111222333444",
            "+34abc11122",
        ] {
            assert!(clean_phone(bad).is_err(), "{bad}");
        }
    }
}
