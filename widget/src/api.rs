//! The page's API: `charla(command, ...args)` (typed in `widget/charla.d.ts`, documented in
//! `demo-site/docs/js-api.md`); the events it delivers are [`crate::events`].
//!
//! Calls made before the widget loaded were queued (by the snippet's stub, then by the loader)
//! and are replayed in order by [`replay`]; then `window.charla` is this module's function.

use std::rc::Rc;

use js_sys::{Array, Function, Reflect};
use leptos::prelude::Write;
use wasm_bindgen::prelude::*;

use crate::chat::Chat;
use crate::events;
use crate::i18n::Lang;
use crate::{view, wire};

fn misuse(why: &str) {
    events::error("api", "bad_request", why);
}

/// One call: `args` is the `arguments` of `charla(...)` (or an array of them).
pub fn command(chat: &Rc<Chat>, args: &JsValue) {
    let arg = |i: u32| Reflect::get_u32(args, i).unwrap_or_default();
    let name = arg(0).as_string().unwrap_or_default();
    match name.as_str() {
        "open" => view::set_open(chat, true),
        "close" => view::set_open(chat, false),
        "toggle" => view::toggle(chat),
        "show" | "hide" => chat.ui.write().launcher_hidden = name == "hide",
        "identify" => match wire::identify(&arg(1)) {
            Ok(body) => chat.identify(body),
            Err(why) => misuse(why),
        },
        "setLocale" => {
            let tag = arg(1).as_string().unwrap_or_default();
            let lang = if tag == "auto" {
                Some(Lang::pick(
                    chat.config.language,
                    &crate::browser_languages(),
                ))
            } else {
                Lang::parse(&tag)
            };
            match lang {
                Some(lang) => chat.ui.write().lang = lang,
                None => misuse(
                    &[
                        "setLocale: \"",
                        &tag,
                        "\" is not a language of the widget (\"es\", \"en\" or \"auto\")",
                    ]
                    .concat(),
                ),
            }
        }
        "reset" => {
            view::set_open(chat, false);
            chat.reset();
        }
        "on" | "off" => {
            let (event, f) = (arg(1).as_string(), arg(2).dyn_into::<Function>().ok());
            match (event, f, name == "on") {
                (Some(event), Some(f), true) => events::on(event, f),
                (Some(event), f, false) => events::off(&event, f),
                _ => misuse("on/off take an event name and a function"),
            }
        }
        _ => misuse(&["unknown command \"", &name, "\""].concat()),
    }
}

/// Calls queued before the widget loaded, in the order the page made them.
pub fn replay(chat: &Rc<Chat>, queue: &JsValue) {
    let len = Reflect::get(queue, &"length".into())
        .ok()
        .and_then(|v| v.as_f64())
        .unwrap_or(0.0) as u32;
    for i in 0..len {
        if let Ok(args) = Reflect::get_u32(queue, i) {
            command(chat, &args);
        }
    }
}

/// `window.charla` from now on.
pub fn install(chat: &Rc<Chat>) {
    let chat = chat.clone();
    let api = Closure::<dyn Fn(JsValue, JsValue, JsValue)>::new(move |a, b, c| {
        command(&chat, &Array::of3(&a, &b, &c))
    });
    let _ = Reflect::set(&js_sys::global(), &"charla".into(), &api.into_js_value());
}
