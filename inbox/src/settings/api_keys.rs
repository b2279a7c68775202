//! API keys (owners only): name a key and pick its scopes; the whole key is shown once, with a
//! copy button, and only its last four characters after that. Revoking asks first. The edge
//! enforces the same rules (managers and agents get 403 whatever this page shows).

use charla_shared::api_keys::{ApiKey, NewApiKey, Scope};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;
use crate::browser;
use crate::dates;
use crate::kit::save::{save, SaveOutcome, SaveState};
use crate::shell::workspace::Workspace;

crate::texts! {
    /// The API keys section's strings.
    KeyTexts, EN, ES {
        title: "API keys", "Claves de API";
        hint: "Your own systems (a CRM, a shop, a script) call the REST API with a key instead of signing in. A key sees the whole workspace, so give it only the scopes it needs.", "Tus propios sistemas (un CRM, una tienda, un script) llaman a la API REST con una clave en lugar de iniciar sesión. Una clave ve todo el espacio de trabajo: dale solo los permisos que necesite.";
        none_yet: "No keys yet.", "Todavía no hay claves.";
        col_name: "Name", "Nombre";
        col_scopes: "Scopes", "Permisos";
        col_key: "Key", "Clave";
        col_created: "Created", "Creada";
        col_used: "Last used", "Último uso";
        col_actions: "Actions", "Acciones";
        never: "Never", "Nunca";
        revoked: "Revoked", "Revocada";
        revoke: "Revoke", "Revocar";
        revoke_confirm: "Revoke it? Calls with this key stop working at once.", "¿Revocarla? Las llamadas con esta clave dejan de funcionar al instante.";
        cancel: "Cancel", "Cancelar";
        new_key: "New key", "Clave nueva";
        name: "Name", "Nombre";
        name_placeholder: "e.g. Shopify sync", "p. ej. Sincronizar Shopify";
        scopes: "Scopes", "Permisos";
        create: "Create key", "Crear clave";
        type_a_name: "Give the key a name.", "Ponle un nombre a la clave.";
        pick_a_scope: "Pick at least one scope.", "Elige al menos un permiso.";
        your_key: "Your new key", "Tu clave nueva";
        shown_once: "Copy it now: it is not shown again.", "Cópiala ahora: no se vuelve a mostrar.";
        copy: "Copy key", "Copiar clave";
        copied: "Copied.", "Copiada.";
        copy_refused: "Copy it from the box (the browser refused).", "Cópiala del cuadro (el navegador no lo permitió).";
        created: "Key created.", "Clave creada.";
        revoked_done: "Key revoked.", "Clave revocada.";
        contacts_read: "Read contacts", "Leer contactos";
        contacts_write: "Change contacts", "Cambiar contactos";
        conversations_read: "Read conversations", "Leer conversaciones";
        conversations_write: "Act on conversations", "Actuar en conversaciones";
        messages_write: "Send messages", "Enviar mensajes";
        webhooks: "Manage webhooks", "Gestionar webhooks";
    }
}

fn kt() -> &'static KeyTexts {
    KeyTexts::current()
}

fn scope_label(t: &KeyTexts, scope: Scope) -> &'static str {
    match scope {
        Scope::ContactsRead => t.contacts_read,
        Scope::ContactsWrite => t.contacts_write,
        Scope::ConversationsRead => t.conversations_read,
        Scope::ConversationsWrite => t.conversations_write,
        Scope::MessagesWrite => t.messages_write,
        Scope::Webhooks => t.webhooks,
    }
}

#[component]
pub fn ApiKeysSettings() -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let keys = RwSignal::new(Vec::<ApiKey>::new());
    let load_state = RwSignal::new(SaveState::Idle);
    let reload = move || {
        spawn_local(async move {
            match api::api_keys(&ws.token()).await {
                Ok(list) => keys.set(list),
                Err(e) => load_state.set(SaveState::Failed(ws.failure(e))),
            }
        });
    };
    reload();
    view! {
        <section class="settings-section" aria-labelledby="api-keys-title" data-charla="settings-api-keys">
            <h2 id="api-keys-title">{move || kt().title}</h2>
            <p class="hint">{move || kt().hint}</p>
            <SaveOutcome state=load_state name="api-keys-load" />
            <Show
                when=move || !keys.with(Vec::is_empty)
                fallback=|| view! { <p class="hint">{move || kt().none_yet}</p> }
            >
                <table class="settings-table" data-charla="api-keys">
                    <thead>
                        <tr>
                            <th scope="col">{move || kt().col_name}</th>
                            <th scope="col">{move || kt().col_scopes}</th>
                            <th scope="col">{move || kt().col_key}</th>
                            <th scope="col">{move || kt().col_created}</th>
                            <th scope="col">{move || kt().col_used}</th>
                            <th scope="col">{move || kt().col_actions}</th>
                        </tr>
                    </thead>
                    <tbody>
                        <For
                            each=move || keys.get()
                            key=|k| (k.id.clone(), k.revoked_at)
                            children=move |key| view! { <KeyRow key reload /> }
                        />
                    </tbody>
                </table>
            </Show>
            <NewKeyForm reload />
        </section>
    }
}

#[component]
fn KeyRow(key: ApiKey, reload: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let state = RwSignal::new(SaveState::Idle);
    let confirming = RwSignal::new(false);
    let id = StoredValue::new(key.id.clone());
    let name = key.name.clone();
    let scopes = key.scopes.clone();
    let revoked = key.revoked_at.is_some();
    let created = dates::full_date(key.created_at);
    let used = key.last_used_at.map(dates::full_date);
    let revoke = move |_| {
        if state.with_untracked(SaveState::is_saving) {
            return;
        }
        confirming.set(false);
        let id = id.get_value();
        let request = async move { api::revoke_api_key(&ws.token(), &id).await };
        save(state, ws, request, move |_| {
            reload();
            kt().revoked_done.to_owned()
        });
    };
    let revoke_label = {
        let name = name.clone();
        move || format!("{} {name}", kt().revoke)
    };
    view! {
        <tr data-charla="api-key" data-id=key.id.clone()>
            <td>{name.clone()}</td>
            <td>
                {move || {
                    scopes.iter().map(|s| scope_label(kt(), *s)).collect::<Vec<_>>().join(", ")
                }}
            </td>
            <td>
                <code>{format!("…{}", key.hint)}</code>
            </td>
            <td>{created}</td>
            <td>{move || used.clone().unwrap_or_else(|| kt().never.to_owned())}</td>
            <td>
                {move || {
                    if revoked {
                        view! { <span data-charla="api-key-revoked">{move || kt().revoked}</span> }
                            .into_any()
                    } else if confirming.get() {
                        view! {
                            <div role="group" aria-label=revoke_label.clone() class="confirm">
                                <span>{move || kt().revoke_confirm}</span>
                                <button type="button" data-charla="api-key-revoke-confirm" on:click=revoke>
                                    {move || kt().revoke}
                                </button>
                                <button type="button" on:click=move |_| confirming.set(false)>
                                    {move || kt().cancel}
                                </button>
                            </div>
                        }
                            .into_any()
                    } else {
                        view! {
                            <button
                                type="button"
                                aria-label=revoke_label.clone()
                                data-charla="api-key-revoke"
                                on:click=move |_| confirming.set(true)
                            >
                                {move || kt().revoke}
                            </button>
                        }
                            .into_any()
                    }
                }}
                <SaveOutcome state name="api-key" />
            </td>
        </tr>
    }
}

#[component]
fn NewKeyForm(reload: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let name = RwSignal::new(String::new());
    let chosen = RwSignal::new(vec![Scope::ContactsRead]);
    let state = RwSignal::new(SaveState::Idle);
    let secret = RwSignal::new(None::<String>);
    let copied = RwSignal::new(None::<bool>);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if state.with_untracked(SaveState::is_saving) {
            return;
        }
        let body = NewApiKey {
            name: name.get_untracked().trim().to_owned(),
            scopes: chosen.get_untracked(),
        };
        if body.name.is_empty() {
            return state.set(SaveState::Failed(kt().type_a_name.to_owned()));
        }
        if body.scopes.is_empty() {
            return state.set(SaveState::Failed(kt().pick_a_scope.to_owned()));
        }
        secret.set(None);
        copied.set(None);
        let request = async move { api::create_api_key(&ws.token(), &body).await };
        save(state, ws, request, move |created| {
            secret.set(Some(created.secret));
            name.set(String::new());
            reload();
            kt().created.to_owned()
        });
    };
    let copy = move |_| {
        if let Some(key) = secret.get_untracked() {
            spawn_local(async move { copied.set(Some(browser::copy_text(&key).await)) });
        }
    };
    let boxes = Scope::ALL
        .into_iter()
        .map(|scope| {
            let checked = move || chosen.with(|c| c.contains(&scope));
            view! {
                <label class="check">
                    <input
                        type="checkbox"
                        data-charla="api-key-scope"
                        value=scope.as_str()
                        prop:checked=checked
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            chosen.update(|c| {
                                c.retain(|s| *s != scope);
                                if on {
                                    c.push(scope);
                                }
                            });
                        }
                    />
                    <span>{move || scope_label(kt(), scope)} " (" <code>{scope.as_str()}</code> ")"</span>
                </label>
            }
        })
        .collect_view();
    view! {
        <form class="settings-form" on:submit=submit data-charla="api-key-form">
            <h3>{move || kt().new_key}</h3>
            <label>
                <span>{move || kt().name}</span>
                <input
                    type="text"
                    maxlength="80"
                    data-charla="api-key-name"
                    placeholder=move || kt().name_placeholder
                    prop:value=move || name.get()
                    on:input=move |ev| name.set(event_target_value(&ev))
                />
            </label>
            <fieldset>
                <legend>{move || kt().scopes}</legend>
                {boxes}
            </fieldset>
            <button type="submit" data-charla="api-key-create">{move || kt().create}</button>
            <SaveOutcome state name="api-key-create" />
            {move || {
                secret.get().map(|key| {
                    view! {
                        <div class="reset-link" data-charla="api-key-secret-box">
                            <label>
                                <span>{move || kt().your_key}</span>
                                <input type="text" readonly data-charla="api-key-secret" prop:value=key />
                            </label>
                            <p class="hint">{move || kt().shown_once}</p>
                            <button type="button" on:click=copy>{move || kt().copy}</button>
                            {move || copied.get().map(|ok| {
                                view! {
                                    <p class="save-status" role="status">
                                        {if ok { kt().copied } else { kt().copy_refused }}
                                    </p>
                                }
                            })}
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
        crate::i18n::check_table(&KeyTexts::pairs(), &["Webhooks"]);
    }

    #[test]
    fn every_scope_has_a_label() {
        for scope in Scope::ALL {
            assert!(!scope_label(&EN, scope).is_empty());
            assert!(!scope_label(&ES, scope).is_empty());
        }
    }
}
