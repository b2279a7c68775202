//! Teams: create, rename, and choose members (conversations can be routed to a team).

use std::collections::BTreeSet;

use charla_shared::protocol::{Team, TeamRequest};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use crate::api;
use crate::kit::save::{save, SaveOutcome, SaveState};
use crate::settings::i18n::{st, SettingsTexts};
use crate::shell::roster;
use crate::shell::workspace::Workspace;

/// The table for event handlers and tasks (no subscription).
fn t() -> &'static SettingsTexts {
    untrack(st)
}

#[component]
pub fn TeamsSettings() -> impl IntoView {
    let ws = expect_context::<Workspace>();
    ws.reload_teams();
    view! {
        <section class="settings-section" aria-labelledby="teams-title" data-charla="settings-teams">
            <h2 id="teams-title">{move || st().teams}</h2>
            <Show when=move || ws.teams.with(Vec::is_empty)>
                <p class="hint">{move || st().no_teams}</p>
            </Show>
            <For
                each=move || ws.teams.get()
                key=|t| t.id.clone()
                children=move |team| view! { <TeamEditor team=Some(team) /> }
            />
            <TeamEditor team=None />
        </section>
    }
}

/// One team's form, or the "new team" form when `team` is `None`.
#[component]
fn TeamEditor(team: Option<Team>) -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let id = team.as_ref().map(|t| t.id.clone());
    // The name the team was saved under names its controls, so they keep their labels while
    // the name is being edited.
    let saved_name = RwSignal::new(team.as_ref().map(|t| t.name.clone()));
    let name = RwSignal::new(saved_name.get_untracked().unwrap_or_default());
    let members = RwSignal::new(
        team.as_ref()
            .map(|t| t.members.iter().cloned().collect::<BTreeSet<_>>())
            .unwrap_or_default(),
    );
    let state = RwSignal::new(SaveState::Idle);
    let agents = Memo::new(move |_| ws.agents.with(|list| roster::sorted(list)));
    let is_new = id.is_none();
    let group_name = move || match saved_name.get() {
        Some(n) => st().members_of(&n),
        None => st().members_of_new.to_owned(),
    };

    let submit = {
        let id = id.clone();
        move |ev: SubmitEvent| {
            ev.prevent_default();
            if state.with_untracked(SaveState::is_saving) {
                return;
            }
            let request = TeamRequest {
                name: name.get_untracked().trim().to_owned(),
                members: members.get_untracked().into_iter().collect(),
            };
            if request.name.is_empty() {
                return state.set(SaveState::Failed(t().name_the_team.to_owned()));
            }
            let id = id.clone();
            let existing = id.is_some();
            let call = async move { api::save_team(&ws.token(), id.as_deref(), &request).await };
            save(state, ws, call, move |team| {
                ws.reload_teams();
                if existing {
                    saved_name.set(Some(team.name.clone()));
                    t().team_saved.to_owned()
                } else {
                    name.set(String::new());
                    members.set(BTreeSet::new());
                    t().team_created(&team.name)
                }
            });
        }
    };

    view! {
        <form
            class="team-editor"
            data-charla=if is_new { "new-team" } else { "team" }
            data-id=id.clone()
            novalidate
            on:submit=submit
        >
            <label>
                <span>{move || if is_new { st().new_team } else { st().team_name }}</span>
                <input
                    type="text"
                    autocomplete="off"
                    aria-label=move || match saved_name.get() {
                        Some(n) => st().name_of_team(&n),
                        None => st().new_team_name.to_owned(),
                    }
                    bind:value=name
                />
            </label>
            <fieldset class="members">
                <legend>{group_name}</legend>
                <Show when=move || agents.with(Vec::is_empty)>
                    <p class="hint">{move || st().no_agents}</p>
                </Show>
                <For
                    each=move || agents.get()
                    key=|a| (a.profile.id.clone(), a.profile.name.clone())
                    children=move |agent| {
                        let id = agent.profile.id.clone();
                        let checked = {
                            let id = id.clone();
                            move || members.with(|m| m.contains(&id))
                        };
                        view! {
                            <label class="checkbox">
                                <input
                                    type="checkbox"
                                    prop:checked=checked
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        members
                                            .update(|m| {
                                                if on {
                                                    m.insert(id.clone());
                                                } else {
                                                    m.remove(&id);
                                                }
                                            });
                                    }
                                />
                                <span>{agent.profile.name}</span>
                            </label>
                        }
                    }
                />
            </fieldset>
            <div class="form-actions">
                <button
                    type="submit"
                    class=if is_new { "primary" } else { "" }
                    aria-label=move || match saved_name.get() {
                        Some(n) => st().save_team_named(&n),
                        None => st().create_team.to_owned(),
                    }
                    aria-busy=move || state.with(SaveState::is_saving).to_string()
                >
                    {move || if is_new { st().create_team } else { st().save_team }}
                </button>
                <SaveOutcome state name=if is_new { "new-team" } else { "team" } />
            </div>
        </form>
    }
}
