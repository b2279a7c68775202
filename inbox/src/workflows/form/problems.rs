//! What is wrong with a workflow, on one step or on the whole: the form's own checks and the
//! server's itemised answer, grouped for display.

use std::collections::BTreeMap;

use charla_shared::workflow::{Part, ProblemKind};
use serde_json::Value;

use crate::workflows::i18n::WorkflowTexts;

/// A problem to show: on a step (by its id) or on the workflow as a whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub step_id: Option<String>,
    pub message: String,
}

impl Problem {
    pub(super) fn step(id: &str, message: impl Into<String>) -> Self {
        Problem {
            step_id: Some(id.to_owned()),
            message: message.into(),
        }
    }

    pub(super) fn general(message: impl Into<String>) -> Self {
        Problem {
            step_id: None,
            message: message.into(),
        }
    }
}

/// The server's itemised problems (`details` of a 400: `[{step_id?, kind, part?, value?,
/// max?, message}]`) worded in `t`'s language from their stable kind, split into those about a
/// step of the form and the rest. Only a kind this build does not know shows the server's
/// English `message`. A step id the form no longer has counts as general, so no problem is
/// ever hidden.
pub fn problems_from_details(
    t: &WorkflowTexts,
    details: &[Value],
    step_ids: &[String],
) -> Vec<Problem> {
    details
        .iter()
        .filter_map(|d| {
            let known = d
                .get("kind")
                .and_then(|k| serde_json::from_value::<ProblemKind>(k.clone()).ok());
            let message = match known {
                Some(kind) => {
                    let part = d
                        .get("part")
                        .and_then(|p| serde_json::from_value::<Part>(p.clone()).ok());
                    let value = d.get("value").and_then(Value::as_str);
                    let max = d.get("max").and_then(Value::as_u64);
                    t.problem(kind, part, value, max)
                }
                None => d.get("message")?.as_str()?.to_owned(),
            };
            let step_id = d
                .get("step_id")
                .and_then(Value::as_str)
                .filter(|id| step_ids.iter().any(|s| s == id))
                .map(str::to_owned);
            Some(Problem { step_id, message })
        })
        .collect()
}

/// Problems grouped for display: general ones, and per step id.
pub fn group_problems(problems: &[Problem]) -> (Vec<String>, BTreeMap<String, Vec<String>>) {
    let mut general = Vec::new();
    let mut by_step: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for p in problems {
        match &p.step_id {
            Some(id) => by_step
                .entry(id.clone())
                .or_default()
                .push(p.message.clone()),
            None => general.push(p.message.clone()),
        }
    }
    (general, by_step)
}
