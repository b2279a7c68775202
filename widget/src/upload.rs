//! The visitor's files in the browser: each picked file is uploaded as soon as it is picked,
//! over HTTP (never the socket) with an `XMLHttpRequest`, since fetch reports no upload
//! progress; the workspace's rules are asked for once, when the first file is picked; a
//! download link is asked for each time a file is opened (links last five minutes) and once
//! per thumbnail. What the tray holds and how it reads is [`crate::files`]'s.
//!
//! Every request here is one [`xhr`] with a callback, not an `async fn`: each future costs the
//! wasm its own state machine, and these few requests cost about 3 KB gz that way.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use charla_shared::files::Attachment;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use web_sys::{Element, Event, File, FileList, HtmlElement, Url, XmlHttpRequest};

use crate::chat::Chat;
use crate::files::Why;
use crate::wire;

/// A picked file and its upload, kept until its message goes or the visitor removes it.
struct Picked {
    key: u32,
    file: File,
    xhr: Option<XmlHttpRequest>,
    /// The upload's progress; alive as long as the request may call it.
    on_progress: Option<Closure<dyn Fn(Event)>>,
}

#[derive(Default)]
pub struct Uploads {
    picked: RefCell<Vec<Picked>>,
    asking_rules: Cell<bool>,
    /// Thumbnails' links by file id (`None` while asked for), so a line drawn again shows its
    /// image at once.
    thumbs: RefCell<Vec<(String, Option<String>)>>,
}

/// What a request's end hands back: the status (0: no answer) and the body.
type Done = Box<dyn FnOnce(u16, String)>;
/// An upload's body and what follows its progress.
type Upload<'a> = (&'a File, &'a Closure<dyn Fn(Event)>);
/// What a link request hands back: the URL and the file, if the edge gave one.
type Then = Box<dyn FnOnce(Option<(String, Attachment)>)>;

/// One request to the edge with the visitor's token. `None` (and `done` never called) when it
/// could not be made: no session yet, or the browser refused it.
fn xhr(
    chat: &Chat,
    method: &str,
    path: &str,
    body: Option<Upload>,
    done: Done,
) -> Option<XmlHttpRequest> {
    let token = chat.token()?;
    let xhr = XmlHttpRequest::new().ok()?;
    xhr.open(method, &[chat.edge(), path].concat()).ok()?;
    xhr.set_request_header("authorization", &["Bearer ", &token].concat())
        .ok()?;
    let request = xhr.clone();
    let end = Closure::once_into_js(move || {
        let text = request.response_text().ok().flatten().unwrap_or_default();
        done(request.status().unwrap_or(0), text);
    });
    xhr.set_onloadend(Some(end.unchecked_ref()));
    match body {
        Some((file, progress)) => {
            xhr.upload()
                .ok()?
                .set_onprogress(Some(progress.as_ref().unchecked_ref()));
            xhr.send_with_opt_blob(Some(file)).ok()?;
        }
        None => xhr.send().ok()?,
    }
    Some(xhr)
}

/// A file's download link (valid five minutes) and the file, to `then`.
fn link(chat: &Chat, id: &str, then: Then) {
    // The edge names files `f_<hex>`; anything else never becomes part of a path.
    if !id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        return;
    }
    let path = ["/v1/widget/files/", id, "/link"].concat();
    let done: Done = Box::new(move |status, body| {
        then(
            Some(body)
                .filter(|_| status == 200)
                .and_then(|b| wire::file_link(&b)),
        );
    });
    xhr(chat, "GET", &path, None, done);
}

/// The files of a `FileList` (a file input's, a drop's, a paste's).
pub fn list(files: Option<FileList>) -> Vec<File> {
    files
        .map(|l| (0..l.length()).filter_map(|i| l.get(i)).collect())
        .unwrap_or_default()
}

/// Images the browser draws are previewed from their own bytes, before any upload.
fn preview(file: &File) -> Option<String> {
    let image = matches!(
        file.type_().as_str(),
        "image/png" | "image/jpeg" | "image/gif" | "image/webp"
    );
    image
        .then(|| Url::create_object_url_with_blob(file).ok())
        .flatten()
}

fn release(preview: Option<String>) {
    if let Some(url) = preview {
        let _ = Url::revoke_object_url(&url);
    }
}

/// Files the visitor picked (the paperclip, a drop, a paste) join the tray and start uploading.
pub fn pick(chat: &Rc<Chat>, files: Vec<File>) {
    for file in files {
        let preview = preview(&file);
        let name = file.name();
        let key = chat
            .ui
            .write()
            .files
            .pick(name, file.size() as u64, preview.clone());
        let Some(key) = key else {
            release(preview);
            break;
        };
        chat.uploads.picked.borrow_mut().push(Picked {
            key,
            file,
            xhr: None,
            on_progress: None,
        });
    }
    start(chat);
}

/// Upload what waits, once the rules are known (asked for the first time a file is picked,
/// and again when the edge's limit turned out to be another).
fn start(chat: &Rc<Chat>) {
    if chat.ui.read_untracked().files.rules.is_some() {
        let keys = chat.ui.write().files.start_uploads();
        for key in keys {
            send(chat, key);
        }
        return;
    }
    if chat.uploads.asking_rules.replace(true) {
        return;
    }
    let me = Rc::downgrade(chat);
    let done: Done = Box::new(move |status, body| {
        let Some(me) = me.upgrade() else { return };
        me.uploads.asking_rules.set(false);
        match wire::file_rules(&body).filter(|_| status == 200) {
            Some(rules) => {
                me.ui.write().files.set_rules(rules);
                start(&me);
            }
            None => me.ui.write().files.no_rules(),
        }
    });
    if xhr(chat, "GET", "/v1/widget/files/rules", None, done).is_none() {
        chat.uploads.asking_rules.set(false);
        chat.ui.write().files.no_rules();
    }
}

/// `POST /v1/widget/files?name=…` with the file as the body; progress and the answer go to
/// the tray.
fn send(chat: &Rc<Chat>, key: u32) {
    let ui = chat.ui;
    let on_progress = Closure::<dyn Fn(Event)>::new(move |e: Event| {
        let sent = js_sys::Reflect::get(&e, &"loaded".into())
            .ok()
            .and_then(|n| n.as_f64())
            .unwrap_or(0.0);
        let mut s = ui.write();
        if !s.files.progress(key, sent as u64) {
            // The same whole percent: nothing to redraw.
            s.untrack();
        }
    });
    let me = Rc::downgrade(chat);
    let done: Done = Box::new(move |status, body| {
        let result = match status {
            201 => wire::uploaded(&body).ok_or(Why::Failed),
            _ => {
                let rules = ui.read_untracked().files.rules;
                Err(Why::of_refusal(status, &wire::error_body(&body).0, rules))
            }
        };
        let too_large = matches!(result, Err(Why::TooLarge(_)));
        ui.write().files.finished(key, result);
        // The edge's limit is not the one we had: ask for the rules again, to say the limit.
        if let Some(chat) = me.upgrade().filter(|_| too_large) {
            chat.ui.write().files.rules = None;
            start(&chat);
        }
    });
    let mut picked = chat.uploads.picked.borrow_mut();
    let sent = picked.iter_mut().find(|p| p.key == key).and_then(|p| {
        let name: String = js_sys::encode_uri_component(&p.file.name()).into();
        let path = ["/v1/widget/files?name=", &name].concat();
        p.xhr = xhr(chat, "POST", &path, Some((&p.file, &on_progress)), done);
        p.xhr.as_ref()?;
        p.on_progress = Some(on_progress);
        Some(())
    });
    drop(picked);
    if sent.is_none() {
        ui.write().files.finished(key, Err(Why::Failed));
    }
}

/// The tray's Retry: the same file, uploaded again.
pub fn retry(chat: &Rc<Chat>, key: u32) {
    if chat.ui.write().files.retry(key) {
        start(chat);
    }
}

/// The tray's remove button: its upload stops and the file is forgotten (an upload that
/// finished stays unsent on the edge, which deletes it within the hour).
pub fn remove(chat: &Rc<Chat>, key: u32) {
    let item = chat.ui.write().files.remove(key);
    release(item.and_then(|i| i.preview));
    let picked = {
        let mut all = chat.uploads.picked.borrow_mut();
        let at = all.iter().position(|p| p.key == key);
        at.map(|at| all.remove(at))
    };
    if let Some(xhr) = picked.as_ref().and_then(|p| p.xhr.as_ref()) {
        let _ = xhr.abort();
    }
}

/// The tray empties (its message took the files, or the visitor was reset): previews are
/// released, and uploads still going stop before their handlers go.
pub fn clear(chat: &Chat) {
    let items = chat.ui.write().files.take();
    for item in items {
        release(item.preview);
    }
    let picked = std::mem::take(&mut *chat.uploads.picked.borrow_mut());
    for xhr in picked.iter().filter_map(|p| p.xhr.as_ref()) {
        let _ = xhr.abort();
    }
}

/// Thumbnails in the thread without their image get it: a link asked for once per file
/// and page (again after a failure, on the next change).
pub fn thumbs(chat: &Rc<Chat>, log: &Element) {
    let Ok(images) = log.query_selector_all(".th img:not([src])") else {
        return;
    };
    for at in 0..images.length() {
        let Some(img) = images.item(at).map(JsCast::unchecked_into::<Element>) else {
            continue;
        };
        let Some(id) = img.parent_element().and_then(|b| b.get_attribute("data-f")) else {
            continue;
        };
        let known = {
            let thumbs = chat.uploads.thumbs.borrow();
            thumbs
                .iter()
                .find(|(i, _)| *i == id)
                .map(|(_, url)| url.clone())
        };
        match known {
            Some(Some(url)) => {
                let _ = img.set_attribute("src", &url);
            }
            Some(None) => {}
            None => {
                chat.uploads.thumbs.borrow_mut().push((id.clone(), None));
                let (me, log, asked) = (Rc::clone(chat), log.clone(), id.clone());
                let then: Then = Box::new(move |link| {
                    let mut thumbs = me.uploads.thumbs.borrow_mut();
                    thumbs.retain(|(i, _)| *i != asked);
                    if let Some((url, _)) = link {
                        thumbs.push((asked, Some(url)));
                        drop(thumbs);
                        self::thumbs(&me, &log);
                    }
                });
                link(chat, &id, then);
            }
        }
    }
}

/// A file in the thread was clicked: a fresh link (they last five minutes), then an image
/// opens full size in a new tab and anything else downloads (the edge serves it as an
/// attachment, so the page stays).
pub fn open(chat: &Chat, id: &str) {
    let then: Then = Box::new(|link| {
        let Some((url, file)) = link else { return };
        if file.is_inline_image() {
            let _ = window().open_with_url_and_target_and_features(&url, "_blank", "noopener");
        } else if let Ok(a) = document().create_element("a") {
            let _ = a.set_attribute("href", &url);
            let _ = a.set_attribute("download", &file.name);
            a.unchecked_into::<HtmlElement>().click();
        }
    });
    link(chat, id, then);
}
