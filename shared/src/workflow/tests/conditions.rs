//! Every condition operator, on every kind of value.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::*;
use crate::workflow::vars::Scope;

fn eval(condition: &Condition) -> bool {
    let snapshot = snapshot();
    let event = opened();
    let vars: BTreeMap<String, String> = [("score", "42"), ("empty", "")]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    // T0 is Tuesday 2023-11-14, 22:13 UTC.
    condition.eval(&Scope::of(&snapshot, &event, &vars, T0))
}

#[test]
fn every_operator() {
    use Op::*;
    let table: &[(&str, Op, Value, bool)] = &[
        ("contact.first_name", Equals, json!("marta "), true),
        ("contact.first_name", Equals, json!("Ana"), false),
        ("contact.tags", Equals, json!("VIP"), true),
        ("conversation.period", Equals, json!(1), true),
        ("vars.score", Equals, json!("42.0"), true),
        ("conversation.bot_paused", Equals, json!(false), true),
        ("contact.phone", Equals, json!("x"), false),
        ("contact.first_name", NotEquals, json!("Ana"), true),
        ("contact.first_name", NotEquals, json!("MARTA"), false),
        ("contact.phone", NotEquals, json!("x"), true),
        ("contact.name", Contains, json!("LÓPEZ"), true),
        ("contact.tags", Contains, json!("vip"), true),
        ("contact.tags", Contains, json!("vi"), false),
        ("contact.phone", Contains, json!("6"), false),
        ("contact.tags", NotContains, json!("new"), true),
        ("contact.tags", NotContains, json!("vip"), false),
        ("contact.phone", NotContains, json!("6"), true),
        ("contact.email", StartsWith, json!("MARTA@"), true),
        ("contact.email", StartsWith, json!("ana@"), false),
        ("contact.email", EndsWith, json!("example.com"), true),
        ("contact.email", EndsWith, json!("example.org"), false),
        ("contact.plan", OneOf, json!(["silver", "Gold"]), true),
        ("contact.tags", OneOf, json!(["new", "vip"]), true),
        ("now.weekday", OneOf, json!(["sat", "sun"]), false),
        ("contact.plan", NotOneOf, json!(["silver"]), true),
        ("contact.plan", NotOneOf, json!(["gold"]), false),
        ("contact.phone", NotOneOf, json!(["x"]), true),
        ("contact.email", IsSet, json!(null), true),
        ("contact.phone", IsSet, json!(null), false),
        ("contact.tags", IsSet, json!(null), true),
        ("vars.empty", IsSet, json!(null), false),
        ("vars.missing", IsSet, json!(null), false),
        ("contact.phone", IsNotSet, json!(null), true),
        ("contact.email", IsNotSet, json!(null), false),
        ("vars.score", GreaterThan, json!(41), true),
        ("vars.score", GreaterThan, json!(42), false),
        ("now.time", GreaterThan, json!("22:00"), true),
        ("contact.phone", GreaterThan, json!(1), false),
        // Numbers compare as numbers: 42 < 100 although "42" > "100" as text.
        ("vars.score", LessThan, json!(100), true),
        ("now.date", LessThan, json!("2024-01-01"), true),
        ("now.date", LessThan, json!("2023-11-14"), false),
        ("now.time", Between, json!(["22:00", "23:00"]), true),
        ("now.time", Between, json!(["09:00", "17:00"]), false),
        ("vars.score", Between, json!([42, 43]), true),
        ("vars.score", Between, json!([40, 42]), false),
        ("now.hour", Between, json!([22, 24]), true),
        ("agent.online", IsTrue, json!(null), true),
        ("agents.a3.online", IsTrue, json!(null), false),
        ("business_hours.open", IsTrue, json!(null), true),
        ("conversation.assigned", IsTrue, json!(null), true),
        ("agents.a3.online", IsFalse, json!(null), true),
        ("conversation.bot_paused", IsFalse, json!(null), true),
        ("vars.flag", IsFalse, json!(null), true),
        ("agent.at_capacity", IsFalse, json!(null), true),
        ("agents.online_count", Equals, json!(2), true),
        ("teams.support.online_count", GreaterThan, json!(1), true),
        ("teams.billing.online_count", Equals, json!(0), true),
        ("agent.first_name", Equals, json!("ana"), true),
    ];
    for (var, op, value, expected) in table {
        let c = Condition::compare(*var, *op, value.clone());
        assert_eq!(eval(&c), *expected, "{var} {} {value}", op.name());
    }
    let tested: std::collections::BTreeSet<&str> =
        table.iter().map(|(_, op, _, _)| op.name()).collect();
    assert_eq!(tested.len(), Op::ALL.len(), "every operator has rows");
}

#[test]
fn groups_combine() {
    let yes = Condition::test("contact.email", Op::IsSet);
    let no = Condition::test("contact.phone", Op::IsSet);
    let all = |c: Vec<Condition>| Condition::All { conditions: c };
    let any = |c: Vec<Condition>| Condition::Any { conditions: c };
    let not = |c: Condition| Condition::Not {
        condition: Box::new(c),
    };
    for (c, expected) in [
        (all(vec![yes.clone(), yes.clone()]), true),
        (all(vec![yes.clone(), no.clone()]), false),
        (any(vec![no.clone(), yes.clone()]), true),
        (any(vec![no.clone(), no.clone()]), false),
        (not(no.clone()), true),
        (not(all(vec![yes.clone(), not(no.clone())])), false),
    ] {
        assert_eq!(eval(&c), expected, "{c:?}");
    }
}

#[test]
fn condition_json_shape() {
    let c: Condition = serde_json::from_value(json!({
        "type": "any", "conditions": [
            {"type": "compare", "var": "event.source", "op": "equals", "value": "user"},
            {"type": "not", "condition": {"type": "compare", "var": "contact.email", "op": "is_set"}}
        ]
    }))
    .unwrap();
    let back = serde_json::to_value(&c).unwrap();
    assert_eq!(
        back["conditions"][1]["condition"],
        json!({"type": "compare", "var": "contact.email", "op": "is_set"})
    );
}
