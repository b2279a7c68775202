//! The workflow editor: name and description, trigger (with its options and, for webhooks,
//! the URL and a secret shown once), trigger conditions, the vertical step list, save (the
//! server's problems appear beside the steps they name), the on/off switch and the runs.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use charla_shared::workflow::Trigger;

use crate::api;
use crate::browser;
use crate::kit::chips::AddRow;
use crate::kit::save::{SaveOutcome, SaveState};
use crate::kit::select::EnumSelect;
use crate::shell::route::Route;
use crate::shell::workspace::Workspace;
use crate::workflows::form::{self as wf, CondList, Problem, StepKind, WorkflowForm, TRIGGERS};
use crate::workflows::list;

use super::conditions::{ConditionList, VARS_LIST};
use super::runs::RunList;
use super::steps::{StepEditor, CATEGORIES_LIST};

#[component]
pub fn WorkflowEditor(
    /// `None`: a new workflow, created on the first save.
    id: Option<String>,
    route: RwSignal<Route>,
    flash: RwSignal<Option<String>>,
) -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let form = RwSignal::new(WorkflowForm::new());
    let ready = RwSignal::new(id.is_none());
    let load_error = RwSignal::new(None::<String>);
    // Manual and shortcut workflows other than this one, for "trigger another workflow".
    let others = RwSignal::new(Vec::<(String, String)>::new());
    if let Some(id) = id.clone() {
        spawn_local(async move {
            match api::workflow(&ws.token(), &id).await {
                Ok(found) => {
                    form.set(WorkflowForm::from_workflow(&found));
                    ready.set(true);
                }
                Err(e) => load_error.set(Some(ws.failure(e))),
            }
        });
    }
    {
        let me = id.clone();
        spawn_local(async move {
            if let Ok(list) = api::workflows(&ws.token()).await {
                others.set(
                    list.into_iter()
                        .map(|l| l.workflow)
                        .filter(|w| {
                            Some(&w.id) != me.as_ref()
                                && matches!(w.trigger, Trigger::Manual | Trigger::Shortcut)
                        })
                        .map(|w| (w.id, w.name))
                        .collect(),
                );
            }
        });
    }
    let title = if id.is_some() {
        "Edit workflow"
    } else {
        "New workflow"
    };
    view! {
        <div class="settings-head">
            <h1 id="workflows-title">{title}</h1>
            <a href="#/workflows" class="back-link" data-charla="all-workflows">
                "All workflows"
            </a>
        </div>
        <Show when=move || load_error.with(Option::is_some)>
            <p class="notice-plain form-error" role="alert" data-charla="workflow-load-error">
                {move || load_error.get().unwrap_or_default()}
            </p>
        </Show>
        <Show when=move || ready.get()>
            <EditorBody form route flash others=others.read_only() />
        </Show>
    }
}

#[component]
fn EditorBody(
    form: RwSignal<WorkflowForm>,
    route: RwSignal<Route>,
    flash: RwSignal<Option<String>>,
    others: ReadSignal<Vec<(String, String)>>,
) -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let state = RwSignal::new(match flash.get_untracked() {
        Some(text) => SaveState::Saved(text),
        None => SaveState::Idle,
    });
    flash.set(None);
    let problems = RwSignal::new(Vec::<Problem>::new());
    let grouped = Memo::new(move |_| problems.with(|p| wf::group_problems(p)));
    let general = Memo::new(move |_| grouped.with(|(g, _)| g.clone()));
    let by_step = Memo::new(move |_| grouped.with(|(_, s)| s.clone()));
    let saved_id = Memo::new(move |_| form.with(|f| f.id.clone()));
    let workflows = Memo::new(move |_| others.get());
    let trigger = Memo::new(move |_| form.with(|f| f.trigger.clone()));
    let name = Memo::new(move |_| form.with(|f| f.name.clone()));
    let description = Memo::new(move |_| form.with(|f| f.description.clone()));
    let new_kind = RwSignal::new(StepKind::SendMessage);

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if state.with_untracked(SaveState::is_saving) {
            return;
        }
        let built = form.with_untracked(WorkflowForm::to_workflow);
        let workflow = match built {
            Ok(w) => w,
            Err(found) => {
                problems.set(found);
                state.set(SaveState::Failed(
                    "Nothing was saved: fix the problems shown.".to_owned(),
                ));
                return;
            }
        };
        state.set(SaveState::Saving);
        spawn_local(async move {
            let id = form.with_untracked(|f| f.id.clone());
            match api::save_workflow(&ws.token(), id.as_deref(), &workflow).await {
                Ok(saved) => {
                    problems.set(Vec::new());
                    if id.is_none() {
                        flash.set(Some(
                            "Workflow created. It is off until you turn it on.".to_owned(),
                        ));
                        route.set(Route::Workflow { id: Some(saved.id) });
                    } else {
                        let version = saved.version;
                        form.set(WorkflowForm::from_workflow(&saved));
                        state.set(SaveState::Saved(format!("Saved as version {version}.")));
                    }
                }
                Err(e) => {
                    let ids = form.with_untracked(WorkflowForm::step_ids);
                    problems.set(wf::problems_from_details(e.details(), &ids));
                    state.set(SaveState::Failed(ws.failure(e)));
                }
            }
        });
    };

    let trigger_options = TRIGGERS
        .iter()
        .map(|(value, text)| {
            view! {
                <option value=*value prop:selected=move || trigger.with(|t| t == value)>
                    {*text}
                </option>
            }
        })
        .collect_view();
    let steps = move || form.with(|f| f.steps.iter().map(|s| s.key).collect::<Vec<_>>());
    let start = Memo::new(move |_| form.with(|f| f.start.clone()));

    view! {
        <form class="workflow-editor" novalidate on:submit=submit data-charla="workflow-editor">
            <Show when=move || saved_id.with(Option::is_some)>
                <EnabledSwitch form />
            </Show>
            <Show when=move || general.with(|g| !g.is_empty())>
                // The alert wraps the list: a list with another role may not own its items.
                <div role="alert">
                    <ul class="form-error problems" data-charla="workflow-problems">
                        {move || {
                            general.get().into_iter().map(|p| view! { <li>{p}</li> }).collect_view()
                        }}
                    </ul>
                </div>
            </Show>
            <section class="settings-section" aria-labelledby="wf-about-title">
                <h2 id="wf-about-title">"About"</h2>
                <label>
                    <span>"Name"</span>
                    <input
                        type="text"
                        maxlength="100"
                        autocomplete="off"
                        aria-label="Workflow name"
                        prop:value=name
                        on:input=move |ev| {
                            let v = event_target_value(&ev);
                            form.update(|f| f.name = v);
                        }
                    />
                </label>
                <label>
                    <span>"Description"</span>
                    <textarea
                        rows="2"
                        aria-label="Workflow description"
                        prop:value=description
                        on:input=move |ev| {
                            let v = event_target_value(&ev);
                            form.update(|f| f.description = v);
                        }
                    ></textarea>
                </label>
            </section>
            <section class="settings-section" aria-labelledby="wf-trigger-title">
                <h2 id="wf-trigger-title">"Trigger"</h2>
                <label>
                    <span>"Starts when"</span>
                    <select
                        aria-label="Trigger type"
                        on:change=move |ev| {
                            let v = event_target_value(&ev);
                            form.update(|f| f.trigger = v);
                        }
                    >
                        {trigger_options}
                    </select>
                </label>
                <Show when=move || trigger.with(|t| t == "contact_message")>
                    <label class="checkbox">
                        <input
                            type="checkbox"
                            aria-label="Only the first message of a conversation period"
                            prop:checked=move || form.with(|f| f.first_in_period_only)
                            on:change=move |ev| {
                                let v = event_target_checked(&ev);
                                form.update(|f| f.first_in_period_only = v);
                            }
                        />
                        <span>"Only the first message of a conversation period"</span>
                    </label>
                </Show>
                <Show when=move || trigger.with(|t| t == "webhook")>
                    <WebhookPanel form />
                </Show>
                <h3>"Trigger conditions"</h3>
                <p class="hint">"All of them must hold for a run to start. None: every event starts one."</p>
                <ConditionList form list=CondList::Trigger prefix="Trigger condition" />
            </section>
            <section class="settings-section" aria-labelledby="wf-steps-title">
                <h2 id="wf-steps-title">"Steps"</h2>
                <label>
                    <span>"First step"</span>
                    <select
                        aria-label="First step"
                        on:change=move |ev| {
                            let v = event_target_value(&ev);
                            form.update(|f| f.start = v);
                        }
                    >
                        <option value="" prop:selected=move || start.with(String::is_empty)>
                            "Choose the first step"
                        </option>
                        {move || {
                            let current = start.get();
                            form.with(|f| f.step_ids())
                                .into_iter()
                                .map(|id| {
                                    let selected = id == current;
                                    let text = id.clone();
                                    view! { <option value=id prop:selected=selected>{text}</option> }
                                })
                                .collect_view()
                        }}
                    </select>
                </label>
                <ol class="steps" data-charla="steps">
                    <For
                        each=steps
                        key=|k| *k
                        children=move |step| view! { <StepEditor form step problems=by_step workflows /> }
                    />
                </ol>
                <AddRow
                    label="Add step"
                    on_add=move |()| {
                        let kind = new_kind.get_untracked();
                        form.update(|f| {
                            f.add_step(kind);
                        });
                    }
                >
                    <EnumSelect<StepKind> label="New step type" value=new_kind on_pick=move |k| new_kind.set(k) />
                </AddRow>
            </section>
            <datalist id=VARS_LIST>
                {move || {
                    wf::variable_suggestions(&trigger.get())
                        .into_iter()
                        .map(|v| view! { <option value=v></option> })
                        .collect_view()
                }}
            </datalist>
            <datalist id=CATEGORIES_LIST>
                {move || {
                    ws.closing
                        .with(|c| c.as_ref().map(|c| c.categories.clone()).unwrap_or_default())
                        .into_iter()
                        .map(|c| view! { <option value=c></option> })
                        .collect_view()
                }}
            </datalist>
            <div class="form-actions sticky-actions">
                <button
                    type="submit"
                    class="primary"
                    data-charla="save-workflow"
                    aria-busy=move || state.with(SaveState::is_saving).to_string()
                >
                    "Save workflow"
                </button>
                <SaveOutcome state name="workflow" />
            </div>
        </form>
        {move || saved_id.get().map(|id| view! { <RunList id /> })}
    }
}

/// On/off for a stored workflow (not an edit: the version stays). Turning on is refused while
/// the stored version has problems; the refusal is shown beside the switch.
#[component]
fn EnabledSwitch(form: RwSignal<WorkflowForm>) -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let enabled = Memo::new(move |_| form.with(|f| f.enabled));
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let set = move |value: bool| {
        let Some(id) = form.with_untracked(|f| f.id.clone()) else {
            return;
        };
        form.update(|f| f.enabled = value);
        error.set(None);
        busy.set(true);
        spawn_local(async move {
            let result = api::set_workflow_enabled(&ws.token(), &id, value).await;
            busy.set(false);
            match result {
                Ok(saved) => form.update(|f| f.enabled = saved.enabled),
                Err(e) => {
                    form.update(|f| f.enabled = !value);
                    error.set(Some(ws.failure(e)));
                }
            }
        });
    };
    view! {
        <div class="enabled-row" data-charla="workflow-switch">
            <label class="checkbox switch">
                <input
                    type="checkbox"
                    role="switch"
                    aria-label="Workflow enabled"
                    data-charla="workflow-enabled"
                    prop:checked=enabled
                    disabled=move || busy.get()
                    on:change=move |ev| set(event_target_checked(&ev))
                />
                <span>{move || if enabled.get() { "On: new events start runs" } else { "Off" }}</span>
            </label>
            <span class="hint">{move || form.with(|f| format!("Version {}", f.version))}</span>
            <Show when=move || error.with(Option::is_some)>
                <p class="form-error" role="alert" data-charla="enable-error">
                    {move || error.get().unwrap_or_default()}
                </p>
            </Show>
        </div>
    }
}

/// The webhook's URL, and a secret drawn on request and shown only this once.
#[component]
fn WebhookPanel(form: RwSignal<WorkflowForm>) -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let secret = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    let copied = RwSignal::new(None::<&'static str>);
    let id = Memo::new(move |_| form.with(|f| f.id.clone()));
    let url = move || {
        id.get().map(|id| {
            format!(
                "{}{}",
                browser::origin(),
                list::webhook_path(&ws.workspace_id(), &id)
            )
        })
    };
    let generate = move |_| {
        let Some(id) = id.get_untracked() else {
            return;
        };
        error.set(None);
        spawn_local(async move {
            match api::new_webhook_secret(&ws.token(), &id).await {
                Ok(s) => secret.set(Some(s)),
                Err(e) => error.set(Some(ws.failure(e))),
            }
        });
    };
    let copy = move |text: String, what: &'static str| {
        spawn_local(async move {
            if browser::copy_text(&text).await {
                copied.set(Some(what));
            }
        });
    };
    view! {
        <div class="webhook" data-charla="webhook">
            <Show
                when=move || id.with(Option::is_some)
                fallback=|| view! { <p class="hint">"Save the workflow to get its webhook URL and secret."</p> }
            >
                <div class="invite-link">
                    <label>
                        <span>"Webhook URL"</span>
                        <input type="text" readonly aria-label="Webhook URL" prop:value=move || url().unwrap_or_default() />
                    </label>
                    <button
                        type="button"
                        aria-label="Copy webhook URL"
                        on:click=move |_| copy(url().unwrap_or_default(), "URL")
                    >
                        "Copy"
                    </button>
                </div>
                <Show
                    when=move || secret.with(Option::is_some)
                    fallback=move || {
                        view! {
                            <button type="button" class="small" on:click=generate>
                                "Generate webhook secret"
                            </button>
                            <p class="hint">
                                "Calls send the secret in the X-Charla-Secret header, with a JSON body "
                                "naming conversation_id or contact_id. A new secret replaces the old one "
                                "at once."
                            </p>
                        }
                    }
                >
                    <div class="invite-link">
                        <label>
                            <span>"Webhook secret (shown only now)"</span>
                            <input
                                type="text"
                                readonly
                                aria-label="Webhook secret"
                                data-charla="webhook-secret"
                                prop:value=move || secret.get().unwrap_or_default()
                            />
                        </label>
                        <button
                            type="button"
                            aria-label="Copy webhook secret"
                            on:click=move |_| copy(secret.get_untracked().unwrap_or_default(), "secret")
                        >
                            "Copy"
                        </button>
                    </div>
                </Show>
                <Show when=move || copied.with(Option::is_some)>
                    <p class="save-status ok" role="status">
                        {move || format!("Copied the {}.", copied.get().unwrap_or_default())}
                    </p>
                </Show>
            </Show>
            <Show when=move || error.with(Option::is_some)>
                <p class="form-error" role="alert">{move || error.get().unwrap_or_default()}</p>
            </Show>
        </div>
    }
}
