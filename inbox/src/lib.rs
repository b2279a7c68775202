//! Charla's agents' inbox: a Leptos single-page app served by the edge at `/inbox/`.
//!
//! Code map: [`activity`] (how timeline events read), [`api`] (HTTP), [`socket`] (reconnecting WebSockets), [`session`] (the stored
//! sign-in), [`thread`] and [`summaries`] (pure state for one conversation and for the list,
//! tested natively), [`time`] (age formatting), [`browser`] (DOM helpers), [`views`] (Leptos
//! components).
//!
//! Invariant: message text only ever reaches the DOM as text nodes; nothing here sets HTML.

pub mod activity;
pub mod api;
pub mod browser;
pub mod session;
pub mod socket;
pub mod summaries;
pub mod thread;
pub mod time;
pub mod views;

use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen(start)]
pub fn start() {
    leptos::mount::mount_to_body(views::app::App);
}
