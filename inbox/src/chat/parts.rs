//! Parts of an open conversation that most agents seldom see: the reply box's file tray
//! (drawn once a file is added) and its uploads, and an owner's delete dialog. Split points like the header's
//! pages (`shell::pages`): their code downloads the first time one is shown, so the inbox's
//! first view does not carry it; a part that fails to download says so and is tried again
//! the next time.

use leptos::prelude::*;
use wasm_split_helpers::wasm_split;

use send_wrapper::SendWrapper;
use web_sys::File;

use super::delete_dialog::DeleteDialog;
use super::file_tray::{FileTray, TrayView};
use crate::shell::pages::PartMissing;

#[wasm_split(file_tray, fallible)]
pub fn file_tray(tray: FileTray) -> Result<AnyView, PartMissing> {
    Ok(view! { <TrayView tray /> }.into_any())
}

/// The tray's model, the uploads and their requests, with the first files added.
#[wasm_split(file_uploads, fallible)]
pub fn add_files(tray: FileTray, files: SendWrapper<Vec<File>>) -> Result<(), PartMissing> {
    tray.add_with_rules(files.take());
    Ok(())
}

#[wasm_split(delete_dialog, fallible)]
pub fn delete_dialog(
    conversation_id: String,
    open: RwSignal<bool>,
    deleted: Callback<()>,
) -> Result<AnyView, PartMissing> {
    Ok(view! { <DeleteDialog conversation_id open deleted /> }.into_any())
}
