//! The conversation's lifecycle in the view: status and owner in the header, the action
//! buttons, the close dialog and the timeline lines in the log.

use charla_shared::lifecycle::{ActivityEvent, ClosingNote, MAX_SUMMARY_CHARS};
use charla_shared::protocol::{Action, ConversationStatus, LifecycleView};
use leptos::ev::KeyboardEvent;
use leptos::html::Input;
use leptos::prelude::*;

use crate::{activity, browser};

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
            Some(id) if id == me_id => "Assigned to you".to_owned(),
            Some(id) => format!("Assigned to {}", agent_name.run(id)),
            None => "Unassigned".to_owned(),
        })
    };
    view! {
        <Show when=move || status.with(Option::is_some)>
            <span class="state-tag" data-charla="conversation-state" data-state=state>
                {move || if state() == "closed" { "Closed" } else { "Open" }}
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
    }
}

/// The buttons an agent acts with. Hidden until the first `lifecycle` says what applies;
/// disabled while an action waits for its answer.
#[component]
pub fn LifecycleActions(
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
        <div class="conversation-actions" role="group" aria-label="Conversation actions">
            <Show when=move || open() && !mine()>
                <button
                    type="button"
                    data-charla="assign-to-me"
                    aria-label="Assign to me"
                    disabled=disabled
                    on:click=assign_to_me.clone()
                >
                    "Assign to me"
                </button>
            </Show>
            <Show when=assigned>
                <button
                    type="button"
                    data-charla="unassign"
                    aria-label="Unassign"
                    disabled=disabled
                    on:click=move |_| act.run(Action::Unassign)
                >
                    "Unassign"
                </button>
            </Show>
            <Show when=open>
                <button
                    type="button"
                    data-charla="toggle-bot"
                    aria-label=move || if bot_paused() { "Resume bot" } else { "Pause bot" }
                    disabled=disabled
                    on:click=move |_| {
                        act.run(if bot_paused() { Action::ResumeBot } else { Action::PauseBot })
                    }
                >
                    {move || if bot_paused() { "Resume bot" } else { "Pause bot" }}
                </button>
                <button
                    type="button"
                    class="primary"
                    data-charla="close-conversation"
                    aria-label="Close conversation"
                    aria-haspopup="dialog"
                    disabled=disabled
                    on:click=move |_| open_close_dialog.run(())
                >
                    "Close conversation"
                </button>
            </Show>
            <Show when=closed>
                <button
                    type="button"
                    class="primary"
                    data-charla="reopen"
                    aria-label="Reopen"
                    disabled=disabled
                    on:click=move |_| act.run(Action::Reopen)
                >
                    "Reopen"
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
#[component]
pub fn CloseDialog(
    /// Why the edge refused the close, if it did.
    error: Memo<Option<String>>,
    busy: Memo<bool>,
    act: Callback<Action>,
    cancel: Callback<()>,
) -> impl IntoView {
    let category = RwSignal::new(String::new());
    let summary = RwSignal::new(String::new());
    let local_error = RwSignal::new(None::<String>);
    let first = NodeRef::<Input>::new();
    Effect::new(move |_| {
        if let Some(el) = first.get() {
            let _ = el.focus();
        }
    });

    let submit = move || {
        let summary = field(&summary.get_untracked());
        if let Some(s) = &summary {
            let chars = s.chars().count();
            if chars > MAX_SUMMARY_CHARS {
                local_error.set(Some(format!(
                    "The summary is {chars} characters; the limit is {MAX_SUMMARY_CHARS}."
                )));
                return;
            }
        }
        local_error.set(None);
        act.run(Action::Close {
            note: ClosingNote {
                category: field(&category.get_untracked()),
                summary,
            },
        });
    };
    let on_keydown = move |ev: KeyboardEvent| {
        if ev.key() == "Escape" {
            ev.prevent_default();
            cancel.run(());
        }
    };
    let shown_error = move || local_error.get().or_else(|| error.get());

    view! {
        <div
            class="close-dialog"
            role="dialog"
            aria-label="Close conversation"
            data-charla="close-dialog"
            on:keydown=on_keydown
        >
            <form on:submit=move |ev| {
                ev.prevent_default();
                submit();
            }>
                <h3>"Close conversation"</h3>
                <label>
                    "Category"
                    <input
                        type="text"
                        aria-label="Category"
                        data-charla="close-category"
                        autocomplete="off"
                        node_ref=first
                        prop:value=move || category.get()
                        on:input=move |ev| category.set(event_target_value(&ev))
                    />
                </label>
                <label>
                    "Summary"
                    <textarea
                        aria-label="Summary"
                        data-charla="close-summary"
                        rows="3"
                        maxlength=MAX_SUMMARY_CHARS.to_string()
                        prop:value=move || summary.get()
                        on:input=move |ev| summary.set(event_target_value(&ev))
                    ></textarea>
                </label>
                <Show when=move || shown_error().is_some()>
                    <p class="form-error" role="alert" data-charla="close-error">
                        {move || shown_error().unwrap_or_default()}
                    </p>
                </Show>
                <div class="dialog-buttons">
                    <button
                        type="button"
                        data-charla="close-cancel"
                        aria-label="Cancel"
                        on:click=move |_| cancel.run(())
                    >
                        "Cancel"
                    </button>
                    <button
                        type="submit"
                        class="primary"
                        data-charla="close-confirm"
                        aria-label="Confirm close"
                        aria-busy=move || if busy.get() { "true" } else { "false" }
                        disabled=move || busy.get()
                    >
                        "Close"
                    </button>
                </div>
            </form>
        </div>
    }
}

/// One timeline event in the log. The text (closing notes included) is a text node.
#[component]
pub fn ActivityLine(event: ActivityEvent, agent_name: Callback<String, String>) -> impl IntoView {
    let text = activity::describe(&event, &|id| agent_name.run(id.to_owned()));
    let at = event.at;
    view! {
        <div
            class="activity"
            data-charla="activity"
            data-kind=activity::kind_attr(&event.kind)
            data-source=activity::source_attr(event.source)
        >
            <span data-charla="activity-text">{text}</span>
            " · "
            <time datetime=browser::iso_date(at) title=browser::full_date(at)>
                {browser::clock(at)}
            </time>
        </div>
    }
}
