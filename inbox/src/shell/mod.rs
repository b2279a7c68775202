//! What frames every page: the app decides between an invite or password-reset link, signing
//! in and the inbox;
//! the inbox shell owns the list socket, the header and the route, and provides the
//! [`workspace::Workspace`] context (agents, teams, closing settings) the features read. The
//! stored sign-in ([`session`]), the URL fragment ([`route`]) and the agents' presence and load
//! ([`roster`]) are pure. The settings, workflows and reports pages are reached only through
//! `pages`, whose split points keep them out of the first download.

mod accept_invite;
pub mod alerts;
pub mod app;
mod header;
mod inbox;
pub(crate) mod notifier;
pub(crate) mod pages;
mod reset_password;
pub mod roster;
pub mod route;
pub mod session;
mod shortcuts;
mod sign_in;
pub(crate) mod workspace;
