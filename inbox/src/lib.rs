//! Charla's agents' inbox: a Leptos single-page app served by the edge at `/inbox/`.
//!
//! Code map, one folder per feature, each holding its pure model beside its components:
//! - [`shell`]: the app (invite link, sign-in or the inbox), the header, the route, the stored
//!   session, the [`shell::workspace::Workspace`] context and its [`shell::roster`] of agents;
//!   the split points that fetch the settings, workflows and reports pages when one opens.
//! - [`chat`]: the conversation list ([`chat::summaries`]) and one conversation (its pure state
//!   in [`chat::thread`], on the shared client replica): composer,
//!   contact panel ([`chat::contact_form`]), lifecycle bar with the assign and run menus, how
//!   timeline events read ([`chat::activity`]).
//! - [`settings`]: agents, teams, closing notes, assignment, time zone, business hours (each
//!   with its `*_form` model), and the chat widget ([`settings::widget`], model in `form`).
//! - [`workflows`]: the list and its wording ([`workflows::list`]), the editor, its model
//!   ([`workflows::form`]: the form, condition rows, steps, problems), step types
//!   ([`workflows::step_kind`]), the step and condition editors, runs.
//! - [`reports`]: queries, durations and chart geometry ([`reports::model`]) and four views.
//! - [`files`]: the workspace's Files page, its filters ([`files::model`]) and strings.
//! - `kit`: what the features' forms share — `Choice` and its `EnumSelect`, `Labelled`,
//!   `Chips` and `AddRow`, the save row and `save()`, Enter-to-add — and a sent file's
//!   thumbnail or chip (`attachment`), shown by the thread, the contact panel and Files.
//!
//! [`i18n`]: the inbox in English and Spanish (tables, the language context, error wording).
//!
//! Leaf helpers at the top: [`api`] (HTTP), [`browser`] (DOM helpers), [`retry`] (rate-limit
//! waits and their wording), [`time`] (age formatting) and [`socket`] (reconnecting
//! WebSockets, used by the inbox shell and by each conversation). Models are pure and tested
//! natively.
//!
//! Invariant: message text only ever reaches the DOM as text nodes; nothing here sets HTML.

pub mod api;
pub mod browser;
pub mod chat;
pub mod dates;
pub mod files;
pub mod i18n;
mod kit;
pub mod profile;
pub mod reports;
pub mod retry;
pub mod settings;
pub mod shell;
pub mod socket;
pub mod time;
pub mod workflows;

use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen(start)]
pub fn start() {
    leptos::mount::mount_to_body(|| {
        i18n::I18n::install();
        shell::app::App()
    });
}
