//! Leptos components, one per concern. `app` decides between an invite link, signing in and
//! the inbox; the inbox shell owns the list socket and provides the [`workspace::Workspace`]
//! context (agents, teams, closing settings); each open conversation owns its own socket.

mod accept_invite;
pub mod app;
mod assign_menu;
mod composer;
mod contact_panel;
mod conversation;
mod conversation_list;
mod header;
mod inbox;
mod keys;
mod lifecycle;
mod message;
mod reports;
mod run_menu;
mod save_state;
mod settings;
mod sign_in;
mod workflows;
mod workspace;
