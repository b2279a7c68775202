//! The conversation's lifecycle in the view: status and owner in the header, the action
//! buttons (with the assign menu), the close dialog and the timeline lines in the log.

use charla_shared::basic::ConversationStatus;
use charla_shared::lifecycle::Action;
use charla_shared::lifecycle::{
    ActivityEvent, ClosingNote, LifecycleSettings, NoteRequirement, MAX_SUMMARY_CHARS,
};
use charla_shared::protocol::LifecycleView;
use leptos::ev::KeyboardEvent;
use leptos::html::Form;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::chat::activity;
use crate::chat::assign_menu::AssignMenu;
use crate::chat::run_menu::RunMenu;
use crate::dates;
use crate::i18n::tr;
use crate::shell::workspace::Workspace;

/// "Open"/"Closed" and who holds the conversation.
#[component]
pub fn LifecycleSummary(
    status: Memo<Option<ConversationStatus>>,
    lifecycle: Memo<Option<LifecycleView>>,
    me_id: String,
    /// Display name of an agent id.
    agent_name: Callback<String, String>,
) -> impl IntoView {
    let state = move || match status.get() {
        Some(ConversationStatus::Closed) => "closed",
        _ => "open",
    };
    let assignee = move || {
        let life = lifecycle.get()?;
        Some(match life.assignee_id {
            Some(id) if id == me_id => tr().assigned_to_you.to_owned(),
            Some(id) => tr().assigned_to(&agent_name.run(id)),
            None => tr().unassigned.to_owned(),
        })
    };
    let ws = expect_context::<Workspace>();
    let team = move || {
        let id = lifecycle.with(|l| l.as_ref()?.team_id.clone())?;
        Some(tr().team_named(&ws.team_name(&id).unwrap_or(id)))
    };
    view! {
        <Show when=move || status.with(Option::is_some)>
            <span class="state-tag" data-charla="conversation-state" data-state=state>
                {move || if state() == "closed" { tr().closed } else { tr().open }}
            </span>
        </Show>
        // Nobody holds a closed conversation; "Unassigned" would read as a call to act.
        <Show when=move || {
            lifecycle.with(|l| l.as_ref().is_some_and(|l| l.status == ConversationStatus::Open))
        }>
            <span class="assignee" data-charla="assignee">
                {assignee.clone()}
            </span>
        </Show>
        <Show when=move || team().is_some()>
            <span class="team-tag" data-charla="conversation-team">
                {move || team().unwrap_or_default()}
            </span>
        </Show>
    }
}

/// The buttons an agent acts with (and the "Run workflow" menu). Hidden until the first `lifecycle` says what applies;
/// disabled while an action waits for its answer.
#[component]
pub fn LifecycleActions(
    /// For the "Run workflow" menu.
    conversation_id: String,
    lifecycle: Memo<Option<LifecycleView>>,
    busy: Memo<bool>,
    me_id: String,
    act: Callback<Action>,
    open_close_dialog: Callback<()>,
) -> impl IntoView {
    let open = move || {
        lifecycle.with(|l| {
            l.as_ref()
                .is_some_and(|l| l.status == ConversationStatus::Open)
        })
    };
    let closed = move || {
        lifecycle.with(|l| {
            l.as_ref()
                .is_some_and(|l| l.status == ConversationStatus::Closed)
        })
    };
    let assigned = move || {
        lifecycle.with(|l| {
            l.as_ref()
                .is_some_and(|l| l.status == ConversationStatus::Open && l.assignee_id.is_some())
        })
    };
    let mine = {
        let me_id = me_id.clone();
        move || {
            lifecycle.with(|l| {
                l.as_ref()
                    .and_then(|l| l.assignee_id.as_deref())
                    .is_some_and(|a| a == me_id)
            })
        }
    };
    let bot_paused = move || lifecycle.with(|l| l.as_ref().is_some_and(|l| l.bot_paused));
    let disabled = move || busy.get();
    let assign_to_me = move |_| {
        act.run(Action::Assign {
            agent_id: me_id.clone(),
            team_id: None,
        })
    };
    view! {
        <div class="conversation-actions" role="group" aria-label=move || tr().conversation_actions>
            <Show when=open>
                <AssignMenu lifecycle busy act />
            </Show>
            <Show when=move || open() && !mine()>
                <button
                    type="button"
                    data-charla="assign-to-me"
                    aria-label=move || tr().assign_to_me
                    disabled=disabled
                    on:click=assign_to_me.clone()
                >
                    {move || tr().assign_to_me}
                </button>
            </Show>
            <Show when=assigned>
                <button
                    type="button"
                    data-charla="unassign"
                    aria-label=move || tr().unassign
                    disabled=disabled
                    on:click=move |_| act.run(Action::Unassign)
                >
                    {move || tr().unassign}
                </button>
            </Show>
            <RunMenu conversation_id busy />
            <Show when=open>
                <button
                    type="button"
                    data-charla="toggle-bot"
                    aria-label=move || if bot_paused() { tr().resume_bot } else { tr().pause_bot }
                    disabled=disabled
                    on:click=move |_| {
                        act.run(if bot_paused() { Action::ResumeBot } else { Action::PauseBot })
                    }
                >
                    {move || if bot_paused() { tr().resume_bot } else { tr().pause_bot }}
                </button>
                <button
                    type="button"
                    class="primary"
                    data-charla="close-conversation"
                    aria-label=move || tr().close_conversation
                    aria-haspopup="dialog"
                    disabled=disabled
                    on:click=move |_| open_close_dialog.run(())
                >
                    {move || tr().close_conversation}
                </button>
            </Show>
            <Show when=closed>
                <button
                    type="button"
                    class="primary"
                    data-charla="reopen"
                    aria-label=move || tr().reopen
                    disabled=disabled
                    on:click=move |_| act.run(Action::Reopen)
                >
                    {move || tr().reopen}
                </button>
            </Show>
        </div>
    }
}

/// Empty or blank fields are sent as absent.
fn field(value: &str) -> Option<String> {
    let value = value.trim();
    (!value.is_empty()).then(|| value.to_owned())
}

/// Asks for the closing note. It stays open until a `lifecycle` says the conversation is
/// closed (the parent closes it then) or the agent cancels; a refusal is shown inside it.
/// The category is a choice among the workspace's categories when it has any (the edge
/// accepts nothing else); fields the workspace does not ask for are left out.
#[component]
pub fn CloseDialog(
    /// Why the edge refused the close, if it did.
    error: Memo<Option<String>>,
    busy: Memo<bool>,
    act: Callback<Action>,
    cancel: Callback<()>,
) -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let category = RwSignal::new(String::new());
    let summary = RwSignal::new(String::new());
    let local_error = RwSignal::new(None::<String>);
    let categories = Memo::new(move |_| {
        ws.closing
            .with(|s| s.as_ref().map(|s| s.categories.clone()).unwrap_or_default())
    });
    let rule = move |pick: fn(&LifecycleSettings) -> NoteRequirement| {
        ws.closing
            .with(|s| s.as_ref().map(pick).unwrap_or_default())
    };
    let category_rule = Memo::new(move |_| rule(|s| s.closing_category));
    let summary_rule = Memo::new(move |_| rule(|s| s.closing_summary));
    let form = NodeRef::<Form>::new();
    Effect::new(move |_| {
        let first = form
            .get()
            .and_then(|f| f.query_selector("select, input, textarea").ok().flatten())
            .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(el) = first {
            let _ = el.focus();
        }
    });

    let submit = move || {
        let summary = (summary_rule.get_untracked() != NoteRequirement::Disabled)
            .then(|| field(&summary.get_untracked()))
            .flatten();
        if let Some(s) = &summary {
            let chars = s.chars().count();
            if chars > MAX_SUMMARY_CHARS {
                local_error.set(Some(
                    crate::i18n::tr_untracked().summary_too_long(chars, MAX_SUMMARY_CHARS),
                ));
                return;
            }
        }
        let category = (category_rule.get_untracked() != NoteRequirement::Disabled)
            .then(|| field(&category.get_untracked()))
            .flatten();
        local_error.set(None);
        act.run(Action::Close {
            note: ClosingNote { category, summary },
        });
    };
    let on_keydown = move |ev: KeyboardEvent| {
        if ev.key() == "Escape" {
            ev.prevent_default();
            cancel.run(());
        }
    };
    let shown_error = move || local_error.get().or_else(|| error.get());
    let required = |r: Memo<NoteRequirement>| move || r.get() == NoteRequirement::Required;

    view! {
        <div
            class="close-dialog"
            role="dialog"
            aria-label=move || tr().close_conversation
            data-charla="close-dialog"
            on:keydown=on_keydown
        >
            <form
                node_ref=form
                novalidate
                on:submit=move |ev| {
                    ev.prevent_default();
                    submit();
                }
            >
                <h3>{move || tr().close_conversation}</h3>
                <Show when=move || category_rule.get() != NoteRequirement::Disabled>
                    <label>
                        <span>
                            {move || tr().category}
                            <Show when=required(category_rule)>
                                <span class="required">{move || tr().required_suffix}</span>
                            </Show>
                        </span>
                        {move || {
                            if categories.with(Vec::is_empty) {
                                view! {
                                    <input
                                        type="text"
                                        aria-label=move || tr().category
                                        data-charla="close-category"
                                        autocomplete="off"
                                        prop:value=move || category.get()
                                        on:input=move |ev| category.set(event_target_value(&ev))
                                    />
                                }
                                    .into_any()
                            } else {
                                view! {
                                    <select
                                        aria-label=move || tr().category
                                        data-charla="close-category"
                                        on:change=move |ev| category.set(event_target_value(&ev))
                                    >
                                        <option
                                            value=""
                                            prop:selected=move || category.with(String::is_empty)
                                        >
                                            {move || tr().choose_category}
                                        </option>
                                        {categories
                                            .get()
                                            .into_iter()
                                            .map(|c| {
                                                let value = c.clone();
                                                let attr = c.clone();
                                                view! {
                                                    <option
                                                        value=attr
                                                        prop:selected=move || category.with(|x| *x == value)
                                                    >
                                                        {c}
                                                    </option>
                                                }
                                            })
                                            .collect_view()}
                                    </select>
                                }
                                    .into_any()
                            }
                        }}
                    </label>
                </Show>
                <Show when=move || summary_rule.get() != NoteRequirement::Disabled>
                    <label>
                        <span>
                            {move || tr().summary}
                            <Show when=required(summary_rule)>
                                <span class="required">{move || tr().required_suffix}</span>
                            </Show>
                        </span>
                        <textarea
                            aria-label=move || tr().summary
                            data-charla="close-summary"
                            rows="3"
                            maxlength=MAX_SUMMARY_CHARS.to_string()
                            prop:value=move || summary.get()
                            on:input=move |ev| summary.set(event_target_value(&ev))
                        ></textarea>
                    </label>
                </Show>
                <Show when=move || shown_error().is_some()>
                    <p class="form-error" role="alert" data-charla="close-error">
                        {move || shown_error().unwrap_or_default()}
                    </p>
                </Show>
                <div class="dialog-buttons">
                    <button
                        type="button"
                        data-charla="close-cancel"
                        aria-label=move || tr().cancel
                        on:click=move |_| cancel.run(())
                    >
                        {move || tr().cancel}
                    </button>
                    <button
                        type="submit"
                        class="primary"
                        data-charla="close-confirm"
                        aria-label=move || tr().confirm_close
                        aria-busy=move || if busy.get() { "true" } else { "false" }
                        disabled=move || busy.get()
                    >
                        {move || tr().close_confirm_button}
                    </button>
                </div>
            </form>
        </div>
    }
}

/// One timeline event in the log. The text (closing notes included) is a text node.
#[component]
pub fn ActivityLine(event: ActivityEvent, agent_name: Callback<String, String>) -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let kind = activity::kind_attr(&event.kind);
    let source = activity::source_attr(event.source);
    let at = event.at;
    let text = move || {
        activity::describe(
            tr(),
            &event,
            &activity::Names {
                agent: &|id| agent_name.run(id.to_owned()),
                team: &|id| ws.team_name(id).unwrap_or_else(|| id.to_owned()),
                workflow: &|id| ws.workflow_name(id).unwrap_or_else(|| id.to_owned()),
            },
        )
    };
    view! {
        <div
            class="activity"
            data-charla="activity"
            data-kind=kind
            data-source=source
        >
            <span data-charla="activity-text">{text}</span>
            " · "
            <time datetime=dates::iso_date(at) title=dates::full_date(at)>
                {dates::clock(at)}
            </time>
        </div>
    }
}
