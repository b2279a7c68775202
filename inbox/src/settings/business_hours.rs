//! Business hours: the weekly schedule, time zone and holidays workflows branch on and the
//! widget's away text follows. "Always open" saves no schedule at all (`null`). The form's
//! model and its checks are in [`crate::settings::business_hours_form`]; the server checks again and
//! its refusals are shown as it words them.

use std::time::Duration;

use charla_shared::schedule::{BusinessHours, Day};
use leptos::ev::SubmitEvent;
use leptos::html::Input;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;
use crate::browser;
use crate::kit::chips::{AddRow, Chip, Chips};
use crate::kit::keys::on_enter;
use crate::kit::save::{save, SaveActions, SaveState};
use crate::settings::business_hours_form::{self, HolidayText, HoursForm, Mode, Problem, Where};
use crate::settings::i18n::{st, st_untracked};
use crate::shell::workspace::Workspace;

use super::workspace_zone::ZONES;

/// How often the "Open now · closes 18:00" line is worked out again.
const STATUS_TICK: Duration = Duration::from_secs(30);

/// Apply `change` to the loaded form (nothing before it is loaded).
/// A holiday reads "date · name", or just the date when it has no name.
fn holiday_chip(h: &HolidayText) -> Chip {
    let text = match h.name.as_str() {
        "" => h.date.clone(),
        name => format!("{} · {name}", h.date),
    };
    Chip {
        key: h.date.clone(),
        text,
    }
}

fn edit(form: RwSignal<Option<HoursForm>>, change: impl FnOnce(&mut HoursForm)) {
    form.update(|f| {
        if let Some(f) = f {
            change(f);
        }
    });
}

#[component]
pub fn BusinessHoursSettings() -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let browser_zone = StoredValue::new(browser::local_time_zone());
    let form = RwSignal::new(None::<HoursForm>);
    // What the server holds (outer `None` = not loaded yet): the status line describes it.
    let saved = RwSignal::new(None::<Option<BusinessHours>>);
    let load_error = RwSignal::new(None::<String>);
    let state = RwSignal::new(SaveState::Idle);
    // Problems are shown from the first attempt to save, then follow every edit.
    let checked = RwSignal::new(false);
    let holiday_error = RwSignal::new(None::<String>);
    let holiday_date = NodeRef::<Input>::new();
    let holiday_name = NodeRef::<Input>::new();

    let now = RwSignal::new(browser::now());
    let ticker = set_interval_with_handle(move || now.set(browser::now()), STATUS_TICK).ok();
    on_cleanup(move || {
        if let Some(ticker) = ticker {
            ticker.clear();
        }
    });

    let default_zone = browser_zone.get_value().unwrap_or_else(|| "UTC".to_owned());
    spawn_local(async move {
        match api::business_hours(&ws.token()).await {
            Ok(hours) => {
                form.set(Some(HoursForm::new(hours.as_ref(), &default_zone)));
                saved.set(Some(hours));
            }
            Err(e) => load_error.set(Some(ws.failure(e))),
        }
    });

    let problems = Memo::new(move |_| {
        if !checked.get() {
            return Vec::new();
        }
        form.with(|f| f.as_ref().map(HoursForm::problems).unwrap_or_default())
    });
    // Once the marked problems are fixed, "Not saved: fix the hours…" no longer applies.
    // (`problems` is read first so the effect always tracks it.)
    Effect::new(move |_| {
        if problems.with(Vec::is_empty)
            && checked.get_untracked()
            && state.with_untracked(|s| matches!(s, SaveState::Failed(_)))
        {
            state.set(SaveState::Idle);
        }
    });
    let mode = move || form.with(|f| f.as_ref().map(|f| f.mode));
    let on_schedule = move || mode() == Some(Mode::Schedule);
    let set_mode = move |m: Mode| {
        edit(form, |f| f.mode = m);
        state.set(SaveState::Idle);
    };

    let add_holiday = move || {
        let (Some(date), Some(name)) = (holiday_date.get_untracked(), holiday_name.get_untracked())
        else {
            return;
        };
        let added = form
            .try_update(|f| {
                f.as_mut()
                    .map(|f| f.add_holiday(&date.value(), &name.value()))
            })
            .flatten();
        match added {
            Some(Err(e)) => holiday_error.set(Some(e)),
            Some(Ok(())) => {
                holiday_error.set(None);
                date.set_value("");
                name.set_value("");
            }
            None => {}
        }
    };

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if state.with_untracked(SaveState::is_saving) {
            return;
        }
        // A holiday typed but not added yet is meant to be saved too.
        if holiday_date
            .get_untracked()
            .is_some_and(|d| !d.value().trim().is_empty())
        {
            add_holiday();
            if holiday_error.with_untracked(Option::is_some) {
                return state.set(SaveState::Failed(
                    st_untracked().holiday_not_added.to_owned(),
                ));
            }
        }
        let Some(hours) = form.with_untracked(|f| f.as_ref().map(HoursForm::to_hours)) else {
            return;
        };
        let hours = match hours {
            Ok(h) => h,
            Err(_) => {
                checked.set(true);
                return state.set(SaveState::Failed(st_untracked().fix_hours_first.to_owned()));
            }
        };
        let request = async move { api::save_business_hours(&ws.token(), &hours).await };
        save(state, ws, request, move |stored| {
            let text = match &stored {
                None => st_untracked().saved_always_open,
                Some(_) => st_untracked().hours_saved,
            };
            // Read the clock again: the line must describe the new hours as of now.
            now.set(browser::now());
            saved.set(Some(stored));
            checked.set(false);
            text.to_owned()
        });
    };

    let status = move || {
        saved.with(|s| {
            s.as_ref().map(|h| {
                let name = h.as_ref().map_or("UTC", |h| h.time_zone.name());
                // A zone this browser does not know: no status line rather than a wrong one.
                browser::BrowserZone::new(name).map(|zone| {
                    let now = now.get();
                    (
                        business_hours_form::open_now(h.as_ref(), &zone, now),
                        business_hours_form::status(h.as_ref(), &zone, now),
                    )
                })
            })
        })
    };
    let problems_at = move |at: Where| {
        problems.with(|p| {
            p.iter()
                .filter(|p| p.at == at)
                .map(|p| p.message.clone())
                .collect::<Vec<_>>()
        })
    };

    view! {
        <section class="settings-section" aria-labelledby="hours-title" data-charla="settings-hours">
            <h2 id="hours-title">{move || st().hours_title}</h2>
            <p class="hint">{move || st().hours_hint}</p>
            <Show when=move || load_error.with(Option::is_some)>
                <p class="form-error" role="alert">{move || load_error.get().unwrap_or_default()}</p>
            </Show>
            {move || {
                status()
                    .flatten()
                    .map(|(open, text)| {
                        view! {
                            <p
                                class="hours-status"
                                role="status"
                                data-charla="hours-status"
                                data-open=open.to_string()
                            >
                                {text}
                            </p>
                        }
                    })
            }}
            <Show when=move || form.with(Option::is_some)>
                <form class="closing-form hours-form" novalidate on:submit=submit>
                    <fieldset class="hours-mode">
                        <legend>{move || st().reach_you}</legend>
                        <label class="checkbox">
                            <input
                                type="radio"
                                name="hours-mode"
                                prop:checked=move || mode() == Some(Mode::AlwaysOpen)
                                on:change=move |_| set_mode(Mode::AlwaysOpen)
                            />
                            {move || st().always_open}
                        </label>
                        <label class="checkbox">
                            <input
                                type="radio"
                                name="hours-mode"
                                prop:checked=on_schedule
                                on:change=move |_| set_mode(Mode::Schedule)
                            />
                            {move || st().on_schedule}
                        </label>
                    </fieldset>
                    <Show
                        when=on_schedule
                        fallback=|| {
                            view! {
                                <p class="hint">{move || st().no_schedule_hint}</p>
                            }
                        }
                    >
                        <div class="form-row">
                            <label>
                                <span>{move || st().time_zone}</span>
                                <input
                                    type="text"
                                    list="hours-time-zones"
                                    autocomplete="off"
                                    spellcheck="false"
                                    aria-label=move || st().time_zone
                                    aria-invalid=move || {
                                        (!problems_at(Where::TimeZone).is_empty()).to_string()
                                    }
                                    prop:value=move || {
                                        form.with(|f| f.as_ref().map(|f| f.time_zone.clone()).unwrap_or_default())
                                    }
                                    on:input=move |ev| {
                                        let zone = event_target_value(&ev);
                                        edit(form, |f| f.time_zone = zone);
                                    }
                                />
                            </label>
                            {browser_zone.get_value().map(|z| {
                                let zone_name = z.clone();
                                let label = move || st().use_browser_zone(&zone_name);
                                view! {
                                    <button
                                        type="button"
                                        class="small"
                                        on:click=move |_| {
                                            let zone = z.clone();
                                            edit(form, |f| f.time_zone = zone);
                                        }
                                    >
                                        {label}
                                    </button>
                                }
                            })}
                        </div>
                        <datalist id="hours-time-zones">
                            {ZONES.map(|z| view! { <option value=z></option> }).collect_view()}
                        </datalist>
                        {move || {
                            problems_at(Where::TimeZone)
                                .into_iter()
                                .map(|m| view! { <p class="form-error inline" role="alert">{m}</p> })
                                .collect_view()
                        }}
                        <fieldset class="hours-week">
                            <legend>{move || st().opening_hours}</legend>
                            {Day::ALL.map(|day| view! { <DayRow day form problems /> }).collect_view()}
                            <div class="form-actions">
                                <button
                                    type="button"
                                    class="small"
                                    on:click=move |_| edit(form, HoursForm::copy_monday_to_weekdays)
                                >
                                    {move || st().copy_monday}
                                </button>
                                <p class="hint">{move || st().times_hint}</p>
                            </div>
                        </fieldset>
                        <fieldset class="hours-holidays">
                            <legend>{move || st().holidays}</legend>
                            <p class="hint">{move || st().holidays_hint}</p>
                            <Chips
                                items=Signal::derive(move || form.with(|f| f.iter().flat_map(|f| &f.holidays).map(holiday_chip).collect()))
                                name="hours-holiday"
                                what=|t| t.holiday_word
                                key_attr="data-date"
                                on_remove=move |date: String| edit(form, |f| f.remove_holiday(&date))
                            />
                            <AddRow label=move || st().add_holiday.to_owned() on_add=move |()| add_holiday()>
                                <input
                                    type="date"
                                    aria-label=move || st().holiday_date
                                    node_ref=holiday_date
                                    on:keydown=on_enter(add_holiday)
                                />
                                <input
                                    type="text"
                                    aria-label=move || st().holiday_name
                                    placeholder=move || st().name_optional
                                    autocomplete="off"
                                    node_ref=holiday_name
                                    on:keydown=on_enter(add_holiday)
                                />
                            </AddRow>
                            <Show when=move || holiday_error.with(Option::is_some)>
                                <p class="form-error inline" role="alert" data-charla="hours-holiday-error">
                                    {move || holiday_error.get().unwrap_or_default()}
                                </p>
                            </Show>
                        </fieldset>
                        {move || {
                            problems_at(Where::Schedule)
                                .into_iter()
                                .map(|m| view! { <p class="form-error" role="alert">{m}</p> })
                                .collect_view()
                        }}
                    </Show>
                    <SaveActions
                        state
                        label=Signal::derive(|| st().save_hours.to_owned())
                        name="hours-save"
                    />
                </form>
            </Show>
        </section>
    }
}

/// One day of the week: "Open" and its spans, each a pair of time inputs.
#[component]
fn DayRow(
    day: Day,
    form: RwSignal<Option<HoursForm>>,
    /// The form's problems once a save was tried; this row shows its own.
    problems: Memo<Vec<Problem>>,
) -> impl IntoView {
    let open = move || form.with(|f| f.as_ref().is_some_and(|f| f.day(day).open));
    let span_ids = move || {
        form.with(|f| {
            f.as_ref()
                .map(|f| f.day(day).spans.iter().map(|s| s.id).collect::<Vec<_>>())
                .unwrap_or_default()
        })
    };
    let day_problems = move || {
        problems.with(|p| {
            p.iter()
                .filter(|p| p.is_about_day(day))
                .map(|p| p.message.clone())
                .collect::<Vec<_>>()
        })
    };
    view! {
        <div
            class="hours-day"
            role="group"
            aria-label=move || st().day_name(day)
            data-charla="hours-day"
            data-day=day.as_str()
        >
            <label class="checkbox hours-day-name">
                <input
                    type="checkbox"
                    aria-label=move || st().day_open(day)
                    prop:checked=open
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        edit(form, |f| f.set_open(day, on));
                    }
                />
                <span>{move || st().day_name(day)}</span>
            </label>
            <Show when=open fallback=|| view! { <span class="hint hours-closed">{move || st().closed_day}</span> }>
                <ul class="hours-spans">
                    <For
                        each=span_ids
                        key=|id| *id
                        children=move |id| view! { <SpanRow day id form problems /> }
                    />
                </ul>
                <button
                    type="button"
                    class="small"
                    aria-label=move || st().add_hours_to(day)
                    on:click=move |_| edit(form, |f| f.add_span(day))
                >
                    {move || st().add_hours}
                </button>
            </Show>
            {move || {
                day_problems()
                    .into_iter()
                    .map(|m| {
                        view! {
                            <p class="form-error inline" role="alert" data-charla="hours-problem">
                                {m}
                            </p>
                        }
                    })
                    .collect_view()
            }}
        </div>
    }
}

/// One span's inputs. Their values are set once, when the row appears: from then on only the
/// inputs change them, so re-rendering never resets a time the owner is halfway through typing.
#[component]
fn SpanRow(
    day: Day,
    id: u32,
    form: RwSignal<Option<HoursForm>>,
    problems: Memo<Vec<Problem>>,
) -> impl IntoView {
    let (from, to) = form.with_untracked(|f| {
        f.as_ref()
            .and_then(|f| f.day(day).spans.iter().find(|s| s.id == id))
            .map(|s| (s.from.clone(), s.to.clone()))
            .unwrap_or_default()
    });
    // The first span is "Monday opens"; later ones are numbered: "Monday opens (2)".
    let suffix = move || {
        let position = form.with(|f| {
            f.as_ref()
                .and_then(|f| f.day(day).spans.iter().position(|s| s.id == id))
                .unwrap_or(0)
        });
        match position {
            0 => String::new(),
            n => format!(" ({})", n + 1),
        }
    };
    let invalid = move || {
        problems
            .with(|p| p.iter().any(|p| p.is_about_span(day, id)))
            .to_string()
    };
    view! {
        <li class="hours-span" data-charla="hours-span">
            <input
                type="time"
                aria-label=move || st().day_opens(day, &suffix())
                aria-invalid=invalid
                prop:value=from
                on:input=move |ev| {
                    let text = event_target_value(&ev);
                    edit(form, |f| {
                        if let Some(s) = f.span_mut(day, id) {
                            s.from = text;
                        }
                    });
                }
            />
            <span aria-hidden="true">"–"</span>
            <input
                type="time"
                aria-label=move || st().day_closes(day, &suffix())
                aria-invalid=invalid
                prop:value=to
                on:input=move |ev| {
                    let text = event_target_value(&ev);
                    edit(form, |f| {
                        if let Some(s) = f.span_mut(day, id) {
                            s.to = text;
                        }
                    });
                }
            />
            <button
                type="button"
                class="tag-remove"
                aria-label=move || st().remove_day_hours(day, &suffix())
                on:click=move |_| edit(form, |f| f.remove_span(day, id))
            >
                "×"
            </button>
        </li>
    }
}
