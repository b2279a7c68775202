//! `{{variables}}` in texts.

use std::collections::BTreeMap;

use super::*;
use crate::workflow::render::{check, render, Escape};
use crate::workflow::trigger::Trigger;
use crate::workflow::vars::Scope;

fn out(template: &str, escape: Escape) -> String {
    let snapshot = snapshot();
    let event = Event::contact_message("a \"quoted\" & tricky\nline", true);
    let vars: BTreeMap<String, String> = [("n", "3"), ("blank", "")]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    render(template, &Scope::of(&snapshot, &event, &vars, T0), escape)
}

#[test]
fn rendering() {
    use Escape::*;
    let table = [
        ("Hi {{contact.first_name}}!", Plain, "Hi Marta!"),
        ("Hi {{ contact.first_name }}!", Plain, "Hi Marta!"),
        ("{{contact.phone|there}}", Plain, "there"),
        ("{{ vars.blank | none yet }}", Plain, "none yet"),
        (
            "Hola {{contact.phone | \"cliente\"}}",
            Plain,
            "Hola cliente",
        ),
        ("{{contact.phone|\" a b \"}}.", Plain, " a b ."),
        ("{{contact.phone | \"}}", Plain, "\""),
        ("{{contact.first_name | \"cliente\"}}", Plain, "Marta"),
        ("{{vars.missing}}|", Plain, "|"),
        (
            "{{vars.n}} {{conversation.period}} {{agent.online}}",
            Plain,
            "3 1 true",
        ),
        ("{{contact.tags}}", Plain, "vip"),
        (
            "{{now.date}} {{now.time}} {{now.weekday}}",
            Plain,
            "2023-11-14 22:13 tue",
        ),
        (
            "{{event.source}}: {{event.text}}",
            Plain,
            "contact: a \"quoted\" & tricky\nline",
        ),
        (
            "not {closed}} {{ never closed",
            Plain,
            "not {closed}} {{ never closed",
        ),
        (
            "q={{event.text}}",
            Url,
            "q=a%20%22quoted%22%20%26%20tricky%0Aline",
        ),
        (
            "{\"t\":\"{{event.text}}\"}",
            Json,
            "{\"t\":\"a \\\"quoted\\\" & tricky\\nline\"}",
        ),
        ("x-{{event.text}}", Header, "x-a \"quoted\" & trickyline"),
        ("{{contact.name}}", Url, "Marta%20L%C3%B3pez"),
    ];
    for (template, escape, expected) in table {
        assert_eq!(out(template, escape), expected, "{template}");
    }
}

#[test]
fn checking() {
    let trigger = Trigger::ContactMessage {
        first_in_period_only: false,
    };
    assert_eq!(
        check("{{contact.email}} {{event.text|x}}", &trigger),
        Ok(vec!["contact.email".to_owned(), "event.text".to_owned()])
    );
    for bad in [
        "{{",
        "a {{b",
        "{{ }}",
        "{{nope}}",
        "{{contact.Bad}}",
        "{{event.tag}}",
    ] {
        assert!(check(bad, &trigger).is_err(), "{bad}");
    }
}

#[test]
fn agent_texts_read_the_contact_and_the_sending_agent() {
    use crate::workflow::render_agent_text;
    let contact = snapshot().contact;
    let table = [
        (
            "Hola {{contact.first_name | \"cliente\"}}, soy {{agent.name}}",
            "Hola Marta, soy Ana Ruiz",
        ),
        ("{{agent.first_name}} / {{agent.id}}", "Ana / a_1"),
        ("{{contact.phone | \"sin teléfono\"}}", "sin teléfono"),
        ("{{contact.tags}}", "vip"),
        ("{{event.text | x}}", "x"),
    ];
    for (template, expected) in table {
        assert_eq!(
            render_agent_text(template, &contact, "a_1", "Ana Ruiz"),
            expected,
            "{template}"
        );
    }
    let nameless = Contact::new("v_1");
    assert_eq!(
        render_agent_text(
            "Hola {{contact.first_name | \"cliente\"}}",
            &nameless,
            "a_1",
            "Ana"
        ),
        "Hola cliente"
    );
}

#[test]
fn agent_texts_refuse_what_the_inbox_cannot_know() {
    use crate::workflow::check_agent_text;
    for good in [
        "plain",
        "{{contact.first_name | \"cliente\"}} {{contact.fields.plan}} {{agent.name}}",
        "{{contact.email}} {{contact.tags}} {{agent.first_name}}",
    ] {
        assert_eq!(check_agent_text(good), Ok(()), "{good}");
    }
    for bad in [
        "{{",
        "{{ }}",
        "{{event.text}}",
        "{{vars.plan}}",
        "{{now.time}}",
        "{{conversation.id}}",
        "{{agent.online}}",
        "{{contact.Bad}}",
        "{{nope}}",
    ] {
        assert!(check_agent_text(bad).is_err(), "{bad}");
    }
}

#[test]
fn a_message_with_files_names_them() {
    let snapshot = snapshot();
    let vars = BTreeMap::new();
    let with = |types: Vec<String>| {
        let event = Event::contact_message("", false).with_attachment_types(types);
        render(
            "{{event.attachments}} [{{event.attachment_types}}]",
            &Scope::of(&snapshot, &event, &vars, T0),
            Escape::Plain,
        )
    };
    assert_eq!(with(Vec::new()), "0 []");
    assert_eq!(
        with(vec!["image/png".into(), "application/pdf".into()]),
        "2 [image/png, application/pdf]"
    );
}
