//! Charla's agents' inbox: a Leptos single-page app served by the edge at `/inbox/`.
//!
//! Code map: [`activity`] (how timeline events read), [`api`] (HTTP), [`socket`] (reconnecting
//! WebSockets), [`session`] (the stored sign-in), [`route`] (the URL fragment), [`thread`] and
//! [`summaries`] (pure state for one conversation and for the list), [`roster`] (agents:
//! presence, load, names), [`closing_form`], [`assignment_form`], [`contact_form`],
//! [`business_hours_form`] and [`widget_form`] (what the settings and contact forms send),
//! [`workflow_form`] (the workflow editor's model) and [`workflow_list`] (workflow lists, runs
//! and their wording), [`report_view`] (report queries, durations, chart geometry), [`retry`] (rate-limit waits and
//! their wording), [`time`]
//! (age formatting) — all pure and tested natively —, [`browser`] (DOM helpers), [`views`]
//! (Leptos components).
//!
//! Invariant: message text only ever reaches the DOM as text nodes; nothing here sets HTML.

pub mod activity;
pub mod api;
pub mod assignment_form;
pub mod browser;
pub mod business_hours_form;
pub mod closing_form;
pub mod contact_form;
pub mod report_view;
pub mod retry;
pub mod roster;
pub mod route;
pub mod session;
pub mod socket;
pub mod summaries;
pub mod thread;
pub mod time;
pub mod views;
pub mod widget_form;
pub mod workflow_form;
pub mod workflow_list;

use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen(start)]
pub fn start() {
    leptos::mount::mount_to_body(views::app::App);
}
