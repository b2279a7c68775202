//! The agents leaderboard and the teams breakdown, named from the workspace's lists.

use super::i18n::rt;
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
        <h2>{move || rt().agents}</h2>
        <ReportStatus error loading caption />
        <div class="table-wrap">
            <table class="agents-table report-table" data-charla="agents-table">
                <thead>
                    <tr>
                        <th scope="col">{move || rt().col_agent}</th>
                        <th scope="col">{move || rt().col_assigned}</th>
                        <th scope="col">{move || rt().col_closed_count}</th>
                        <th scope="col">{move || rt().col_median_first_response}</th>
                        <th scope="col">{move || rt().col_median_resolution}</th>
                        <th scope="col">{move || rt().col_messages_sent}</th>
                        <th scope="col">{move || rt().col_open_now}</th>
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
        <h2>{move || rt().teams}</h2>
        <ReportStatus error loading caption />
        <div class="table-wrap">
            <table class="agents-table report-table" data-charla="teams-table">
                <thead>
                    <tr>
                        <th scope="col">{move || rt().col_team}</th>
                        <th scope="col">{move || rt().col_closed_count}</th>
                        <th scope="col">{move || rt().col_answered}</th>
                        <th scope="col">{move || rt().col_assignments}</th>
                        <th scope="col">{move || rt().col_messages_in}</th>
                        <th scope="col">{move || rt().col_messages_out}</th>
                        <th scope="col">{move || rt().col_avg_response}</th>
                        <th scope="col">{move || rt().col_first_response_spread}</th>
                        <th scope="col">{move || rt().col_after_assignment_spread}</th>
                        <th scope="col">{move || rt().col_resolution_spread}</th>
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
                                    None => rt().no_team.to_owned(),
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
