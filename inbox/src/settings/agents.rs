//! Agents: role, capacity and access per agent, presence and load, deactivation and
//! password-reset links, and invite links.

use charla_shared::protocol::{account_refusal, AgentStatus, InviteRequest, Role};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use charla_shared::ErrorCode;

use crate::api::{self, AgentChange, ApiError};
use crate::browser;
use crate::i18n::tr;
use crate::kit::save::{save, save_explained, SaveOutcome, SaveState};
use crate::settings::i18n::st;
use crate::shell::roster::{self, Presence};
use crate::shell::workspace::Workspace;

#[component]
pub fn AgentsSettings() -> impl IntoView {
    let ws = expect_context::<Workspace>();
    ws.reload_agents();
    let agents = Memo::new(move |_| ws.agents.with(|list| roster::sorted(list)));
    view! {
        <section class="settings-section" aria-labelledby="agents-title" data-charla="settings-agents">
            <div class="section-head">
                <h2 id="agents-title">"Agents"</h2>
                // Presence and load change all the time; new agents join from their links.
                <button type="button" class="small" on:click=move |_| ws.reload_agents()>
                    "Refresh agents"
                </button>
            </div>
            <p class="hint">
                "Capacity is the most open conversations automatic assignment gives an agent "
                "(empty = no limit). Agents with access “Own and unassigned” do not see "
                "conversations assigned to others; owners and managers always see all."
            </p>
            <div class="table-wrap">
                <table class="agents-table">
                    <thead>
                        <tr>
                            <th scope="col">"Name"</th>
                            <th scope="col">"Email"</th>
                            <th scope="col">"Role"</th>
                            <th scope="col">"Capacity"</th>
                            <th scope="col">"Access"</th>
                            <th scope="col">"Status"</th>
                            <th scope="col">
                                <span class="visually-hidden">"Actions"</span>
                            </th>
                        </tr>
                    </thead>
                    <tbody>
                        <For
                            each=move || agents.get()
                            key=|a| a.profile.id.clone()
                            children=move |agent| view! { <AgentRow agent /> }
                        />
                    </tbody>
                </table>
            </div>
            <InviteForm />
        </section>
    }
}

/// One agent's editable row. What was typed stays until saved; the status cell follows the
/// agents list as it reloads.
#[component]
fn AgentRow(agent: AgentStatus) -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let id = agent.profile.id.clone();
    let name = agent.profile.name.clone();
    let saved = RwSignal::new(agent.clone());
    let role = RwSignal::new(roster::role_name(&agent.profile.role).to_owned());
    let capacity = RwSignal::new(roster::limit_text(agent.capacity));
    let access = RwSignal::new(roster::access_name(agent.access).to_owned());
    let state = RwSignal::new(SaveState::Idle);
    let my_role = ws.role();
    let live = {
        let id = id.clone();
        Memo::new(move |_| ws.agents.with(|l| roster::find(l, &id).cloned()))
    };
    let deactivated = Memo::new(move |_| live.with(|a| a.as_ref().is_some_and(|a| a.deactivated)));
    let presence = Memo::new(move |_| live.get().as_ref().map(Presence::of));
    let administrable = account_refusal(&ws.me_id(), &my_role, &id, &agent.profile.role).is_none();
    let load = Memo::new(move |_| live.get().as_ref().map(roster::load).unwrap_or_default());

    let save = {
        let id = id.clone();
        move || {
            if state.with_untracked(SaveState::is_saving) {
                return;
            }
            let before = saved.get_untracked();
            let capacity = match roster::parse_capacity(&capacity.get_untracked()) {
                Ok(c) => c,
                Err(e) => return state.set(SaveState::Failed(e)),
            };
            let role = roster::parse_role(&role.get_untracked());
            let access = roster::parse_access(&access.get_untracked());
            let change = AgentChange {
                capacity: (capacity != before.capacity).then_some(capacity),
                role: role.filter(|r| *r != before.profile.role),
                access: access.filter(|a| *a != before.access),
            };
            if change == AgentChange::default() {
                return state.set(SaveState::Saved(untrack(tr).no_changes.to_owned()));
            }
            let id = id.clone();
            let request = async move { api::update_agent(&ws.token(), &id, &change).await };
            let explain = |e: &ApiError| {
                (e.code() == Some(ErrorCode::BadRequest))
                    .then(|| untrack(st).capacity_refused.to_owned())
            };
            save_explained(
                state,
                ws,
                request,
                move |answer| {
                    saved.set(answer);
                    ws.reload_agents();
                    untrack(tr).saved.to_owned()
                },
                explain,
            );
        }
    };
    let role_options = roster::ROLES.map(|r| {
        let value = roster::role_name(&r);
        // Only an owner makes owners; the current role stays selectable so the row reads true.
        let grantable = my_role.may_grant(&r) || r == agent.profile.role;
        view! {
            <option
                value=value
                disabled=!grantable
                prop:selected=move || role.with(|x| x == value)
            >
                {roster::role_label(&r)}
            </option>
        }
    });
    let access_options = roster::ACCESS_LEVELS.map(|a| {
        let value = roster::access_name(a);
        view! {
            <option value=value prop:selected=move || access.with(|x| x == value)>
                {roster::access_label(a)}
            </option>
        }
    });
    let is_manager_row = agent.profile.role != Role::Agent;

    view! {
        <tr data-charla="agent-row" data-id=id.clone()>
            <th scope="row">{name.clone()}</th>
            <td class="email">{agent.profile.email.clone()}</td>
            <td>
                <select
                    aria-label=format!("Role for {name}")
                    on:change=move |ev| role.set(event_target_value(&ev))
                >
                    {role_options.into_iter().collect_view()}
                </select>
            </td>
            <td>
                <input
                    type="text"
                    inputmode="numeric"
                    class="narrow"
                    placeholder="No limit"
                    aria-label=format!("Capacity for {name}")
                    prop:value=move || capacity.get()
                    on:input=move |ev| capacity.set(event_target_value(&ev))
                />
            </td>
            <td>
                <select
                    aria-label=format!("Access for {name}")
                    title=is_manager_row.then_some("Owners and managers always see all conversations")
                    on:change=move |ev| access.set(event_target_value(&ev))
                >
                    {access_options.into_iter().collect_view()}
                </select>
            </td>
            <td data-charla="agent-presence" data-presence=move || presence.get().map(Presence::name)>
                {move || {
                    if deactivated.get() {
                        "Deactivated"
                    } else {
                        presence.get().map(|p| p.label(crate::i18n::tr())).unwrap_or_default()
                    }
                }}
                <span class="load">" · " {load} " open"</span>
            </td>
            <td class="row-actions">
                <button
                    type="button"
                    aria-label=format!("Save changes for {name}")
                    aria-busy=move || state.with(SaveState::is_saving).to_string()
                    on:click=move |_| save()
                >
                    "Save"
                </button>
                <SaveOutcome state name="agent" />
                {administrable
                    .then(|| view! { <AccountActions id=id.clone() name=name.clone() deactivated /> })}
            </td>
        </tr>
    }
}

/// Deactivate (after a confirmation) or reactivate an agent, and hand them a one-time
/// password-reset link, shown once with a copy button. Offered only where the caller may
/// (the edge checks the same rule).
#[component]
fn AccountActions(id: String, name: String, deactivated: Memo<bool>) -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let state = RwSignal::new(SaveState::Idle);
    let confirming = RwSignal::new(false);
    let link = RwSignal::new(None::<(String, String)>);
    let copied = RwSignal::new(None::<bool>);
    let id = StoredValue::new(id);
    let who = StoredValue::new(name.clone());

    let set_active = move |active: bool| {
        if state.with_untracked(SaveState::is_saving) {
            return;
        }
        confirming.set(false);
        link.set(None);
        let id = id.get_value();
        let request = async move { api::set_active(&ws.token(), &id, active).await };
        save(state, ws, request, move |_| {
            ws.reload_agents();
            let name = who.get_value();
            if active {
                format!("{name} can sign in again.")
            } else {
                format!("{name} was deactivated and signed out; their open conversations were unassigned.")
            }
        });
    };
    let make_link = move |_| {
        if state.with_untracked(SaveState::is_saving) {
            return;
        }
        link.set(None);
        copied.set(None);
        let id = id.get_value();
        let request = async move { api::reset_link(&ws.token(), &id).await };
        save(state, ws, request, move |reset| {
            let url = format!("{}{}", browser::origin(), reset.path);
            link.set(Some((url, browser::full_date(reset.expires_at))));
            format!(
                "Password reset link for {} created. Send it to them; it works once.",
                who.get_value()
            )
        });
    };
    let copy = move |_| {
        if let Some((url, _)) = link.get_untracked() {
            spawn_local(async move { copied.set(Some(browser::copy_text(&url).await)) });
        }
    };
    let deactivate_label = format!("Deactivate {name}");
    let reactivate_label = format!("Reactivate {name}");
    let reset_label = format!("Password reset link for {name}");
    view! {
        <div class="account-actions" data-charla="agent-account">
            {move || {
                if deactivated.get() {
                    view! {
                        <button
                            type="button"
                            aria-label=reactivate_label.clone()
                            on:click=move |_| set_active(true)
                        >
                            "Reactivate"
                        </button>
                    }
                        .into_any()
                } else if confirming.get() {
                    view! {
                        <div role="group" aria-label=deactivate_label.clone() class="confirm">
                            <span>"Sign them out now and unassign their open conversations?"</span>
                            <button
                                type="button"
                                class="danger"
                                data-charla="confirm-deactivate"
                                on:click=move |_| set_active(false)
                            >
                                "Deactivate"
                            </button>
                            <button type="button" on:click=move |_| confirming.set(false)>
                                "Cancel"
                            </button>
                        </div>
                    }
                        .into_any()
                } else {
                    view! {
                        <button
                            type="button"
                            aria-label=deactivate_label.clone()
                            on:click=move |_| confirming.set(true)
                        >
                            "Deactivate"
                        </button>
                        <button
                            type="button"
                            aria-label=reset_label.clone()
                            data-charla="reset-link-button"
                            on:click=make_link
                        >
                            "Password reset link"
                        </button>
                    }
                        .into_any()
                }
            }}
            <SaveOutcome state name="account" />
            {move || {
                link.get()
                    .map(|(url, expires)| {
                        view! {
                            <div class="invite-link">
                                <label>
                                    <span>"Reset link"</span>
                                    <input
                                        type="text"
                                        readonly
                                        data-charla="reset-link"
                                        prop:value=url
                                    />
                                </label>
                                <button type="button" on:click=copy>
                                    "Copy link"
                                </button>
                                <span class="hint">"Valid until " {expires}</span>
                                {move || match copied.get() {
                                    Some(true) => "Copied.",
                                    Some(false) => "Copy it from the box (the browser refused).",
                                    None => "",
                                }}
                            </div>
                        }
                    })
            }}
        </div>
    }
}

/// Create a one-time invite link (valid 7 days) to send to a new agent.
#[component]
fn InviteForm() -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let email = RwSignal::new(String::new());
    let role = RwSignal::new("agent".to_owned());
    let state = RwSignal::new(SaveState::Idle);
    let link = RwSignal::new(None::<(String, String)>);
    let copied = RwSignal::new(None::<bool>);
    let my_role = ws.role();

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if state.with_untracked(SaveState::is_saving) {
            return;
        }
        let Some(role) = roster::parse_role(&role.get_untracked()) else {
            return;
        };
        let request = InviteRequest {
            email: email.get_untracked().trim().to_owned(),
            role,
        };
        if request.email.is_empty() {
            return state.set(SaveState::Failed("Type the new agent's email.".to_owned()));
        }
        link.set(None);
        copied.set(None);
        let line = format!(
            "Invite link for {} created. Send it to them; it works once.",
            request.email
        );
        let call = async move { api::invite(&ws.token(), &request).await };
        save(state, ws, call, move |invite| {
            let url = format!("{}{}", browser::origin(), invite.path);
            link.set(Some((url, browser::full_date(invite.expires_at))));
            email.set(String::new());
            line
        });
    };
    let copy = move |_| {
        if let Some((url, _)) = link.get_untracked() {
            spawn_local(async move { copied.set(Some(browser::copy_text(&url).await)) });
        }
    };
    let role_options = roster::ROLES
        .into_iter()
        .filter(|r| my_role.may_grant(r))
        .map(|r| {
            let value = roster::role_name(&r);
            view! {
                <option value=value prop:selected=move || role.with(|x| x == value)>
                    {roster::role_label(&r)}
                </option>
            }
        })
        .collect_view();

    view! {
        <form class="invite-form" on:submit=submit novalidate aria-labelledby="invite-title">
            <h3 id="invite-title">"Invite an agent"</h3>
            <div class="form-row">
                <label>
                    <span>"Email"</span>
                    <input
                        type="email"
                        aria-label="Invite email"
                        autocomplete="off"
                        bind:value=email
                    />
                </label>
                <label>
                    <span>"Role"</span>
                    <select aria-label="Invite role" on:change=move |ev| role.set(event_target_value(&ev))>
                        {role_options}
                    </select>
                </label>
                <button
                    type="submit"
                    class="primary"
                    aria-busy=move || state.with(SaveState::is_saving).to_string()
                >
                    "Create invite link"
                </button>
            </div>
            <SaveOutcome state name="invite" />
            {move || {
                link.get()
                    .map(|(url, expires)| {
                        view! {
                            <div class="invite-link">
                                <label>
                                    <span>"Invite link"</span>
                                    <input
                                        type="text"
                                        readonly
                                        aria-label="Invite link"
                                        data-charla="invite-link"
                                        prop:value=url
                                        on:focus=move |ev| {
                                            use wasm_bindgen::JsCast;
                                            if let Some(input) = ev
                                                .target()
                                                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                                            {
                                                input.select();
                                            }
                                        }
                                    />
                                </label>
                                <button type="button" on:click=copy>
                                    "Copy link"
                                </button>
                                <span class="hint">"Valid until " {expires}</span>
                                {move || match copied.get() {
                                    Some(true) => "Copied.",
                                    Some(false) => "Copy it from the box (the browser refused).",
                                    None => "",
                                }}
                            </div>
                        }
                    })
            }}
        </form>
    }
}
