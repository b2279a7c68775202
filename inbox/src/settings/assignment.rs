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
use crate::settings::i18n::{st, SettingsTexts};
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
            untrack(st).assignment_saved.to_owned()
        });
    };

    // A select of the workspace's teams, bound to one of the form's team ids.
    let team_select = move |label: fn(&SettingsTexts) -> &'static str,
                            get: fn(&AssignmentForm) -> String,
                            set: fn(&mut AssignmentForm, String)| {
        view! {
            <label>
                <span>{move || label(st())}</span>
                <select
                    aria-label=move || label(st())
                    on:change=move |ev| {
                        let value = event_target_value(&ev);
                        edit(Box::new(move |f| set(f, value)));
                    }
                >
                    <option value="" prop:selected=move || read(get)().is_empty()>
                        {move || st().choose_team}
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
            <h2 id="assignment-title">{move || st().assignment_title}</h2>
            <Show when=move || load_error.with(Option::is_some)>
                <p class="form-error" role="alert">
                    {move || load_error.get().unwrap_or_default()}
                </p>
            </Show>
            <Show when=move || form.with(Option::is_some)>
                <form class="assignment-form" novalidate on:submit=submit>
                    <Labelled caption=move || st().assign_new_to.to_owned()>
                        <EnumSelect<Mode>
                            label=move || st().assign_new_to.to_owned()
                            value=mode
                            on_pick=move |m| edit(Box::new(move |f| f.mode = m))
                        />
                    </Labelled>
                    <Show when=move || mode.get() == Mode::Team>
                        {team_select(|s| s.assignment_team, |f| f.team_id.clone(), |f, v| f.team_id = v)}
                    </Show>
                    <Show when=move || mode.get() == Mode::Dedicated>
                        <label>
                            <span>{move || st().owner_field}</span>
                            <input
                                type="text"
                                autocomplete="off"
                                placeholder="account_owner"
                                aria-label=move || st().owner_field
                                aria-describedby="owner-field-hint"
                                prop:value=read(|f| f.field.clone())
                                on:input=move |ev| {
                                    let value = event_target_value(&ev);
                                    edit(Box::new(move |f| f.field = value));
                                }
                            />
                        </label>
                        <p class="hint" id="owner-field-hint">
                            {move || st().owner_field_hint}
                        </p>
                        <Labelled caption=move || st().owner_unavailable.to_owned()>
                            <EnumSelect<FallbackMode>
                                label=move || st().owner_unavailable.to_owned()
                                value=fallback
                                on_pick=move |m| edit(Box::new(move |f| f.fallback = m))
                            />
                        </Labelled>
                        <Show when=move || fallback.get() == FallbackMode::Team>
                            {team_select(
                                |s| s.fallback_team,
                                |f| f.fallback_team_id.clone(),
                                |f, v| f.fallback_team_id = v,
                            )}
                        </Show>
                    </Show>
                    <Show when=move || mode.get() != Mode::Off>
                        <div class="form-row">
                            <Labelled caption=move || st().method.to_owned()>
                                <EnumSelect<Method>
                                    label=move || st().assignment_method.to_owned()
                                    value=Signal::derive(move || {
                                        form.with(|f| f.as_ref().map(|f| f.method).unwrap_or_default())
                                    })
                                    on_pick=move |m| edit(Box::new(move |f| f.method = m))
                                />
                            </Labelled>
                            <label>
                                <span>{move || st().max_open}</span>
                                <input
                                    type="text"
                                    inputmode="numeric"
                                    class="narrow"
                                    placeholder=move || st().no_limit
                                    aria-label=move || st().max_open
                                    prop:value=read(|f| f.max_open.clone())
                                    on:input=move |ev| {
                                        let value = event_target_value(&ev);
                                        edit(Box::new(move |f| f.max_open = value));
                                    }
                                />
                            </label>
                            <Labelled caption=move || st().nobody_available.to_owned()>
                                <EnumSelect<OnUnavailable>
                                    label=move || st().nobody_available.to_owned()
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
                                aria-label=move || st().online_only
                                prop:checked=move || form.with(|f| f.as_ref().is_some_and(|f| f.online_only))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    edit(Box::new(move |f| f.online_only = on));
                                }
                            />
                            <span>{move || st().online_only}</span>
                        </label>
                        <p class="hint">
                            {move || st().max_open_hint}
                        </p>
                    </Show>
                    <SaveActions state label=move || st().save_assignment.to_owned() name="assignment" />
                </form>
            </Show>
        </section>
    }
}
