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
