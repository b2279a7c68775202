use std::collections::BTreeMap;

use charla_shared::assignment::*;

use Unavailable::{AtCapacity, NoAgents, Offline};

fn agent(id: &str, online: bool, capacity: Option<u32>, teams: &[&str]) -> AgentInfo {
    AgentInfo {
        id: id.into(),
        online,
        capacity,
        teams: teams.iter().map(|t| t.to_string()).collect(),
    }
}
/// Online, no limit, no team.
fn on(id: &str) -> AgentInfo {
    agent(id, true, None, &[])
}

fn req(who: Who) -> AssignTo {
    AssignTo {
        who,
        method: Method::RoundRobin,
        online_only: false,
        max_open: None,
        on_unavailable: OnUnavailable::Report,
    }
}
fn fewest(who: Who) -> AssignTo {
    AssignTo {
        method: Method::FewestOpen,
        ..req(who)
    }
}
fn online_only(r: AssignTo) -> AssignTo {
    AssignTo {
        online_only: true,
        ..r
    }
}
fn queue(r: AssignTo) -> AssignTo {
    AssignTo {
        on_unavailable: OnUnavailable::Queue,
        ..r
    }
}
fn max_open(n: u32, r: AssignTo) -> AssignTo {
    AssignTo {
        max_open: Some(n),
        ..r
    }
}
fn team(t: &str) -> Who {
    Who::Team { team_id: t.into() }
}
fn specific(a: &str) -> Who {
    Who::Agent { agent_id: a.into() }
}
fn dedicated(owner: Option<&str>, fallback: Fallback) -> Who {
    Who::Dedicated {
        owner: owner.map(Into::into),
        fallback,
        field: None,
    }
}
fn fallback_team(t: &str) -> Fallback {
    Fallback::Team { team_id: t.into() }
}

fn to(a: &str) -> Decision {
    Decision::Assign {
        agent_id: a.into(),
        team_id: None,
    }
}
fn to_in(a: &str, t: &str) -> Decision {
    Decision::Assign {
        agent_id: a.into(),
        team_id: Some(t.into()),
    }
}
fn none(reason: Unavailable) -> Decision {
    Decision::NoneAvailable { reason }
}
fn queued(queue: Queue, position: usize) -> Decision {
    Decision::Queued { queue, position }
}
fn team_queue(t: &str) -> Queue {
    Queue::Team { team_id: t.into() }
}
fn agent_queue(a: &str) -> Queue {
    Queue::Agent { agent_id: a.into() }
}
fn placed(conversation: &str, a: &str, t: Option<&str>) -> Placement {
    Placement {
        conversation_id: conversation.into(),
        agent_id: a.into(),
        team_id: t.map(Into::into),
    }
}

/// With `held` conversations already open (conversation, agent), deciding `requests` for
/// new conversations n1, n2, … gives `expected`, in order.
fn check(
    agents: &[AgentInfo],
    held: &[(&str, &str)],
    requests: &[AssignTo],
    expected: &[Decision],
) {
    let mut state = AssignmentState::new();
    for (conversation, holder) in held {
        state.on_assignee_changed(conversation, Some(holder), agents);
    }
    let got: Vec<Decision> = requests
        .iter()
        .enumerate()
        .map(|(i, r)| state.decide(&format!("n{}", i + 1), r, agents))
        .collect();
    assert_eq!(got, expected, "agents {agents:?} held {held:?}");
    for a in agents {
        if let Some(cap) = a.capacity {
            let before = held.iter().filter(|(_, h)| *h == a.id).count() as u32;
            assert!(
                state.open_count(&a.id) <= cap.max(before),
                "{} over capacity",
                a.id
            );
        }
    }
}

/// `n` copies of a request.
fn times(n: usize, r: AssignTo) -> Vec<AssignTo> {
    vec![r; n]
}

#[test]
fn round_robin_order_and_wrap() {
    let abc = [on("a"), on("b"), on("c")];
    let ws = req(Who::Workspace);
    check(
        &abc,
        &[],
        &times(7, ws.clone()),
        &[
            to("a"),
            to("b"),
            to("c"),
            to("a"),
            to("b"),
            to("c"),
            to("a"),
        ],
    );
    // Roster order does not matter: rotation is by id.
    check(
        &[on("c"), on("a"), on("b")],
        &[],
        &times(4, ws.clone()),
        &[to("a"), to("b"), to("c"), to("a")],
    );
    // Duplicated roster entries do not get two turns.
    check(
        &[on("a"), on("b"), on("a")],
        &[],
        &times(4, ws.clone()),
        &[to("a"), to("b"), to("a"), to("b")],
    );
    // Round robin ignores load (fewest-open is the other method).
    check(
        &abc,
        &[("x1", "a"), ("x2", "a")],
        &times(2, ws.clone()),
        &[to("a"), to("b")],
    );
    // Teams: only members, the team named in the decision.
    let teams = [
        agent("a", true, None, &["t1"]),
        agent("b", true, None, &["t2"]),
        agent("c", true, None, &["t1", "t2"]),
    ];
    check(
        &teams,
        &[],
        &times(3, req(team("t1"))),
        &[to_in("a", "t1"), to_in("c", "t1"), to_in("a", "t1")],
    );
    check(
        &teams,
        &[],
        &times(3, req(team("t2"))),
        &[to_in("b", "t2"), to_in("c", "t2"), to_in("b", "t2")],
    );
    // Each team and the workspace keep their own turn.
    check(
        &teams,
        &[],
        &[
            req(team("t1")),
            req(team("t2")),
            req(Who::Workspace),
            req(team("t1")),
            req(Who::Workspace),
        ],
        &[
            to_in("a", "t1"),
            to_in("b", "t2"),
            to("a"),
            to_in("c", "t1"),
            to("b"),
        ],
    );
    check(&teams, &[], &[req(team("nobody"))], &[none(NoAgents)]);
    check(&[], &[], &[req(Who::Workspace)], &[none(NoAgents)]);
}

#[test]
fn online_only_filter() {
    let agents = [on("a"), agent("b", false, None, &[]), on("c")];
    let ws = req(Who::Workspace);
    check(
        &agents,
        &[],
        &times(3, online_only(ws.clone())),
        &[to("a"), to("c"), to("a")],
    );
    check(
        &agents,
        &[],
        &times(3, ws.clone()),
        &[to("a"), to("b"), to("c")],
    );
    let asleep = [agent("a", false, None, &[]), agent("b", false, None, &[])];
    check(&asleep, &[], &[online_only(ws.clone())], &[none(Offline)]);
    check(&asleep, &[], std::slice::from_ref(&ws), &[to("a")]);
    check(
        &asleep,
        &[],
        &[online_only(req(specific("a")))],
        &[none(Offline)],
    );
    check(&asleep, &[], &[req(specific("a"))], &[to("a")]);
    // Online but full beats offline as the reason: waiting for capacity, not for people.
    let mixed = [agent("a", false, None, &[]), agent("b", true, Some(1), &[])];
    check(
        &mixed,
        &[("x", "b")],
        &[online_only(ws)],
        &[none(AtCapacity)],
    );
}

#[test]
fn fewest_open_with_ties() {
    let abc = [on("a"), on("b"), on("c")];
    let ws = fewest(Who::Workspace);
    // Equal load: take turns.
    check(
        &abc,
        &[],
        &times(4, ws.clone()),
        &[to("a"), to("b"), to("c"), to("a")],
    );
    // b and c tie at 1: b first (rotation order), then c, then everyone has 2: rotation
    // continues after c, so a.
    check(
        &abc,
        &[("x1", "a"), ("x2", "a"), ("x3", "b"), ("x4", "c")],
        &times(3, ws.clone()),
        &[to("b"), to("c"), to("a")],
    );
    check(
        &abc,
        &[("x1", "a"), ("x2", "b")],
        &times(3, ws.clone()),
        &[to("c"), to("a"), to("b")],
    );
    // Conversations held by agents outside the roster do not matter.
    check(
        &abc,
        &[("x1", "gone"), ("x2", "a")],
        &times(2, ws.clone()),
        &[to("b"), to("c")],
    );
    // With filters.
    let agents = [on("a"), agent("b", false, None, &[]), on("c")];
    check(
        &agents,
        &[("x1", "a")],
        &times(3, online_only(ws.clone())),
        &[to("c"), to("a"), to("c")],
    );
    let team_agents = [
        agent("a", true, None, &["t"]),
        agent("b", true, None, &["t"]),
        on("c"),
    ];
    check(
        &team_agents,
        &[("x1", "a")],
        &times(2, fewest(team("t"))),
        &[to_in("b", "t"), to_in("a", "t")],
    );
}

#[test]
fn max_open_filter() {
    let abc = [on("a"), on("b"), on("c")];
    let ws = max_open(2, req(Who::Workspace));
    check(
        &abc,
        &[("x1", "a"), ("x2", "a"), ("x3", "b")],
        &times(4, ws.clone()),
        &[to("b"), to("c"), to("c"), none(AtCapacity)],
    );
    check(
        &abc,
        &[],
        &times(7, max_open(2, fewest(Who::Workspace))),
        &[
            to("a"),
            to("b"),
            to("c"),
            to("a"),
            to("b"),
            to("c"),
            none(AtCapacity),
        ],
    );
    check(
        &abc,
        &[],
        &[max_open(0, req(Who::Workspace))],
        &[none(AtCapacity)],
    );
    check(
        &abc,
        &[("x", "a")],
        &[max_open(1, req(specific("a")))],
        &[none(AtCapacity)],
    );
}

#[test]
fn capacity_is_never_exceeded() {
    let agents = [
        agent("a", true, Some(1), &[]),
        agent("b", true, Some(2), &[]),
        agent("c", true, None, &[]),
    ];
    let ws = req(Who::Workspace);
    check(
        &agents,
        &[],
        &times(6, ws.clone()),
        &[to("a"), to("b"), to("c"), to("b"), to("c"), to("c")],
    );
    let capped = [
        agent("a", true, Some(1), &[]),
        agent("b", true, Some(1), &[]),
    ];
    check(
        &capped,
        &[],
        &times(3, ws.clone()),
        &[to("a"), to("b"), none(AtCapacity)],
    );
    check(
        &capped,
        &[],
        &times(3, fewest(Who::Workspace)),
        &[to("a"), to("b"), none(AtCapacity)],
    );
    check(
        &capped,
        &[("x", "a")],
        &[req(specific("a"))],
        &[none(AtCapacity)],
    );
    check(
        &[agent("a", true, Some(0), &[])],
        &[],
        &[ws],
        &[none(AtCapacity)],
    );
    // Capacity and max_open together: the tighter wins.
    check(
        &[agent("a", true, Some(3), &[])],
        &[("x", "a")],
        &[max_open(1, req(specific("a")))],
        &[none(AtCapacity)],
    );
    check(
        &[agent("a", true, Some(1), &[])],
        &[],
        &times(2, max_open(5, req(specific("a")))),
        &[to("a"), none(AtCapacity)],
    );
}

#[test]
fn specific_agent_and_unassign() {
    let agents = [on("a"), on("b")];
    check(
        &agents,
        &[],
        &[req(specific("b")), req(specific("b"))],
        &[to("b"), to("b")],
    );
    check(&agents, &[], &[req(specific("zed"))], &[none(NoAgents)]);
    check(
        &agents,
        &[],
        &[queue(req(specific("zed")))],
        &[none(NoAgents)],
    );
    check(&agents, &[], &[req(Who::Unassign)], &[Decision::Unassign]);
    let full = [agent("a", true, Some(1), &[])];
    check(
        &full,
        &[("x", "a")],
        &[queue(req(specific("a")))],
        &[queued(agent_queue("a"), 1)],
    );
}

#[test]
fn dedicated_agent_with_fallback() {
    let agents = [
        agent("owner", true, Some(2), &[]),
        agent("a", true, None, &["t"]),
        agent("b", true, None, &["t"]),
        agent("away", false, None, &[]),
    ];
    let vip = |owner: Option<&str>, fallback: Fallback| req(dedicated(owner, fallback));
    check(
        &agents,
        &[],
        &[vip(Some("owner"), fallback_team("t"))],
        &[to("owner")],
    );
    // The owner keeps getting their contacts until at capacity, then the fallback.
    check(
        &agents,
        &[],
        &times(4, vip(Some("owner"), fallback_team("t"))),
        &[to("owner"), to("owner"), to_in("a", "t"), to_in("b", "t")],
    );
    check(
        &agents,
        &[("x1", "owner"), ("x2", "owner")],
        &[vip(Some("owner"), Fallback::Workspace)],
        &[to("a")],
    );
    // Away owner: fallback even when the request does not ask for online agents.
    check(
        &agents,
        &[],
        &[vip(Some("away"), fallback_team("t"))],
        &[to_in("a", "t")],
    );
    check(
        &agents,
        &[],
        &[vip(Some("away"), Fallback::Workspace)],
        &[to("a")],
    );
    // No owner, or an owner who left the workspace.
    check(
        &agents,
        &[],
        &[vip(None, fallback_team("t"))],
        &[to_in("a", "t")],
    );
    check(
        &agents,
        &[],
        &[vip(Some("gone"), fallback_team("t"))],
        &[to_in("a", "t")],
    );
    // max_open binds the owner too.
    check(
        &agents,
        &[("x1", "owner")],
        &[max_open(1, vip(Some("owner"), fallback_team("t")))],
        &[to_in("a", "t")],
    );
    // Waiting for the owner.
    check(
        &agents,
        &[],
        &[vip(Some("away"), Fallback::WaitForOwner)],
        &[none(Offline)],
    );
    check(
        &agents,
        &[],
        &[queue(vip(Some("away"), Fallback::WaitForOwner))],
        &[queued(agent_queue("away"), 1)],
    );
    check(
        &agents,
        &[("x1", "owner"), ("x2", "owner")],
        &[vip(Some("owner"), Fallback::WaitForOwner)],
        &[none(AtCapacity)],
    );
    check(
        &agents,
        &[],
        &[queue(vip(None, Fallback::WaitForOwner))],
        &[none(NoAgents)],
    );
    check(
        &agents,
        &[],
        &[queue(vip(Some("gone"), Fallback::WaitForOwner))],
        &[none(NoAgents)],
    );
    // Owner away and the fallback team full: wait in the team's queue.
    let busy = [
        agent("away", false, None, &[]),
        agent("a", true, Some(1), &["t"]),
    ];
    check(
        &busy,
        &[("x1", "a")],
        &[
            vip(Some("away"), fallback_team("t")),
            queue(vip(Some("away"), fallback_team("t"))),
        ],
        &[none(AtCapacity), queued(team_queue("t"), 1)],
    );
}

#[test]
fn unavailable_reports_or_queues() {
    let full = [
        agent("a", true, Some(1), &["t"]),
        agent("b", false, None, &["t"]),
    ];
    let held = [("x", "a")];
    let t = online_only(req(team("t")));
    check(&full, &held, std::slice::from_ref(&t), &[none(AtCapacity)]);
    check(
        &full,
        &held,
        &times(3, queue(t.clone())),
        &[
            queued(team_queue("t"), 1),
            queued(team_queue("t"), 2),
            queued(team_queue("t"), 3),
        ],
    );
    check(
        &full,
        &held,
        &[queue(online_only(req(Who::Workspace)))],
        &[queued(Queue::Workspace, 1)],
    );
    // Positions count within each queue.
    check(
        &full,
        &held,
        &[
            queue(t.clone()),
            queue(online_only(req(Who::Workspace))),
            queue(t),
            queue(req(specific("a"))),
        ],
        &[
            queued(team_queue("t"), 1),
            queued(Queue::Workspace, 1),
            queued(team_queue("t"), 2),
            queued(agent_queue("a"), 1),
        ],
    );
    // Nobody to wait for is never queued.
    check(
        &full,
        &held,
        &[queue(req(team("empty")))],
        &[none(NoAgents)],
    );
}

// ---------------------------------------------------------------------------------------------
// Queues

/// A scenario step and what it must produce.
enum Step<'a> {
    Decide(&'a str, AssignTo, Decision),
    Closed(&'a str, Vec<Placement>),
    Assignee(&'a str, Option<&'a str>, Vec<Placement>),
    Roster(Vec<AgentInfo>, Vec<Placement>),
    Waiting(Vec<&'a str>),
    Open(&'a str, u32),
}

fn scenario(agents: Vec<AgentInfo>, steps: Vec<Step>) {
    let mut state = AssignmentState::new();
    let mut agents = agents;
    for (i, step) in steps.into_iter().enumerate() {
        match step {
            Step::Decide(c, r, want) => assert_eq!(state.decide(c, &r, &agents), want, "step {i}"),
            Step::Closed(c, want) => assert_eq!(state.on_closed(c, &agents), want, "step {i}"),
            Step::Assignee(c, a, want) => {
                assert_eq!(state.on_assignee_changed(c, a, &agents), want, "step {i}")
            }
            Step::Roster(roster, want) => {
                agents = roster;
                assert_eq!(state.drain(&agents), want, "step {i}");
            }
            Step::Waiting(want) => {
                let got: Vec<&str> = state
                    .waiting()
                    .iter()
                    .map(|w| w.conversation_id.as_str())
                    .collect();
                assert_eq!(got, want, "step {i}");
            }
            Step::Open(a, n) => assert_eq!(state.open_count(a), n, "step {i}"),
        }
    }
}

#[test]
fn full_team_queues_then_assigns_fifo() {
    use Step::*;
    let t = || queue(req(team("t")));
    scenario(
        vec![
            agent("a", true, Some(1), &["t"]),
            agent("b", true, Some(1), &["t"]),
        ],
        vec![
            Decide("c1", t(), to_in("a", "t")),
            Decide("c2", t(), to_in("b", "t")),
            Decide("c3", t(), queued(team_queue("t"), 1)),
            Decide("c4", t(), queued(team_queue("t"), 2)),
            Decide("c5", t(), queued(team_queue("t"), 3)),
            Waiting(vec!["c3", "c4", "c5"]),
            Closed("c2", vec![placed("c3", "b", Some("t"))]),
            Waiting(vec!["c4", "c5"]),
            // A repeated close report changes nothing.
            Closed("c2", vec![]),
            // A manual unassignment frees the slot too.
            Assignee("c1", None, vec![placed("c4", "a", Some("t"))]),
            Closed("c4", vec![placed("c5", "a", Some("t"))]),
            Waiting(vec![]),
            Open("a", 1),
            Open("b", 1),
            Closed("c3", vec![]),
            Open("b", 0),
        ],
    );
}

#[test]
fn queue_drains_when_agents_come_online() {
    use Step::*;
    let t = || queue(online_only(req(team("t"))));
    let roster = |a_online, b_online| {
        vec![
            agent("a", a_online, None, &["t"]),
            agent("b", b_online, Some(1), &["t"]),
        ]
    };
    scenario(
        roster(false, false),
        vec![
            Decide("c1", t(), queued(team_queue("t"), 1)),
            Decide("c2", t(), queued(team_queue("t"), 2)),
            Decide("c3", t(), queued(team_queue("t"), 3)),
            Roster(roster(false, false), vec![]),
            Roster(roster(false, true), vec![placed("c1", "b", Some("t"))]),
            Roster(
                roster(true, true),
                vec![placed("c2", "a", Some("t")), placed("c3", "a", Some("t"))],
            ),
            Waiting(vec![]),
        ],
    );
}

#[test]
fn waiting_conversations_leave_the_queue() {
    use Step::*;
    let t = || queue(req(team("t")));
    scenario(
        vec![
            agent("a", true, Some(1), &["t"]),
            agent("m", true, None, &[]),
        ],
        vec![
            Decide("c1", t(), to_in("a", "t")),
            Decide("c2", t(), queued(team_queue("t"), 1)),
            Decide("c3", t(), queued(team_queue("t"), 2)),
            Decide("c4", t(), queued(team_queue("t"), 3)),
            // Asked again: it goes to the back, once.
            Decide("c2", t(), queued(team_queue("t"), 3)),
            Waiting(vec!["c3", "c4", "c2"]),
            // Unassign cancels waiting.
            Decide("c3", req(Who::Unassign), Decision::Unassign),
            // A person assigned it by hand.
            Assignee("c4", Some("m"), vec![]),
            Open("m", 1),
            // The contact left.
            Closed("c2", vec![]),
            Waiting(vec![]),
            Closed("c1", vec![]),
        ],
    );
}

#[test]
fn agent_queue_waits_for_that_agent_only() {
    use Step::*;
    let roster = vec![
        agent("a", true, Some(1), &["t"]),
        agent("b", true, Some(1), &["t"]),
    ];
    scenario(
        roster,
        vec![
            Decide("c1", req(specific("a")), to("a")),
            Decide("c2", req(specific("b")), to("b")),
            Decide("c3", queue(req(specific("a"))), queued(agent_queue("a"), 1)),
            Decide("c4", queue(req(team("t"))), queued(team_queue("t"), 1)),
            // b frees: the older c3 wants a only, so c4 goes first.
            Closed("c2", vec![placed("c4", "b", Some("t"))]),
            Closed("c1", vec![placed("c3", "a", None)]),
        ],
    );
}

#[test]
fn queued_dedicated_contact_prefers_the_owner() {
    use Step::*;
    let vip = || queue(req(dedicated(Some("o"), fallback_team("t"))));
    scenario(
        vec![
            agent("o", true, Some(1), &[]),
            agent("a", true, Some(1), &["t"]),
        ],
        vec![
            Decide("x1", req(specific("o")), to("o")),
            Decide("x2", req(specific("a")), to("a")),
            Decide("v1", vip(), queued(team_queue("t"), 1)),
            Closed("x1", vec![placed("v1", "o", None)]),
        ],
    );
}

#[test]
fn manual_assignment_can_exceed_capacity() {
    use Step::*;
    let t = || queue(req(team("t")));
    scenario(
        vec![agent("a", true, Some(1), &["t"])],
        vec![
            Assignee("m1", Some("a"), vec![]),
            Assignee("m2", Some("a"), vec![]),
            Open("a", 2),
            Decide("c1", t(), queued(team_queue("t"), 1)),
            Closed("m1", vec![]),
            Closed("m2", vec![placed("c1", "a", Some("t"))]),
            Open("a", 1),
        ],
    );
}

#[test]
fn reassignment_does_not_count_against_the_current_holder() {
    use Step::*;
    scenario(
        vec![
            agent("a", true, Some(1), &[]),
            agent("b", true, Some(1), &[]),
        ],
        vec![
            Decide("c1", req(specific("a")), to("a")),
            Decide("c1", req(specific("a")), to("a")),
            Decide("c1", req(specific("b")), to("b")),
            Open("a", 0),
            Open("b", 1),
            Assignee("c1", Some("b"), vec![]),
            Assignee("c1", Some("b"), vec![]),
            Open("b", 1),
        ],
    );
}

#[test]
fn round_robin_cursor_survives_roster_changes() {
    use Step::*;
    let ws = || req(Who::Workspace);
    scenario(
        vec![on("a"), on("b"), on("c")],
        vec![
            Decide("c1", ws(), to("a")),
            Decide("c2", ws(), to("b")),
            // b leaves; rotation continues after b's place.
            Roster(vec![on("a"), on("c")], vec![]),
            Decide("c3", ws(), to("c")),
            Roster(vec![on("a"), on("bb"), on("c"), on("d")], vec![]),
            Decide("c4", ws(), to("d")),
            Decide("c5", ws(), to("a")),
            Decide("c6", ws(), to("bb")),
        ],
    );
}

#[test]
fn round_robin_is_fair_among_equals() {
    for (n, k) in [(1, 5), (2, 7), (3, 100), (4, 101), (7, 1000)] {
        let agents: Vec<AgentInfo> = (0..n).map(|i| on(&format!("a{i}"))).collect();
        let mut state = AssignmentState::new();
        let mut counts = BTreeMap::<String, usize>::new();
        for c in 0..k {
            let Decision::Assign { agent_id, .. } =
                state.decide(&format!("c{c}"), &req(Who::Workspace), &agents)
            else {
                panic!("unassigned")
            };
            *counts.entry(agent_id).or_default() += 1;
            let max = counts.values().max().unwrap();
            let min = if counts.len() < n {
                &0
            } else {
                counts.values().min().unwrap()
            };
            assert!(max - min <= 1, "n={n} after {c}: {counts:?}");
        }
    }
}

#[test]
fn state_round_trips_through_storage() {
    let agents = [agent("a", true, Some(1), &["t"])];
    let mut state = AssignmentState::new();
    state.decide("c1", &req(team("t")), &agents);
    state.decide("c2", &queue(req(team("t"))), &agents);
    state.decide(
        "c3",
        &queue(req(dedicated(Some("a"), Fallback::WaitForOwner))),
        &agents,
    );
    let json = serde_json::to_string(&state).unwrap();
    let back: AssignmentState = serde_json::from_str(&json).unwrap();
    assert_eq!(back, state);
    assert_eq!(back.holder("c1"), Some("a"));
    assert_eq!(back.position("c2"), Some(1));
    assert_eq!(back.position("c3"), Some(1));
    assert_eq!(back.position("c1"), None);
}

#[test]
fn request_wire_shape() {
    let json = r#"{"who":{"type":"dedicated","owner":"a1","fallback":{"type":"team","team_id":"ventas"}},"method":"fewest_open","online_only":true,"max_open":5,"on_unavailable":"queue"}"#;
    let want = AssignTo {
        who: dedicated(Some("a1"), fallback_team("ventas")),
        method: Method::FewestOpen,
        online_only: true,
        max_open: Some(5),
        on_unavailable: OnUnavailable::Queue,
    };
    assert_eq!(serde_json::from_str::<AssignTo>(json).unwrap(), want);
    // Everything but `who` has a default.
    assert_eq!(
        serde_json::from_str::<AssignTo>(r#"{"who":{"type":"workspace"}}"#).unwrap(),
        req(Who::Workspace)
    );
    assert_eq!(
        serde_json::to_string(&queued(team_queue("t"), 2)).unwrap(),
        r#"{"type":"queued","queue":{"type":"team","team_id":"t"},"position":2}"#
    );
    assert_eq!(
        serde_json::to_string(&none(AtCapacity)).unwrap(),
        r#"{"type":"none_available","reason":"at_capacity"}"#
    );
}

// ---------------------------------------------------------------------------------------------
// Property: seeded random sequences

/// Knuth's MMIX linear congruential generator: enough randomness for test sequences.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

/// 1,000 seeded sequences of decisions, closes, unassignments and presence changes. After every
/// step: no agent is over capacity, the state agrees with what the shell was told, nothing
/// waits twice, and workspace round robin is fair among the always-available agents.
#[test]
fn random_sequences_keep_capacity_and_fairness() {
    let steady = ["s1", "s2", "s3"];
    // (assigned, queued, placed from a queue): the sequences must exercise every path.
    let mut seen = (0, 0, 0);
    for seed in 0..1_000u64 {
        let mut rng = Lcg(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0xDEAD_BEEF);
        let mut flaky_online = [true, false];
        let roster = |flaky: [bool; 2]| {
            vec![
                agent("s1", true, None, &["t1"]),
                agent("s2", true, None, &["t1"]),
                agent("s3", true, None, &[]),
                agent("c1", true, Some(1), &["t1", "t2"]),
                agent("c2", true, Some(2), &["t2"]),
                agent("f1", flaky[0], Some(3), &["t2"]),
                agent("f2", flaky[1], Some(1), &["t1", "t2"]),
            ]
        };
        let mut agents = roster(flaky_online);
        let mut state = AssignmentState::new();
        // What the shell believes: conversation -> agent, and the open conversations.
        let mut held: BTreeMap<String, String> = BTreeMap::new();
        let mut open: Vec<String> = Vec::new();
        let mut fair: BTreeMap<String, usize> = steady.iter().map(|s| (s.to_string(), 0)).collect();
        let mut next_id = 0;

        for step in 0..150 {
            let roll = rng.below(100);
            let mut placements = Vec::new();
            if roll < 55 {
                next_id += 1;
                let conversation = format!("c{next_id}");
                let workspace_rr = roll < 20;
                let request = if workspace_rr {
                    AssignTo {
                        online_only: rng.chance(50),
                        ..req(Who::Workspace)
                    }
                } else {
                    let who = match rng.below(4) {
                        0 => team("t1"),
                        1 => team("t2"),
                        2 => specific(["c1", "c2", "f1", "f2"][rng.below(4)]),
                        _ => dedicated(
                            Some(["c1", "f1", "f2", "s3"][rng.below(4)]),
                            if rng.chance(50) {
                                fallback_team("t2")
                            } else {
                                Fallback::WaitForOwner
                            },
                        ),
                    };
                    AssignTo {
                        who,
                        method: if rng.chance(50) {
                            Method::RoundRobin
                        } else {
                            Method::FewestOpen
                        },
                        online_only: rng.chance(50),
                        max_open: if rng.chance(30) {
                            Some(1 + rng.below(3) as u32)
                        } else {
                            None
                        },
                        on_unavailable: if rng.chance(80) {
                            OnUnavailable::Queue
                        } else {
                            OnUnavailable::Report
                        },
                    }
                };
                open.push(conversation.clone());
                match state.decide(&conversation, &request, &agents) {
                    Decision::Assign { agent_id, .. } => {
                        seen.0 += 1;
                        if workspace_rr {
                            if let Some(n) = fair.get_mut(&agent_id) {
                                *n += 1;
                            }
                        }
                        held.insert(conversation, agent_id);
                    }
                    Decision::Queued { .. } => seen.1 += 1,
                    Decision::NoneAvailable { .. } => {}
                    Decision::Unassign => unreachable!(),
                }
            } else if roll < 85 {
                if !open.is_empty() {
                    let conversation = open.swap_remove(rng.below(open.len()));
                    held.remove(&conversation);
                    placements = state.on_closed(&conversation, &agents);
                }
            } else if roll < 92 {
                let held_now: Vec<String> = held.keys().cloned().collect();
                if !held_now.is_empty() {
                    let conversation = &held_now[rng.below(held_now.len())];
                    held.remove(conversation);
                    placements = state.on_assignee_changed(conversation, None, &agents);
                }
            } else {
                let i = rng.below(2);
                flaky_online[i] = !flaky_online[i];
                agents = roster(flaky_online);
                placements = state.drain(&agents);
            }
            for p in placements {
                seen.2 += 1;
                assert!(
                    open.contains(&p.conversation_id),
                    "seed {seed}: placed a closed conversation"
                );
                held.insert(p.conversation_id, p.agent_id);
            }

            let ctx = format!("seed {seed} step {step}");
            for a in &agents {
                if let Some(cap) = a.capacity {
                    assert!(
                        state.open_count(&a.id) <= cap,
                        "{ctx}: {} over capacity",
                        a.id
                    );
                }
            }
            for (conversation, agent_id) in &held {
                assert_eq!(state.holder(conversation), Some(agent_id.as_str()), "{ctx}");
            }
            let total: u32 = agents.iter().map(|a| state.open_count(&a.id)).sum();
            assert_eq!(
                total as usize,
                held.len(),
                "{ctx}: state holds what the shell was told"
            );
            let waiting: Vec<&str> = state
                .waiting()
                .iter()
                .map(|w| w.conversation_id.as_str())
                .collect();
            for w in &waiting {
                assert!(
                    open.iter().any(|o| o == w),
                    "{ctx}: closed conversation waiting"
                );
                assert!(!held.contains_key(*w), "{ctx}: {w} both held and waiting");
                assert_eq!(
                    waiting.iter().filter(|x| *x == w).count(),
                    1,
                    "{ctx}: {w} waits twice"
                );
            }
            let max = fair.values().max().unwrap();
            let min = fair.values().min().unwrap();
            assert!(max - min <= 1, "{ctx}: unfair {fair:?}");
        }
    }
    let (assigned, queued, drained) = seen;
    assert!(
        assigned > 10_000 && queued > 1_000 && drained > 1_000,
        "{seen:?}"
    );
}
