//! Conversations: the list beside the inbox and one open conversation (its thread, composer,
//! contact panel, lifecycle bar with the assign and run menus). The list's order and filters
//! ([`summaries`]), the contact's edits ([`contact_form`]) and how timeline events read
//! ([`activity`]) are pure; the rest are components. Each open conversation owns its socket.
//! Files: the reply box's tray ([`file_tray`], its model pure) and each upload (`upload`),
//! the contact panel's files (`conversation_files`); deleting a conversation (`delete_dialog`).

pub mod activity;
mod assign_menu;
mod composer;
pub mod contact_form;
mod contact_panel;
pub(crate) mod conversation;
mod conversation_files;
pub(crate) mod conversation_list;
mod delete_dialog;
pub mod file_tray;
mod lifecycle;
mod message;
mod note;
mod run_menu;
pub mod search;
pub mod snippet_picker;
pub mod summaries;
pub mod thread;
mod upload;
