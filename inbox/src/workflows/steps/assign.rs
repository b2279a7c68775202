//! The fields of an "Assign to" step: whom (an agent, a team, anyone, the contact's owner or
//! nobody), how agents are picked, and where the run goes when nobody can take it.

use charla_shared::assignment::Method;
use leptos::prelude::*;

use crate::shell::workspace::Workspace;
use crate::workflows::form::{StepForm, WorkflowForm};
use crate::workflows::i18n::{wt, WorkflowTexts};

use super::{edit_step, read_step, Edit, StepCheck, StepSelect, StepText};

/// A label from the workflows table.
type Label = fn(&WorkflowTexts) -> &'static str;

const ASSIGN_TARGETS: [(&str, Label); 5] = [
    ("agent", |t| t.target_agent),
    ("team", |t| t.target_team),
    ("workspace", |t| t.target_workspace),
    ("dedicated", |t| t.target_dedicated),
    ("unassign", |t| t.target_unassign),
];

#[component]
pub(super) fn AssignFields(
    form: RwSignal<WorkflowForm>,
    step: u32,
    name: Signal<String>,
) -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let l = move |what: fn(&WorkflowTexts) -> &'static str| {
        Signal::derive(move || wt().part(&name.get(), what(wt())))
    };
    let to = read_step(form, step, |s| s.assign_to.clone());
    let agent = read_step(form, step, |s| s.agent_id.clone());
    let team = read_step(form, step, |s| s.team_id.clone());
    let fallback = read_step(form, step, |s| s.fallback.clone());
    let fallback_team = read_step(form, step, |s| s.fallback_team.clone());
    let method =
        Memo::new(move |_| form.with(|f| f.step(step).map(|s| s.method).unwrap_or_default()));
    let set = move |change: Edit| edit_step(form, step, change);
    let target_options = ASSIGN_TARGETS
        .iter()
        .map(|(value, text)| {
            let text = *text;
            view! {
                <option value=*value prop:selected=move || to.with(|t| t == value)>
                    {move || text(wt())}
                </option>
            }
        })
        .collect_view();
    // A select of the workspace's teams bound to a team id of the step.
    let team_select = move |label: Signal<String>,
                            caption: &'static str,
                            current: Memo<String>,
                            write: fn(&mut StepForm, String)| {
        view! {
            <label class="step-field">
                <span>{caption}</span>
                <select
                    aria-label=move || label.get()
                    on:change=move |ev| {
                        let v = event_target_value(&ev);
                        set(Box::new(move |s| write(s, v)));
                    }
                >
                    <option value="" prop:selected=move || current.with(String::is_empty)>
                        {move || wt().choose_a_team}
                    </option>
                    {move || {
                        let now = current.get();
                        let mut teams: Vec<(String, String)> = ws
                            .teams
                            .with(|t| t.iter().map(|t| (t.id.clone(), t.name.clone())).collect());
                        if !now.is_empty() && !teams.iter().any(|(id, _)| *id == now) {
                            teams.push((now.clone(), wt().not_a_team(&now)));
                        }
                        teams
                            .into_iter()
                            .map(|(id, text)| {
                                let selected = id == now;
                                view! { <option value=id prop:selected=selected>{text}</option> }
                            })
                            .collect_view()
                    }}
                </select>
            </label>
        }
    };
    view! {
        <div class="form-row">
            <label class="step-field">
                <span>{move || wt().assign_to}</span>
                <select
                    aria-label=move || wt().part(&name.get(), wt().p_assign_to)
                    on:change=move |ev| {
                        let v = event_target_value(&ev);
                        set(Box::new(move |s| s.assign_to = v));
                    }
                >
                    {target_options}
                </select>
            </label>
            <Show when=move || to.with(|t| t == "agent")>
                <label class="step-field">
                    <span>{move || wt().agent}</span>
                    <select
                        aria-label=move || wt().part(&name.get(), wt().p_agent)
                        on:change=move |ev| {
                            let v = event_target_value(&ev);
                            set(Box::new(move |s| s.agent_id = v));
                        }
                    >
                        <option value="" prop:selected=move || agent.with(String::is_empty)>
                            {move || wt().choose_an_agent}
                        </option>
                        {move || {
                            let now = agent.get();
                            let mut agents: Vec<(String, String)> = ws
                                .agents
                                .with(|a| {
                                    a.iter().map(|a| (a.profile.id.clone(), a.profile.name.clone())).collect()
                                });
                            if !now.is_empty() && !agents.iter().any(|(id, _)| *id == now) {
                                agents.push((now.clone(), wt().not_an_agent(&now)));
                            }
                            agents
                                .into_iter()
                                .map(|(id, text)| {
                                    let selected = id == now;
                                    view! { <option value=id prop:selected=selected>{text}</option> }
                                })
                                .collect_view()
                        }}
                    </select>
                </label>
            </Show>
            <Show when=move || to.with(|t| t == "team")>
                {team_select(l(|t| t.p_team), wt().team, team, |s, v| s.team_id = v)}
            </Show>
            <Show when=move || to.with(|t| t == "dedicated")>
                <StepText
                    form
                    step
                    label=l(|t| t.p_owner_field)
                    caption=wt().owner_field_caption
                    placeholder="owner"
                    get=|s| s.owner_field.clone()
                    set=|s, v| s.owner_field = v
                />
                <label class="step-field">
                    <span>{move || wt().if_they_cannot}</span>
                    <select
                        aria-label=move || wt().part(&name.get(), wt().p_fallback)
                        on:change=move |ev| {
                            let v = event_target_value(&ev);
                            set(Box::new(move |s| s.fallback = v));
                        }
                    >
                        <option value="workspace" prop:selected=move || fallback.with(|f| f == "workspace")>
                            {move || wt().target_workspace}
                        </option>
                        <option value="team" prop:selected=move || fallback.with(|f| f == "team")>
                            {move || wt().target_team}
                        </option>
                        <option
                            value="wait_for_owner"
                            prop:selected=move || fallback.with(|f| f == "wait_for_owner")
                        >
                            {move || wt().wait_for_them}
                        </option>
                    </select>
                </label>
                <Show when=move || fallback.with(|f| f == "team")>
                    {team_select(l(|t| t.p_fallback_team), wt().fallback_team, fallback_team, |s, v| s.fallback_team = v)}
                </Show>
            </Show>
        </div>
        <Show when=move || to.with(|t| t != "unassign")>
            <div class="form-row">
                <label class="step-field">
                    <span>{move || wt().pick}</span>
                    <select
                        aria-label=move || wt().part(&name.get(), wt().p_method)
                        on:change=move |ev| {
                            let m = if event_target_value(&ev) == "fewest_open" {
                                Method::FewestOpen
                            } else {
                                Method::RoundRobin
                            };
                            set(Box::new(move |s| s.method = m));
                        }
                    >
                        <option value="round_robin" prop:selected=move || method.get() == Method::RoundRobin>
                            {move || wt().round_robin}
                        </option>
                        <option value="fewest_open" prop:selected=move || method.get() == Method::FewestOpen>
                            {move || wt().fewest_open}
                        </option>
                    </select>
                </label>
                <StepText
                    form
                    step
                    label=l(|t| t.p_most_open)
                    caption=wt().at_most_open
                    placeholder=wt().no_limit
                    get=|s| s.max_open.clone()
                    set=|s, v| s.max_open = v
                />
                <StepCheck
                    form
                    step
                    label=l(|t| t.p_online_only)
                    caption=wt().online_only
                    get=|s| s.online_only
                    set=|s, v| s.online_only = v
                />
                <StepCheck
                    form
                    step
                    label=l(|t| t.p_queue)
                    caption=wt().queue_when_busy
                    get=|s| s.queue
                    set=|s, v| s.queue = v
                />
                <StepSelect
                    form
                    step
                    label=l(|t| t.p_nobody)
                    caption=wt().nobody_available
                    none=wt().go_to_next
                    get=|s| s.on_unavailable.clone()
                    set=|s, v| s.on_unavailable = v
                />
            </div>
        </Show>
    }
}
