//! Files waiting in the reply box: picked with the paperclip, dropped on the conversation or
//! pasted (images). Each uploads at once, with its progress; a refusal says why, in the
//! agent's language, with Retry, and is never sent. Send takes the uploaded ones with the
//! text (one message, under one client id, resent as such after a reconnect).
//!
//! [`Tray`] is the pure model (tested natively); [`FileTray`] runs it in the browser (the
//! `File`s, previews and requests it cannot hold), [`TrayView`] draws it.

use std::collections::HashMap;

use charla_shared::files::{Attachment, FileRules, MAX_ATTACHMENTS};
use charla_shared::ErrorCode;
use leptos::prelude::*;
use leptos::task::spawn_local;
use send_wrapper::SendWrapper;
use wasm_split_helpers::wasm_split;
use web_sys::File;

use super::upload::{self, Upload};
use crate::api::{self, ApiError};
use crate::i18n::{lang, tr, tr_untracked};
use crate::kit::attachment::{human_size, type_label};
use crate::shell::pages::PartMissing;
use crate::shell::workspace::Workspace;

/// Why a file is not ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The edge's stable code (`file_too_large`, `file_type_not_allowed`, …).
    Code(ErrorCode),
    /// Larger than the workspace allows: refused here, before a byte is sent.
    TooLarge { limit: u64 },
    /// The network or the edge did not answer.
    Network,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stage {
    /// Percent of the bytes sent.
    Uploading(u8),
    Ready(Attachment),
    Failed(Failure),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrayItem {
    pub key: u32,
    pub name: String,
    pub size: u64,
    pub content_type: String,
    /// An object URL for an image's preview.
    pub preview: Option<String>,
    pub stage: Stage,
}

/// The files of the next message, in the order they were added.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tray {
    items: Vec<TrayItem>,
    next_key: u32,
}

impl Tray {
    pub fn items(&self) -> &[TrayItem] {
        &self.items
    }

    /// Room for one more in the message ([`MAX_ATTACHMENTS`]).
    pub fn has_room(&self) -> bool {
        self.items.len() < MAX_ATTACHMENTS
    }

    /// A new file, checked against the workspace's size limit (when known); its key.
    pub fn add(
        &mut self,
        name: String,
        size: u64,
        content_type: String,
        preview: Option<String>,
        max_bytes: Option<u64>,
    ) -> u32 {
        self.next_key += 1;
        let stage = match max_bytes {
            Some(limit) if size > limit => Stage::Failed(Failure::TooLarge { limit }),
            _ => Stage::Uploading(0),
        };
        self.items.push(TrayItem {
            key: self.next_key,
            name,
            size,
            content_type,
            preview,
            stage,
        });
        self.next_key
    }

    fn item(&mut self, key: u32) -> Option<&mut TrayItem> {
        self.items.iter_mut().find(|i| i.key == key)
    }

    pub fn progress(&mut self, key: u32, percent: u8) {
        if let Some(item) = self.item(key) {
            if matches!(item.stage, Stage::Uploading(_)) {
                item.stage = Stage::Uploading(percent.min(100));
            }
        }
    }

    pub fn finished(&mut self, key: u32, outcome: Result<Attachment, Failure>) {
        if let Some(item) = self.item(key) {
            item.stage = match outcome {
                Ok(file) => Stage::Ready(file),
                Err(why) => Stage::Failed(why),
            };
        }
    }

    /// Whether `key` may be uploaded again (it failed, and not for its size).
    pub fn retry(&mut self, key: u32) -> bool {
        match self.item(key) {
            Some(item) if matches!(item.stage, Stage::Failed(ref f) if !matches!(f, Failure::TooLarge { .. })) =>
            {
                item.stage = Stage::Uploading(0);
                true
            }
            _ => false,
        }
    }

    pub fn remove(&mut self, key: u32) -> Option<TrayItem> {
        let at = self.items.iter().position(|i| i.key == key)?;
        Some(self.items.remove(at))
    }

    pub fn uploading(&self) -> bool {
        self.items
            .iter()
            .any(|i| matches!(i.stage, Stage::Uploading(_)))
    }

    /// The uploaded files' ids, to send.
    pub fn ready_ids(&self) -> Vec<String> {
        self.items
            .iter()
            .filter_map(|i| match &i.stage {
                Stage::Ready(f) => Some(f.id.clone()),
                _ => None,
            })
            .collect()
    }

    /// The message went: its files leave the tray (failed ones stay, to retry or remove).
    pub fn take_ready(&mut self) -> Vec<TrayItem> {
        let (sent, kept) = std::mem::take(&mut self.items)
            .into_iter()
            .partition(|i| matches!(i.stage, Stage::Ready(_)));
        self.items = kept;
        sent
    }
}

/// What an upload's refusal means to the tray.
pub fn failure_of(err: &ApiError) -> Failure {
    match err.code() {
        Some(code) => Failure::Code(code),
        None => Failure::Network,
    }
}

/// What the browser holds for each item: the file (for Retry), its request, its preview URL.
#[derive(Default)]
struct Held {
    files: HashMap<u32, File>,
    uploads: HashMap<u32, Upload>,
}

/// The reply box's tray in the browser: owned by the open conversation (drops land there),
/// shown and used by the composer.
#[derive(Clone, Copy)]
pub struct FileTray {
    pub tray: RwSignal<Tray>,
    /// A notice about the tray as a whole (too many files, files in a note).
    pub notice: RwSignal<Option<String>>,
    held: StoredValue<Held, LocalStorage>,
    rules: RwSignal<Option<FileRules>>,
    conversation_id: StoredValue<String>,
    /// Taken when the conversation opens: handlers and tasks have no component above them.
    ws: Workspace,
}

impl FileTray {
    pub fn new(conversation_id: String) -> Self {
        FileTray {
            tray: RwSignal::new(Tray::default()),
            notice: RwSignal::new(None),
            held: StoredValue::new_local(Held::default()),
            rules: RwSignal::new(None),
            conversation_id: StoredValue::new(conversation_id),
            ws: expect_context::<Workspace>(),
        }
    }

    /// Add files (a pick, a drop, a paste) and start uploading them. The code that does it
    /// is a split part (`parts`), downloaded with the first file.
    pub fn add(&self, files: Vec<File>) {
        if files.is_empty() {
            return;
        }
        let tray = *self;
        spawn_local(async move {
            if add_files(tray, SendWrapper::new(files)).await.is_err() {
                tray.notice
                    .try_set(Some(tr_untracked().page_unavailable.to_owned()));
            }
        });
    }

    /// [`Self::add`], with the workspace's rules: fetched with the first files, not when the
    /// conversation opens (most never send one, and each fetch is a call to the workspace's
    /// one object). Without them the edge still refuses what is too large.
    pub(super) fn add_with_rules(&self, files: Vec<File>) {
        if self.rules.with_untracked(Option::is_some) {
            self.add_now(files);
            return;
        }
        let tray = *self;
        let files = SendWrapper::new(files);
        spawn_local(async move {
            if let Ok(rules) = api::file_rules(&tray.ws.token()).await {
                tray.rules.try_set(Some(rules));
            }
            if !tray.tray.is_disposed() {
                tray.add_now(files.take());
            }
        });
    }

    fn add_now(&self, files: Vec<File>) {
        let max = self
            .rules
            .with_untracked(|r| r.as_ref().map(|r| r.max_bytes));
        for file in files {
            if !self.tray.with_untracked(Tray::has_room) {
                self.notice.set(Some(
                    tr_untracked()
                        .too_many_in_message(MAX_ATTACHMENTS)
                        .to_string(),
                ));
                return;
            }
            let content_type = file.type_();
            let preview = content_type
                .starts_with("image/")
                .then(|| web_sys::Url::create_object_url_with_blob(&file).ok())
                .flatten();
            let key = self
                .tray
                .try_update(|t| t.add(file.name(), file.size() as u64, content_type, preview, max));
            let Some(key) = key else { return };
            self.held.update_value(|h| {
                h.files.insert(key, file);
            });
            if self.tray.with_untracked(|t| {
                t.items()
                    .iter()
                    .any(|i| i.key == key && matches!(i.stage, Stage::Uploading(_)))
            }) {
                self.upload(key);
            }
        }
    }

    fn upload(&self, key: u32) {
        let Some(file) = self.held.with_value(|h| h.files.get(&key).cloned()) else {
            return;
        };
        let ws = self.ws;
        let tray = self.tray;
        let started = upload::start(
            &ws.token(),
            &self.conversation_id.get_value(),
            &file,
            move |percent| {
                tray.try_update(|t| t.progress(key, percent));
            },
            move |outcome| {
                if let Err(e) = &outcome {
                    if e.is_unauthorized() {
                        ws.failure(e.clone());
                    }
                }
                tray.try_update(|t| t.finished(key, outcome.map_err(|e| failure_of(&e))));
            },
        );
        match started {
            Ok(upload) => self.held.update_value(|h| {
                h.uploads.insert(key, upload);
            }),
            Err(e) => {
                tray.update(|t| t.finished(key, Err(failure_of(&e))));
            }
        }
    }

    pub fn retry(&self, key: u32) {
        if self.tray.try_update(|t| t.retry(key)).unwrap_or(false) {
            self.upload(key);
        }
    }

    pub fn remove(&self, key: u32) {
        if let Some(item) = self.tray.try_update(|t| t.remove(key)).flatten() {
            self.forget(&item);
        }
    }

    /// The message with the ready files was queued: they leave the tray.
    pub fn sent(&self) {
        let sent = self.tray.try_update(Tray::take_ready).unwrap_or_default();
        for item in &sent {
            self.forget(item);
        }
        self.notice.set(None);
    }

    fn forget(&self, item: &TrayItem) {
        let key = item.key;
        // `try_`: also called while the conversation is being torn down.
        self.held.try_update_value(|h| {
            if let Some(upload) = h.uploads.remove(&key) {
                upload.abort();
            }
            h.files.remove(&key);
        });
        if let Some(url) = &item.preview {
            let _ = web_sys::Url::revoke_object_url(url);
        }
    }

    /// Everything goes (the conversation closed).
    pub fn clear(&self) {
        let items = self
            .tray
            .try_update(|t| std::mem::take(&mut t.items))
            .unwrap_or_default();
        for item in &items {
            self.forget(item);
        }
    }
}

/// The tray under the reply box: a preview or a chip per file, its progress or why it
/// failed, Retry and Remove.
#[component]
pub fn TrayView(tray: FileTray) -> impl IntoView {
    let items = Memo::new(move |_| tray.tray.with(|t| t.items().to_vec()));
    view! {
        <Show when=move || tray.notice.with(Option::is_some)>
            <p class="form-error" role="alert" data-charla="tray-notice">
                {move || tray.notice.get().unwrap_or_default()}
            </p>
        </Show>
        <Show when=move || items.with(|i| !i.is_empty())>
            <ul class="file-tray" data-charla="file-tray" aria-label=move || tr().files_to_send>
                <For
                    each=move || items.get()
                    key=|i| (i.key, stage_key(&i.stage))
                    children=move |item| view! { <TrayLine item tray /> }
                />
            </ul>
        </Show>
    }
}

/// Changes whenever a line must be drawn again (its progress or outcome).
fn stage_key(stage: &Stage) -> u16 {
    match stage {
        Stage::Uploading(p) => u16::from(*p),
        Stage::Ready(_) => 200,
        Stage::Failed(_) => 300,
    }
}

#[component]
fn TrayLine(item: TrayItem, tray: FileTray) -> impl IntoView {
    let key = item.key;
    let name = item.name.clone();
    let (state, percent, failure) = match &item.stage {
        Stage::Uploading(p) => ("uploading", Some(*p), None),
        Stage::Ready(_) => ("ready", None, None),
        Stage::Failed(f) => ("failed", None, Some(f.clone())),
    };
    let retryable = matches!(&failure, Some(f) if !matches!(f, Failure::TooLarge { .. }));
    let size = item.size;
    let kind = type_label(&item.content_type);
    let preview = item.preview.clone().map(|src| {
        view! { <img class="tray-preview" src=src alt="" width="40" height="40" /> }
    });
    let (remove_name, retry_name, progress_name) = (name.clone(), name.clone(), name.clone());
    view! {
        <li class="tray-item" data-charla="tray-item" data-state=state>
            {preview}
            <span class="tray-name" data-charla="tray-name">{name}</span>
            <span class="file-meta">{move || human_size(size, lang())} " · " {kind.clone()}</span>
            {percent.map(|p| {
                view! {
                    <progress
                        max="100"
                        value=p.to_string()
                        data-charla="tray-progress"
                        aria-label=move || tr().uploading_file(&progress_name)
                    ></progress>
                }
            })}
            {failure.map(|f| {
                view! {
                    <span class="form-error inline" role="alert" data-charla="tray-error">
                        {move || failure_text(&f)}
                    </span>
                }
            })}
            {retryable.then(|| view! {
                <button
                    type="button"
                    class="link"
                    data-charla="tray-retry"
                    aria-label=move || tr().retry_upload(&retry_name)
                    on:click=move |_| tray.retry(key)
                >
                    {move || tr().retry}
                </button>
            })}
            <button
                type="button"
                class="tag-remove"
                data-charla="tray-remove"
                aria-label=move || tr().remove_file(&remove_name)
                on:click=move |_| tray.remove(key)
            >
                "×"
            </button>
        </li>
    }
}

/// Why a file did not upload, in the agent's language.
fn failure_text(f: &Failure) -> String {
    let t = tr();
    match f {
        Failure::Code(code) => t.code(*code).to_owned(),
        Failure::TooLarge { limit } => t.file_over_limit(&human_size(*limit, t.lang)),
        Failure::Network => t.upload_failed.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(id: &str) -> Attachment {
        Attachment {
            id: id.into(),
            name: "a.pdf".into(),
            size: 10,
            content_type: "application/pdf".into(),
            width: None,
            height: None,
        }
    }

    #[test]
    fn files_upload_then_go_with_the_message_and_failures_stay() {
        let mut t = Tray::default();
        let a = t.add(
            "a.pdf".into(),
            10,
            "application/pdf".into(),
            None,
            Some(100),
        );
        let b = t.add("b.exe".into(), 10, "".into(), None, Some(100));
        assert!(t.uploading());
        t.progress(a, 50);
        assert_eq!(t.items()[0].stage, Stage::Uploading(50));
        t.finished(a, Ok(file("f_a")));
        t.finished(b, Err(Failure::Code(ErrorCode::FileTypeNotAllowed)));
        assert!(!t.uploading());
        assert_eq!(t.ready_ids(), ["f_a"]);
        // A late progress event changes nothing once settled.
        t.progress(a, 99);
        assert!(matches!(t.items()[0].stage, Stage::Ready(_)));
        let sent = t.take_ready();
        assert_eq!(sent.len(), 1);
        assert_eq!(t.items().len(), 1, "the refused one stays, never sent");
        assert!(t.retry(b));
        assert_eq!(t.items()[0].stage, Stage::Uploading(0));
        assert!(t.remove(b).is_some());
        assert!(t.items().is_empty());
    }

    #[test]
    fn too_large_is_refused_before_uploading_and_cannot_be_retried() {
        let mut t = Tray::default();
        let k = t.add(
            "big.zip".into(),
            101,
            "application/zip".into(),
            None,
            Some(100),
        );
        assert_eq!(
            t.items()[0].stage,
            Stage::Failed(Failure::TooLarge { limit: 100 })
        );
        assert!(!t.retry(k));
        // Unknown rules: the edge decides.
        t.add("big.zip".into(), 101, "application/zip".into(), None, None);
        assert_eq!(t.items()[1].stage, Stage::Uploading(0));
    }

    #[test]
    fn a_message_holds_at_most_ten_files() {
        let mut t = Tray::default();
        for i in 0..MAX_ATTACHMENTS {
            assert!(t.has_room());
            t.add(format!("{i}"), 1, "text/plain".into(), None, None);
        }
        assert!(!t.has_room());
    }
}

// Split points (like the header's pages in `shell::pages`): the tray's view and its uploads
// download the first time a file is added, so the inbox's first view does not carry them.

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
