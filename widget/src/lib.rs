//! Charla's visitor chat widget.
//!
//! `loader/loader.js` (the only script a host page includes) draws a placeholder launcher in a
//! Shadow DOM root and, on click or when the browser is idle, imports this crate's wasm-bindgen
//! output and calls [`mount`]. Everything the widget draws lives in that shadow root, so the
//! host page's CSS cannot reach it and ours cannot leak out.
//!
//! Modules: `store` is the pure conversation merge logic (unit-tested natively), `ui` the
//! reactive state, `socket` the WebSocket lifecycle, `session` browser storage and the session
//! request, `wire` decoding of server JSON, `view` the Leptos components.

mod session;
mod socket;
mod store;
mod ui;
mod view;
mod wire;

use std::rc::Rc;

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use web_sys::{EventTarget, HtmlElement, ShadowRoot, VisibilityState};

use socket::Conn;

/// The whole stylesheet; inlined so opening the chat costs no extra request.
pub const CSS: &str = include_str!("widget.css");

/// Entry point called by the loader once the wasm is instantiated.
///
/// `config`: `{edge, workspace, open, queue}` — the edge origin, the workspace id, whether the
/// panel should open right away (the visitor clicked during loading, or it was open on the
/// previous page of this tab), and the `charla(...)` command queue collected so far.
#[wasm_bindgen]
pub fn mount(root: ShadowRoot, config: JsValue) {
    let get = |key: &str| js_sys::Reflect::get(&config, &key.into()).unwrap_or_default();
    let edge = get("edge").as_string().unwrap_or_default();
    let edge = edge.trim_end_matches('/').to_owned();
    let workspace = get("workspace").as_string().unwrap_or_default();
    let open = get("open").as_bool().unwrap_or(false);
    let queue = get("queue");

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
    let container: HtmlElement = container.unchecked_into();
    let _ = root.append_child(&container);

    let host = container.clone();
    leptos::mount::mount_to(container, move || {
        let keys = session::Keys::new(&workspace);
        let seen = session::get(session::local(), &keys.seen)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let visible = document.visibility_state() == VisibilityState::Visible;
        let ui = ui::new(visible, seen);
        let conn = Conn::new(edge, workspace, ui);
        watch_page(&conn, &host);
        if open {
            view::set_open(&conn, true);
        } else if conn.has_session() {
            // A returning visitor: connect while closed so agent replies show on the badge.
            conn.connect();
        }
        run_queue(&conn, &queue);
        view::app(conn)
    })
    .forget();

    for node in placeholder {
        let _ = root.remove_child(&node);
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

/// Page-level concerns: tab visibility, network, keyboard-resized viewport, title, reads.
fn watch_page(conn: &Rc<Conn>, container: &HtmlElement) {
    let ui = conn.ui;
    let window = window();
    let document = document();

    {
        let (conn, doc) = (conn.clone(), document.clone());
        listen(&document, "visibilitychange", move || {
            let visible = doc.visibility_state() == VisibilityState::Visible;
            conn.ui.write().visible = visible;
            // Mobile browsers kill sockets of background tabs; come back online at once.
            if visible {
                conn.wake();
            }
        });
    }
    {
        let conn = conn.clone();
        listen(&window, "online", move || conn.wake());
    }
    {
        let conn = conn.clone();
        set_interval(move || conn.tick(), socket::PING_EVERY);
    }

    // On phones the panel covers the *visual* viewport, so the on-screen keyboard never hides
    // the composer. The CSS reads these variables only in its narrow-screen media query.
    if let Some(vv) = window.visual_viewport() {
        let (v, style) = (vv.clone(), container.style());
        let apply = move || {
            // Whole pixels: formatting floats would link ~10 KB of float printing.
            let _ = style.set_property("--vvh", &format!("{}px", v.height() as i32));
            let _ = style.set_property("--vvt", &format!("{}px", v.offset_top() as i32));
        };
        apply();
        listen(&vv, "resize", apply.clone());
        listen(&vv, "scroll", apply);
    }

    // One effect for every page-level consequence of the state (each effect costs bytes).
    // Its value is what was last scrolled to, so the list only jumps on new content.
    let (conn2, host) = (conn.clone(), container.clone());
    let mut prefix = String::new();
    Effect::new(move |scrolled: Option<(u64, usize, bool)>| {
        let s = ui.read();
        let (open, visible, n) = (s.open, s.visible, s.unread());
        let content = (s.thread.last_seq(), s.thread.pending.len());
        drop(s);
        if open && visible {
            conn2.mark_read();
        }

        // "(N) " before the page title while the tab is hidden and replies wait. The page may
        // retitle itself meanwhile, so only our own prefix is ever stripped.
        let title = document.title();
        let base = title.strip_prefix(prefix.as_str()).unwrap_or(&title);
        prefix = if !visible && n > 0 {
            format!("({n}) ")
        } else {
            String::new()
        };
        let next = format!("{prefix}{base}");
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
                if let (true, true, Ok(Some(input))) =
                    (just_opened, wide, host.query_selector("textarea"))
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

    let c = conn.clone();
    let api = Closure::<dyn Fn(JsValue)>::new(move |name: JsValue| command(&c, name));
    let _ = js_sys::Reflect::set(&window, &"charla".into(), &api.into_js_value());
}

/// Commands site owners queued with `charla("open")` before the widget loaded. Each entry is
/// the `arguments` object of one call.
fn run_queue(conn: &Rc<Conn>, queue: &JsValue) {
    let len = js_sys::Reflect::get(queue, &"length".into())
        .ok()
        .and_then(|v| v.as_f64())
        .unwrap_or(0.0) as u32;
    for i in 0..len {
        if let Ok(args) = js_sys::Reflect::get_u32(queue, i) {
            command(conn, js_sys::Reflect::get_u32(&args, 0).unwrap_or_default());
        }
    }
}

fn command(conn: &Rc<Conn>, name: JsValue) {
    match name.as_string().as_deref() {
        Some("open") => view::set_open(conn, true),
        Some("close") => view::set_open(conn, false),
        Some("toggle") => view::toggle(conn),
        _ => {}
    }
}
