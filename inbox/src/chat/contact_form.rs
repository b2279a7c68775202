//! The contact panel's form: the contact as the agent edits it, and the one `ContactPatch`
//! that turns the stored contact into it. Only what changed is sent, so saving an untouched
//! field never overwrites someone else's edit and workflows see only real changes. Pure, so
//! the diff is tested natively; the edge validates email and phone and its message is shown.

use crate::i18n::Texts;
use std::collections::{BTreeMap, BTreeSet};

use charla_shared::contact::{normalize_tag, Contact, ContactPatch, MAX_TAG_CHARS};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContactForm {
    pub name: String,
    pub email: String,
    pub phone: String,
    pub fields: BTreeMap<String, String>,
    pub tags: BTreeSet<String>,
}

impl ContactForm {
    pub fn from_contact(contact: &Contact) -> Self {
        ContactForm {
            name: contact.name.clone().unwrap_or_default(),
            email: contact.email.clone().unwrap_or_default(),
            phone: contact.phone.clone().unwrap_or_default(),
            fields: contact.fields.clone(),
            tags: contact.tags.clone(),
        }
    }

    /// The patch from `stored` to this form; `None` when nothing changed.
    pub fn patch(&self, stored: &Contact) -> Option<ContactPatch> {
        // Standard fields: absent = keep, "" = clear (the edge's rule).
        let standard = |typed: &str, stored: &Option<String>| {
            let typed = typed.trim();
            (typed != stored.as_deref().unwrap_or_default()).then(|| typed.to_owned())
        };
        let mut fields = BTreeMap::new();
        for (key, value) in &self.fields {
            if stored.fields.get(key) != Some(value) {
                fields.insert(key.clone(), Some(value.trim().to_owned()));
            }
        }
        for key in stored.fields.keys() {
            if !self.fields.contains_key(key) {
                fields.insert(key.clone(), None);
            }
        }
        let patch = ContactPatch {
            name: standard(&self.name, &stored.name),
            email: standard(&self.email, &stored.email),
            phone: standard(&self.phone, &stored.phone),
            fields,
            add_tags: self.tags.difference(&stored.tags).cloned().collect(),
            remove_tags: stored.tags.difference(&self.tags).cloned().collect(),
        };
        (patch != ContactPatch::default()).then_some(patch)
    }

    /// Add or overwrite a custom field. Keys are checked here so the agent learns the rule
    /// before saving; values may be empty.
    pub fn set_field(&mut self, t: &Texts, key: &str, value: &str) -> Result<(), String> {
        let key = key.trim();
        if !is_field_key(key) {
            return Err(t.bad_field_name.to_owned());
        }
        self.fields.insert(key.to_owned(), value.to_owned());
        Ok(())
    }

    pub fn remove_field(&mut self, key: &str) {
        self.fields.remove(key);
    }

    /// Add a tag as the edge stores it (trimmed, lower case).
    pub fn add_tag(&mut self, t: &Texts, tag: &str) -> Result<(), String> {
        let tag = normalize_tag(tag);
        if tag.is_empty() || tag.chars().count() > MAX_TAG_CHARS {
            return Err(t.bad_tag(MAX_TAG_CHARS));
        }
        self.tags.insert(tag);
        Ok(())
    }

    pub fn remove_tag(&mut self, tag: &str) {
        self.tags.remove(tag);
    }
}

/// The edge's rule for custom field keys.
pub fn is_field_key(key: &str) -> bool {
    !key.is_empty()
        && key.len() <= 40
        && key
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        && !matches!(key, "name" | "email" | "phone" | "id" | "first_name")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::EN;

    fn stored() -> Contact {
        let mut c = Contact::new("v_1");
        c.name = Some("Ana".into());
        c.email = Some("ana@example.com".into());
        c.fields.insert("plan".into(), "pro".into());
        c.fields.insert("city".into(), "Lima".into());
        c.tags.insert("vip".into());
        c
    }

    #[test]
    fn an_untouched_form_sends_nothing() {
        let c = stored();
        assert_eq!(ContactForm::from_contact(&c).patch(&c), None);
        let mut padded = ContactForm::from_contact(&c);
        padded.name = " Ana ".into();
        assert_eq!(padded.patch(&c), None, "whitespace is not a change");
    }

    #[test]
    fn only_changes_are_sent() {
        let c = stored();
        let mut form = ContactForm::from_contact(&c);
        form.email = String::new();
        form.phone = "+34 600 111 222".into();
        form.set_field(&EN, "plan", "enterprise").unwrap();
        form.remove_field("city");
        form.set_field(&EN, "account_owner", "lucia@example.com")
            .unwrap();
        form.add_tag(&EN, " Wholesale ").unwrap();
        form.remove_tag("vip");
        let patch = form.patch(&c).unwrap();
        assert_eq!(patch.name, None);
        assert_eq!(patch.email.as_deref(), Some(""), "an emptied field clears");
        assert_eq!(patch.phone.as_deref(), Some("+34 600 111 222"));
        assert_eq!(
            patch.fields,
            BTreeMap::from([
                ("account_owner".into(), Some("lucia@example.com".into())),
                ("city".into(), None),
                ("plan".into(), Some("enterprise".into())),
            ])
        );
        assert_eq!(patch.add_tags, ["wholesale"]);
        assert_eq!(patch.remove_tags, ["vip"]);

        // The edge applies it to exactly the form's contents.
        let mut applied = c.clone();
        applied.apply(&patch, 1).unwrap();
        assert_eq!(applied.email, None);
        assert_eq!(applied.phone.as_deref(), Some("+34600111222"));
        assert_eq!(applied.fields, form.fields);
        assert_eq!(applied.tags, form.tags);
    }

    #[test]
    fn field_keys_and_tags_follow_the_edge_rules() {
        let mut form = ContactForm::default();
        for bad in [
            "",
            "Plan",
            "two words",
            "email",
            "first_name",
            &"k".repeat(41),
        ] {
            assert!(form.set_field(&EN, bad, "x").is_err(), "{bad:?}");
        }
        assert!(form.set_field(&EN, " order_2 ", "").is_ok());
        assert!(form.fields.contains_key("order_2"));
        assert!(form.add_tag(&EN, "   ").is_err());
        assert!(form.add_tag(&EN, &"t".repeat(MAX_TAG_CHARS + 1)).is_err());
        form.add_tag(&EN, "VIP").unwrap();
        form.add_tag(&EN, "vip").unwrap();
        assert_eq!(form.tags.len(), 1);
    }
}
