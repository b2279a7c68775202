//! Business-hours variables in messages, read from the workspace schedule.

use serde_json::json;

use super::*;
use crate::schedule::tests::{at, madrid};

#[test]
fn variables_for_messages() {
    let mut s = snapshot();
    s.business_hours = Some(madrid());
    let w = steps(json!([{"id": "m", "type": "send_message",
        "text": "{{business_hours.open}} {{business_hours.next_open}} | {{business_hours.next_open_day}} {{business_hours.next_open_time}}"}]));
    let now = at(2024, 3, 29, 16, 0);
    let effects = Engine::default()
        .start(&w, &opened(), &s, now)
        .unwrap()
        .effects;
    assert_eq!(texts(&effects), ["false 2024-03-30 22:00 | Saturday 22:00"]);
}
