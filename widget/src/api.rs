//! The page's API: `charla(command, ...args)` (typed in `widget/charla.d.ts`, documented in
//! `demo-site/docs/js-api.md`) and the events it delivers to `charla("on", event, callback)`.
//!
//! Calls made before the widget loaded were queued (by the snippet's stub, then by the loader)
//! and are replayed in order by [`replay`]; then `window.charla` is this module's function.
//! Handlers run later, from a clean stack: one may call `charla(...)` again, throw, or `off`
//! itself without disturbing the widget or the other handlers.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use js_sys::{Array, Function, Object, Reflect};
use leptos::prelude::Write;
use leptos::task::spawn_local;
use wasm_bindgen::prelude::*;
use web_sys::console;

use crate::i18n::Lang;
use crate::session::Failure;
use crate::socket::Conn;
use crate::{view, wire};

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
                    &format!("charla: a handler of the \"{event}\" event threw").into(),
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

/// `console.error("charla: …")` and an `error` event `{source, code, message}`: what a page
/// sees when the edge refuses something the widget asked on its behalf.
pub fn report(source: &str, failure: &Failure) {
    console::error_1(&format!("charla: {}", failure.message()).into());
    emit(
        "error",
        object(&[
            ("source", source.into()),
            ("code", failure.code().into()),
            ("message", failure.message().into()),
        ]),
    );
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

fn misuse(why: &str) {
    console::error_1(&format!("charla: {why}").into());
    emit(
        "error",
        object(&[
            ("source", "api".into()),
            ("code", "bad_request".into()),
            ("message", why.into()),
        ]),
    );
}

/// One call: `args` is the `arguments` of `charla(...)` (or an array of them).
pub fn command(conn: &Rc<Conn>, args: &JsValue) {
    let arg = |i: u32| Reflect::get_u32(args, i).unwrap_or_default();
    let name = arg(0).as_string().unwrap_or_default();
    match name.as_str() {
        "open" => view::set_open(conn, true),
        "close" => view::set_open(conn, false),
        "toggle" => view::toggle(conn),
        "show" | "hide" => conn.ui.write().launcher_hidden = name == "hide",
        "identify" => match wire::identify(&arg(1)) {
            Ok(request) => conn.identify(request),
            Err(why) => misuse(why),
        },
        "setLocale" => {
            let tag = arg(1).as_string().unwrap_or_default();
            let lang = if tag == "auto" {
                Some(Lang::pick(
                    conn.config.language,
                    &crate::browser_languages(),
                ))
            } else {
                Lang::parse(&tag)
            };
            match lang {
                Some(lang) => conn.ui.write().lang = lang,
                None => misuse(&format!(
                    "setLocale: \"{tag}\" is not a language of the widget (\"es\", \"en\" or \"auto\")"
                )),
            }
        }
        "reset" => {
            view::set_open(conn, false);
            conn.reset();
        }
        "on" | "off" => {
            let (event, f) = (arg(1).as_string(), arg(2).dyn_into::<Function>().ok());
            match (event, f, name == "on") {
                (Some(event), Some(f), true) => {
                    if !EVENTS.contains(&event.as_str()) {
                        console::warn_1(&format!("charla: there is no \"{event}\" event").into());
                    }
                    if event == "ready" && READY.get() {
                        call_later(event.clone(), vec![f.clone()], JsValue::UNDEFINED);
                    }
                    HANDLERS.with_borrow_mut(|h| h.push((event, f)));
                }
                // `off(event, f)` removes that handler, `off(event)` all of the event's.
                (Some(event), f, false) => HANDLERS.with_borrow_mut(|h| {
                    h.retain(|(e, g)| !(*e == event && f.as_ref().is_none_or(|f| f == g)))
                }),
                _ => misuse("on/off take an event name and a function"),
            }
        }
        _ => misuse(&format!("unknown command \"{name}\"")),
    }
}

/// Calls queued before the widget loaded, in the order the page made them.
pub fn replay(conn: &Rc<Conn>, queue: &JsValue) {
    let len = Reflect::get(queue, &"length".into())
        .ok()
        .and_then(|v| v.as_f64())
        .unwrap_or(0.0) as u32;
    for i in 0..len {
        if let Ok(args) = Reflect::get_u32(queue, i) {
            command(conn, &args);
        }
    }
}

/// `window.charla` from now on.
pub fn install(conn: &Rc<Conn>) {
    let conn = conn.clone();
    let api = Closure::<dyn Fn(JsValue, JsValue, JsValue)>::new(move |a, b, c| {
        command(&conn, &Array::of3(&a, &b, &c))
    });
    let _ = Reflect::set(&js_sys::global(), &"charla".into(), &api.into_js_value());
}
