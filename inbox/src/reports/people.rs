//! The agents leaderboard and the teams breakdown, named from the workspace's lists.

use leptos::prelude::*;

use crate::reports::model::{self as rv, AgentsAnswer, Filters, TeamsAnswer};
use crate::shell::workspace::Workspace;

use super::{load_report, ReportStatus};

fn caption(scope: Option<&rv::Scope>) -> Option<String> {
    scope.map(|s| rv::range_caption(&s.first, &s.last, &s.time_zone))
}

#[component]
pub fn AgentsView(filters: RwSignal<Filters>) -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let query = Memo::new(move |_| filters.with(|f| f.valid_query(None)));
    let (data, error, loading) = load_report::<AgentsAnswer>("agents", query);
    let caption = Signal::derive(move || data.with(|d| caption(d.as_ref().map(|d| &d.scope))));
    view! {
        <h2>"Agents"</h2>
        <ReportStatus error loading caption />
        <div class="table-wrap">
            <table class="agents-table report-table" data-charla="agents-table">
                <thead>
                    <tr>
                        <th scope="col">"Agent"</th>
                        <th scope="col">"Assigned"</th>
                        <th scope="col">"Closed"</th>
                        <th scope="col">"Median first response"</th>
                        <th scope="col">"Median resolution"</th>
                        <th scope="col">"Messages sent"</th>
                        <th scope="col">"Open now"</th>
                    </tr>
                </thead>
                <tbody>
                    {move || {
                        data.get()
                            .map(|d| d.agents)
                            .unwrap_or_default()
                            .into_iter()
                            .map(|a| {
                                let name = ws.agent_name(&a.agent_id).unwrap_or(a.agent_id.clone());
                                view! {
                                    <tr data-charla="agent-stats" data-id=a.agent_id.clone()>
                                        <th scope="row">{name}</th>
                                        <td>{a.assigned}</td>
                                        <td>{a.closed}</td>
                                        <td>{rv::maybe_duration(a.first_response.median)}</td>
                                        <td>{rv::maybe_duration(a.resolution.median)}</td>
                                        <td>{a.messages_sent}</td>
                                        <td>{a.open_now}</td>
                                    </tr>
                                }
                            })
                            .collect_view()
                    }}
                </tbody>
            </table>
        </div>
        <Show when=move || data.with(|d| d.as_ref().is_some_and(|d| d.agents.is_empty()))>
            <p class="hint">"No agent closed or holds a conversation in this period."</p>
        </Show>
    }
}

#[component]
pub fn TeamsView(filters: RwSignal<Filters>) -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let query = Memo::new(move |_| filters.with(|f| f.valid_query(None)));
    let (data, error, loading) = load_report::<TeamsAnswer>("teams", query);
    let caption = Signal::derive(move || data.with(|d| caption(d.as_ref().map(|d| &d.scope))));
    let both = |d: &charla_shared::reports::Distribution| {
        format!(
            "{} / {}",
            rv::maybe_duration(d.median),
            rv::maybe_duration(d.p90)
        )
    };
    view! {
        <h2>"Teams"</h2>
        <ReportStatus error loading caption />
        <div class="table-wrap">
            <table class="agents-table report-table" data-charla="teams-table">
                <thead>
                    <tr>
                        <th scope="col">"Team"</th>
                        <th scope="col">"Closed"</th>
                        <th scope="col">"Answered"</th>
                        <th scope="col">"Assignments"</th>
                        <th scope="col">"Messages in"</th>
                        <th scope="col">"Messages out"</th>
                        <th scope="col">"Average response"</th>
                        <th scope="col">"First response (median / p90)"</th>
                        <th scope="col">"After assignment (median / p90)"</th>
                        <th scope="col">"Resolution (median / p90)"</th>
                    </tr>
                </thead>
                <tbody>
                    {move || {
                        data.get()
                            .map(|d| d.teams)
                            .unwrap_or_default()
                            .into_iter()
                            .map(|t| {
                                let name = match &t.team_id {
                                    Some(id) => ws.team_name(id).unwrap_or(id.clone()),
                                    None => "No team".to_owned(),
                                };
                                view! {
                                    <tr
                                        data-charla="team-stats"
                                        data-id=t.team_id.clone().unwrap_or_default()
                                    >
                                        <th scope="row">{name}</th>
                                        <td>{t.closed}</td>
                                        <td>{t.answered}</td>
                                        <td>{t.assignments}</td>
                                        <td>{t.messages_in}</td>
                                        <td>{t.messages_out}</td>
                                        <td>{rv::maybe_duration(t.avg_response_ms)}</td>
                                        <td>{both(&t.first_response)}</td>
                                        <td>{both(&t.first_assignment_to_response)}</td>
                                        <td>{both(&t.resolution)}</td>
                                    </tr>
                                }
                            })
                            .collect_view()
                    }}
                </tbody>
            </table>
        </div>
        <Show when=move || data.with(|d| d.as_ref().is_some_and(|d| d.teams.is_empty()))>
            <p class="hint">"No conversation was closed in this period."</p>
        </Show>
    }
}
