//! Charla's agents' inbox: a Leptos single-page app served by the edge at `/inbox/`.
//!
//! Code map, one folder per feature, each holding its pure model beside its components:
//! [`shell`] (the app, sign-in, invite links, header, route, the stored session, the workspace
//! context and its roster of agents), [`chat`] (the conversation list and one conversation:
//! composer, contact panel, lifecycle, assign and run menus), [`settings`] (agents, teams,
//! closing notes, assignment, time zone, the chat widget, business hours), [`workflows`] (the
//! list, the editor and its model, runs), [`reports`] (queries, durations, chart geometry and
//! the four views), [`kit`] (components the features share). Leaf helpers at the top:
//! [`api`] (HTTP), [`browser`] (DOM helpers), [`retry`] (rate-limit waits and their wording),
//! [`time`] (age formatting); [`thread`] (pure state of one conversation) and [`socket`]
//! (reconnecting WebSockets). Models (`*_form`, `model`, `list`, `summaries`, `roster`, …) are
//! pure and tested natively.
//!
//! Invariant: message text only ever reaches the DOM as text nodes; nothing here sets HTML.

pub mod api;
pub mod browser;
pub mod chat;
mod kit;
pub mod reports;
pub mod retry;
pub mod settings;
pub mod shell;
pub mod socket;
pub mod thread;
pub mod time;
pub mod workflows;

use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen(start)]
pub fn start() {
    leptos::mount::mount_to_body(shell::app::App);
}
