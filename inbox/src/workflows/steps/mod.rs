//! One step of the editor's vertical list: its id, type, the fields of that type, where it
//! goes next, and the problems the server (or the form) found in it, right beside it.
//! Controls are named by the step's place in the list ("Step 2 message").

mod assign;
mod branch;

use crate::workflows::i18n::{wt, WorkflowTexts};
use std::collections::BTreeMap;

use leptos::prelude::*;

use crate::kit::labelled::Labelled;
use crate::kit::select::EnumSelect;
use crate::kit::Choice;
use crate::workflows::form::{self as wf, StepForm, StepKind, WaitUnit, WorkflowForm};

use assign::AssignFields;
use branch::BranchFields;

type Edit = Box<dyn FnOnce(&mut StepForm)>;

#[component]
pub fn StepEditor(
    form: RwSignal<WorkflowForm>,
    step: u32,
    /// Problems per step id.
    problems: Memo<BTreeMap<String, Vec<String>>>,
    /// Other workflows (id, name) a `trigger_workflow` step may start.
    workflows: Memo<Vec<(String, String)>>,
) -> impl IntoView {
    let index = Memo::new(move |_| {
        form.with(|f| {
            f.steps
                .iter()
                .position(|s| s.key == step)
                .map_or(0, |i| i + 1)
        })
    });
    let count = Memo::new(move |_| form.with(|f| f.steps.len()));
    let name = Signal::derive(move || wt().step_n(index.get()));
    let id =
        Memo::new(move |_| form.with(|f| f.step(step).map(|s| s.id.clone()).unwrap_or_default()));
    let kind =
        Memo::new(move |_| form.with(|f| f.step(step).map_or(StepKind::SendMessage, |s| s.kind)));
    let is_start = Memo::new(move |_| form.with(|f| f.start == id.get()));
    let my_problems =
        Memo::new(move |_| problems.with(|p| p.get(&id.get()).cloned().unwrap_or_default()));

    view! {
        <li
            class="step"
            data-charla="step"
            data-step-id=move || id.get()
            data-kind=move || kind.get().name()
            data-invalid=move || (!my_problems.with(Vec::is_empty)).then_some("true")
        >
            <div class="step-head">
                <span class="step-number" aria-hidden="true">{move || index.get()}</span>
                <label>
                    <span>{move || wt().id}</span>
                    <input
                        type="text"
                        class="narrow-id"
                        autocomplete="off"
                        spellcheck="false"
                        aria-label=move || wt().part(&name.get(), wt().p_id)
                        prop:value=id
                        on:change=move |ev| {
                            let v = event_target_value(&ev);
                            form.update(|f| f.rename_step(step, &v));
                        }
                    />
                </label>
                <label>
                    <span>{move || wt().type_}</span>
                    <EnumSelect<StepKind>
                        label=Signal::derive(move || wt().part(&name.get(), wt().p_type))
                        value=kind
                        on_pick=move |k| form.update(|f| f.set_kind(step, k))
                    />
                </label>
                <Show when=move || is_start.get()>
                    <span class="start-tag" data-charla="start-step">{move || wt().start_tag}</span>
                </Show>
                <span class="step-tools">
                    <button
                        type="button"
                        class="small"
                        aria-label=move || wt().move_up(&name.get())
                        disabled=move || { index.get() <= 1 }
                        on:click=move |_| form.update(|f| f.move_step(step, -1))
                    >
                        "↑"
                    </button>
                    <button
                        type="button"
                        class="small"
                        aria-label=move || wt().move_down(&name.get())
                        disabled=move || { index.get() >= count.get() }
                        on:click=move |_| form.update(|f| f.move_step(step, 1))
                    >
                        "↓"
                    </button>
                    <button
                        type="button"
                        class="small"
                        aria-label=move || wt().remove_named(&name.get())
                        on:click=move |_| form.update(|f| f.remove_step(step))
                    >
                        {move || wt().remove}
                    </button>
                </span>
            </div>
            <Show when=move || !my_problems.with(Vec::is_empty)>
                <div role="alert">
                    <ul class="step-problems" data-charla="step-problems">
                        {move || {
                            my_problems
                                .get()
                                .into_iter()
                                .map(|p| view! { <li>{p}</li> })
                                .collect_view()
                        }}
                    </ul>
                </div>
            </Show>
            <div class="step-fields">
                {move || {
                    let kind = kind.get();
                    view! { <StepFields form step kind name workflows /> }
                }}
            </div>
            <Show when=move || form.with(|f| f.step(step).is_some_and(StepForm::has_next))>
                <StepSelect
                    form
                    step
                    label=Signal::derive(move || wt().part(&name.get(), wt().p_next_step))
                    caption=wt().then
                    none=wt().end_the_run
                    get=|s| s.next.clone()
                    set=|s, v| s.next = v
                />
            </Show>
        </li>
    }
}

fn edit_step(form: RwSignal<WorkflowForm>, step: u32, change: Edit) {
    form.update(|f| {
        if let Some(s) = f.step_mut(step) {
            change(s);
        }
    });
}

fn read_step(
    form: RwSignal<WorkflowForm>,
    step: u32,
    get: fn(&StepForm) -> String,
) -> Memo<String> {
    Memo::new(move |_| form.with(|f| f.step(step).map(get).unwrap_or_default()))
}

/// A text field (or a textarea) bound to one of the step's texts.
#[component]
fn StepText(
    form: RwSignal<WorkflowForm>,
    step: u32,
    #[prop(into)] label: Signal<String>,
    caption: &'static str,
    get: fn(&StepForm) -> String,
    set: fn(&mut StepForm, String),
    #[prop(optional)] multiline: bool,
    #[prop(optional)] placeholder: &'static str,
    #[prop(optional)] list: Option<&'static str>,
) -> impl IntoView {
    let value = read_step(form, step, get);
    let on_input = move |ev| {
        let v = event_target_value(&ev);
        edit_step(form, step, Box::new(move |s| set(s, v)));
    };
    let field = if multiline {
        view! {
            <textarea
                rows="3"
                placeholder=placeholder
                aria-label=move || label.get()
                prop:value=value
                on:input=on_input
            ></textarea>
        }
        .into_any()
    } else {
        view! {
            <input
                type="text"
                autocomplete="off"
                placeholder=placeholder
                list=list
                aria-label=move || label.get()
                prop:value=value
                on:input=on_input
            />
        }
        .into_any()
    };
    view! {
        <label class="step-field">
            <span>{caption}</span>
            {field}
        </label>
    }
}

/// A select of the workflow's other steps (or none).
#[component]
fn StepSelect(
    form: RwSignal<WorkflowForm>,
    step: u32,
    #[prop(into)] label: Signal<String>,
    caption: &'static str,
    none: &'static str,
    get: fn(&StepForm) -> String,
    set: fn(&mut StepForm, String),
) -> impl IntoView {
    let value = read_step(form, step, get);
    let others = Memo::new(move |_| {
        form.with(|f| {
            f.steps
                .iter()
                .filter(|s| s.key != step)
                .map(|s| s.id.clone())
                .collect::<Vec<_>>()
        })
    });
    view! {
        <label class="step-field">
            <span>{caption}</span>
            <select
                aria-label=move || label.get()
                on:change=move |ev| {
                    let v = event_target_value(&ev);
                    edit_step(form, step, Box::new(move |s| set(s, v)));
                }
            >
                <option value="" prop:selected=move || value.with(String::is_empty)>
                    {none}
                </option>
                {move || {
                    let current = value.get();
                    let mut ids = others.get();
                    // A reference to a step that is gone stays visible until it is changed.
                    if !current.is_empty() && !ids.contains(&current) {
                        ids.push(current.clone());
                    }
                    ids.into_iter()
                        .map(|id| {
                            let selected = id == current;
                            let text = wt().go_to_step(&id);
                            view! {
                                <option value=id prop:selected=selected>
                                    {text}
                                </option>
                            }
                        })
                        .collect_view()
                }}
            </select>
        </label>
    }
}

/// A checkbox bound to one of the step's flags.
#[component]
fn StepCheck(
    form: RwSignal<WorkflowForm>,
    step: u32,
    #[prop(into)] label: Signal<String>,
    caption: &'static str,
    get: fn(&StepForm) -> bool,
    set: fn(&mut StepForm, bool),
) -> impl IntoView {
    let checked = Memo::new(move |_| form.with(|f| f.step(step).is_some_and(get)));
    view! {
        <label class="checkbox">
            <input
                type="checkbox"
                aria-label=move || label.get()
                prop:checked=checked
                on:change=move |ev| {
                    let v = event_target_checked(&ev);
                    edit_step(form, step, Box::new(move |s| set(s, v)));
                }
            />
            <span>{caption}</span>
        </label>
    }
}

/// The fields of one step type.
#[component]
fn StepFields(
    form: RwSignal<WorkflowForm>,
    step: u32,
    kind: StepKind,
    name: Signal<String>,
    workflows: Memo<Vec<(String, String)>>,
) -> impl IntoView {
    let l = move |what: fn(&WorkflowTexts) -> &'static str| {
        Signal::derive(move || wt().part(&name.get(), what(wt())))
    };
    let t = wt();
    match kind {
        StepKind::SendMessage => view! {
            <StepText
                form
                step
                label=l(|t| t.p_message)
                caption=t.message
                multiline=true
                placeholder=t.message_placeholder
                get=|s| s.text.clone()
                set=|s, v| s.text = v
            />
            <p class="hint">{t.variables_hint}</p>
        }
        .into_any(),
        StepKind::InternalComment => view! {
            <StepText
                form
                step
                label=l(|t| t.p_note)
                caption=t.note_agents
                multiline=true
                get=|s| s.text.clone()
                set=|s, v| s.text = v
            />
        }
        .into_any(),
        StepKind::Assign => view! { <AssignFields form step name /> }.into_any(),
        StepKind::Branch => view! { <BranchFields form step name /> }.into_any(),
        StepKind::AddTag | StepKind::RemoveTag => view! {
            <StepText
                form
                step
                label=l(|t| t.p_tags)
                caption=t.tags_commas
                placeholder="vip, lead"
                get=|s| s.tags.clone()
                set=|s, v| s.tags = v
            />
        }
        .into_any(),
        StepKind::UpdateField => view! {
            <div class="form-row">
                <StepText
                    form
                    step
                    label=l(|t| t.p_field)
                    caption=t.contact_field
                    placeholder=t.field_placeholder
                    get=|s| s.field.clone()
                    set=|s, v| s.field = v
                />
                <StepText
                    form
                    step
                    label=l(|t| t.p_value)
                    caption=t.value_empty_clears
                    get=|s| s.value.clone()
                    set=|s, v| s.value = v
                />
            </div>
        }
        .into_any(),
        StepKind::CloseConversation => view! {
            <div class="form-row">
                <StepText
                    form
                    step
                    label=l(|t| t.p_closing_category)
                    caption=t.category
                    list=CATEGORIES_LIST
                    get=|s| s.category.clone()
                    set=|s, v| s.category = v
                />
                <StepText
                    form
                    step
                    label=l(|t| t.p_closing_summary)
                    caption=t.summary
                    get=|s| s.summary.clone()
                    set=|s, v| s.summary = v
                />
            </div>
        }
        .into_any(),
        StepKind::Wait => view! { <WaitFields form step name /> }.into_any(),
        StepKind::Jump => view! {
            <StepSelect
                form
                step
                label=l(|t| t.p_jump_target)
                caption=t.go_to
                none=t.choose_a_step
                get=|s| s.target.clone()
                set=|s, v| s.target = v
            />
        }
        .into_any(),
        StepKind::TriggerWorkflow => {
            view! { <TriggerWorkflowField form step name workflows /> }.into_any()
        }
        StepKind::AskQuestion | StepKind::HttpRequest => {
            view! { <JsonFields form step name kind /> }.into_any()
        }
        _ => view! { <p class="hint">{t.no_settings}</p> }.into_any(),
    }
}

/// The `<datalist>` of the workspace's closing categories the editor renders once.
pub const CATEGORIES_LIST: &str = "workflow-categories";

#[component]
fn WaitFields(form: RwSignal<WorkflowForm>, step: u32, name: Signal<String>) -> impl IntoView {
    let unit =
        Memo::new(move |_| form.with(|f| f.step(step).map_or(WaitUnit::Minutes, |s| s.wait_unit)));
    view! {
        <div class="form-row">
            <StepText
                form
                step
                label=Signal::derive(move || wt().part(&name.get(), wt().p_wait_for))
                caption=wt().wait_for
                get=|s| s.wait_amount.clone()
                set=|s, v| s.wait_amount = v
            />
            <Labelled caption=Signal::derive(|| wt().unit.to_owned()) class="step-field">
                <EnumSelect<WaitUnit>
                    label=Signal::derive(move || wt().part(&name.get(), wt().p_wait_unit))
                    value=unit
                    on_pick=move |u| edit_step(form, step, Box::new(move |s| s.wait_unit = u))
                />
            </Labelled>
        </div>
    }
}

#[component]
fn TriggerWorkflowField(
    form: RwSignal<WorkflowForm>,
    step: u32,
    name: Signal<String>,
    workflows: Memo<Vec<(String, String)>>,
) -> impl IntoView {
    let current = read_step(form, step, |s| s.workflow_id.clone());
    view! {
        <label class="step-field">
            <span>{move || wt().workflow_by_hand}</span>
            <select
                aria-label=move || wt().part(&name.get(), wt().p_workflow)
                on:change=move |ev| {
                    let v = event_target_value(&ev);
                    edit_step(form, step, Box::new(move |s| s.workflow_id = v));
                }
            >
                <option value="" prop:selected=move || current.with(String::is_empty)>
                    {move || wt().choose_a_workflow}
                </option>
                {move || {
                    let now = current.get();
                    let mut list = workflows.get();
                    if !now.is_empty() && !list.iter().any(|(id, _)| *id == now) {
                        list.push((now.clone(), now.clone()));
                    }
                    list.into_iter()
                        .map(|(id, text)| {
                            let selected = id == now;
                            view! { <option value=id prop:selected=selected>{text}</option> }
                        })
                        .collect_view()
                }}
            </select>
        </label>
    }
}

/// Steps with many options, as JSON; whether it fits the step type is said as it is typed.
#[component]
fn JsonFields(
    form: RwSignal<WorkflowForm>,
    step: u32,
    name: Signal<String>,
    kind: StepKind,
) -> impl IntoView {
    let json = read_step(form, step, |s| s.json.clone());
    let problem = Memo::new(move |_| json.with(|j| wf::json_step_problem(kind, j)));
    let hint = match kind {
        StepKind::AskQuestion => {
            "prompt, kind (text, buttons, email, phone), buttons [{label, value?, next?}], save_as, \
             save_to_field, timeout_ms, on_timeout, max_attempts, invalid_message, on_invalid"
        }
        _ => "method, url (https only), headers, body, timeout_ms, map [{path, to}], on_error",
    };
    view! {
        <label class="step-field">
            <span>{move || wt().settings_json}</span>
            <textarea
                class="json"
                rows="6"
                spellcheck="false"
                aria-label=move || wt().part(&name.get(), wt().p_settings_json)
                prop:value=json
                on:input=move |ev| {
                    let v = event_target_value(&ev);
                    edit_step(form, step, Box::new(move |s| s.json = v));
                }
            ></textarea>
        </label>
        <p class="hint">{hint}</p>
        <Show when=move || problem.with(Option::is_some)>
            <p class="form-error" role="alert" data-charla="json-problem">
                {move || problem.get().unwrap_or_default()}
            </p>
        </Show>
    }
}
