//! Conditions: trigger conditions and branch arms share one small language.
//!
//! A comparison reads a variable path ([`super::vars`]) and tests it with an operator; `all`,
//! `any` and `not` combine them. Text comparisons ignore case and surrounding spaces, because
//! what they test was mostly typed by people ("VIP", "vip "). There are no regular
//! expressions: they are easy to get wrong in an editor and costly to run.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::trigger::Trigger;
use super::vars::{self, Kind, Scope, Val};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Condition {
    All {
        conditions: Vec<Condition>,
    },
    Any {
        conditions: Vec<Condition>,
    },
    Not {
        condition: Box<Condition>,
    },
    Compare {
        var: String,
        op: Op,
        /// A text, number or boolean; a list for `one_of`, `not_one_of` and `between`
        /// (`[low, high]`); nothing for `is_set`, `is_not_set`, `is_true`, `is_false`.
        #[serde(default, skip_serializing_if = "Value::is_null")]
        value: Value,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    /// On a list (`contact.tags`): has the value.
    Equals,
    /// Also true when unset.
    NotEquals,
    /// Text: has the substring. List: has the item.
    Contains,
    /// Also true when unset.
    NotContains,
    StartsWith,
    EndsWith,
    /// Equal to any of the values (a list: shares an item with them).
    OneOf,
    /// Also true when unset.
    NotOneOf,
    /// Present and not empty.
    IsSet,
    IsNotSet,
    /// Numbers compare as numbers; other texts as texts, which orders "HH:MM" times and
    /// "YYYY-MM-DD" dates correctly.
    GreaterThan,
    LessThan,
    /// `low <= x < high`, so "09:00"–"17:00" and "17:00"–"24:00" do not overlap.
    Between,
    IsTrue,
    /// Also true when unset.
    IsFalse,
}

impl Op {
    pub const ALL: [Op; 15] = [
        Op::Equals,
        Op::NotEquals,
        Op::Contains,
        Op::NotContains,
        Op::StartsWith,
        Op::EndsWith,
        Op::OneOf,
        Op::NotOneOf,
        Op::IsSet,
        Op::IsNotSet,
        Op::GreaterThan,
        Op::LessThan,
        Op::Between,
        Op::IsTrue,
        Op::IsFalse,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Op::Equals => "equals",
            Op::NotEquals => "not_equals",
            Op::Contains => "contains",
            Op::NotContains => "not_contains",
            Op::StartsWith => "starts_with",
            Op::EndsWith => "ends_with",
            Op::OneOf => "one_of",
            Op::NotOneOf => "not_one_of",
            Op::IsSet => "is_set",
            Op::IsNotSet => "is_not_set",
            Op::GreaterThan => "greater_than",
            Op::LessThan => "less_than",
            Op::Between => "between",
            Op::IsTrue => "is_true",
            Op::IsFalse => "is_false",
        }
    }
}

impl Condition {
    pub fn compare(var: impl Into<String>, op: Op, value: impl Into<Value>) -> Self {
        Condition::Compare {
            var: var.into(),
            op,
            value: value.into(),
        }
    }

    /// A comparison that takes no value (`is_set`, `is_true`, …).
    pub fn test(var: impl Into<String>, op: Op) -> Self {
        Condition::compare(var, op, Value::Null)
    }

    pub(crate) fn eval(&self, scope: &Scope<'_>) -> bool {
        match self {
            Condition::All { conditions } => conditions.iter().all(|c| c.eval(scope)),
            Condition::Any { conditions } => conditions.iter().any(|c| c.eval(scope)),
            Condition::Not { condition } => !condition.eval(scope),
            Condition::Compare { var, op, value } => compare(scope.get(var).as_ref(), *op, value),
        }
    }

    /// Problems, in words for the editor. `trigger` decides which `event.*` paths exist.
    pub(crate) fn check(&self, trigger: &Trigger, problems: &mut Vec<String>) {
        match self {
            Condition::All { conditions } | Condition::Any { conditions } => {
                if conditions.is_empty() {
                    problems.push("a group of conditions is empty".into());
                }
                for c in conditions {
                    c.check(trigger, problems);
                }
            }
            Condition::Not { condition } => condition.check(trigger, problems),
            Condition::Compare { var, op, value } => {
                if let Err(problem) = check_compare(var, *op, value, trigger) {
                    problems.push(problem);
                }
            }
        }
    }
}

fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(vars::number_text(n.as_f64()?)),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn fold(text: &str) -> String {
    text.trim().to_lowercase()
}

fn number(text: &str) -> Option<f64> {
    text.trim().parse::<f64>().ok().filter(|n| n.is_finite())
}

fn truthy(val: Option<&Val<'_>>) -> bool {
    match val {
        Some(Val::Bool(b)) => *b,
        Some(Val::Number(n)) => *n != 0.0,
        Some(Val::Text(t)) => matches!(fold(t).as_str(), "true" | "yes" | "1"),
        Some(Val::List(items)) => !items.is_empty(),
        None => false,
    }
}

fn equals(val: &Val<'_>, want: &str) -> bool {
    match val {
        Val::List(items) => items.iter().any(|i| fold(i) == fold(want)),
        Val::Number(n) => number(want) == Some(*n),
        Val::Bool(b) => fold(want) == if *b { "true" } else { "false" },
        Val::Text(t) => match (number(t), number(want)) {
            (Some(a), Some(b)) => a == b,
            _ => fold(t) == fold(want),
        },
    }
}

/// `Some(ordering)` of the value against `bound`; numbers when both are numbers.
fn order(val: &Val<'_>, bound: &str) -> Option<std::cmp::Ordering> {
    let text = val.text();
    match (number(&text), number(bound)) {
        (Some(a), Some(b)) => a.partial_cmp(&b),
        (None, None) => Some(fold(&text).cmp(&fold(bound))),
        _ => None,
    }
}

fn texts(value: &Value) -> Vec<String> {
    match value {
        Value::Array(items) => items.iter().filter_map(scalar_text).collect(),
        other => scalar_text(other).into_iter().collect(),
    }
}

fn compare(val: Option<&Val<'_>>, op: Op, value: &Value) -> bool {
    use std::cmp::Ordering::{Greater, Less};
    let want = || scalar_text(value).unwrap_or_default();
    match op {
        Op::IsSet => val.is_some_and(|v| match v {
            Val::Text(t) => !t.trim().is_empty(),
            Val::List(items) => !items.is_empty(),
            _ => true,
        }),
        Op::IsNotSet => !compare(val, Op::IsSet, value),
        Op::IsTrue => truthy(val),
        Op::IsFalse => !truthy(val),
        Op::Equals => val.is_some_and(|v| equals(v, &want())),
        Op::NotEquals => !compare(val, Op::Equals, value),
        Op::Contains => val.is_some_and(|v| match v {
            Val::List(_) => equals(v, &want()),
            other => fold(&other.text()).contains(&fold(&want())),
        }),
        Op::NotContains => !compare(val, Op::Contains, value),
        Op::StartsWith => val.is_some_and(|v| fold(&v.text()).starts_with(&fold(&want()))),
        Op::EndsWith => val.is_some_and(|v| fold(&v.text()).ends_with(&fold(&want()))),
        Op::OneOf => val.is_some_and(|v| texts(value).iter().any(|w| equals(v, w))),
        Op::NotOneOf => !compare(val, Op::OneOf, value),
        Op::GreaterThan => val.is_some_and(|v| order(v, &want()) == Some(Greater)),
        Op::LessThan => val.is_some_and(|v| order(v, &want()) == Some(Less)),
        Op::Between => match (val, texts(value).as_slice()) {
            (Some(v), [low, high]) => {
                order(v, low).is_some_and(|o| o != Less) && order(v, high) == Some(Less)
            }
            _ => false,
        },
    }
}

fn check_compare(var: &str, op: Op, value: &Value, trigger: &Trigger) -> Result<(), String> {
    let kind = vars::check_path(var, trigger)?;
    let is_scalar = |v: &Value| matches!(v, Value::String(_) | Value::Number(_) | Value::Bool(_));
    let list = |v: &Value| match v {
        Value::Array(items) if items.iter().all(is_scalar) => Some(items.len()),
        _ => None,
    };
    match op {
        Op::IsSet | Op::IsNotSet | Op::IsTrue | Op::IsFalse => {
            if !value.is_null() {
                return Err(format!("{var}: this test takes no value"));
            }
        }
        Op::OneOf | Op::NotOneOf => {
            if list(value).unwrap_or(0) == 0 {
                return Err(format!("{var}: give a list of one or more values"));
            }
        }
        Op::Between => {
            if list(value) != Some(2) {
                return Err(format!("{var}: between takes [low, high]"));
            }
        }
        _ => {
            if !is_scalar(value) || value.as_str().is_some_and(|s| s.trim().is_empty()) {
                return Err(format!("{var}: the value is missing"));
            }
        }
    }
    let misfit = matches!(
        (op, kind),
        (
            Op::IsTrue | Op::IsFalse,
            Kind::Text | Kind::List | Kind::Number
        ) | (
            Op::GreaterThan | Op::LessThan | Op::Between | Op::StartsWith | Op::EndsWith,
            Kind::Bool | Kind::List
        ) | (Op::Contains | Op::NotContains, Kind::Bool | Kind::Number)
    );
    if misfit {
        return Err(format!("{var}: {} does not apply to it", op.name()));
    }
    let compared: Vec<String> = texts(value);
    if let Some(allowed) = vars::allowed_values(var) {
        let exact = matches!(op, Op::Equals | Op::NotEquals | Op::OneOf | Op::NotOneOf);
        if exact {
            if let Some(bad) = compared
                .iter()
                .find(|v| !allowed.contains(&fold(v).as_str()))
            {
                return Err(format!(
                    "{var} is never {bad:?}; it is one of {}",
                    allowed.join(", ")
                ));
            }
        }
    }
    if vars::is_clock_path(var) {
        if let Some(bad) = compared.iter().find(|v| !vars::is_clock(v)) {
            return Err(format!("{var}: {bad:?} is not a time (HH:MM)"));
        }
    }
    Ok(())
}
