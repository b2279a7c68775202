//! What the visitor sees: the launcher and the chat panel.
//!
//! Message text only ever becomes text nodes (`{text}`), never markup: whatever an agent or a
//! visitor types is shown literally. `data-charla` attributes are the stable hooks for tests
//! and for site owners' analytics; class names are private to the stylesheet.

use std::rc::Rc;

use charla_shared::limits::MAX_TEXT_CHARS;
use charla_shared::protocol::AuthorKind;
use leptos::html::Textarea;
use leptos::prelude::*;
use web_sys::KeyboardEvent;

use crate::socket::Conn;
use crate::store::Row;

/// Path data shared with `loader/loader.js`, whose placeholder must look identical.
const CHAT_ICON: &str = "M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H8l-5 4V5a2 2 0 0 1 1-2z";
const CLOSE_ICON: &str = "M18.3 5.7a1 1 0 0 0-1.4 0L12 10.6 7.1 5.7a1 1 0 0 0-1.4 1.4l4.9 4.9-4.9 4.9a1 1 0 1 0 1.4 1.4l4.9-4.9 4.9 4.9a1 1 0 0 0 1.4-1.4L13.4 12l4.9-4.9a1 1 0 0 0 0-1.4z";
const SEND_ICON: &str = "M3.4 20.4 21 12 3.4 3.6 3.4 10l12.6 2-12.6 2z";

/// Opening is also what creates the visitor session (first open only) and persists the
/// open state for the rest of the tab's navigation.
pub fn set_open(conn: &Rc<Conn>, open: bool) {
    conn.ui.write().open = open;
    crate::session::set(
        crate::session::tab(),
        &conn.keys.open,
        if open { "1" } else { "0" },
    );
    if open {
        conn.connect();
    }
}

/// The read guard must be gone before [`set_open`] writes: the signal's lock is not reentrant.
pub fn toggle(conn: &Rc<Conn>) {
    let open = conn.ui.read_untracked().open;
    set_open(conn, !open);
}

fn message(row: Row) -> impl IntoView {
    let author = match row.author {
        AuthorKind::Contact => "contact",
        AuthorKind::Agent => "agent",
        AuthorKind::System => "system",
    };
    let seq = row.seq.map(|s| s.to_string()).unwrap_or_default();
    let failed = row.error.is_some();
    // Refused messages are no longer pending: they will not be sent again.
    let pending = row.seq.is_none() && !failed;
    view! {
        <div class="m" data-charla="message" data-seq=seq data-author=author
            data-pending=pending data-failed=failed>
            <span data-charla="text">{row.text}</span>
            {row.error.map(|e| view! { <span class="err" data-charla="error" role="alert">{e}</span> })}
        </div>
    }
}

pub fn app(conn: Rc<Conn>) -> impl IntoView {
    let ui = conn.ui;
    let composer = NodeRef::<Textarea>::new();

    let submit = {
        let conn = conn.clone();
        move || {
            if let Some(el) = composer.get_untracked() {
                if conn.submit(&el.value()) {
                    el.set_value("");
                    autosize(&el);
                }
            }
        }
    };
    let on_key = {
        let submit = submit.clone();
        move |ev: KeyboardEvent| {
            if ev.key() == "Enter" && !ev.shift_key() && !ev.is_composing() {
                ev.prevent_default();
                submit();
            }
        }
    };
    let (c1, c2, c3, c4) = (conn.clone(), conn.clone(), conn.clone(), conn.clone());

    view! {
        <div class="panel" data-charla="panel" role="dialog" aria-label="Chat"
            hidden=move || !ui.read().open
            on:keydown=move |ev: KeyboardEvent| if ev.key() == "Escape" { set_open(&c1, false) }>
            <div class="hd">
                <div class="hdt">
                    <div class="title">"Chat with us"</div>
                    <div class="st" data-charla="status"
                        data-state=move || ui.read().status.name()>
                        {move || ui.read().status.label()}
                    </div>
                </div>
                <button class="x" type="button" aria-label="Close chat"
                    on:click=move |_| set_open(&c2, false)>
                    <svg viewBox="0 0 24 24" aria-hidden="true"><path d=CLOSE_ICON/></svg>
                </button>
            </div>
            <div class="log" data-charla="messages" role="log" aria-live="polite">
                <For each=move || ui.read().thread.rows() key=Row::key children=message/>
            </div>
            {move || ui.read().agent_typing.then(|| view! {
                <div class="typing" data-charla="typing">"Agent is typing…"</div>
            })}
            <div class="cmp">
                <textarea data-charla="composer" aria-label="Message" placeholder="Write a message…"
                    rows="1" maxlength=MAX_TEXT_CHARS node_ref=composer
                    on:keydown=on_key
                    on:input=move |_| {
                        c3.typing(true);
                        if let Some(el) = composer.get_untracked() { autosize(&el) }
                    }
                    on:blur=move |_| c4.typing(false)></textarea>
                <button class="send" type="button" data-charla="send" aria-label="Send"
                    on:click=move |_| submit()>
                    <svg viewBox="0 0 24 24" aria-hidden="true"><path d=SEND_ICON/></svg>
                </button>
            </div>
        </div>
        <button class="launcher" type="button" data-charla="launcher"
            aria-label=move || if ui.read().open { "Close chat" } else { "Open chat" }
            aria-expanded=move || if ui.read().open { "true" } else { "false" }
            on:click=move |_| toggle(&conn)>
            <svg viewBox="0 0 24 24" aria-hidden="true">
                <path d=move || if ui.read().open { CLOSE_ICON } else { CHAT_ICON }/>
            </svg>
            {move || {
                let s = ui.read();
                let n = s.unread();
                (n > 0 && !s.open).then(|| view! { <span class="badge" data-charla="badge">{n}</span> })
            }}
        </button>
    }
}

/// Grow the composer with its content up to the CSS max-height.
fn autosize(el: &web_sys::HtmlTextAreaElement) {
    let style = web_sys::HtmlElement::style(el);
    let _ = style.set_property("height", "auto");
    let _ = style.set_property("height", &format!("{}px", el.scroll_height() + 2));
}
