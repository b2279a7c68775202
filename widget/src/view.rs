//! What the visitor sees: the launcher and the chat panel.
//!
//! Message text, and every text the site owner configured (header, greeting, away message,
//! launcher label, pre-chat labels), only ever becomes text nodes or attribute values, never
//! markup: whatever an agent, a visitor or an owner types is shown literally. `data-charla`
//! attributes are the stable hooks for tests and for site owners' analytics; class names are
//! private to the stylesheet.

use std::rc::Rc;

use charla_shared::limits::MAX_TEXT_CHARS;
use charla_shared::protocol::AuthorKind;
use charla_shared::widget_settings::{PrechatKind, PublicWidgetConfig};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlInputElement, HtmlTextAreaElement, KeyboardEvent, SubmitEvent};

use crate::chat::Chat;
use crate::i18n::Text;
use crate::prechat::Problem;
use crate::thread::{rows, Refusal, Row};
use crate::ui::{State, Status, Ui};

/// Path data shared with `loader/loader.js`, whose placeholder must look identical.
const CHAT_ICON: &str = "M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H8l-5 4V5a2 2 0 0 1 1-2z";
const CLOSE_ICON: &str = "M18.3 5.7a1 1 0 0 0-1.4 0L12 10.6 7.1 5.7a1 1 0 0 0-1.4 1.4l4.9 4.9-4.9 4.9a1 1 0 1 0 1.4 1.4l4.9-4.9 4.9 4.9a1 1 0 0 0 1.4-1.4L13.4 12l4.9-4.9a1 1 0 0 0 0-1.4z";
const SEND_ICON: &str = "M3.4 20.4 21 12 3.4 3.6 3.4 10l12.6 2-12.6 2z";

/// Opening is also what creates the visitor session (first open only) and persists the
/// open state for the rest of the tab's navigation. Opening an open chat (or closing a closed
/// one) does nothing: no event, and nothing stored for a visitor who never opened it.
pub fn set_open(chat: &Rc<Chat>, open: bool) {
    let changed = {
        let mut s = chat.ui.write();
        let changed = s.open != open;
        s.open = open;
        changed
    };
    if !changed {
        // A chat that could not start gets another try each time it is asked to open.
        if open && chat.ui.read_untracked().status == Status::Unavailable {
            chat.connect();
        }
        return;
    }
    crate::session::set(
        crate::session::tab(),
        &chat.keys.open,
        if open { "1" } else { "0" },
    );
    if open {
        chat.connect();
    }
    crate::events::emit(
        if open { "open" } else { "close" },
        wasm_bindgen::JsValue::UNDEFINED,
    );
}

/// The read guard must be gone before [`set_open`] writes: the signal's lock is not reentrant.
pub fn toggle(chat: &Rc<Chat>) {
    let open = chat.ui.read_untracked().open;
    set_open(chat, !open);
}

/// The workspace's public config, fixed for the page's life.
type Cfg = &'static PublicWidgetConfig;

/// A reactive text or attribute: what `f` makes of the state (and the config), redrawn when
/// the state changes (a `setLocale` among others). Not generic: every such text in the view is
/// this one closure type, so the wasm holds one copy of the reactive rendering code for all of
/// them instead of one per string. Each `f` is a plain function.
fn text(
    ui: Ui,
    cfg: Cfg,
    f: fn(&State, Cfg) -> &'static str,
) -> impl Fn() -> &'static str + Clone + Send + Sync {
    move || f(&ui.read(), cfg)
}

/// [`text`] for boolean attributes (`hidden`, `disabled`).
fn flag(ui: Ui, cfg: Cfg, f: fn(&State, Cfg) -> bool) -> impl Fn() -> bool + Clone + Send + Sync {
    move || f(&ui.read(), cfg)
}

/// The owner's text, or the translated default when they left it empty.
fn own(owner: &'static str, default: &'static str) -> &'static str {
    if owner.is_empty() {
        default
    } else {
        owner
    }
}

fn message(ui: Ui, cfg: Cfg, row: Row) -> impl IntoView {
    let author = match row.author {
        AuthorKind::Contact => "contact",
        AuthorKind::Agent => "agent",
        AuthorKind::System => "system",
    };
    let seq = row.seq.map(crate::wire::decimal_string).unwrap_or_default();
    let failed = row.error.is_some();
    // Refused messages are no longer pending: they will not be sent again.
    let pending = row.seq.is_none() && !failed;
    view! {
        // `data-files`: the files module draws them after the text (`attachments`).
        <div class="m" data-charla="message" data-seq=seq data-author=author
            data-pending=pending data-failed=failed data-files=row.files>
            {row.who.map(|a| view! {
                <span class="who" data-charla="author">
                    <span class="ai" aria-hidden="true">{a.initials}</span>{a.name}
                </span>
            })}
            <span data-charla="text">{row.text}</span>
            {(!row.buttons.is_empty()).then(|| view! {
                <div class="qr" data-charla="quick-replies">
                    {row.buttons.into_iter().map(|b| view! {
                        <button type="button" data-charla="quick-reply" data-value=b.value>
                            {b.label}
                        </button>
                    }).collect_view()}
                </div>
            })}
            {row.seen.then(|| view! {
                <span class="seen" data-charla="seen">{text(ui, cfg, |s, _| s.t().seen)}</span>
            })}
            {row.error.map(|e| view! {
                <span class="err" data-charla="error" role="alert">
                    {text(ui, cfg, match e {
                        Refusal::TooLong => |s, _| s.t().too_long,
                        Refusal::NotSent => |s, _| s.t().not_sent,
                    })}
                </span>
            })}
        </div>
    }
}

/// The header line: the connection when it is not up, else when the team replies.
fn status_line(s: &State, config: Cfg) -> &'static str {
    let t = s.t();
    match s.status {
        Status::Connecting => t.connecting,
        Status::Offline => t.reconnecting,
        Status::Unavailable => t.unavailable_status,
        Status::Online if config.online => t.replies_in(config.replies_in),
        Status::Online => t.away_status,
    }
}

fn problem_text(t: &Text, p: Problem) -> &'static str {
    match p {
        Problem::Required => t.required,
        Problem::Email => t.bad_email,
        Problem::Phone => t.bad_phone,
    }
}

/// The pre-chat form: the owner's questions, checked here before anything is sent, each
/// problem under its field. Drawn once and hidden when not needed, so redraws never lose what
/// the visitor typed.
fn prechat_form(chat: Rc<Chat>) -> impl IntoView {
    let (ui, config) = (chat.ui, chat.config);
    let fields = chat.config.prechat.fields.iter().map(|f| {
        let key: &'static str = &f.key;
        let id = ["charla-", key].concat();
        let err_id = [&id, "-error"].concat();
        let (kind, autocomplete) = match f.kind {
            PrechatKind::Name => ("text", "name"),
            PrechatKind::Email => ("email", "email"),
            PrechatKind::Phone => ("tel", "tel"),
            PrechatKind::Text => ("text", "off"),
        };
        let problem = move || ui.read().prechat.problem(key);
        let label: &'static str = &f.label;
        view! {
            <div class="f">
                <label for=id.clone()>
                    {label}
                    {(!f.required).then(|| view! { <span class="opt">" " {text(ui, config, |s, _| s.t().optional)}</span> })}
                </label>
                <input id=id name=key type=kind autocomplete=autocomplete required=f.required
                    aria-invalid=move || if problem().is_some() { "true" } else { "false" }
                    aria-describedby=err_id.clone()/>
                <div class="fe" id=err_id data-charla="field-error" data-field=key role="alert">
                    {move || problem().map(|p| problem_text(ui.read().t(), p))}
                </div>
            </div>
        }
    });
    let fields = fields.collect_view();
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let Some(form) = ev
            .current_target()
            .and_then(|t| t.dyn_into::<Element>().ok())
        else {
            return;
        };
        let Ok(inputs) = form.query_selector_all("input") else {
            return;
        };
        let answers = (0..inputs.length())
            .filter_map(|i| inputs.item(i)?.dyn_into::<HtmlInputElement>().ok())
            .map(|input| (input.name(), input.value()))
            .collect();
        chat.submit_prechat(answers);
        // Take the visitor to the first problem.
        let first = chat.ui.read_untracked().prechat.problems.first().cloned();
        if let Some(Ok(Some(bad))) =
            first.map(|(key, _)| form.query_selector(&["[name=\"", &key, "\"]"].concat()))
        {
            let _ = bad.unchecked_into::<web_sys::HtmlElement>().focus();
        }
    };
    view! {
        <form class="pc" data-charla="prechat" novalidate on:submit=submit
            hidden=flag(ui, config, |s, c| !s.needs_prechat(c))>
            <p class="pci">{text(ui, config, |s, _| s.t().prechat_intro)}</p>
            {fields}
            {move || ui.read().prechat.error.clone().map(|e| view! {
                <div class="fe" data-charla="prechat-error" role="alert">
                    {if e.is_empty() { ui.read().t().failed.to_owned() } else { e }}
                </div>
            })}
            <button class="go" type="submit" data-charla="prechat-submit"
                disabled=flag(ui, config, |s, _| s.prechat.busy)>
                {text(ui, config, |s, _| if s.prechat.busy { s.t().sending } else { s.t().start })}
            </button>
        </form>
    }
}

pub fn app(chat: Rc<Chat>) -> impl IntoView {
    let (ui, config) = (chat.ui, chat.config);
    // The composer is found from its events (no node ref: a signal of its own in the wasm).
    let submit = {
        let chat = chat.clone();
        move |el: Option<HtmlTextAreaElement>| {
            if let Some(el) = el {
                if chat.submit_composed(&el.value()) {
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
                submit(composer_of(&ev));
            }
        }
    };
    let (c1, c2, c3, c4) = (chat.clone(), chat.clone(), chat.clone(), chat.clone());
    let (c5, c7) = (chat.clone(), chat.clone());
    let label: &'static str = &config.launcher_label;
    let agents = (!config.agents.is_empty()).then(|| {
        let faces = config.agents.iter().map(|a| {
            let (name, initials): (&'static str, &'static str) = (&a.name, &a.initials);
            view! { <span class="ai" title=name>{initials}</span> }
        });
        view! {
            <div class="av" data-charla="agents" role="img" aria-label=text(ui, config, |s, _| s.t().team)>
                {faces.collect_view()}
            </div>
        }
    });

    view! {
        <div class="panel" data-charla="panel" role="dialog"
            aria-label=text(ui, config, |s, _| s.t().chat)
            hidden=flag(ui, config, |s, _| !s.open)
            // While files are dragged over it, the CSS draws this over the panel (set by
            // `attachments.js`).
            data-drop=""
            on:keydown=move |ev: KeyboardEvent| if ev.key() == "Escape" { set_open(&c1, false) }>
            <div class="hd">
                {agents}
                <div class="hdt">
                    <div class="title" data-charla="title">
                        {text(ui, config, |s, c| own(&c.header_text, s.t().title))}
                    </div>
                    <div class="st" data-charla="status"
                        data-state=text(ui, config, |s, _| s.status.name())
                        data-away=!config.online>
                        {text(ui, config, status_line)}
                    </div>
                </div>
                <button class="x" type="button" aria-label=text(ui, config, |s, _| s.t().close_chat)
                    on:click=move |_| set_open(&c2, false)>
                    <svg viewBox="0 0 24 24" aria-hidden="true"><path d=CLOSE_ICON/></svg>
                </button>
            </div>
            // Quick replies (in the message lines): a click sends the label as the visitor's
            // message. One handler for all of them.
            <div class="log" data-charla="messages" role="log" aria-live="polite"
                on:click=move |ev: web_sys::MouseEvent| {
                    let target = ev.target().and_then(|t| t.dyn_into::<Element>().ok());
                    let reply = target.and_then(|el| el.closest("[data-charla=quick-reply]").ok().flatten());
                    if let Some(label) = reply.and_then(|b| b.text_content()) {
                        c7.submit(&label);
                    }
                }>
                <div class="m gr" data-charla="greeting">
                    {text(ui, config, |s, c| own(&c.greeting, s.t().greeting))}
                </div>
                {(!config.online).then(|| view! {
                    <div class="note" data-charla="away">
                        {text(ui, config, |s, c| own(&c.away_message, s.t().away))}
                    </div>
                })}
                // `display: contents`: a wrapper for the CSS (only the newest line offers its
                // quick replies), not for the layout.
                <div class="rows">
                    <For each=move || rows(&ui.read().thread) key=Row::key
                        children=move |row| message(ui, config, row)/>
                </div>
                <div class="note na" data-charla="unavailable" role="alert"
                    hidden=flag(ui, config, |s, _| s.status != Status::Unavailable)>
                    {text(ui, config, |s, _| s.t().unavailable)}
                </div>
                {config.prechat.enabled.then(|| prechat_form(c5))}
            </div>
            <div class="typing" data-charla="typing" hidden=flag(ui, config, |s, _| !s.agent_typing)>
                {text(ui, config, |s, _| s.t().typing)}
            </div>
            // Why a message or the chat waits (rate limits): polite, and never hidden, so screen
            // readers announce it when it fills in.
            <div class="note sl" data-charla="notice" role="status">
                {text(ui, config, |s, _| s.notice())}
            </div>
            <div class="cmp"
                hidden=flag(ui, config, |s, c| s.status == Status::Unavailable || s.needs_prechat(c))>
                // Before the composer: the paperclip and its input (`attachments.js`), and the files
                // module's tray.
                <textarea data-charla="composer" aria-label=text(ui, config, |s, _| s.t().message)
                    placeholder=text(ui, config, |s, _| s.t().placeholder)
                    rows="1" maxlength=MAX_TEXT_CHARS
                    on:keydown=on_key
                    on:input=move |ev: web_sys::Event| {
                        c3.typing(true);
                        if let Some(el) = composer_of(&ev) { autosize(&el) }
                    }
                    on:blur=move |_| c4.typing(false)></textarea>
                <button class="send" type="button" data-charla="send" aria-label=text(ui, config, |s, _| s.t().send)
                    on:click=move |ev: web_sys::MouseEvent| {
                        // The send button follows the composer.
                        let button = ev.current_target().and_then(|t| t.dyn_into::<Element>().ok());
                        submit(button.and_then(|b| b.previous_element_sibling()).map(JsCast::unchecked_into))
                    }>
                    <svg viewBox="0 0 24 24" aria-hidden="true"><path d=SEND_ICON/></svg>
                </button>
            </div>
        </div>
        <button type="button" data-charla="launcher"
            class=text(ui, config, |s, c| {
                if c.launcher_label.is_empty() || s.open { "launcher" } else { "launcher lb" }
            })
            hidden=flag(ui, config, |s, _| s.launcher_hidden)
            // The owner's label, when shown, is the name: a name must contain the visible text.
            aria-label=text(ui, config, |s, c| match (s.open, c.launcher_label.as_str()) {
                (true, _) => s.t().close_chat,
                (false, "") => s.t().open_chat,
                (false, label) => label,
            })
            aria-expanded=text(ui, config, |s, _| if s.open { "true" } else { "false" })
            on:click=move |_| toggle(&chat)>
            <svg viewBox="0 0 24 24" aria-hidden="true">
                <path d=text(ui, config, |s, _| if s.open { CLOSE_ICON } else { CHAT_ICON })/>
            </svg>
            {(!label.is_empty()).then(|| view! {
                <span class="ll" hidden=flag(ui, config, |s, _| s.open)>{label}</span>
            })}
            {move || {
                let s = ui.read();
                let n = s.unread();
                (n > 0 && !s.open).then(|| {
                    let n = crate::wire::decimal_string(n as u64);
                    view! { <span class="badge" data-charla="badge">{n}</span> }
                })
            }}
        </button>
    }
}

/// The composer an event of its own happened on (it has no element inside).
fn composer_of(ev: &web_sys::Event) -> Option<HtmlTextAreaElement> {
    ev.target().map(JsCast::unchecked_into)
}

/// Grow the composer with its content up to the CSS max-height.
pub fn autosize(el: &web_sys::HtmlTextAreaElement) {
    let style = web_sys::HtmlElement::style(el);
    let _ = style.set_property("height", "auto");
    let _ = style.set_property("height", &crate::wire::px(el.scroll_height() + 2));
}
