//! Charla's visitor chat widget.
//!
//! `loader/loader.js` (the only script a host page includes) draws a placeholder launcher in a
//! Shadow DOM root and, once the visitor shows intent (hover, focus or press on the launcher, an
//! `open` call, the chat open on the previous page), imports this crate's wasm-bindgen output
//! and calls [`mount`]. A click before that gets the loader's plain-DOM panel, which [`mount`]
//! replaces, taking over what the visitor wrote in it. Everything the widget draws lives in
//! that shadow root, so the host page's CSS cannot reach it and ours cannot leak out.
//!
//! Modules: `thread` the conversation's lines (drawn from the shared client replica), `i18n`
//! the strings and the choice of language, `prechat` the pre-chat form's rules (all three
//! unit-tested natively), `ui` the reactive state, `chat` the visitor's chat: its session's
//! life (identify, reset) and its WebSocket (reconnect, resume through the replica),
//! `session` browser storage and the HTTP requests, `wire` the JSON it reads and writes (tested
//! natively against the serde types), `events` the page's events, `api` the page's
//! `charla(...)` function, `view` the Leptos components, `attachments` (with
//! `attachments.js`) files as far as the first load goes: the paperclip, paste and drop, and
//! Send's question; the rest is `widget/files/files.js`, downloaded on first use.

mod api;
mod attachments;
mod chat;
mod events;
mod i18n;
mod prechat;
mod session;
mod thread;
mod ui;
mod view;
mod wire;

use std::rc::Rc;

use charla_shared::widget_settings::{foreground, Position};
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use web_sys::{Element, EventTarget, HtmlElement, ShadowRoot, VisibilityState};

use chat::Chat;
use i18n::Lang;

/// The whole stylesheet; inlined so opening the chat costs no extra request.
pub const CSS: &str = include_str!("widget.css");

/// `navigator.languages`, the visitor's languages in their order of preference.
pub fn browser_languages() -> Vec<String> {
    web_sys::window()
        .map(|w| w.navigator().languages())
        .map(|list| list.iter().filter_map(|l| l.as_string()).collect())
        .unwrap_or_default()
}

/// Entry point called by the loader once the wasm is instantiated.
///
/// `config`: `{edge, workspace, open, queue, config, draft, sent, focus}` — the edge origin,
/// the workspace id, whether the panel is open (the loader's plain panel, a queued `open`, or
/// open on the previous page of this tab; the queue holds no open/close/toggle, the loader
/// already applied them), the other `charla(...)` calls collected so far, the workspace's
/// public widget config (`null` if it could not be fetched), and the plain panel's state: the
/// text left in its composer, the messages submitted there (shown as pending, sent by nobody
/// yet) and whether its composer had the focus.
#[wasm_bindgen]
pub fn mount(root: ShadowRoot, config: JsValue) {
    let get = |key: &str| js_sys::Reflect::get(&config, &key.into()).unwrap_or_default();
    let edge = get("edge").as_string().unwrap_or_default();
    let edge = edge.trim_end_matches('/').to_owned();
    let workspace = get("workspace").as_string().unwrap_or_default();
    let open = get("open").as_bool().unwrap_or(false);
    let queue = get("queue");
    let draft = get("draft").as_string().unwrap_or_default();
    let sent: Vec<String> = get("sent")
        .dyn_into::<js_sys::Array>()
        .map(|a| a.iter().filter_map(|t| t.as_string()).collect())
        .unwrap_or_default();
    let focus = get("focus").as_bool().unwrap_or(false);
    // Lives as long as the page; leaked so the view can borrow its texts for good.
    let settings = &*Box::leak(Box::new(wire::config(&get("config"))));

    let document = document();
    // The loader's placeholder stays until our launcher exists, then goes in the same task:
    // the browser never paints a frame without a launcher.
    let placeholder = root.child_nodes();
    let placeholder: Vec<_> = (0..placeholder.length())
        .filter_map(|i| placeholder.item(i))
        .collect();
    if !adopt_css(&root) {
        let Ok(style) = document.create_element("style") else {
            return;
        };
        style.set_text_content(Some(CSS));
        let _ = root.append_child(&style);
    }
    let Ok(container) = document.create_element("div") else {
        return;
    };
    container.set_class_name("cw");
    // The loader drew its placeholder with the same variables and attribute.
    let container: HtmlElement = container.unchecked_into();
    let style = container.style();
    let _ = style.set_property("--b", &settings.brand_color);
    let _ = style.set_property("--f", foreground(&settings.brand_color));
    if settings.position == Position::Left {
        let _ = container.set_attribute("data-pos", "left");
    }
    let _ = style.set_property("--x", &format!("{}px", settings.offset_x));
    let _ = style.set_property("--y", &format!("{}px", settings.offset_y));
    if settings.hide_on_mobile {
        let _ = container.set_attribute("data-hm", "");
    }
    let _ = root.append_child(&container);

    let (host, page_host) = (container.clone(), root.host());
    // Filled in while the view is built (the pre-chat form may claim the sent messages).
    let draft = Rc::new(std::cell::RefCell::new(draft));
    let draft_slot = draft.clone();
    leptos::mount::mount_to(container.clone(), move || {
        let keys = session::Keys::new(&workspace);
        let seen = session::get(session::local(), &keys.seen)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let visible = document.visibility_state() == VisibilityState::Visible;
        let lang = Lang::pick(settings.language, &browser_languages());
        let ui = ui::new(visible, seen, lang, false);
        let chat = Chat::new(edge, workspace, settings, ui);
        ui.write().prechat.answered = chat.prechat_answered();
        watch_page(&chat, &host, page_host);
        attachments::setup(chat.edge(), &host);
        if chat.has_session() {
            // A returning visitor: connect while closed so agent replies show on the badge.
            chat.connect();
        }
        // The page's calls first (its event handlers among them), then what the loader saw.
        api::replay(&chat, &queue);
        take_over(&chat, sent, &mut draft_slot.borrow_mut());
        if open {
            view::set_open(&chat, true);
        }
        api::install(&chat);
        events::ready();
        view::app(chat)
    })
    .forget();

    for node in placeholder {
        let _ = root.remove_child(&node);
    }
    // The plain panel's composer becomes ours, with its text, caret at the end, and focus.
    if let Ok(Some(el)) = container.query_selector("textarea") {
        let el: web_sys::HtmlTextAreaElement = el.unchecked_into();
        let draft = draft.borrow();
        if !draft.is_empty() {
            el.set_value(&draft);
            view::autosize(&el);
        }
        if focus {
            let _ = el.focus();
            let _ = el.set_selection_range(u32::MAX, u32::MAX);
        }
    }
}

/// Messages the visitor submitted in the loader's plain panel join the outbox (client ids
/// given here; the first `hello` sends them, once, like any message written offline), before
/// the socket exists. Where the pre-chat form must come first they are not sent: they go back
/// into the composer the form reveals, so the form is never bypassed.
fn take_over(chat: &Rc<Chat>, sent: Vec<String>, draft: &mut String) {
    if chat.ui.read_untracked().needs_prechat(chat.config) {
        let mut texts = sent;
        texts.push(std::mem::take(draft));
        texts.retain(|t| !t.trim().is_empty());
        *draft = texts.join("\n");
    } else {
        for text in &sent {
            chat.submit(text);
        }
    }
}

/// Our stylesheet as the shadow root's only adopted (constructed) sheet, replacing the
/// loader's. Unlike a `<style>` element it is exempt from the host page's CSP `style-src`, so
/// strict sites need no `'unsafe-inline'` for us. False where the browser has no constructable
/// stylesheets (Safari before 16.4): the caller falls back to a `<style>` element.
fn adopt_css(root: &ShadowRoot) -> bool {
    use js_sys::{Array, Function, Reflect};
    let sheet = || -> Option<JsValue> {
        if !Reflect::has(root, &"adoptedStyleSheets".into()).ok()? {
            return None;
        }
        let class: Function = Reflect::get(&js_sys::global(), &"CSSStyleSheet".into())
            .ok()?
            .dyn_into()
            .ok()?;
        let sheet = Reflect::construct(&class, &Array::new()).ok()?;
        let replace: Function = Reflect::get(&sheet, &"replaceSync".into())
            .ok()?
            .dyn_into()
            .ok()?;
        replace.call1(&sheet, &CSS.into()).ok()?;
        Some(sheet)
    };
    sheet().is_some_and(|s| {
        Reflect::set(root, &"adoptedStyleSheets".into(), &Array::of1(&s)).unwrap_or(false)
    })
}

fn listen(target: &EventTarget, event: &str, f: impl Fn() + 'static) {
    let cb = Closure::<dyn Fn()>::new(f);
    let _ = target.add_event_listener_with_callback(event, cb.as_ref().unchecked_ref());
    // The widget lives as long as the page.
    cb.forget();
}

/// Page-level concerns: tab visibility, network, keyboard-resized viewport, title, reads,
/// the unread-count event and the host's `lang`.
fn watch_page(chat: &Rc<Chat>, container: &HtmlElement, page_host: Element) {
    let ui = chat.ui;
    let window = window();
    let document = document();

    {
        let (chat, doc) = (chat.clone(), document.clone());
        listen(&document, "visibilitychange", move || {
            let visible = doc.visibility_state() == VisibilityState::Visible;
            chat.ui.write().visible = visible;
            // Mobile browsers kill sockets of background tabs; come back online at once.
            if visible {
                chat.wake();
            }
        });
    }
    {
        let chat = chat.clone();
        listen(&window, "online", move || chat.wake());
    }
    {
        let chat = chat.clone();
        set_interval(move || chat.tick(), chat::PING_EVERY);
    }

    // On phones the panel covers the *visual* viewport, so the on-screen keyboard never hides
    // the composer. The CSS reads these variables only in its narrow-screen media query.
    if let Some(vv) = window.visual_viewport() {
        let (v, style) = (vv.clone(), container.style());
        let apply = move || {
            // Whole pixels: formatting floats would link ~10 KB of float printing.
            let _ = style.set_property("--vvh", &wire::px(v.height() as i32));
            let _ = style.set_property("--vvt", &wire::px(v.offset_top() as i32));
        };
        apply();
        listen(&vv, "resize", apply.clone());
        listen(&vv, "scroll", apply);
    }

    // One effect for every page-level consequence of the state (each effect costs bytes).
    // Its value is what was last scrolled to, so the list only jumps on new content.
    let (chat2, host) = (chat.clone(), container.clone());
    let mut prefix = String::new();
    let mut unread = 0;
    Effect::new(move |scrolled: Option<(u64, usize, bool)>| {
        let s = ui.read();
        let (open, visible, mut n) = (s.open, s.visible, s.unread());
        let content = (s.thread.last_seq(), s.thread.outbox().len());
        let lang = s.lang.code();
        drop(s);
        // While open: the paperclip in the visitor's language, the tray, the files of the
        // lines on screen (the files module is fetched for the first line with files).
        if open {
            attachments::tell(&chat2, attachments::Op::Draw);
        }
        if open && visible {
            // Seen as it arrives: never counted as unread, not even for a moment.
            chat2.mark_read();
            n = chat2.ui.read_untracked().unread();
        }
        if n != unread {
            unread = n;
            events::emit("unread-count-changed", (n as f64).into());
        }
        // Screen readers and hyphenation follow the widget's language, not the page's.
        if page_host.get_attribute("lang").as_deref() != Some(lang) {
            let _ = page_host.set_attribute("lang", lang);
        }

        // "(N) " before the page title while the tab is hidden and replies wait. The page may
        // retitle itself meanwhile, so only our own prefix is ever stripped.
        let title = document.title();
        let base = title.strip_prefix(prefix.as_str()).unwrap_or(&title);
        let mut next = String::new();
        if !visible && n > 0 {
            next.push('(');
            wire::decimal(&mut next, n as u64);
            next.push_str(") ");
        }
        prefix.clone_from(&next);
        next.push_str(base);
        if next != title {
            document.set_title(&next);
        }

        let key = (content.0, content.1, open);
        if open && scrolled != Some(key) {
            let just_opened = scrolled.is_none_or(|k| !k.2);
            let host = host.clone();
            // After paint, so new rows have their height.
            request_animation_frame(move || {
                if let Ok(Some(log)) = host.query_selector(".log") {
                    log.set_scroll_top(log.scroll_height());
                }
                // Not on phones: the keyboard would cover the conversation they came to read.
                let wide = leptos::prelude::window()
                    .inner_width()
                    .ok()
                    .and_then(|w| w.as_f64())
                    > Some(480.0);
                // The pre-chat form's first field when it is shown, else the composer.
                let first = ".pc:not([hidden]) input,textarea";
                if let (true, true, Ok(Some(input))) =
                    (just_opened, wide, host.query_selector(first))
                {
                    let _ = input.unchecked_into::<HtmlElement>().focus();
                }
            });
        }
        if open {
            key
        } else {
            (0, 0, false)
        }
    });
}
