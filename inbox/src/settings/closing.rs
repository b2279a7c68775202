//! Closing notes: the categories a closed conversation may be filed under, whether category
//! and summary are asked for, and auto-close after inactivity.

use charla_shared::lifecycle::NoteRequirement;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;
use crate::kit::chips::{AddRow, Chip, Chips};
use crate::kit::keys::on_enter;
use crate::kit::labelled::Labelled;
use crate::kit::save::{save, SaveActions, SaveState};
use crate::kit::select::EnumSelect;
use crate::settings::closing_form::ClosingForm;
use crate::settings::i18n::{st, SettingsTexts};
use crate::shell::workspace::Workspace;

#[component]
pub fn ClosingSettings() -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let form = RwSignal::new(None::<ClosingForm>);
    let load_error = RwSignal::new(None::<String>);
    let new_category = RwSignal::new(String::new());
    let state = RwSignal::new(SaveState::Idle);
    spawn_local(async move {
        match api::lifecycle_settings(&ws.token()).await {
            Ok(settings) => {
                form.set(Some(ClosingForm::from_settings(&settings)));
                ws.closing.set(Some(settings));
            }
            Err(e) => load_error.set(Some(ws.failure(e))),
        }
    });

    let add = move || {
        let name = new_category.get_untracked();
        let added = form
            .try_update(|f| f.as_mut().map(|f| f.add_category(&name)))
            .flatten();
        match added {
            Some(Err(e)) => state.set(SaveState::Failed(e)),
            Some(Ok(())) => {
                new_category.set(String::new());
                state.set(SaveState::Idle);
            }
            None => {}
        }
    };
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if state.with_untracked(SaveState::is_saving) {
            return;
        }
        let Some(settings) = form.with_untracked(|f| f.as_ref().map(ClosingForm::to_settings))
        else {
            return;
        };
        let settings = match settings {
            Ok(s) => s,
            Err(e) => return state.set(SaveState::Failed(e)),
        };
        let request = async move { api::save_lifecycle_settings(&ws.token(), &settings).await };
        save(state, ws, request, move |saved| {
            form.set(Some(ClosingForm::from_settings(&saved)));
            ws.closing.set(Some(saved));
            untrack(st).closing_saved.to_owned()
        });
    };
    let requirement_select =
        move |label: fn(&SettingsTexts) -> &'static str,
              get: fn(&ClosingForm) -> NoteRequirement,
              set: fn(&mut ClosingForm, NoteRequirement)| {
            view! {
                <Labelled caption=move || label(st()).to_owned()>
                    <EnumSelect<NoteRequirement>
                        label=move || label(st()).to_owned()
                        value=Signal::derive(move || form.with(|f| f.as_ref().map(get).unwrap_or_default()))
                        on_pick=move |r| {
                            form.update(|f| {
                                if let Some(f) = f {
                                    set(f, r);
                                }
                            })
                        }
                    />
                </Labelled>
            }
        };

    view! {
        <section class="settings-section" aria-labelledby="closing-title" data-charla="settings-closing">
            <h2 id="closing-title">{move || st().closing_title}</h2>
            <Show when=move || load_error.with(Option::is_some)>
                <p class="form-error" role="alert">
                    {move || load_error.get().unwrap_or_default()}
                </p>
            </Show>
            <Show when=move || form.with(Option::is_some)>
                <form class="closing-form" novalidate on:submit=submit>
                    <fieldset>
                        <legend>{move || st().categories}</legend>
                        <Show when=move || form.with(|f| f.as_ref().is_some_and(|f| f.categories.is_empty()))>
                            <p class="hint">
                                {move || st().no_categories}
                            </p>
                        </Show>
                        <Chips
                            items=Signal::derive(move || {
                                form.with(|f| {
                                    f.iter().flat_map(|f| &f.categories).map(|c| Chip::plain(c)).collect()
                                })
                            })
                            name="category"
                            what=|t| t.category_word
                            on_remove=move |c: String| {
                                form.update(|f| {
                                    if let Some(f) = f {
                                        f.remove_category(&c);
                                    }
                                })
                            }
                        />
                        <AddRow label=move || st().add_category.to_owned() on_add=move |()| add()>
                            <input
                                type="text"
                                aria-label=move || st().new_category
                                autocomplete="off"
                                bind:value=new_category
                                on:keydown=on_enter(add)
                            />
                        </AddRow>
                    </fieldset>
                    <div class="form-row">
                        {requirement_select(
                            |s| s.category_requirement,
                            |f| f.category,
                            |f, r| f.category = r,
                        )}
                        {requirement_select(
                            |s| s.summary_requirement,
                            |f| f.summary,
                            |f, r| f.summary = r,
                        )}
                        <label>
                            <span>{move || st().auto_close}</span>
                            <input
                                type="text"
                                inputmode="decimal"
                                class="narrow"
                                placeholder=move || st().off
                                aria-label=move || st().auto_close
                                prop:value=move || {
                                    form.with(|f| f.as_ref().map(|f| f.auto_close_hours.clone()).unwrap_or_default())
                                }
                                on:input=move |ev| {
                                    let value = event_target_value(&ev);
                                    form.update(|f| {
                                        if let Some(f) = f {
                                            f.auto_close_hours = value;
                                        }
                                    });
                                }
                            />
                        </label>
                    </div>
                    <p class="hint">
                        {move || st().auto_close_hint}
                    </p>
                    <SaveActions state label=move || st().save_closing.to_owned() name="closing" />
                </form>
            </Show>
        </section>
    }
}
