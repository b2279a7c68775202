//! Webhooks (owners only, beside the API keys): subscribe a URL to events, with the signing
//! secret shown once; each subscription's delivery log (status, latency, the start of the
//! receiver's answer) with a button that sends an event again. The edge enforces the same
//! rules and validates the URL.

use charla_shared::webhooks::{Delivery, EventType, Webhook, WebhookRequest};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;
use crate::dates;
use crate::kit::save::{save, SaveOutcome, SaveState};
use crate::shell::workspace::Workspace;

crate::texts! {
    /// The webhooks section's strings.
    HookTexts, EN, ES {
        title: "Webhooks", "Webhooks";
        hint: "Charla posts each event you pick to your URL as JSON, signed with the secret in the Charla-Signature header (see the API docs). A failed delivery is tried again for a day.", "Charla envía cada evento que elijas a tu URL como JSON, firmado con el secreto en la cabecera Charla-Signature (consulta la documentación de la API). Una entrega fallida se reintenta durante un día.";
        none_yet: "No webhooks yet.", "Todavía no hay webhooks.";
        url: "URL", "URL";
        events: "Events", "Eventos";
        create: "Add webhook", "Añadir webhook";
        type_url: "Type the URL that receives the events.", "Escribe la URL que recibe los eventos.";
        pick_event: "Pick at least one event.", "Elige al menos un evento.";
        created: "Webhook added.", "Webhook añadido.";
        your_secret: "Signing secret", "Secreto de firma";
        shown_once: "Copy it now: it is not shown again.", "Cópialo ahora: no se vuelve a mostrar.";
        deliveries: "Deliveries", "Entregas";
        hide_deliveries: "Hide deliveries", "Ocultar entregas";
        no_deliveries: "No deliveries yet.", "Todavía no hay entregas.";
        col_when: "When", "Cuándo";
        col_event: "Event", "Evento";
        col_try: "Try", "Intento";
        col_status: "Status", "Estado";
        col_time: "Time", "Tiempo";
        col_answer: "Answer", "Respuesta";
        col_actions: "Actions", "Acciones";
        failed: "failed", "falló";
        redeliver: "Send again", "Reenviar";
        redelivered: "Queued again.", "En cola de nuevo.";
        delete: "Delete", "Eliminar";
        delete_confirm: "Delete this webhook? Events stop at once.", "¿Eliminar este webhook? Los eventos dejan de enviarse al instante.";
        cancel: "Cancel", "Cancelar";
        deleted: "Webhook deleted.", "Webhook eliminado.";
    }
}

fn ht() -> &'static HookTexts {
    HookTexts::current()
}

#[component]
pub fn WebhooksSettings() -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let hooks = RwSignal::new(Vec::<Webhook>::new());
    let load = RwSignal::new(SaveState::Idle);
    let reload = move || {
        spawn_local(async move {
            match api::webhooks(&ws.token()).await {
                Ok(list) => hooks.set(list),
                Err(e) => load.set(SaveState::Failed(ws.failure(e))),
            }
        });
    };
    reload();
    view! {
        <section class="settings-section" aria-labelledby="webhooks-title" data-charla="settings-webhooks">
            <h2 id="webhooks-title">{move || ht().title}</h2>
            <p class="hint">{move || ht().hint}</p>
            <SaveOutcome state=load name="webhooks-load" />
            <Show when=move || hooks.with(Vec::is_empty)>
                <p class="hint">{move || ht().none_yet}</p>
            </Show>
            <For
                each=move || hooks.get()
                key=|h| h.id.clone()
                children=move |hook| view! { <HookRow hook reload /> }
            />
            <NewHookForm reload />
        </section>
    }
}

#[component]
fn HookRow(hook: Webhook, reload: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let id = StoredValue::new(hook.id.clone());
    let state = RwSignal::new(SaveState::Idle);
    let confirming = RwSignal::new(false);
    let open = RwSignal::new(false);
    let deliveries = RwSignal::new(Vec::<Delivery>::new());
    let load_deliveries = move || {
        spawn_local(async move {
            match api::webhook_deliveries(&ws.token(), &id.get_value()).await {
                Ok(list) => deliveries.set(list),
                Err(e) => state.set(SaveState::Failed(ws.failure(e))),
            }
        });
    };
    let delete = move |_| {
        if state.with_untracked(SaveState::is_saving) {
            return;
        }
        confirming.set(false);
        let request = async move { api::delete_webhook(&ws.token(), &id.get_value()).await };
        save(state, ws, request, move |_| {
            reload();
            ht().deleted.to_owned()
        });
    };
    let events = hook
        .events
        .iter()
        .map(|e| e.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let url = hook.url.clone();
    view! {
        <div class="webhook" data-charla="webhook" data-id=hook.id.clone()>
            <p>
                <strong>{url.clone()}</strong>
                " · "
                <span>{events}</span>
            </p>
            <div class="form-actions">
                <button
                    type="button"
                    data-charla="webhook-deliveries"
                    aria-expanded=move || open.get().to_string()
                    on:click=move |_| {
                        let now = !open.get_untracked();
                        open.set(now);
                        if now {
                            load_deliveries();
                        }
                    }
                >
                    {move || if open.get() { ht().hide_deliveries } else { ht().deliveries }}
                </button>
                {move || {
                    if confirming.get() {
                        view! {
                            <div role="group" aria-label=format!("{} {}", ht().delete, url) class="confirm">
                                <span>{move || ht().delete_confirm}</span>
                                <button type="button" data-charla="webhook-delete-confirm" on:click=delete>
                                    {move || ht().delete}
                                </button>
                                <button type="button" on:click=move |_| confirming.set(false)>
                                    {move || ht().cancel}
                                </button>
                            </div>
                        }
                            .into_any()
                    } else {
                        view! {
                            <button type="button" data-charla="webhook-delete" on:click=move |_| confirming.set(true)>
                                {move || ht().delete}
                            </button>
                        }
                            .into_any()
                    }
                }}
            </div>
            <SaveOutcome state name="webhook" />
            <Show when=move || open.get()>
                <DeliveryLog deliveries reload=load_deliveries state />
            </Show>
        </div>
    }
}

#[component]
fn DeliveryLog(
    deliveries: RwSignal<Vec<Delivery>>,
    reload: impl Fn() + Copy + Send + Sync + 'static,
    state: RwSignal<SaveState>,
) -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let again = move |delivery_id: i64| {
        if state.with_untracked(SaveState::is_saving) {
            return;
        }
        let request = async move { api::redeliver(&ws.token(), delivery_id).await };
        save(state, ws, request, move |_| {
            reload();
            ht().redelivered.to_owned()
        });
    };
    view! {
        <Show
            when=move || !deliveries.with(Vec::is_empty)
            fallback=|| view! { <p class="hint">{move || ht().no_deliveries}</p> }
        >
            <table class="settings-table" data-charla="webhook-log">
                <thead>
                    <tr>
                        <th scope="col">{move || ht().col_when}</th>
                        <th scope="col">{move || ht().col_event}</th>
                        <th scope="col">{move || ht().col_try}</th>
                        <th scope="col">{move || ht().col_status}</th>
                        <th scope="col">{move || ht().col_time}</th>
                        <th scope="col">{move || ht().col_answer}</th>
                        <th scope="col">{move || ht().col_actions}</th>
                    </tr>
                </thead>
                <tbody>
                    <For
                        each=move || deliveries.get()
                        key=|d| d.id
                        children=move |d| {
                            let status = match (d.status, d.ok) {
                                (Some(code), _) => code.to_string(),
                                (None, _) => ht().failed.to_owned(),
                            };
                            let answer = d.error.clone().unwrap_or_else(|| d.response.clone());
                            let delivery_id = d.id;
                            view! {
                                <tr data-charla="webhook-delivery" data-ok=d.ok.to_string()>
                                    <td>{dates::full_date(d.at)}</td>
                                    <td><code>{d.event.as_str()}</code></td>
                                    <td>{d.attempt}</td>
                                    <td>{status}</td>
                                    <td>{format!("{} ms", d.latency_ms)}</td>
                                    <td class="snippet">{answer}</td>
                                    <td>
                                        <button
                                            type="button"
                                            data-charla="webhook-redeliver"
                                            on:click=move |_| again(delivery_id)
                                        >
                                            {move || ht().redeliver}
                                        </button>
                                    </td>
                                </tr>
                            }
                        }
                    />
                </tbody>
            </table>
        </Show>
    }
}

#[component]
fn NewHookForm(reload: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let url = RwSignal::new(String::new());
    let chosen = RwSignal::new(vec![EventType::ConversationClosed]);
    let state = RwSignal::new(SaveState::Idle);
    let secret = RwSignal::new(None::<String>);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if state.with_untracked(SaveState::is_saving) {
            return;
        }
        let body = WebhookRequest {
            url: url.get_untracked().trim().to_owned(),
            events: chosen.get_untracked(),
        };
        if body.url.is_empty() {
            return state.set(SaveState::Failed(ht().type_url.to_owned()));
        }
        if body.events.is_empty() {
            return state.set(SaveState::Failed(ht().pick_event.to_owned()));
        }
        secret.set(None);
        let request = async move { api::create_webhook(&ws.token(), &body).await };
        save(state, ws, request, move |created| {
            secret.set(Some(created.secret));
            url.set(String::new());
            reload();
            ht().created.to_owned()
        });
    };
    let boxes = EventType::ALL
        .into_iter()
        .map(|event| {
            view! {
                <label class="check">
                    <input
                        type="checkbox"
                        data-charla="webhook-event"
                        value=event.as_str()
                        prop:checked=move || chosen.with(|c| c.contains(&event))
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            chosen.update(|c| {
                                c.retain(|e| *e != event);
                                if on {
                                    c.push(event);
                                }
                            });
                        }
                    />
                    <code>{event.as_str()}</code>
                </label>
            }
        })
        .collect_view();
    view! {
        <form class="settings-form" on:submit=submit data-charla="webhook-form">
            <label>
                <span>{move || ht().url}</span>
                <input
                    type="url"
                    data-charla="webhook-url"
                    placeholder="https://crm.example.com/hooks/charla"
                    prop:value=move || url.get()
                    on:input=move |ev| url.set(event_target_value(&ev))
                />
            </label>
            <fieldset>
                <legend>{move || ht().events}</legend>
                {boxes}
            </fieldset>
            <button type="submit" data-charla="webhook-create">{move || ht().create}</button>
            <SaveOutcome state name="webhook-create" />
            {move || {
                secret.get().map(|value| {
                    view! {
                        <div class="reset-link" data-charla="webhook-secret-box">
                            <label>
                                <span>{move || ht().your_secret}</span>
                                <input type="text" readonly data-charla="webhook-secret" prop:value=value />
                            </label>
                            <p class="hint">{move || ht().shown_once}</p>
                        </div>
                    }
                })
            }}
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_are_complete() {
        crate::i18n::check_table(&HookTexts::pairs(), &["Webhooks", "URL"]);
    }
}
