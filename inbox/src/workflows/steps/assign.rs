//! The fields of an "Assign to" step: whom (an agent, a team, anyone, the contact's owner or
//! nobody), how agents are picked, and where the run goes when nobody can take it.

use charla_shared::assignment::Method;
use leptos::prelude::*;

use crate::shell::workspace::Workspace;
use crate::workflows::form::{StepForm, WorkflowForm};

use super::{edit_step, read_step, Edit, StepCheck, StepSelect, StepText};

const ASSIGN_TARGETS: [(&str, &str); 5] = [
    ("agent", "A specific agent"),
    ("team", "A team"),
    ("workspace", "Anyone in the workspace"),
    ("dedicated", "The contact's own agent"),
    ("unassign", "Nobody (unassign)"),
];

#[component]
pub(super) fn AssignFields(
    form: RwSignal<WorkflowForm>,
    step: u32,
    name: Signal<String>,
) -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let l = move |what: &'static str| Signal::derive(move || format!("{} {what}", name.get()));
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
            view! {
                <option value=*value prop:selected=move || to.with(|t| t == value)>
                    {*text}
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
                        "Choose a team"
                    </option>
                    {move || {
                        let now = current.get();
                        let mut teams: Vec<(String, String)> = ws
                            .teams
                            .with(|t| t.iter().map(|t| (t.id.clone(), t.name.clone())).collect());
                        if !now.is_empty() && !teams.iter().any(|(id, _)| *id == now) {
                            teams.push((now.clone(), format!("{now} (not a team of this workspace)")));
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
                <span>"Assign to"</span>
                <select
                    aria-label=move || format!("{} assign to", name.get())
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
                    <span>"Agent"</span>
                    <select
                        aria-label=move || format!("{} agent", name.get())
                        on:change=move |ev| {
                            let v = event_target_value(&ev);
                            set(Box::new(move |s| s.agent_id = v));
                        }
                    >
                        <option value="" prop:selected=move || agent.with(String::is_empty)>
                            "Choose an agent"
                        </option>
                        {move || {
                            let now = agent.get();
                            let mut agents: Vec<(String, String)> = ws
                                .agents
                                .with(|a| {
                                    a.iter().map(|a| (a.profile.id.clone(), a.profile.name.clone())).collect()
                                });
                            if !now.is_empty() && !agents.iter().any(|(id, _)| *id == now) {
                                agents.push((now.clone(), format!("{now} (not an agent of this workspace)")));
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
                {team_select(l("team"), "Team", team, |s, v| s.team_id = v)}
            </Show>
            <Show when=move || to.with(|t| t == "dedicated")>
                <StepText
                    form
                    step
                    label=l("owner field")
                    caption="Contact field naming the agent"
                    placeholder="owner"
                    get=|s| s.owner_field.clone()
                    set=|s, v| s.owner_field = v
                />
                <label class="step-field">
                    <span>"If they cannot take it"</span>
                    <select
                        aria-label=move || format!("{} fallback", name.get())
                        on:change=move |ev| {
                            let v = event_target_value(&ev);
                            set(Box::new(move |s| s.fallback = v));
                        }
                    >
                        <option value="workspace" prop:selected=move || fallback.with(|f| f == "workspace")>
                            "Anyone in the workspace"
                        </option>
                        <option value="team" prop:selected=move || fallback.with(|f| f == "team")>
                            "A team"
                        </option>
                        <option
                            value="wait_for_owner"
                            prop:selected=move || fallback.with(|f| f == "wait_for_owner")
                        >
                            "Wait for them"
                        </option>
                    </select>
                </label>
                <Show when=move || fallback.with(|f| f == "team")>
                    {team_select(l("fallback team"), "Fallback team", fallback_team, |s, v| s.fallback_team = v)}
                </Show>
            </Show>
        </div>
        <Show when=move || to.with(|t| t != "unassign")>
            <div class="form-row">
                <label class="step-field">
                    <span>"Pick"</span>
                    <select
                        aria-label=move || format!("{} method", name.get())
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
                            "In turn (round robin)"
                        </option>
                        <option value="fewest_open" prop:selected=move || method.get() == Method::FewestOpen>
                            "Fewest open conversations"
                        </option>
                    </select>
                </label>
                <StepText
                    form
                    step
                    label=l("most open conversations")
                    caption="At most open"
                    placeholder="no limit"
                    get=|s| s.max_open.clone()
                    set=|s, v| s.max_open = v
                />
                <StepCheck
                    form
                    step
                    label=l("online agents only")
                    caption="Online agents only"
                    get=|s| s.online_only
                    set=|s, v| s.online_only = v
                />
                <StepCheck
                    form
                    step
                    label=l("queue when nobody is free")
                    caption="Queue when nobody is free"
                    get=|s| s.queue
                    set=|s, v| s.queue = v
                />
                <StepSelect
                    form
                    step
                    label=l("when nobody is available")
                    caption="Nobody available"
                    none="Go to the next step"
                    get=|s| s.on_unavailable.clone()
                    set=|s, v| s.on_unavailable = v
                />
            </div>
        </Show>
    }
}
