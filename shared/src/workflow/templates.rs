//! Ready-made workflows: one click in the editor creates one, disabled, to edit and enable.
//!
//! They name placeholder teams (`sales`, `support`, `billing`, `priority_support`) and a
//! placeholder agent (`agent`); [`Workflow::references`] lists them so the editor can ask for
//! the real ones before the workflow is enabled.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::model::Workflow;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Template {
    UnassignAfterClose,
    CloseAndResumeBot,
    AssignToAgent,
    SalesAutoAssignment,
    SupportAutoAssignment,
    AssignedAgentMessage,
    OutOfHours,
    AgentsAtCapacity,
    RoutingByChoice,
}

impl Template {
    pub const ALL: [Template; 9] = [
        Template::UnassignAfterClose,
        Template::CloseAndResumeBot,
        Template::AssignToAgent,
        Template::SalesAutoAssignment,
        Template::SupportAutoAssignment,
        Template::AssignedAgentMessage,
        Template::OutOfHours,
        Template::AgentsAtCapacity,
        Template::RoutingByChoice,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Template::UnassignAfterClose => "Unassign after the conversation is closed",
            Template::CloseAndResumeBot => "Close conversation and turn the bot back on",
            Template::AssignToAgent => "Assign to an agent",
            Template::SalesAutoAssignment => "Auto-assignment for sales teams",
            Template::SupportAutoAssignment => "Auto-assignment for support teams",
            Template::AssignedAgentMessage => "Assigned agent message",
            Template::OutOfHours => "Out-of-hours message",
            Template::AgentsAtCapacity => "Agents at maximum capacity message",
            Template::RoutingByChoice => "Agent routing by the visitor's choice",
        }
    }

    pub fn description(self) -> &'static str {
        match self {
            Template::UnassignAfterClose => {
                "When an agent closes a conversation, unassign it, so the next conversation is routed afresh. Closes by workflows do nothing."
            }
            Template::CloseAndResumeBot => {
                "A shortcut for agents: turn the bot back on if it was paused, then close the conversation."
            }
            Template::AssignToAgent => "Give every new conversation to one agent.",
            Template::SalesAutoAssignment => {
                "Ask for name, email and phone, then assign to the next online agent of the Sales team in turn."
            }
            Template::SupportAutoAssignment => {
                "VIP contacts go to their own agent or the priority team; everyone else to the least busy support agent, waiting in the queue if needed."
            }
            Template::AssignedAgentMessage => {
                "Assign to an online agent, who then greets the visitor by name."
            }
            Template::OutOfHours => {
                "Outside business hours, tell visitors when you will be back."
            }
            Template::AgentsAtCapacity => {
                "When every support agent is at capacity (or offline), tell the visitor instead of leaving them waiting in silence."
            }
            Template::RoutingByChoice => {
                "Ask whether the visitor needs Sales, Support or Billing and assign to that team."
            }
        }
    }

    /// The template as a disabled workflow with this id, version 1.
    pub fn build(self, id: &str) -> Workflow {
        let mut value = self.json();
        value["id"] = Value::from(id);
        value["name"] = Value::from(self.name());
        value["version"] = Value::from(1);
        value["enabled"] = Value::from(false);
        serde_json::from_value(value).expect("every template is a valid workflow")
    }

    fn json(self) -> Value {
        match self {
            Template::UnassignAfterClose => json!({
                "trigger": {"type": "conversation_closed"},
                "conditions": [
                    {"type": "compare", "var": "event.source", "op": "equals", "value": "user"}
                ],
                "start": "unassign",
                "steps": [
                    {"id": "unassign", "type": "assign", "to": {"type": "unassign"}}
                ]
            }),
            Template::CloseAndResumeBot => json!({
                "trigger": {"type": "shortcut"},
                "start": "bot_paused",
                "steps": [
                    {"id": "bot_paused", "type": "branch", "arms": [
                        {"condition": {"type": "compare", "var": "conversation.bot_paused", "op": "is_true"},
                         "next": "resume_bot"}
                    ], "next": "close"},
                    {"id": "resume_bot", "type": "resume_bot", "next": "close"},
                    {"id": "close", "type": "close_conversation",
                     "note": {"summary": "Closed by {{event.agent_name}}"}}
                ]
            }),
            Template::AssignToAgent => json!({
                "trigger": {"type": "conversation_opened"},
                "start": "assign",
                "steps": [
                    {"id": "assign", "type": "assign", "to": {"type": "agent", "agent_id": "agent"},
                     "on_unavailable": "busy"},
                    {"id": "busy", "type": "send_message",
                     "text": "Thanks for your message! We'll get back to you as soon as possible."}
                ]
            }),
            Template::SalesAutoAssignment => json!({
                "trigger": {"type": "conversation_opened"},
                "start": "ask_name",
                "steps": [
                    {"id": "ask_name", "type": "ask_question", "kind": "text",
                     "prompt": "Hi! Before we connect you with our sales team: what's your name?",
                     "save_to_field": "name", "timeout_ms": 600_000, "on_timeout": "assign",
                     "on_invalid": "ask_email", "next": "ask_email"},
                    {"id": "ask_email", "type": "ask_question", "kind": "email",
                     "prompt": "Thanks, {{contact.first_name}}! What's your email address?",
                     "save_to_field": "email", "timeout_ms": 600_000, "on_timeout": "assign",
                     "on_invalid": "ask_phone", "next": "ask_phone"},
                    {"id": "ask_phone", "type": "ask_question", "kind": "phone",
                     "prompt": "And your phone number, with the country code (e.g. +34600111222)?",
                     "save_to_field": "phone", "timeout_ms": 600_000, "on_timeout": "assign",
                     "on_invalid": "assign", "next": "assign"},
                    {"id": "assign", "type": "assign", "to": {"type": "team", "team_id": "sales"},
                     "method": "round_robin", "online_only": true, "on_unavailable": "busy"},
                    {"id": "busy", "type": "send_message",
                     "text": "All our sales agents are busy right now. We'll get back to you as soon as possible, {{contact.first_name | there}}."}
                ]
            }),
            Template::SupportAutoAssignment => json!({
                "trigger": {"type": "conversation_opened"},
                "start": "vip",
                "steps": [
                    {"id": "vip", "type": "branch", "arms": [
                        {"condition": {"type": "compare", "var": "contact.tags", "op": "contains", "value": "vip"},
                         "next": "assign_vip"}
                    ], "next": "assign_support"},
                    {"id": "assign_vip", "type": "assign",
                     "to": {"type": "dedicated", "owner_field": "owner",
                            "fallback": {"type": "team", "team_id": "priority_support"}},
                     "online_only": true, "queue": true, "on_unavailable": "assign_support"},
                    {"id": "assign_support", "type": "assign", "to": {"type": "team", "team_id": "support"},
                     "method": "fewest_open", "online_only": true, "queue": true,
                     "on_unavailable": "busy"},
                    {"id": "busy", "type": "send_message",
                     "text": "Thanks for reaching out! Our support team will be with you shortly."}
                ]
            }),
            Template::AssignedAgentMessage => json!({
                "trigger": {"type": "conversation_opened"},
                "start": "assign",
                "steps": [
                    {"id": "assign", "type": "assign", "to": {"type": "workspace"},
                     "online_only": true, "on_unavailable": "no_agent", "next": "greet"},
                    {"id": "greet", "type": "send_message",
                     "text": "Hi, I'm {{agent.name}} and I'll help you."},
                    {"id": "no_agent", "type": "send_message",
                     "text": "Thanks for your message! An agent will be with you shortly."}
                ]
            }),
            Template::OutOfHours => json!({
                "trigger": {"type": "conversation_opened"},
                "start": "hours",
                "steps": [
                    {"id": "hours", "type": "branch", "arms": [
                        {"condition": {"type": "compare", "var": "business_hours.open", "op": "is_false"},
                         "next": "closed"}
                    ]},
                    {"id": "closed", "type": "send_message",
                     "text": "Thanks for reaching out! We're closed right now. We'll be back on {{business_hours.next_open_day}} at {{business_hours.next_open_time}} and will answer you then."}
                ]
            }),
            Template::AgentsAtCapacity => json!({
                "trigger": {"type": "conversation_opened"},
                "start": "assign",
                "steps": [
                    {"id": "assign", "type": "assign", "to": {"type": "team", "team_id": "support"},
                     "online_only": true, "on_unavailable": "why"},
                    {"id": "why", "type": "branch", "arms": [
                        {"condition": {"type": "compare", "var": "vars.assignment.reason", "op": "equals", "value": "at_capacity"},
                         "next": "full"}
                    ], "next": "offline"},
                    {"id": "full", "type": "send_message",
                     "text": "All our agents are helping other customers right now. We'll reply as soon as someone is free."},
                    {"id": "offline", "type": "send_message",
                     "text": "None of our agents is available right now. Leave us a message and we'll get back to you."}
                ]
            }),
            Template::RoutingByChoice => json!({
                "trigger": {"type": "conversation_opened"},
                "start": "choose",
                "steps": [
                    {"id": "choose", "type": "ask_question", "kind": "buttons",
                     "prompt": "Hi! What can we help you with?",
                     "buttons": [
                        {"label": "Sales", "value": "sales", "next": "to_sales"},
                        {"label": "Support", "value": "support", "next": "to_support"},
                        {"label": "Billing", "value": "billing", "next": "to_billing"}
                     ],
                     "save_as": "department", "timeout_ms": 900_000,
                     "on_timeout": "to_support", "on_invalid": "to_support"},
                    {"id": "to_sales", "type": "assign", "to": {"type": "team", "team_id": "sales"},
                     "on_unavailable": "busy", "next": "connected"},
                    {"id": "to_support", "type": "assign", "to": {"type": "team", "team_id": "support"},
                     "on_unavailable": "busy", "next": "connected"},
                    {"id": "to_billing", "type": "assign", "to": {"type": "team", "team_id": "billing"},
                     "on_unavailable": "busy", "next": "connected"},
                    {"id": "connected", "type": "send_message",
                     "text": "You're now talking to {{agent.name}} from {{vars.department | our team}}."},
                    {"id": "busy", "type": "send_message",
                     "text": "Everyone in {{vars.department | the team}} is busy right now; we'll get back to you shortly."}
                ]
            }),
        }
    }
}
