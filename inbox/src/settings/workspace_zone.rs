//! The workspace's time zone: the days reports count in ("today" in Madrid is not "today" in
//! Mexico City). An IANA name; the server refuses anything else.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{self, WorkspaceSettings};
use crate::browser;
use crate::kit::save::{save, SaveActions, SaveState};
use crate::settings::i18n::st;
use crate::shell::workspace::Workspace;

/// Offered as suggestions (here and for business hours); any IANA zone may be typed.
pub(super) const ZONES: [&str; 16] = [
    "UTC",
    "Europe/Madrid",
    "Europe/London",
    "Europe/Lisbon",
    "Europe/Paris",
    "Europe/Berlin",
    "America/Mexico_City",
    "America/Bogota",
    "America/Lima",
    "America/Santiago",
    "America/Argentina/Buenos_Aires",
    "America/Sao_Paulo",
    "America/New_York",
    "America/Los_Angeles",
    "Asia/Tokyo",
    "Australia/Sydney",
];

#[component]
pub fn TimeZoneSettings() -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let zone = RwSignal::new(None::<String>);
    let load_error = RwSignal::new(None::<String>);
    let state = RwSignal::new(SaveState::Idle);
    spawn_local(async move {
        match api::workspace_settings(&ws.token()).await {
            Ok(s) => zone.set(Some(s.time_zone)),
            Err(e) => load_error.set(Some(ws.failure(e))),
        }
    });
    let browser_zone = browser::local_time_zone();
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if state.with_untracked(SaveState::is_saving) {
            return;
        }
        let time_zone = zone.get_untracked().unwrap_or_default().trim().to_owned();
        if time_zone.is_empty() {
            return state.set(SaveState::Failed(untrack(st).type_a_zone.to_owned()));
        }
        let settings = WorkspaceSettings { time_zone };
        let request = async move { api::save_workspace_settings(&ws.token(), &settings).await };
        save(state, ws, request, move |saved| {
            let line = untrack(st).days_in(&saved.time_zone);
            zone.set(Some(saved.time_zone));
            line
        });
    };
    view! {
        <section class="settings-section" aria-labelledby="zone-title" data-charla="settings-time-zone">
            <h2 id="zone-title">{move || st().time_zone}</h2>
            <p class="hint">{move || st().time_zone_hint}</p>
            <Show when=move || load_error.with(Option::is_some)>
                <p class="form-error" role="alert">{move || load_error.get().unwrap_or_default()}</p>
            </Show>
            <Show when=move || zone.with(Option::is_some)>
                <form class="closing-form" novalidate on:submit=submit>
                    <div class="form-row">
                        <label>
                            <span>{move || st().time_zone}</span>
                            <input
                                type="text"
                                list="time-zones"
                                autocomplete="off"
                                spellcheck="false"
                                aria-label=move || st().workspace_time_zone
                                prop:value=move || zone.get().unwrap_or_default()
                                on:input=move |ev| zone.set(Some(event_target_value(&ev)))
                            />
                        </label>
                        {browser_zone.clone().map(|z| {
                            let shown = z.clone();
                            let label = move || st().use_browser_zone(&shown);
                            view! {
                                <button
                                    type="button"
                                    class="small"
                                    on:click=move |_| zone.set(Some(z.clone()))
                                >
                                    {label}
                                </button>
                            }
                        })}
                    </div>
                    <datalist id="time-zones">
                        {ZONES.map(|z| view! { <option value=z></option> }).collect_view()}
                    </datalist>
                    <SaveActions state label=move || st().save_time_zone.to_owned() name="time-zone" />
                </form>
            </Show>
        </section>
    }
}
