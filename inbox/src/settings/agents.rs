//! Agents: role, capacity and access per agent, presence and load, deactivation and
//! password-reset links, and invite links.

use charla_shared::protocol::{account_refusal, AgentStatus, InviteRequest, Role};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use charla_shared::ErrorCode;

use crate::api::{self, AgentChange, ApiError};
use crate::browser;
use crate::dates;
use crate::i18n::tr;
use crate::kit::save::{save, save_explained, SaveOutcome, SaveState};
use crate::settings::i18n::{st, st_untracked};
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
                <h2 id="agents-title">{move || st().agents}</h2>
                // Presence and load change all the time; new agents join from their links.
                <button type="button" class="small" on:click=move |_| ws.reload_agents()>
                    {move || st().refresh_agents}
                </button>
            </div>
            <p class="hint">
                {move || st().agents_hint}
            </p>
            <div class="table-wrap">
                <table class="agents-table">
                    <thead>
                        <tr>
                            <th scope="col">{move || st().col_name}</th>
                            <th scope="col">{move || st().col_email}</th>
                            <th scope="col">{move || st().col_role}</th>
                            <th scope="col">{move || st().col_capacity}</th>
                            <th scope="col">{move || st().col_access}</th>
                            <th scope="col">{move || st().col_status}</th>
                            <th scope="col">
                                <span class="visually-hidden">{move || st().col_actions}</span>
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
    let load = Memo::new(move |_| {
        live.get()
            .as_ref()
            .map(|a| roster::load(tr(), a))
            .unwrap_or_default()
    });

    let save = {
        let id = id.clone();
        move || {
            if state.with_untracked(SaveState::is_saving) {
                return;
            }
            let before = saved.get_untracked();
            let capacity = match roster::parse_capacity(untrack(tr), &capacity.get_untracked()) {
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
                {move || roster::role_label(tr(), &r)}
            </option>
        }
    });
    let access_options = roster::ACCESS_LEVELS.map(|a| {
        let value = roster::access_name(a);
        view! {
            <option value=value prop:selected=move || access.with(|x| x == value)>
                {move || roster::access_label(tr(), a)}
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
                    aria-label={
                        let name = name.clone();
                        move || st().role_for(&name)
                    }
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
                    placeholder=move || st().no_limit_placeholder
                    aria-label={
                        let name = name.clone();
                        move || st().capacity_for(&name)
                    }
                    prop:value=move || capacity.get()
                    on:input=move |ev| capacity.set(event_target_value(&ev))
                />
            </td>
            <td>
                <select
                    aria-label={
                        let name = name.clone();
                        move || st().access_for(&name)
                    }
                    title=move || is_manager_row.then(|| st().managers_see_all)
                    on:change=move |ev| access.set(event_target_value(&ev))
                >
                    {access_options.into_iter().collect_view()}
                </select>
            </td>
            <td data-charla="agent-presence" data-presence=move || presence.get().map(Presence::name)>
                {move || {
                    if deactivated.get() {
                        st().deactivated
                    } else {
                        presence.get().map(|p| p.label(crate::i18n::tr())).unwrap_or_default()
                    }
                }}
                <span class="load">" · " {load} {move || st().open_suffix}</span>
            </td>
            <td class="row-actions">
                <button
                    type="button"
                    aria-label={
                        let name = name.clone();
                        move || st().save_changes_for(&name)
                    }
                    aria-busy=move || state.with(SaveState::is_saving).to_string()
                    on:click=move |_| save()
                >
                    {move || st().save}
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
                st_untracked().can_sign_in_again(&name)
            } else {
                st_untracked().was_deactivated(&name)
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
            link.set(Some((url, dates::full_date(reset.expires_at))));
            st_untracked().reset_link_created(&who.get_value())
        });
    };
    let copy = move |_| {
        if let Some((url, _)) = link.get_untracked() {
            spawn_local(async move { copied.set(Some(browser::copy_text(&url).await)) });
        }
    };
    let deactivate_label = move || who.with_value(|n| st().deactivate_named(n));
    let reactivate_label = move || who.with_value(|n| st().reactivate_named(n));
    let reset_label = move || who.with_value(|n| st().reset_link_for(n));
    view! {
        <div class="account-actions" data-charla="agent-account">
            {move || {
                if deactivated.get() {
                    view! {
                        <button
                            type="button"
                            aria-label=reactivate_label
                            on:click=move |_| set_active(true)
                        >
                            {move || st().reactivate}
                        </button>
                    }
                        .into_any()
                } else if confirming.get() {
                    view! {
                        <div role="group" aria-label=deactivate_label class="confirm">
                            <span>{move || st().deactivate_confirm}</span>
                            <button
                                type="button"
                                class="danger"
                                data-charla="confirm-deactivate"
                                on:click=move |_| set_active(false)
                            >
                                {move || st().deactivate}
                            </button>
                            <button type="button" on:click=move |_| confirming.set(false)>
                                {move || st().cancel}
                            </button>
                        </div>
                    }
                        .into_any()
                } else {
                    view! {
                        <button
                            type="button"
                            aria-label=deactivate_label
                            on:click=move |_| confirming.set(true)
                        >
                            {move || st().deactivate}
                        </button>
                        <button
                            type="button"
                            aria-label=reset_label
                            data-charla="reset-link-button"
                            on:click=make_link
                        >
                            {move || st().reset_link_button}
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
                                    <span>{move || st().reset_link}</span>
                                    <input
                                        type="text"
                                        readonly
                                        data-charla="reset-link"
                                        prop:value=url
                                    />
                                </label>
                                <button type="button" on:click=copy>
                                    {move || st().copy_link}
                                </button>
                                <span class="hint">{move || st().valid_until} {expires}</span>
                                {move || match copied.get() {
                                    Some(true) => st().copied,
                                    Some(false) => st().copy_refused,
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
            return state.set(SaveState::Failed(
                st_untracked().type_invite_email.to_owned(),
            ));
        }
        link.set(None);
        copied.set(None);
        let line = st_untracked().invite_link_created(&request.email);
        let call = async move { api::invite(&ws.token(), &request).await };
        save(state, ws, call, move |invite| {
            let url = format!("{}{}", browser::origin(), invite.path);
            link.set(Some((url, dates::full_date(invite.expires_at))));
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
                    {move || roster::role_label(tr(), &r)}
                </option>
            }
        })
        .collect_view();

    view! {
        <form class="invite-form" on:submit=submit novalidate aria-labelledby="invite-title">
            <h3 id="invite-title">{move || st().invite_title}</h3>
            <div class="form-row">
                <label>
                    <span>{move || st().col_email}</span>
                    <input
                        type="email"
                        aria-label=move || st().invite_email
                        autocomplete="off"
                        bind:value=email
                    />
                </label>
                <label>
                    <span>{move || st().col_role}</span>
                    <select aria-label=move || st().invite_role on:change=move |ev| role.set(event_target_value(&ev))>
                        {role_options}
                    </select>
                </label>
                <button
                    type="submit"
                    class="primary"
                    aria-busy=move || state.with(SaveState::is_saving).to_string()
                >
                    {move || st().create_invite_link}
                </button>
            </div>
            <SaveOutcome state name="invite" />
            {move || {
                link.get()
                    .map(|(url, expires)| {
                        view! {
                            <div class="invite-link">
                                <label>
                                    <span>{move || st().invite_link}</span>
                                    <input
                                        type="text"
                                        readonly
                                        aria-label=move || st().invite_link
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
                                    {move || st().copy_link}
                                </button>
                                <span class="hint">{move || st().valid_until} {expires}</span>
                                {move || match copied.get() {
                                    Some(true) => st().copied,
                                    Some(false) => st().copy_refused,
                                    None => "",
                                }}
                            </div>
                        }
                    })
            }}
        </form>
    }
}
