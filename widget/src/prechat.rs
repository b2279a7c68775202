//! The pre-chat form's rules on the visitor's side: the same checks the edge makes
//! (`WidgetSettings::prechat_patch`, with `charla_shared::contact`'s email and E.164 rules), so
//! the visitor learns about a typo before anything is sent, and the mapping of the edge's
//! refusal back onto the field it names. Pure: tested natively.

use charla_shared::contact::{is_e164, is_email};
use charla_shared::widget_settings::{PrechatField, PrechatKind};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    Required,
    Email,
    Phone,
}

/// The answer typed for `key` (trimmed), empty when the field was left blank.
fn answer<'a>(answers: &'a [(String, String)], key: &str) -> &'a str {
    answers
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.trim())
        .unwrap_or_default()
}

/// `charla_shared::contact::clean_phone`'s test without building its error message (whose
/// `{:?}` formatting would link Unicode escaping tables into the wasm): E.164 once spaces,
/// dashes, dots and brackets are removed. A native test holds the two together.
fn phone_ok(phone: &str) -> bool {
    let compact: String = phone
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '.' | '(' | ')'))
        .collect();
    is_e164(&compact)
}

/// Every problem of the typed answers, in the form's order, one per field at most.
pub fn check(fields: &[PrechatField], answers: &[(String, String)]) -> Vec<(String, Problem)> {
    fields
        .iter()
        .filter_map(|f| {
            let value = answer(answers, &f.key);
            let problem = if value.is_empty() {
                f.required.then_some(Problem::Required)?
            } else {
                match f.kind {
                    // `clean_email`'s test, on the trimmed answer.
                    PrechatKind::Email if !is_email(value) => Problem::Email,
                    PrechatKind::Phone if !phone_ok(value) => Problem::Phone,
                    _ => return None,
                }
            };
            Some((f.key.clone(), problem))
        })
        .collect()
}

/// The edge's 400 message, pinned on a field where it names one (`"{label} is required"`, an
/// invalid email or phone); `None` leaves it for the form as a whole.
pub fn server_problem(fields: &[PrechatField], message: &str) -> Option<(String, Problem)> {
    // Prefix and suffix tests only: substring search would cost the wasm a searcher.
    let of_kind = |kind: PrechatKind| fields.iter().find(|f| f.kind == kind);
    let (field, problem) = if let Some(label) = message.strip_suffix(" is required") {
        (fields.iter().find(|f| f.label == label)?, Problem::Required)
    } else if message.ends_with(" is not an email address") {
        (of_kind(PrechatKind::Email)?, Problem::Email)
    } else if message.ends_with(" in international format (+34600111222)") {
        (of_kind(PrechatKind::Phone)?, Problem::Phone)
    } else {
        return None;
    };
    Some((field.key.clone(), problem))
}

/// `POST /v1/widget/prechat`'s body: `{"answers": {key: value}}`, blank answers left out.
/// Written by hand: a map would link a sort for a handful of keys the form keeps unique.
pub fn body(answers: &[(String, String)]) -> String {
    crate::wire::prechat_body(
        answers
            .iter()
            .map(|(k, v)| (k.as_str(), v.trim()))
            .filter(|(_, v)| !v.is_empty()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(key: &str, label: &str, kind: PrechatKind, required: bool) -> PrechatField {
        PrechatField {
            key: key.into(),
            label: label.into(),
            kind,
            required,
        }
    }

    fn form() -> Vec<PrechatField> {
        vec![
            field("name", "Nombre", PrechatKind::Name, true),
            field("email", "Email", PrechatKind::Email, true),
            field("phone", "Teléfono", PrechatKind::Phone, false),
            field("order", "Pedido", PrechatKind::Text, false),
        ]
    }

    fn answers(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn the_same_rules_as_the_edge() {
        let ok = answers(&[
            ("name", " Ana "),
            ("email", "ana@example.com"),
            ("phone", "+34 600-111-222"),
            ("order", ""),
        ]);
        assert_eq!(check(&form(), &ok), vec![]);
        let bad = answers(&[
            ("name", "  "),
            ("email", "ana@example"),
            ("phone", "600111222"),
        ]);
        assert_eq!(
            check(&form(), &bad),
            vec![
                ("name".into(), Problem::Required),
                ("email".into(), Problem::Email),
                ("phone".into(), Problem::Phone),
            ]
        );
        // E.164: '+', 8-15 digits, not starting with 0.
        for (phone, good) in [
            ("+34600111222", true),
            ("+(34) 600.111.222", true),
            ("+0600111222", false),
            ("+1234567", false),
            ("+1234567890123456", false),
            ("+34 600 11x 222", false),
        ] {
            let a = answers(&[("name", "A"), ("email", "a@b.co"), ("phone", phone)]);
            assert_eq!(check(&form(), &a).is_empty(), good, "{phone}");
        }
        // An optional email left blank is fine; a missing answer counts as blank.
        let optional = vec![field("email", "Email", PrechatKind::Email, false)];
        assert_eq!(check(&optional, &[]), vec![]);
    }

    #[test]
    fn phone_and_email_checks_are_the_contact_rules() {
        use charla_shared::contact::{clean_email, clean_phone};
        for v in [
            "+34600111222",
            "+34 600-111-222",
            "+(34) 600.111.222",
            "+34_600111222",
            "0034600111222",
            "+0600111222",
            "+1234567",
            "+123456789012345",
            "+1234567890123456",
            "+34 600 11x 222",
            "+",
        ] {
            assert_eq!(phone_ok(v), clean_phone(v).is_ok(), "{v}");
        }
        for v in [
            "ana@example.com",
            "ana@example",
            "a b@c.de",
            "@c.de",
            "a@@c.de",
            "a@c..de",
        ] {
            assert_eq!(is_email(v), clean_email(v).is_ok(), "{v}");
        }
    }

    #[test]
    fn server_messages_land_on_their_field() {
        let f = form();
        assert_eq!(
            server_problem(&f, "Email is required"),
            Some(("email".into(), Problem::Required))
        );
        assert_eq!(
            server_problem(&f, "\"x@y\" is not an email address"),
            Some(("email".into(), Problem::Email))
        );
        assert_eq!(
            server_problem(
                &f,
                "\"12\" is not a phone number in international format (+34600111222)"
            ),
            Some(("phone".into(), Problem::Phone))
        );
        assert_eq!(
            server_problem(&f, "this workspace has no pre-chat form"),
            None
        );
        assert_eq!(server_problem(&f, "Apellido is required"), None);
    }

    #[test]
    fn body_leaves_blank_answers_out() {
        let b = body(&answers(&[
            ("name", " Ana \"A\" "),
            ("phone", " "),
            ("order", "7"),
        ]));
        assert_eq!(b, r#"{"answers":{"name":"Ana \"A\"","order":"7"}}"#);
        assert_eq!(body(&[]), r#"{"answers":{}}"#);
    }
}
