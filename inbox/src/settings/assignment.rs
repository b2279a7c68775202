//! Automatic assignment: whom new conversations go to (nobody, a team, anyone, or the
//! contact's owner named by a contact field), how agents are picked, and what happens when
//! nobody can take one.

use charla_shared::assignment::{Method, OnUnavailable};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;
use crate::kit::labelled::Labelled;
use crate::kit::save::{save, SaveActions, SaveState};
use crate::kit::select::EnumSelect;
use crate::settings::assignment_form::{AssignmentForm, FallbackMode, Mode};
use crate::shell::workspace::Workspace;

#[component]
pub fn AssignmentSettings() -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let form = RwSignal::new(None::<AssignmentForm>);
    let load_error = RwSignal::new(None::<String>);
    let state = RwSignal::new(SaveState::Idle);
    spawn_local(async move {
        match api::assignment_rule(&ws.token()).await {
            Ok(stored) => form.set(Some(AssignmentForm::from_rule(&stored))),
            Err(e) => load_error.set(Some(ws.failure(e))),
        }
    });

    let edit = move |change: Box<dyn FnOnce(&mut AssignmentForm)>| {
        form.update(|f| {
            if let Some(f) = f {
                change(f);
            }
        });
    };
    let read = move |get: fn(&AssignmentForm) -> String| {
        move || form.with(|f| f.as_ref().map(get).unwrap_or_default())
    };
    let mode = Memo::new(move |_| form.with(|f| f.as_ref().map(|f| f.mode).unwrap_or_default()));
    let fallback =
        Memo::new(move |_| form.with(|f| f.as_ref().map(|f| f.fallback).unwrap_or_default()));

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if state.with_untracked(SaveState::is_saving) {
            return;
        }
        let Some(built) = form.with_untracked(|f| f.as_ref().map(AssignmentForm::to_rule)) else {
            return;
        };
        let body = match built {
            Ok(body) => body,
            Err(e) => return state.set(SaveState::Failed(e)),
        };
        let sent = body.clone();
        let request = async move { api::save_assignment_rule(&ws.token(), &sent).await };
        save(state, ws, request, move |stored| {
            // The edge answers with what it stored; an empty answer means "as sent".
            let stored = if stored.is_null() { body } else { stored };
            form.set(Some(AssignmentForm::from_rule(&stored)));
            "Assignment saved.".to_owned()
        });
    };

    // A select of the workspace's teams, bound to one of the form's team ids.
    let team_select = move |label: &'static str,
                            get: fn(&AssignmentForm) -> String,
                            set: fn(&mut AssignmentForm, String)| {
        view! {
            <label>
                <span>{label}</span>
                <select
                    aria-label=label
                    on:change=move |ev| {
                        let value = event_target_value(&ev);
                        edit(Box::new(move |f| set(f, value)));
                    }
                >
                    <option value="" prop:selected=move || read(get)().is_empty()>
                        "Choose a team"
                    </option>
                    <For
                        each=move || ws.teams.get()
                        key=|t| (t.id.clone(), t.name.clone())
                        children=move |t| {
                            let id = t.id.clone();
                            view! {
                                <option value=t.id prop:selected=move || read(get)() == id>
                                    {t.name}
                                </option>
                            }
                        }
                    />
                </select>
            </label>
        }
    };

    view! {
        <section
            class="settings-section"
            aria-labelledby="assignment-title"
            data-charla="settings-assignment"
        >
            <h2 id="assignment-title">"Assignment"</h2>
            <Show when=move || load_error.with(Option::is_some)>
                <p class="form-error" role="alert">
                    {move || load_error.get().unwrap_or_default()}
                </p>
            </Show>
            <Show when=move || form.with(Option::is_some)>
                <form class="assignment-form" novalidate on:submit=submit>
                    <Labelled caption="Assign new conversations to">
                        <EnumSelect<Mode>
                            label="Assign new conversations to"
                            value=mode
                            on_pick=move |m| edit(Box::new(move |f| f.mode = m))
                        />
                    </Labelled>
                    <Show when=move || mode.get() == Mode::Team>
                        {team_select("Assignment team", |f| f.team_id.clone(), |f, v| f.team_id = v)}
                    </Show>
                    <Show when=move || mode.get() == Mode::Dedicated>
                        <label>
                            <span>"Owner contact field"</span>
                            <input
                                type="text"
                                autocomplete="off"
                                placeholder="account_owner"
                                aria-label="Owner contact field"
                                aria-describedby="owner-field-hint"
                                prop:value=read(|f| f.field.clone())
                                on:input=move |ev| {
                                    let value = event_target_value(&ev);
                                    edit(Box::new(move |f| f.field = value));
                                }
                            />
                        </label>
                        <p class="hint" id="owner-field-hint">
                            "The contact field whose value is the owner's email or agent id."
                        </p>
                        <Labelled caption="If the owner cannot take it">
                            <EnumSelect<FallbackMode>
                                label="If the owner cannot take it"
                                value=fallback
                                on_pick=move |m| edit(Box::new(move |f| f.fallback = m))
                            />
                        </Labelled>
                        <Show when=move || fallback.get() == FallbackMode::Team>
                            {team_select(
                                "Fallback team",
                                |f| f.fallback_team_id.clone(),
                                |f, v| f.fallback_team_id = v,
                            )}
                        </Show>
                    </Show>
                    <Show when=move || mode.get() != Mode::Off>
                        <div class="form-row">
                            <Labelled caption="Method">
                                <EnumSelect<Method>
                                    label="Assignment method"
                                    value=Signal::derive(move || {
                                        form.with(|f| f.as_ref().map(|f| f.method).unwrap_or_default())
                                    })
                                    on_pick=move |m| edit(Box::new(move |f| f.method = m))
                                />
                            </Labelled>
                            <label>
                                <span>"Max open per agent"</span>
                                <input
                                    type="text"
                                    inputmode="numeric"
                                    class="narrow"
                                    placeholder="No limit"
                                    aria-label="Max open per agent"
                                    prop:value=read(|f| f.max_open.clone())
                                    on:input=move |ev| {
                                        let value = event_target_value(&ev);
                                        edit(Box::new(move |f| f.max_open = value));
                                    }
                                />
                            </label>
                            <Labelled caption="When nobody is available">
                                <EnumSelect<OnUnavailable>
                                    label="When nobody is available"
                                    value=Signal::derive(move || {
                                        form.with(|f| f.as_ref().map(|f| f.on_unavailable).unwrap_or_default())
                                    })
                                    on_pick=move |u| edit(Box::new(move |f| f.on_unavailable = u))
                                />
                            </Labelled>
                        </div>
                        <label class="checkbox">
                            <input
                                type="checkbox"
                                aria-label="Online agents only"
                                prop:checked=move || form.with(|f| f.as_ref().is_some_and(|f| f.online_only))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    edit(Box::new(move |f| f.online_only = on));
                                }
                            />
                            <span>"Online agents only"</span>
                        </label>
                        <p class="hint">
                            "Capacity per agent is set under Agents; max open applies to this "
                            "rule on top of it (empty = no limit)."
                        </p>
                    </Show>
                    <SaveActions state label="Save assignment" name="assignment" />
                </form>
            </Show>
        </section>
    }
}
