use charla_shared::basic::ConversationStatus;
use charla_shared::lifecycle::Action;
use charla_shared::limits::{validate_send, MAX_CLIENT_ID_LEN, MAX_FRAME_BYTES, MAX_TEXT_CHARS};
use charla_shared::protocol::*;
use charla_shared::ErrorCode;

fn contact() -> Author {
    Author {
        kind: AuthorKind::Contact,
        id: "v1".into(),
        name: "Ana".into(),
    }
}

/// Every frame survives JSON and keeps its wire shape (`type` tag, snake_case).
#[test]
fn client_frames_round_trip() {
    let cases = [
        (
            ClientFrame::Sync { after_seq: 7 },
            r#"{"type":"sync","after_seq":7}"#,
        ),
        (
            ClientFrame::Send {
                client_id: "abc-1".into(),
                text: "hola".into(),
                attachments: Vec::new(),
            },
            r#"{"type":"send","client_id":"abc-1","text":"hola"}"#,
        ),
        (
            ClientFrame::Typing { active: true },
            r#"{"type":"typing","active":true}"#,
        ),
        (ClientFrame::Read { seq: 3 }, r#"{"type":"read","seq":3}"#),
        (ClientFrame::Ping, r#"{"type":"ping"}"#),
        (
            ClientFrame::Action {
                action: Action::Assign {
                    agent_id: "a_0123456789abcdef0123456789abcdef".into(),
                    team_id: None,
                },
            },
            r#"{"type":"action","action":{"kind":"assign","agent_id":"a_0123456789abcdef0123456789abcdef","team_id":null}}"#,
        ),
        (
            ClientFrame::Action {
                action: Action::Close {
                    note: charla_shared::lifecycle::ClosingNote {
                        category: Some("Ventas".into()),
                        summary: None,
                    },
                },
            },
            r#"{"type":"action","action":{"kind":"close","note":{"category":"Ventas","summary":null}}}"#,
        ),
    ];
    for (frame, json) in cases {
        assert_eq!(serde_json::to_string(&frame).unwrap(), json);
        assert_eq!(decode_client_frame(json).unwrap(), frame);
    }
}

#[test]
fn server_frames_round_trip() {
    let message = Message {
        seq: 1,
        client_id: "c1".into(),
        author: contact(),
        text: "<img src=x onerror=alert(1)>".into(),
        at: 1_700_000_000_000,
        buttons: vec![QuickReply {
            label: "Ventas".into(),
            value: "sales".into(),
        }],
        attachments: Vec::new(),
    };
    let frames = [
        ServerFrame::Hello {
            conversation_id: "c".into(),
            you: contact(),
            last_seq: 4,
            status: ConversationStatus::Open,
            read: ReadMarks {
                agent: 3,
                contact: 4,
            },
        },
        ServerFrame::Synced {
            messages: vec![message.clone()],
            last_seq: 1,
            more: false,
        },
        ServerFrame::Message { message },
        ServerFrame::Ack {
            client_id: "c1".into(),
            seq: 1,
            duplicate: true,
        },
        ServerFrame::Typing {
            author: contact(),
            active: false,
        },
        ServerFrame::Read {
            author_kind: AuthorKind::Agent,
            seq: 2,
        },
        ServerFrame::Error {
            code: ErrorCode::FrameTooLarge,
            message: "x".into(),
            client_id: None,
        },
        ServerFrame::Pong,
    ];
    for frame in frames {
        let json = frame.to_json();
        let back: ServerFrame = serde_json::from_str(&json).unwrap();
        assert_eq!(back, frame, "{json}");
    }
    let err = ServerFrame::Error {
        code: ErrorCode::TextTooLong,
        message: "m".into(),
        client_id: Some("k".into()),
    };
    assert_eq!(
        err.to_json(),
        r#"{"type":"error","code":"text_too_long","message":"m","client_id":"k"}"#
    );
}

#[test]
fn inbox_frames_round_trip() {
    let summary = ConversationSummary {
        id: "c".into(),
        contact_id: "v".into(),
        contact_name: "Visitor".into(),
        status: ConversationStatus::Open,
        last_seq: 2,
        last_text: "hi".into(),
        last_author: AuthorKind::Contact,
        last_at: 5,
        unread: 1,
        created_at: 1,
        assignee_id: Some("a1".into()),
        team_id: None,
        bot_paused: false,
        period: 1,
    };
    for frame in [
        InboxFrame::Snapshot {
            conversations: vec![summary.clone()],
        },
        InboxFrame::Summary {
            conversation: summary,
        },
        InboxFrame::Pong,
    ] {
        let back: InboxFrame = serde_json::from_str(&frame.to_json()).unwrap();
        assert_eq!(back, frame);
    }
}

#[test]
fn decode_rejects_bad_frames_with_codes() {
    let big = format!(
        r#"{{"type":"send","client_id":"a","text":"{}"}}"#,
        "x".repeat(MAX_FRAME_BYTES)
    );
    let cases: [(&str, ErrorCode); 5] = [
        (&big, ErrorCode::FrameTooLarge),
        ("not json", ErrorCode::MalformedFrame),
        (r#"{"type":"explode"}"#, ErrorCode::MalformedFrame),
        (
            r#"{"type":"send","text":"no id"}"#,
            ErrorCode::MalformedFrame,
        ),
        (r#"[1,2]"#, ErrorCode::MalformedFrame),
    ];
    for (raw, code) in cases {
        assert_eq!(
            decode_client_frame(raw).unwrap_err().code(),
            code,
            "{raw:.40}"
        );
    }
}

#[test]
fn send_limits() {
    let at_limit = "é".repeat(MAX_TEXT_CHARS);
    let over = "é".repeat(MAX_TEXT_CHARS + 1);
    let long_id = "a".repeat(MAX_CLIENT_ID_LEN + 1);
    let cases: [(&str, &str, Result<&str, ErrorCode>); 7] = [
        ("id1", "  hola  ", Ok("hola")),
        ("id1", &at_limit, Ok(&at_limit)),
        ("id1", &over, Err(ErrorCode::TextTooLong)),
        ("id1", "   \n", Err(ErrorCode::EmptyText)),
        ("", "hola", Err(ErrorCode::InvalidClientId)),
        (&long_id, "hola", Err(ErrorCode::InvalidClientId)),
        ("bad id!", "hola", Err(ErrorCode::InvalidClientId)),
    ];
    for (id, text, expected) in cases {
        assert_eq!(
            validate_send(id, text).map_err(|e| e.code()),
            expected,
            "{id:.10} {text:.10}"
        );
    }
}

#[test]
fn token_travels_in_subprotocols_only_beside_ours() {
    let cases = [
        ("charla.v1, bearer.abc.def", Some("abc.def")),
        ("bearer.abc.def, charla.v1", Some("abc.def")),
        ("bearer.abc.def", None),
        ("charla.v1", None),
        ("", None),
    ];
    for (header, expected) in cases {
        assert_eq!(token_from_subprotocols(header), expected, "{header}");
    }
}

#[test]
fn access_levels_limit_only_agents() {
    use Access::{All, MineAndUnassigned as Mine};
    for (access, role, assignee, allowed) in [
        (All, Role::Agent, Some("b"), true),
        (Mine, Role::Agent, None, true),
        (Mine, Role::Agent, Some("a"), true),
        (Mine, Role::Agent, Some("b"), false),
        (Mine, Role::Manager, Some("b"), true),
        (Mine, Role::Owner, Some("b"), true),
    ] {
        assert_eq!(
            access.allows(&role, "a", assignee),
            allowed,
            "{access:?} {role:?} {assignee:?}"
        );
        assert_eq!(access.limits(&role), access == Mine && role == Role::Agent);
    }
}
