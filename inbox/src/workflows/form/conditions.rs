//! Condition lists as the form shows them: comparison rows, all/any groups of rows, and JSON
//! for what rows cannot show (`not`, groups inside groups); trigger conditions and branch arms
//! are edited the same way.

use crate::workflows::i18n::{wt, wt_untracked};
use charla_shared::workflow::{Condition, Op};
use serde_json::Value;

use super::WorkflowForm;

/// Comparison operators, in the order the select lists them.
pub const OPS: [Op; 15] = [
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
/// An operator in words, in the current language (tracked).
pub fn op_label(op: Op) -> &'static str {
    let t = wt();
    match op {
        Op::Equals => t.op_equals,
        Op::NotEquals => t.op_not_equals,
        Op::Contains => t.op_contains,
        Op::NotContains => t.op_not_contains,
        Op::StartsWith => t.op_starts_with,
        Op::EndsWith => t.op_ends_with,
        Op::OneOf => t.op_one_of,
        Op::NotOneOf => t.op_not_one_of,
        Op::IsSet => t.op_is_set,
        Op::IsNotSet => t.op_is_not_set,
        Op::GreaterThan => t.op_greater,
        Op::LessThan => t.op_less,
        Op::Between => t.op_between,
        Op::IsTrue => t.op_is_true,
        Op::IsFalse => t.op_is_false,
    }
}

pub fn parse_op(name: &str) -> Option<Op> {
    Op::ALL.into_iter().find(|op| op.name() == name)
}

/// Whether an operator takes a value, and what kind of value the field should hint at.
pub fn op_value_hint(op: Op) -> Option<&'static str> {
    match op {
        Op::IsSet | Op::IsNotSet | Op::IsTrue | Op::IsFalse => None,
        Op::OneOf | Op::NotOneOf => Some(wt().hint_values),
        Op::Between => Some(wt().hint_between),
        _ => Some(wt().hint_value),
    }
}
/// One comparison row: `var op value`, the value as typed.
#[derive(Debug, Clone, PartialEq)]
pub struct CompareRow {
    pub key: u32,
    pub var: String,
    pub op: Op,
    pub value: String,
}

/// One line of a condition list: a comparison, a group of comparisons (all/any), or JSON for
/// what rows cannot show.
#[derive(Debug, Clone, PartialEq)]
pub enum CondNode {
    Compare(CompareRow),
    Group {
        key: u32,
        any: bool,
        rows: Vec<CompareRow>,
    },
    Raw {
        key: u32,
        json: String,
    },
}

impl CondNode {
    pub fn key(&self) -> u32 {
        match self {
            CondNode::Compare(row) => row.key,
            CondNode::Group { key, .. } | CondNode::Raw { key, .. } => *key,
        }
    }
}

/// A branch arm: conditions that must all hold, and where it leads.
#[derive(Debug, Clone, PartialEq)]
pub struct ArmForm {
    pub key: u32,
    pub conditions: Vec<CondNode>,
    pub next: String,
}
/// Which condition list an edit is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CondList {
    Trigger,
    Arm { step: u32, arm: u32 },
}
impl WorkflowForm {
    pub(super) fn row_from(&mut self, var: &str, op: Op, value: &Value) -> CompareRow {
        CompareRow {
            key: self.key(),
            var: var.to_owned(),
            op,
            value: value_text(value),
        }
    }

    pub(super) fn node_from(&mut self, condition: &Condition) -> CondNode {
        match condition {
            Condition::Compare { var, op, value } => {
                CondNode::Compare(self.row_from(var, *op, value))
            }
            Condition::All { conditions } | Condition::Any { conditions }
                if !conditions.is_empty()
                    && conditions
                        .iter()
                        .all(|c| matches!(c, Condition::Compare { .. })) =>
            {
                let any = matches!(condition, Condition::Any { .. });
                let rows = conditions
                    .iter()
                    .filter_map(|c| match c {
                        Condition::Compare { var, op, value } => {
                            Some(self.row_from(var, *op, value))
                        }
                        _ => None,
                    })
                    .collect();
                CondNode::Group {
                    key: self.key(),
                    any,
                    rows,
                }
            }
            other => CondNode::Raw {
                key: self.key(),
                json: serde_json::to_string_pretty(other).unwrap_or_default(),
            },
        }
    }

    /// An arm's condition as a list that must all hold: `all` of several is shown as its rows.
    pub(super) fn arm_nodes(&mut self, condition: &Condition) -> Vec<CondNode> {
        match condition {
            Condition::All { conditions } if !conditions.is_empty() => {
                conditions.iter().map(|c| self.node_from(c)).collect()
            }
            other => vec![self.node_from(other)],
        }
    }

    pub fn add_arm(&mut self, step: u32) {
        let arm = self.key();
        let row = self.key();
        if let Some(s) = self.step_mut(step) {
            s.arms.push(ArmForm {
                key: arm,
                conditions: vec![CondNode::Compare(CompareRow {
                    key: row,
                    var: String::new(),
                    op: Op::Equals,
                    value: String::new(),
                })],
                next: String::new(),
            });
        }
    }

    pub fn remove_arm(&mut self, step: u32, arm: u32) {
        if let Some(s) = self.step_mut(step) {
            s.arms.retain(|a| a.key != arm);
        }
    }

    pub fn conditions(&self, list: CondList) -> Option<&Vec<CondNode>> {
        match list {
            CondList::Trigger => Some(&self.conditions),
            CondList::Arm { step, arm } => self
                .step(step)?
                .arms
                .iter()
                .find(|a| a.key == arm)
                .map(|a| &a.conditions),
        }
    }

    pub fn conditions_mut(&mut self, list: CondList) -> Option<&mut Vec<CondNode>> {
        match list {
            CondList::Trigger => Some(&mut self.conditions),
            CondList::Arm { step, arm } => self
                .step_mut(step)?
                .arms
                .iter_mut()
                .find(|a| a.key == arm)
                .map(|a| &mut a.conditions),
        }
    }

    fn blank_row(&mut self) -> CompareRow {
        CompareRow {
            key: self.key(),
            var: String::new(),
            op: Op::Equals,
            value: String::new(),
        }
    }

    /// Add a comparison to a list, or a group of one comparison (`group: Some(any)`).
    pub fn add_condition(&mut self, list: CondList, group: Option<bool>) {
        let node = match group {
            None => CondNode::Compare(self.blank_row()),
            Some(any) => CondNode::Group {
                key: self.key(),
                any,
                rows: vec![self.blank_row()],
            },
        };
        if let Some(nodes) = self.conditions_mut(list) {
            nodes.push(node);
        }
    }

    pub fn remove_condition(&mut self, list: CondList, node: u32) {
        if let Some(nodes) = self.conditions_mut(list) {
            nodes.retain(|n| n.key() != node);
        }
    }

    /// Add a comparison inside a group.
    pub fn add_group_row(&mut self, list: CondList, group: u32) {
        let row = self.blank_row();
        if let Some(CondNode::Group { rows, .. }) = self
            .conditions_mut(list)
            .and_then(|nodes| nodes.iter_mut().find(|n| n.key() == group))
        {
            rows.push(row);
        }
    }

    /// Remove a comparison from a group; an emptied group goes too.
    pub fn remove_group_row(&mut self, list: CondList, group: u32, row: u32) {
        if let Some(nodes) = self.conditions_mut(list) {
            for n in nodes.iter_mut() {
                if let CondNode::Group { key, rows, .. } = n {
                    if *key == group {
                        rows.retain(|r| r.key != row);
                    }
                }
            }
            nodes.retain(|n| !matches!(n, CondNode::Group { rows, .. } if rows.is_empty()));
        }
    }

    /// A comparison row wherever it is in a list (top level or inside a group).
    pub fn row_mut(&mut self, list: CondList, row: u32) -> Option<&mut CompareRow> {
        self.conditions_mut(list)?.iter_mut().find_map(|n| match n {
            CondNode::Compare(r) if r.key == row => Some(r),
            CondNode::Group { rows, .. } => rows.iter_mut().find(|r| r.key == row),
            _ => None,
        })
    }

    pub fn row(&self, list: CondList, row: u32) -> Option<&CompareRow> {
        self.conditions(list)?.iter().find_map(|n| match n {
            CondNode::Compare(r) if r.key == row => Some(r),
            CondNode::Group { rows, .. } => rows.iter().find(|r| r.key == row),
            _ => None,
        })
    }

    pub fn node_mut(&mut self, list: CondList, node: u32) -> Option<&mut CondNode> {
        self.conditions_mut(list)?
            .iter_mut()
            .find(|n| n.key() == node)
    }
}

/// A condition value as the field shows it.
pub(super) fn value_text(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(value_text).collect::<Vec<_>>().join(", "),
        other => other.to_string(),
    }
}

/// The value to send for what was typed: nothing for tests without a value, a list for
/// `one_of`/`between`, else the text (the server compares numbers and flags as text too).
pub fn value_json(op: Op, text: &str) -> Value {
    match op {
        Op::IsSet | Op::IsNotSet | Op::IsTrue | Op::IsFalse => Value::Null,
        Op::OneOf | Op::NotOneOf | Op::Between => Value::Array(
            text.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| Value::String(s.to_owned()))
                .collect(),
        ),
        _ => Value::String(text.trim().to_owned()),
    }
}

fn build_row(row: &CompareRow) -> Condition {
    Condition::Compare {
        var: row.var.trim().to_owned(),
        op: row.op,
        value: value_json(row.op, &row.value),
    }
}

pub(super) fn build_node(node: &CondNode) -> Result<Condition, String> {
    match node {
        CondNode::Compare(row) => Ok(build_row(row)),
        CondNode::Group { any, rows, .. } => {
            let conditions = rows.iter().map(build_row).collect();
            Ok(if *any {
                Condition::Any { conditions }
            } else {
                Condition::All { conditions }
            })
        }
        CondNode::Raw { json, .. } => serde_json::from_str(json)
            .map_err(|e| format!("{} {e}", wt_untracked().json_condition_not_valid)),
    }
}

pub(super) fn build_nodes(nodes: &[CondNode]) -> Result<Condition, String> {
    let mut built = nodes
        .iter()
        .map(build_node)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(if built.len() == 1 {
        built.remove(0)
    } else {
        Condition::All { conditions: built }
    })
}
