//! Leptos components, one per concern. `app` decides between signing in and the inbox;
//! the inbox shell owns the list socket, each open conversation owns its own socket.

pub mod app;
mod composer;
mod conversation;
mod conversation_list;
mod header;
mod inbox;
mod lifecycle;
mod message;
mod sign_in;
