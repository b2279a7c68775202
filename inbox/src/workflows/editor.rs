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
use crate::workflows::i18n::{wt, wt_untracked};
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
    let editing = id.is_some();
    let title = move || {
        if editing {
            wt().edit_workflow
        } else {
            wt().new_workflow
        }
    };
    view! {
        <div class="settings-head">
            <h1 id="workflows-title">{title}</h1>
            <a href="#/workflows" class="back-link" data-charla="all-workflows">
                {move || wt().all_workflows}
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
                state.set(SaveState::Failed(wt_untracked().nothing_saved.to_owned()));
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
                        flash.set(Some(wt_untracked().workflow_created.to_owned()));
                        route.set(Route::Workflow { id: Some(saved.id) });
                    } else {
                        let version = saved.version;
                        form.set(WorkflowForm::from_workflow(&saved));
                        state.set(SaveState::Saved(wt_untracked().saved_as_version(version)));
                    }
                }
                Err(e) => {
                    let ids = form.with_untracked(WorkflowForm::step_ids);
                    problems.set(wf::problems_from_details(wt_untracked(), e.details(), &ids));
                    state.set(SaveState::Failed(ws.failure(e)));
                }
            }
        });
    };

    let trigger_options = TRIGGERS
        .iter()
        .map(|value| {
            view! {
                <option value=*value prop:selected=move || trigger.with(|t| t == value)>
                    {move || wf::trigger_label(value)}
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
                <h2 id="wf-about-title">{move || wt().about}</h2>
                <label>
                    <span>{move || wt().name}</span>
                    <input
                        type="text"
                        maxlength="100"
                        autocomplete="off"
                        aria-label=move || wt().workflow_name
                        prop:value=name
                        on:input=move |ev| {
                            let v = event_target_value(&ev);
                            form.update(|f| f.name = v);
                        }
                    />
                </label>
                <label>
                    <span>{move || wt().description}</span>
                    <textarea
                        rows="2"
                        aria-label=move || wt().workflow_description
                        prop:value=description
                        on:input=move |ev| {
                            let v = event_target_value(&ev);
                            form.update(|f| f.description = v);
                        }
                    ></textarea>
                </label>
            </section>
            <section class="settings-section" aria-labelledby="wf-trigger-title">
                <h2 id="wf-trigger-title">{move || wt().trigger}</h2>
                <label>
                    <span>{move || wt().starts_when}</span>
                    <select
                        aria-label=move || wt().trigger_type
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
                            aria-label=move || wt().first_message_only
                            prop:checked=move || form.with(|f| f.first_in_period_only)
                            on:change=move |ev| {
                                let v = event_target_checked(&ev);
                                form.update(|f| f.first_in_period_only = v);
                            }
                        />
                        <span>{move || wt().first_message_only}</span>
                    </label>
                </Show>
                <Show when=move || trigger.with(|t| t == "webhook")>
                    <WebhookPanel form />
                </Show>
                <h3>{move || wt().trigger_conditions}</h3>
                <p class="hint">{move || wt().trigger_conditions_hint}</p>
                <ConditionList
                    form
                    list=CondList::Trigger
                    prefix=Signal::derive(|| wt().trigger_condition.to_owned())
                />
            </section>
            <section class="settings-section" aria-labelledby="wf-steps-title">
                <h2 id="wf-steps-title">{move || wt().steps}</h2>
                <label>
                    <span>{move || wt().first_step}</span>
                    <select
                        aria-label=move || wt().first_step
                        on:change=move |ev| {
                            let v = event_target_value(&ev);
                            form.update(|f| f.start = v);
                        }
                    >
                        <option value="" prop:selected=move || start.with(String::is_empty)>
                            {move || wt().choose_first_step}
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
                    label=move || wt().add_step.to_owned()
                    on_add=move |()| {
                        let kind = new_kind.get_untracked();
                        form.update(|f| {
                            f.add_step(kind);
                        });
                    }
                >
                    <EnumSelect<StepKind>
                        label=Signal::derive(|| wt().new_step_type.to_owned())
                        value=new_kind on_pick=move |k| new_kind.set(k) />
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
                    {move || wt().save_workflow}
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
                    aria-label=move || wt().workflow_enabled
                    data-charla="workflow-enabled"
                    prop:checked=enabled
                    disabled=move || busy.get()
                    on:change=move |ev| set(event_target_checked(&ev))
                />
                <span>{move || if enabled.get() { wt().on_new_events } else { wt().off }}</span>
            </label>
            <span class="hint">{move || form.with(|f| wt().version_n(f.version))}</span>
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
                fallback=|| view! { <p class="hint">{move || wt().save_for_webhook}</p> }
            >
                <div class="invite-link">
                    <label>
                        <span>{move || wt().webhook_url}</span>
                        <input
                            type="text"
                            readonly
                            aria-label=move || wt().webhook_url
                            prop:value=move || url().unwrap_or_default()
                        />
                    </label>
                    <button
                        type="button"
                        aria-label=move || wt().copy_webhook_url
                        on:click=move |_| copy(url().unwrap_or_default(), "url")
                    >
                        {move || wt().copy}
                    </button>
                </div>
                <Show
                    when=move || secret.with(Option::is_some)
                    fallback=move || {
                        view! {
                            <button type="button" class="small" on:click=generate>
                                {move || wt().generate_secret}
                            </button>
                            <p class="hint">{move || wt().webhook_hint}</p>
                        }
                    }
                >
                    <div class="invite-link">
                        <label>
                            <span>{move || wt().webhook_secret_now}</span>
                            <input
                                type="text"
                                readonly
                                aria-label=move || wt().webhook_secret
                                data-charla="webhook-secret"
                                prop:value=move || secret.get().unwrap_or_default()
                            />
                        </label>
                        <button
                            type="button"
                            aria-label=move || wt().copy_webhook_secret
                            on:click=move |_| copy(secret.get_untracked().unwrap_or_default(), "secret")
                        >
                            {move || wt().copy}
                        </button>
                    </div>
                </Show>
                <Show when=move || copied.with(Option::is_some)>
                    <p class="save-status ok" role="status">
                        {move || match copied.get() {
                            Some("url") => wt().copied_url,
                            _ => wt().copied_secret,
                        }}
                    </p>
                </Show>
            </Show>
            <Show when=move || error.with(Option::is_some)>
                <p class="form-error" role="alert">{move || error.get().unwrap_or_default()}</p>
            </Show>
        </div>
    }
}
