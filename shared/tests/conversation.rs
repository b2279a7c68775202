use charla_shared::basic::*;
use charla_shared::conversation::{synced_page, ConversationState, Effect};
use charla_shared::lifecycle::{
    ActivityKind, Actor, ClosingNote, LifecycleSettings, NoteRequirement, Source,
};
use charla_shared::limits::SYNC_PAGE;
use charla_shared::protocol::*;
use charla_shared::ErrorCode;
use std::collections::HashMap;

/// An agent id of the real shape (`a_` + 32 hex): actions refuse any other.
const A1: &str = "a_00000000000000000000000000000001";

fn contact() -> Author {
    Author {
        kind: AuthorKind::Contact,
        id: "v1".into(),
        name: "Visitor".into(),
    }
}
fn agent() -> Author {
    Author {
        kind: AuthorKind::Agent,
        id: A1.into(),
        name: "Demo Agent".into(),
    }
}

/// A tiny stand-in for the Durable Object's storage: it executes Store effects, so dedup and
/// resume can be checked the way the edge runs them.
struct Harness {
    state: ConversationState,
    settings: LifecycleSettings,
    stored: Vec<Message>,
    by_client: HashMap<(String, String), Seq>,
}

impl Harness {
    fn new() -> Self {
        Harness {
            state: ConversationState::new("c1".into(), "demo".into(), contact(), 1_000).0,
            settings: LifecycleSettings::default(),
            stored: vec![],
            by_client: HashMap::new(),
        }
    }
    fn frame(&mut self, who: &Author, raw: &str, now: Millis) -> Vec<Effect> {
        let known = &self.by_client;
        let effects = self.state.handle_raw(
            who,
            raw,
            |cid: &str| known.get(&(who.id.clone(), cid.to_owned())).copied(),
            &self.settings,
            now,
        );
        for e in &effects {
            if let Effect::Store(m) = e {
                self.by_client
                    .insert((m.author.id.clone(), m.client_id.clone()), m.seq);
                self.stored.push(m.clone());
            }
        }
        effects
    }
    fn send(&mut self, who: &Author, id: &str, text: &str, now: Millis) -> Vec<Effect> {
        let raw = serde_json::to_string(&ClientFrame::Send {
            client_id: id.into(),
            text: text.into(),
            attachments: Vec::new(),
        })
        .unwrap();
        self.frame(who, &raw, now)
    }
    /// What a replay after `seq` delivers, following `more` pages like a client does.
    fn replay(&self, mut after: Seq) -> Vec<Seq> {
        let mut got = vec![];
        loop {
            let page: Vec<Message> = self
                .stored
                .iter()
                .filter(|m| m.seq > after)
                .take(SYNC_PAGE + 1)
                .cloned()
                .collect();
            let ServerFrame::Synced { messages, more, .. } = synced_page(page, self.state.last_seq)
            else {
                unreachable!()
            };
            got.extend(messages.iter().map(|m| m.seq));
            match messages.last() {
                Some(last) if more => after = last.seq,
                _ => return got,
            }
        }
    }
}

fn acks(effects: &[Effect]) -> Vec<(Seq, bool)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Reply(ServerFrame::Ack { seq, duplicate, .. }) => Some((*seq, *duplicate)),
            _ => None,
        })
        .collect()
}

#[test]
fn messages_get_consecutive_seqs_and_effects_in_order() {
    let mut h = Harness::new();
    let effects = h.send(&contact(), "m1", "hola", 2_000);
    assert!(matches!(&effects[0], Effect::Store(m) if m.seq == 1 && m.text == "hola"));
    assert_eq!(acks(&effects), vec![(1, false)]);
    assert!(matches!(
        &effects[2],
        Effect::Broadcast { frame: ServerFrame::Message { message }, include_sender: true } if message.seq == 1
    ));
    assert!(effects.contains(&Effect::PublishSummary));
    assert!(matches!(effects.last(), Some(Effect::Schedule(Some(_)))));
    assert_eq!(
        acks(&h.send(&agent(), "m1", "¿en qué te ayudo?", 2_001)),
        vec![(2, false)]
    );
    assert_eq!(
        acks(&h.send(&contact(), "m2", "precio", 2_002)),
        vec![(3, false)]
    );
    assert_eq!(h.state.last_seq, 3);
}

#[test]
fn resent_client_id_is_acked_never_stored_twice() {
    let mut h = Harness::new();
    h.send(&contact(), "same", "hola", 1);
    h.send(&contact(), "other", "sigo aquí", 2);
    let again = h.send(&contact(), "same", "hola", 3);
    assert_eq!(acks(&again), vec![(1, true)]);
    assert_eq!(again.len(), 1, "a duplicate only acknowledges");
    assert_eq!(h.stored.len(), 2);
    assert_eq!(h.state.last_seq, 2);
}

#[test]
fn resume_after_seq_returns_exactly_the_missed_messages() {
    let mut h = Harness::new();
    for i in 0..450 {
        h.send(&contact(), &format!("m{i}"), "x", i);
    }
    let cases: [(Seq, Vec<Seq>); 4] = [
        (0, (1..=450).collect()),
        (447, vec![448, 449, 450]),
        (450, vec![]),
        (999, vec![]),
    ];
    for (after, expected) in cases {
        assert_eq!(h.replay(after), expected, "after {after}");
    }
    let sync = h.frame(&contact(), r#"{"type":"sync","after_seq":12}"#, 0);
    assert_eq!(sync, vec![Effect::Replay { after_seq: 12 }]);
}

#[test]
fn refused_frames_reply_with_typed_errors_and_change_nothing() {
    let mut h = Harness::new();
    h.send(&contact(), "m1", "hola", 1);
    let before = h.state.clone();
    let big_text = "a".repeat(4_001);
    let oversized = format!(
        r#"{{"type":"send","client_id":"x","text":"{}"}}"#,
        "a".repeat(17_000)
    );
    let too_long = serde_json::to_string(&ClientFrame::Send {
        client_id: "m2".into(),
        text: big_text,
        attachments: Vec::new(),
    })
    .unwrap();
    let cases = [
        (oversized.as_str(), ErrorCode::FrameTooLarge, None),
        ("{", ErrorCode::MalformedFrame, None),
        (too_long.as_str(), ErrorCode::TextTooLong, Some("m2")),
        (
            r#"{"type":"send","client_id":"m3","text":" "}"#,
            ErrorCode::EmptyText,
            Some("m3"),
        ),
        (
            r#"{"type":"send","client_id":"<b>","text":"x"}"#,
            ErrorCode::InvalidClientId,
            Some("<b>"),
        ),
    ];
    for (raw, code, cid) in cases {
        let effects = h.frame(&contact(), raw, 5);
        match effects.as_slice() {
            [Effect::Reply(ServerFrame::Error {
                code: c, client_id, ..
            })] => {
                assert_eq!(*c, code);
                assert_eq!(client_id.as_deref(), cid);
            }
            other => panic!("{raw:.30}: {other:?}"),
        }
        assert_eq!(h.state, before);
    }
    // The conversation is still usable after every refusal.
    assert_eq!(acks(&h.send(&contact(), "m4", "ok", 6)), vec![(2, false)]);
}

#[test]
fn message_times_never_go_backwards() {
    let mut h = Harness::new();
    h.send(&contact(), "a", "1", 5_000);
    h.send(&agent(), "b", "2", 4_000);
    assert_eq!(h.stored[1].at, 5_000);
}

#[test]
fn unread_counts_contact_messages_until_an_agent_reads_or_replies() {
    let mut h = Harness::new();
    h.send(&contact(), "a", "1", 1);
    h.send(&contact(), "b", "2", 2);
    assert_eq!(h.state.summary().unread, 2);
    // Reading an older seq does not clear newer messages.
    let effects = h.frame(&agent(), r#"{"type":"read","seq":1}"#, 3);
    assert!(!effects.contains(&Effect::PublishSummary));
    assert_eq!(h.state.unread, 2);
    let effects = h.frame(&agent(), r#"{"type":"read","seq":2}"#, 3);
    assert!(effects.contains(&Effect::PublishSummary));
    assert_eq!(h.state.unread, 0);
    h.send(&contact(), "c", "3", 4);
    h.send(&agent(), "d", "reply", 5);
    assert_eq!(h.state.unread, 0);
    // A contact reading does not touch the agents' unread count.
    h.send(&contact(), "e", "4", 6);
    h.frame(&contact(), r#"{"type":"read","seq":6}"#, 7);
    assert_eq!(h.state.unread, 1);
}

#[test]
fn read_marks_move_forward_once_are_kept_and_told_to_the_other_side() {
    let mut h = Harness::new();
    h.send(&contact(), "a", "1", 1);
    h.send(&agent(), "b", "2", 2);
    let read = |seq: Seq| format!(r#"{{"type":"read","seq":{seq}}}"#);
    let told = |effects: &[Effect]| {
        effects
            .iter()
            .filter_map(|e| match e {
                Effect::Broadcast {
                    frame: ServerFrame::Read { author_kind, seq },
                    include_sender: false,
                } => Some((*author_kind, *seq)),
                _ => None,
            })
            .collect::<Vec<_>>()
    };
    let effects = h.frame(&agent(), &read(1), 3);
    assert_eq!(told(&effects), [(AuthorKind::Agent, 1)]);
    assert!(effects.contains(&Effect::SaveState));
    // The same mark again, or an older one, costs nothing.
    assert_eq!(h.frame(&agent(), &read(1), 4), []);
    // A read past the end is clamped to the last message.
    let effects = h.frame(&contact(), &read(99), 5);
    assert_eq!(told(&effects), [(AuthorKind::Contact, 2)]);
    assert_eq!(
        h.state.read,
        ReadMarks {
            agent: 1,
            contact: 2
        }
    );
    let ServerFrame::Hello { read: marks, .. } = h.state.hello(contact()) else {
        unreachable!()
    };
    assert_eq!(marks, h.state.read);
    // Kept with the state, so a woken conversation still knows them.
    let saved: ConversationState =
        serde_json::from_str(&serde_json::to_string(&h.state).unwrap()).unwrap();
    assert_eq!(saved.read, h.state.read);
}

#[test]
fn summary_previews_last_message() {
    let mut h = Harness::new();
    h.send(&contact(), "a", &"ñ".repeat(500), 2_000);
    let s = h.state.summary();
    assert_eq!(s.last_text.chars().count(), 140);
    assert_eq!(s.last_author, AuthorKind::Contact);
    assert_eq!(s.last_seq, 1);
    assert_eq!(s.last_at, 2_000);
}

#[test]
fn typing_goes_to_others_and_ping_gets_pong() {
    let mut h = Harness::new();
    assert_eq!(
        h.frame(&agent(), r#"{"type":"typing","active":true}"#, 1),
        vec![Effect::Broadcast {
            frame: ServerFrame::Typing {
                author: agent(),
                active: true
            },
            include_sender: false
        }]
    );
    assert_eq!(
        h.frame(&contact(), r#"{"type":"ping"}"#, 1),
        vec![Effect::Reply(ServerFrame::Pong)]
    );
}

fn action(h: &mut Harness, who: &Author, action: serde_json::Value, now: Millis) -> Vec<Effect> {
    let raw = serde_json::json!({"type": "action", "action": action}).to_string();
    h.frame(who, &raw, now)
}

fn recorded(effects: &[Effect]) -> Vec<(ActivityKind, Source)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Record(ev) => Some((ev.kind.clone(), ev.source)),
            _ => None,
        })
        .collect()
}

#[test]
fn agent_actions_are_recorded_with_source_user_and_change_the_summary() {
    let mut h = Harness::new();
    h.send(&contact(), "m1", "hola", 2_000);
    let effects = action(
        &mut h,
        &agent(),
        serde_json::json!({"kind": "assign", "agent_id": A1}),
        2_100,
    );
    assert_eq!(
        recorded(&effects),
        vec![(
            ActivityKind::Assigned {
                agent_id: A1.into(),
                team_id: None,
                previous: None
            },
            Source::User
        )]
    );
    assert!(effects.contains(&Effect::PublishSummary));
    assert_eq!(h.state.summary().assignee_id.as_deref(), Some(A1));
    assert!(effects.iter().any(|e| matches!(e, Effect::ToAgents(ServerFrame::Lifecycle { state }) if state.assignee_id.as_deref() == Some(A1))));

    let close = action(
        &mut h,
        &agent(),
        serde_json::json!({"kind": "close", "note": {"category": null, "summary": "Resuelto: envío a Monterrey"}}),
        2_200,
    );
    assert_eq!(
        recorded(&close),
        vec![(
            ActivityKind::Closed {
                note: ClosingNote {
                    category: None,
                    summary: Some("Resuelto: envío a Monterrey".into())
                }
            },
            Source::User
        )]
    );
    assert_eq!(h.state.summary().status, ConversationStatus::Closed);
    assert!(
        close.contains(&Effect::Schedule(None)),
        "a closed conversation needs no alarm"
    );

    // Closing twice is refused with a typed error and changes nothing.
    let before = h.state.clone();
    let again = action(
        &mut h,
        &agent(),
        serde_json::json!({"kind": "close"}),
        2_300,
    );
    assert!(matches!(
        again.as_slice(),
        [Effect::Reply(ServerFrame::Error {
            code: ErrorCode::BadRequest,
            ..
        })]
    ));
    assert_eq!(h.state, before);
}

#[test]
fn contacts_cannot_act_and_their_message_reopens_a_closed_conversation() {
    let mut h = Harness::new();
    h.send(&contact(), "m1", "hola", 2_000);
    let refused = action(
        &mut h,
        &contact(),
        serde_json::json!({"kind": "close"}),
        2_001,
    );
    assert!(matches!(
        refused.as_slice(),
        [Effect::Reply(ServerFrame::Error {
            code: ErrorCode::Forbidden,
            ..
        })]
    ));
    action(
        &mut h,
        &agent(),
        serde_json::json!({"kind": "close"}),
        2_002,
    );
    let effects = h.send(&contact(), "m2", "una cosa más", 3_000);
    assert_eq!(
        recorded(&effects),
        vec![(ActivityKind::Reopened { period: 2 }, Source::Contact)]
    );
    assert_eq!(h.state.status(), ConversationStatus::Open);
    assert_eq!(h.state.lifecycle_view().period, 2);
}

#[test]
fn required_closing_note_is_enforced_for_agents() {
    let mut h = Harness::new();
    h.settings.closing_category = NoteRequirement::Required;
    h.settings.categories = vec!["Ventas".into(), "Soporte".into()];
    h.send(&contact(), "m1", "hola", 2_000);
    let cases = [
        (serde_json::json!({"kind": "close"}), false),
        (
            serde_json::json!({"kind": "close", "note": {"category": "Otra"}}),
            false,
        ),
        (
            serde_json::json!({"kind": "close", "note": {"category": "Soporte", "summary": "ok"}}),
            true,
        ),
    ];
    for (act, closes) in cases {
        action(&mut h, &agent(), act.clone(), 2_100);
        assert_eq!(
            h.state.status() == ConversationStatus::Closed,
            closes,
            "{act}"
        );
    }
}

#[test]
fn system_assignment_is_recorded_with_source_system_and_refused_when_closed() {
    let mut h = Harness::new();
    h.send(&contact(), "m1", "hola", 2_000);
    let effects = h
        .state
        .system_assign("a2".into(), None, &h.settings, 2_100)
        .unwrap();
    assert_eq!(recorded(&effects)[0].1, Source::System);
    assert_eq!(h.state.summary().assignee_id.as_deref(), Some("a2"));
    assert_eq!(h.state.summary().period, 1);
    action(
        &mut h,
        &agent(),
        serde_json::json!({"kind": "close"}),
        2_200,
    );
    assert!(h
        .state
        .system_assign("a3".into(), None, &h.settings, 2_300)
        .is_err());
}

#[test]
fn a_deactivated_agent_is_unassigned_by_the_system_only_where_they_still_hold_it() {
    let mut h = Harness::new();
    h.send(&contact(), "m1", "hola", 2_000);
    h.state
        .system_assign("a2".into(), None, &h.settings, 2_100)
        .unwrap();
    assert!(h
        .state
        .system_unassign("a3", &h.settings, 2_150)
        .unwrap()
        .is_empty());
    let effects = h.state.system_unassign("a2", &h.settings, 2_200).unwrap();
    assert_eq!(recorded(&effects)[0].1, Source::System);
    assert!(effects.contains(&Effect::PublishSummary));
    assert_eq!(h.state.summary().assignee_id, None);
    assert!(h
        .state
        .system_unassign("a2", &h.settings, 2_300)
        .unwrap()
        .is_empty());
}

#[test]
fn deadline_auto_closes_with_source_system_idempotently() {
    let mut h = Harness::new();
    h.send(&contact(), "m1", "hola", 2_000);
    let due = h.state.lifecycle.next_deadline(&h.settings).unwrap();
    assert_eq!(due, 2_000 + 24 * 60 * 60 * 1000);
    let early = h.state.on_deadline(&h.settings, due - 1);
    assert_eq!(early, vec![Effect::Schedule(Some(due))]);
    let fired = h.state.on_deadline(&h.settings, due);
    assert_eq!(recorded(&fired).len(), 1);
    assert_eq!(recorded(&fired)[0].1, Source::System);
    assert!(fired.contains(&Effect::Schedule(None)));
    assert_eq!(
        h.state.on_deadline(&h.settings, due + 5),
        vec![Effect::Schedule(None)]
    );
}

#[test]
fn actions_naming_ids_of_the_wrong_shape_are_refused_before_anything_runs() {
    let mut h = Harness::new();
    h.send(&contact(), "m1", "hola", 2_000);
    for (frame, code) in [
        (
            serde_json::json!({"kind": "assign", "agent_id": "../ws?agent=x"}),
            ErrorCode::NotFound,
        ),
        (
            serde_json::json!({"kind": "assign_team", "team_id": "=cmd|' /C calc'!A0"}),
            ErrorCode::NotFound,
        ),
        (
            serde_json::json!({"kind": "assign", "agent_id": A1, "team_id": "ventas"}),
            ErrorCode::NotFound,
        ),
    ] {
        let effects = action(&mut h, &agent(), frame.clone(), 2_100);
        assert!(
            effects
                .iter()
                .all(|e| !matches!(e, Effect::Record(_) | Effect::SaveState)),
            "{frame}: {effects:?}"
        );
        assert!(
            effects.iter().any(
                |e| matches!(e, Effect::Reply(ServerFrame::Error { code: c, .. }) if *c == code)
            ),
            "{frame}: {effects:?}"
        );
    }
    assert_eq!(h.state.summary().assignee_id, None);
}

#[test]
fn the_api_acts_and_writes_with_source_api_and_the_key_as_actor() {
    let mut h = Harness::new();
    h.send(&contact(), "m1", "hola", 2_000);
    let (effects, events) = h
        .state
        .api_command(
            "k_1",
            serde_json::from_value(serde_json::json!({"kind": "assign", "agent_id": A1})).unwrap(),
            &h.settings,
            2_100,
        )
        .unwrap();
    assert_eq!(recorded(&effects)[0].1, Source::Api);
    assert!(matches!(&events[0].actor, Actor::Integration { id } if id == "k_1"));
    assert_eq!(h.state.summary().assignee_id.as_deref(), Some(A1));

    let effects = h
        .state
        .api_message(
            "k_1",
            &agent(),
            "crm-1",
            "  Abrimos a las 9 ",
            &h.settings,
            2_200,
        )
        .unwrap();
    let stored: Vec<&Message> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::Store(m) => Some(m),
            _ => None,
        })
        .collect();
    assert_eq!(stored.len(), 1);
    assert_eq!(
        (stored[0].seq, stored[0].text.as_str()),
        (2, "Abrimos a las 9")
    );
    for (client_id, text) in [("crm-2", "   "), ("con espacio", "hola")] {
        assert!(h
            .state
            .api_message("k_1", &agent(), client_id, text, &h.settings, 2_300)
            .is_err());
    }
    assert_eq!(h.state.last_seq, 2, "refused messages change nothing");
}
