//! The events a page listens to with `charla("on", event, callback)`, and the errors it is
//! told about. A leaf: the chat, the view and the page's API all deliver through it.
//!
//! Handlers run later, from a clean stack: one may call `charla(...)` again, throw, or `off`
//! itself without disturbing the widget or the other handlers.

use std::cell::{Cell, RefCell};

use js_sys::{Function, Object, Reflect};
use leptos::task::spawn_local;
use wasm_bindgen::JsValue;
use web_sys::console;

use crate::session::Failure;

/// Every event a page can listen to.
pub const EVENTS: [&str; 6] = [
    "ready",
    "open",
    "close",
    "message",
    "unread-count-changed",
    "error",
];

thread_local! {
    static HANDLERS: RefCell<Vec<(String, Function)>> = const { RefCell::new(Vec::new()) };
    static READY: Cell<bool> = const { Cell::new(false) };
}

fn call_later(event: String, handlers: Vec<Function>, arg: JsValue) {
    if handlers.is_empty() {
        return;
    }
    spawn_local(async move {
        for f in handlers {
            if let Err(e) = f.call1(&JsValue::UNDEFINED, &arg) {
                console::error_2(
                    &["charla: a handler of the \"", &event, "\" event threw"]
                        .concat()
                        .into(),
                    &e,
                );
            }
        }
    });
}

/// Deliver `event` to every handler registered now.
pub fn emit(event: &str, arg: JsValue) {
    let handlers = HANDLERS.with_borrow(|h| {
        h.iter()
            .filter(|(e, _)| e == event)
            .map(|(_, f)| f.clone())
            .collect()
    });
    call_later(event.to_owned(), handlers, arg);
}

/// `on(event, f)`; a late `on("ready")` gets it at once.
pub fn on(event: String, f: Function) {
    if !EVENTS.contains(&event.as_str()) {
        console::warn_1(
            &["charla: there is no \"", &event, "\" event"]
                .concat()
                .into(),
        );
    }
    if event == "ready" && READY.get() {
        call_later(event.clone(), vec![f.clone()], JsValue::UNDEFINED);
    }
    HANDLERS.with_borrow_mut(|h| h.push((event, f)));
}

/// `off(event, f)` removes that handler, `off(event)` all of the event's.
pub fn off(event: &str, f: Option<Function>) {
    HANDLERS
        .with_borrow_mut(|h| h.retain(|(e, g)| !(e == event && f.as_ref().is_none_or(|f| f == g))))
}

/// The widget is mounted and the queue replayed; late `on("ready")` calls get it at once.
pub fn ready() {
    READY.set(true);
    emit("ready", JsValue::UNDEFINED);
}

fn object(pairs: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    for (k, v) in pairs {
        let _ = Reflect::set(&o, &(*k).into(), v);
    }
    o.into()
}

/// `console.error("charla: …")` and an `error` event `{source, code, message}`.
pub fn error(source: &str, code: &str, message: &str) {
    console::error_1(&["charla: ", message].concat().into());
    emit(
        "error",
        object(&[
            ("source", source.into()),
            ("code", code.into()),
            ("message", message.into()),
        ]),
    );
}

/// What a page sees when the edge refuses something the widget asked on its behalf.
pub fn report(source: &str, failure: &Failure) {
    error(source, failure.code(), failure.message());
}

/// The `message` event's payload: an agent's message that just arrived.
pub fn message_event(m: &charla_shared::protocol::Message) -> JsValue {
    object(&[
        ("seq", (m.seq as f64).into()),
        ("text", m.text.as_str().into()),
        ("author", m.author.name.as_str().into()),
        ("at", (m.at as f64).into()),
    ])
}
