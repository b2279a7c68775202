//! What the visitor sees of files: the tray of files picked for the next message (each with
//! its preview or type, size, progress, why it failed, Retry and remove), a message's files (a
//! thumbnail for the images browsers draw safely: PNG, JPEG, GIF, WebP; a chip with name, size
//! and type for anything else, SVG included), and every event files come by: the paperclip, a
//! paste into the composer, a drop on the panel.
//!
//! Drawn with plain DOM calls rather than Leptos views, for the widget's bytes: every view type
//! costs the wasm its own copy of Leptos' rendering code, and these views cost about 20 KB gz
//! that way. File names only ever become text nodes and attribute values, never markup.

use std::rc::Rc;

use charla_shared::files::Attachment;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use web_sys::{ClipboardEvent, DataTransfer, DragEvent, Element, HtmlElement, HtmlInputElement};

use crate::chat::Chat;
use crate::files::{human_size, thumb_box, type_label, Item, Upload, Why};
use crate::i18n::Lang;
use crate::ui::State;
use crate::upload;
use crate::wire::decimal_string;

/// The largest side of a thumbnail in the thread, in CSS pixels.
const THUMB_PX: u32 = 220;
/// Constants (no name ever goes into markup).
const CLIP_ICON: &str = r#"<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M16.5 6v11.5a4 4 0 0 1-8 0V5a2.5 2.5 0 0 1 5 0v10.5a1 1 0 0 1-2 0V6H10v9.5a2.5 2.5 0 0 0 5 0V5a4 4 0 0 0-8 0v12.5a5.5 5.5 0 0 0 11 0V6h-1.5z"/></svg>"#;
const REMOVE_ICON: &str = r#"<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M18.3 5.7a1 1 0 0 0-1.4 0L12 10.6 7.1 5.7a1 1 0 0 0-1.4 1.4l4.9 4.9-4.9 4.9a1 1 0 1 0 1.4 1.4l4.9-4.9 4.9 4.9a1 1 0 0 0 1.4-1.4L13.4 12l4.9-4.9a1 1 0 0 0 0-1.4z"/></svg>"#;

/// A new element at the end of `parent`: its class (if any) and text (if any).
fn child(parent: &Element, tag: &str, class: &str, text: &str) -> Element {
    let el = document().create_element(tag).unwrap_throw();
    if !class.is_empty() {
        el.set_class_name(class);
    }
    if !text.is_empty() {
        el.set_text_content(Some(text));
    }
    let _ = parent.append_child(&el);
    el
}

fn set(el: &Element, attrs: &[(&str, &str)]) {
    for (k, v) in attrs {
        let _ = el.set_attribute(k, v);
    }
}

/// A message's files, into its (empty) files element when the line is built.
pub fn message_files(list: Element, (files, lang): (Vec<Attachment>, Lang)) {
    for f in &files {
        let image = f.is_inline_image();
        let button = child(&list, "button", if image { "th" } else { "fc" }, "");
        set(
            &button,
            &[
                ("type", "button"),
                ("data-f", &f.id),
                ("data-charla", "file"),
                ("data-kind", if image { "image" } else { "file" }),
            ],
        );
        if image {
            // No `src` yet: the link is asked for while the thread is on screen
            // (`upload::thumbs`). The box has its final size before the image arrives.
            let img = child(&button, "img", "", "");
            set(&img, &[("alt", &f.name)]);
            if let Some((w, h)) = thumb_box(f.width, f.height, THUMB_PX) {
                let (w, h) = (decimal_string(w.into()), decimal_string(h.into()));
                set(&img, &[("width", &w), ("height", &h)]);
            }
        } else {
            let name = child(&button, "span", "fn", &f.name);
            set(&name, &[("data-charla", "file-name")]);
            let mut meta = human_size(f.size, lang);
            meta.push_str(" · ");
            meta.push_str(&type_label(&f.content_type, &f.name));
            child(&button, "span", "fm", &meta);
        }
    }
}

fn why_text(s: &State, why: Why) -> String {
    let t = s.t();
    match why {
        Why::TooLarge(limit) => [t.file_too_large, &human_size(limit, s.lang), "."].concat(),
        Why::NotAllowed => t.file_not_allowed.into(),
        Why::TooMany => t.files_waiting.into(),
        Why::Failed => t.upload_failed.into(),
    }
}

/// What an item's element shows apart from its progress: when it changes, it is drawn again.
fn look(s: &State, i: &Item) -> String {
    let state = match &i.upload {
        Upload::Waiting | Upload::Sending(_) => "uploading",
        Upload::Done(_) => "done",
        Upload::Failed(_) => "failed",
    };
    let why = match i.upload {
        Upload::Failed(why) => why_text(s, why),
        _ => String::new(),
    };
    [state, s.lang.code(), &why].concat()
}

/// The composer's files as the state says: its tray, paperclip and file input (made the first
/// time, before the composer), the paperclip named in the visitor's language, and the tray's
/// items: those gone are removed, new ones added at the end, changed ones drawn again; progress
/// moves in place (so previews do not reload).
pub fn draw(composer: &Element, s: &State) {
    let tray = match composer.previous_element_sibling() {
        Some(input) if input.tag_name() == "INPUT" => {
            let clip = input.previous_element_sibling().unwrap_throw();
            set(&clip, &[("aria-label", s.t().attach)]);
            clip.previous_element_sibling().unwrap_throw()
        }
        _ => {
            let row = composer.parent_element().unwrap_throw();
            let tray = child(&row, "div", "tray", "");
            set(&tray, &[("data-charla", "tray")]);
            let clip = child(&row, "button", "clip", "");
            set(
                &clip,
                &[
                    ("type", "button"),
                    ("data-charla", "attach"),
                    ("aria-label", s.t().attach),
                ],
            );
            clip.set_inner_html(CLIP_ICON);
            let input = child(&row, "input", "", "");
            set(
                &input,
                &[
                    ("type", "file"),
                    ("multiple", ""),
                    ("hidden", ""),
                    ("data-charla", "file-input"),
                ],
            );
            for el in [&tray, &clip, &input] {
                let _ = row.insert_before(el, Some(composer));
            }
            tray
        }
    };
    let drawn = tray.children();
    for at in (0..drawn.length()).rev() {
        let Some(el) = drawn.item(at) else { continue };
        let key = el
            .get_attribute("data-k")
            .and_then(|k| k.parse::<u64>().ok());
        if !s.files.items.iter().any(|i| Some(u64::from(i.key)) == key) {
            el.remove();
        }
    }
    for item in &s.files.items {
        let key = decimal_string(item.key.into());
        let look = look(s, item);
        let old = tray
            .query_selector(&["[data-k=\"", &key, "\"]"].concat())
            .ok()
            .flatten();
        let el = match old {
            Some(el) if el.get_attribute("data-look").as_deref() == Some(look.as_str()) => el,
            old => {
                let el = draw_item(&tray, s, item, &key);
                set(&el, &[("data-look", &look)]);
                if let Some(old) = old {
                    let _ = old.replace_with_with_node_1(&el);
                }
                el
            }
        };
        if let (Some(p), Ok(Some(bar))) = (item.percent(), el.query_selector("progress")) {
            set(&bar, &[("value", &decimal_string(p))]);
        }
    }
}

fn draw_item(tray: &Element, s: &State, i: &Item, key: &str) -> Element {
    let t = s.t();
    let el = child(tray, "div", "ti", "");
    let (state, why) = match i.upload {
        Upload::Waiting | Upload::Sending(_) => ("uploading", None),
        Upload::Done(_) => ("done", None),
        Upload::Failed(why) => ("failed", Some(why)),
    };
    set(
        &el,
        &[
            ("data-charla", "attachment"),
            ("data-state", state),
            ("data-k", key),
        ],
    );
    // The name is written beside it: the preview adds nothing to read.
    match &i.preview {
        Some(url) => set(&child(&el, "img", "tp", ""), &[("src", url), ("alt", "")]),
        None => set(
            &child(&el, "span", "tp", &type_label("", &i.name)),
            &[("aria-hidden", "true")],
        ),
    }
    set(
        &child(&el, "span", "tn", &i.name),
        &[("data-charla", "attachment-name")],
    );
    child(&el, "span", "tm", &human_size(i.size, s.lang));
    if state == "uploading" {
        let label = [t.uploading, " ", &i.name].concat();
        set(
            &child(&el, "progress", "", ""),
            &[("max", "100"), ("value", "0"), ("aria-label", &label)],
        );
    }
    if let Some(why) = why {
        let error = child(&el, "span", "fe", &why_text(s, why));
        set(
            &error,
            &[("role", "alert"), ("data-charla", "upload-error")],
        );
        if why.retryable() {
            let retry = child(&el, "button", "rt", t.retry);
            set(
                &retry,
                &[
                    ("type", "button"),
                    ("data-a", "r"),
                    ("data-charla", "retry"),
                ],
            );
        }
    }
    let remove = child(&el, "button", "rm", "");
    let label = [t.remove, " ", &i.name].concat();
    set(
        &remove,
        &[
            ("type", "button"),
            ("data-a", "x"),
            ("data-charla", "remove"),
            ("aria-label", &label),
        ],
    );
    remove.set_inner_html(REMOVE_ICON);
    el
}

fn files_of(data: Option<DataTransfer>) -> Vec<web_sys::File> {
    upload::list(data.and_then(|d| d.files()))
}

/// Every event files come by, taken on the widget's container (one listener per kind, one
/// closure): the paperclip opens the file input, whose `change` picks its files; a paste with
/// files into the composer and files dropped on the panel join the tray; the tray's Retry and
/// remove; a file in the thread opens. Files dragged over the panel show the drop hint (the
/// panel's `data-drop`, drawn over it by the CSS); other drags are left to the page.
pub fn listen(chat: &Rc<Chat>, container: &Element) {
    let chat = Rc::clone(chat);
    let on = Closure::<dyn Fn(web_sys::Event)>::new(move |e: web_sys::Event| {
        let Some(target) = e.target().and_then(|t| t.dyn_into::<Element>().ok()) else {
            return;
        };
        let near = |selector: &str| target.closest(selector).ok().flatten();
        let kind = e.type_();
        match kind.as_str() {
            "click" => {
                if let Some(clip) = near(".clip") {
                    if let Some(input) = clip.next_element_sibling() {
                        input.unchecked_into::<HtmlElement>().click();
                    }
                } else if let Some(file) = near("[data-f]") {
                    upload::open(&chat, &file.get_attribute("data-f").unwrap_or_default());
                } else if let Some(button) = near("[data-a]") {
                    tray_button(&chat, &button);
                }
            }
            // Only the file input's: the pre-chat form's fields change too.
            "change" if target.matches("[type=file]").unwrap_or(false) => {
                if let Ok(input) = target.dyn_into::<HtmlInputElement>() {
                    let files = upload::list(input.files());
                    // The same file picked again is a change too.
                    input.set_value("");
                    upload::pick(&chat, files);
                }
            }
            "change" => {}
            "paste" => {
                let files = files_of(e.unchecked_ref::<ClipboardEvent>().clipboard_data());
                if !files.is_empty() {
                    e.prevent_default();
                    upload::pick(&chat, files);
                }
            }
            _ => {
                let data = e.unchecked_ref::<DragEvent>().data_transfer();
                let with_files = data
                    .as_ref()
                    .is_some_and(|d| d.types().includes(&"Files".into(), 0));
                if !with_files || near(".panel").is_none() {
                    return;
                }
                e.prevent_default();
                // Leaving counts only from the panel itself (its hint covers the rest).
                let dragging = match kind.as_str() {
                    "drop" => {
                        upload::pick(&chat, files_of(data));
                        false
                    }
                    "dragleave" => !target.matches(".panel").unwrap_or(false),
                    _ => true,
                };
                if chat.ui.read_untracked().dragging != dragging {
                    chat.ui.write().dragging = dragging;
                }
            }
        }
    });
    for kind in [
        "click",
        "change",
        "paste",
        "dragenter",
        "dragover",
        "dragleave",
        "drop",
    ] {
        let _ = container.add_event_listener_with_callback(kind, on.as_ref().unchecked_ref());
    }
    // The widget lives as long as the page.
    on.forget();
}

/// The tray's Retry or remove button.
fn tray_button(chat: &Rc<Chat>, button: &Element) {
    let item = button.closest("[data-k]").ok().flatten();
    let Some(key) = item.and_then(|i| i.get_attribute("data-k")?.parse::<u64>().ok()) else {
        return;
    };
    let key = key as u32;
    if button.get_attribute("data-a").as_deref() == Some("r") {
        upload::retry(chat, key);
        return;
    }
    // The button goes with its file: the focus goes back to the paperclip.
    let clip = button
        .closest(".cmp")
        .ok()
        .flatten()
        .and_then(|c| c.query_selector(".clip").ok().flatten());
    upload::remove(chat, key);
    if let Some(clip) = clip {
        let _ = clip.unchecked_into::<HtmlElement>().focus();
    }
}
