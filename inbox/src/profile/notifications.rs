//! Notification switches: which events, and whether by sound, desktop notification or the
//! count in the tab title; plus the browser's permission, asked from a button.

use charla_shared::notifications::NotificationPrefs;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use crate::api;
use crate::i18n::{tr, tr_untracked, Texts};
use crate::kit::save::{save, SaveActions, SaveState};
use crate::shell::notifier::Notifier;
use crate::shell::workspace::Workspace;

/// One switch: its label and how to read and write it in the prefs.
struct Switch {
    label: fn(&Texts) -> &'static str,
    name: &'static str,
    get: fn(&NotificationPrefs) -> bool,
    set: fn(&mut NotificationPrefs, bool),
}

const EVENTS: [Switch; 4] = [
    Switch {
        label: |t| t.notify_new,
        name: "new_conversation",
        get: |p| p.new_conversation,
        set: |p, v| p.new_conversation = v,
    },
    Switch {
        label: |t| t.notify_assigned,
        name: "assigned_to_me",
        get: |p| p.assigned_to_me,
        set: |p, v| p.assigned_to_me = v,
    },
    Switch {
        label: |t| t.notify_message,
        name: "message_in_mine",
        get: |p| p.message_in_mine,
        set: |p, v| p.message_in_mine = v,
    },
    Switch {
        label: |t| t.notify_mention,
        name: "mention",
        get: |p| p.mention,
        set: |p, v| p.mention = v,
    },
];

const CHANNELS: [Switch; 3] = [
    Switch {
        label: |t| t.notify_sound,
        name: "sound",
        get: |p| p.sound,
        set: |p, v| p.sound = v,
    },
    Switch {
        label: |t| t.notify_desktop,
        name: "desktop",
        get: |p| p.desktop,
        set: |p, v| p.desktop = v,
    },
    Switch {
        label: |t| t.notify_title,
        name: "title",
        get: |p| p.title,
        set: |p, v| p.title = v,
    },
];

#[component]
pub fn NotificationSettings() -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let notifier = expect_context::<Notifier>();
    let draft = RwSignal::new(notifier.prefs.get_untracked());
    // The server's switches may arrive after the page opened.
    Effect::new(move |_| {
        if notifier.loaded.get() {
            draft.set(notifier.prefs.get());
        }
    });
    let state = RwSignal::new(SaveState::Idle);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if state.with_untracked(SaveState::is_saving) {
            return;
        }
        let prefs = draft.get_untracked();
        let request = async move { api::save_notification_prefs(&ws.token(), &prefs).await };
        save(state, ws, request, move |saved| {
            notifier.prefs.set(saved);
            draft.set(saved);
            tr_untracked().saved.to_owned()
        });
    };
    let switch = move |s: &'static Switch| {
        view! {
            <label class="check">
                <input
                    type="checkbox"
                    data-charla=format!("notify-{}", s.name)
                    prop:checked=move || draft.with(|p| (s.get)(p))
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        draft.update(|p| (s.set)(p, on));
                    }
                />
                <span>{move || (s.label)(tr())}</span>
            </label>
        }
    };
    let permission_line = move || match notifier.permission.get() {
        "granted" => tr().permission_granted,
        "denied" => tr().permission_denied,
        _ => tr().permission_default,
    };
    view! {
        <section
            class="settings-section"
            aria-labelledby="notify-title"
            data-charla="settings-notifications"
        >
            <h2 id="notify-title">{move || tr().notifications}</h2>
            <form class="closing-form" novalidate on:submit=submit>
                <fieldset>
                    <legend>{move || tr().tell_me_when}</legend>
                    {EVENTS.iter().map(switch).collect_view()}
                </fieldset>
                <fieldset>
                    <legend>{move || tr().how}</legend>
                    {CHANNELS.iter().map(switch).collect_view()}
                </fieldset>
                <p class="hint" data-charla="notify-permission">
                    {permission_line}
                </p>
                <Show when=move || notifier.permission.get() == "default">
                    <button
                        type="button"
                        data-charla="notify-allow"
                        on:click=move |_| notifier.ask_permission()
                    >
                        {move || tr().allow_desktop}
                    </button>
                </Show>
                <SaveActions state label=move || tr().save_notifications.to_owned() name="notify-save" />
            </form>
        </section>
    }
}
