//! Notification switches: which events, and whether by sound, desktop notification or the
//! count in the tab title; plus the browser's permission, asked from a button.

use charla_shared::notifications::NotificationPrefs;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use crate::api;
use crate::kit::save::{save, SaveActions, SaveState};
use crate::shell::notifier::Notifier;
use crate::shell::workspace::Workspace;

/// One switch: its label and how to read and write it in the prefs.
struct Switch {
    label: &'static str,
    name: &'static str,
    get: fn(&NotificationPrefs) -> bool,
    set: fn(&mut NotificationPrefs, bool),
}

const EVENTS: [Switch; 4] = [
    Switch {
        label: "A new conversation I can see",
        name: "new_conversation",
        get: |p| p.new_conversation,
        set: |p, v| p.new_conversation = v,
    },
    Switch {
        label: "A conversation is assigned to me",
        name: "assigned_to_me",
        get: |p| p.assigned_to_me,
        set: |p, v| p.assigned_to_me = v,
    },
    Switch {
        label: "A visitor writes in a conversation assigned to me",
        name: "message_in_mine",
        get: |p| p.message_in_mine,
        set: |p, v| p.message_in_mine = v,
    },
    Switch {
        label: "Someone mentions me in an internal note",
        name: "mention",
        get: |p| p.mention,
        set: |p, v| p.mention = v,
    },
];

const CHANNELS: [Switch; 3] = [
    Switch {
        label: "Play a sound",
        name: "sound",
        get: |p| p.sound,
        set: |p, v| p.sound = v,
    },
    Switch {
        label: "Show a desktop notification when the inbox is in the background",
        name: "desktop",
        get: |p| p.desktop,
        set: |p, v| p.desktop = v,
    },
    Switch {
        label: "Show the unread count in the tab title",
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
            "Saved.".to_owned()
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
                <span>{s.label}</span>
            </label>
        }
    };
    let permission_line = move || {
        match notifier.permission.get() {
        "granted" => "This browser shows Charla's desktop notifications.",
        "denied" => "This browser blocks Charla's desktop notifications: allow them in the site settings (the icon left of the address).",
        _ => "This browser has not been asked yet.",
    }
    };
    view! {
        <section
            class="settings-section"
            aria-labelledby="notify-title"
            data-charla="settings-notifications"
        >
            <h2 id="notify-title">"Notifications"</h2>
            <form class="closing-form" novalidate on:submit=submit>
                <fieldset>
                    <legend>"Tell me when"</legend>
                    {EVENTS.iter().map(switch).collect_view()}
                </fieldset>
                <fieldset>
                    <legend>"How"</legend>
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
                        "Allow desktop notifications"
                    </button>
                </Show>
                <SaveActions state label="Save notifications" name="notify-save" />
            </form>
        </section>
    }
}
