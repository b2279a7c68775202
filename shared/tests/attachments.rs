//! Messages with files: the conversation takes a file the sender's side uploaded and has not
//! sent, once; a resend is acknowledged before any file is looked at.

use std::cell::RefCell;
use std::collections::HashMap;

use charla_shared::basic::Seq;
use charla_shared::conversation::{ConversationState, Effect, Stored};
use charla_shared::files::{Attachment, MAX_ATTACHMENTS};
use charla_shared::lifecycle::LifecycleSettings;
use charla_shared::protocol::*;
use charla_shared::ErrorCode;

const F1: &str = "f_00000000000000000000000000000001";
const F2: &str = "f_00000000000000000000000000000002";

fn contact() -> Author {
    Author {
        kind: AuthorKind::Contact,
        id: "v1".into(),
        name: "Visitor".into(),
    }
}

fn file(id: &str, name: &str) -> Attachment {
    Attachment {
        id: id.into(),
        name: name.into(),
        size: 10,
        content_type: "image/png".into(),
        width: Some(2),
        height: Some(1),
    }
}

/// Storage as the Durable Object keeps it: messages by client id and unsent files; a stored
/// message marks its files sent.
#[derive(Default)]
struct Store {
    seqs: HashMap<String, Seq>,
    unsent: RefCell<HashMap<String, Attachment>>,
    looked_up: RefCell<u32>,
}

impl Stored for &Store {
    fn seq_of(&self, client_id: &str) -> Option<Seq> {
        self.seqs.get(client_id).copied()
    }
    fn unsent_file(&self, id: &str) -> Option<Attachment> {
        *self.looked_up.borrow_mut() += 1;
        self.unsent.borrow().get(id).cloned()
    }
}

fn send(state: &mut ConversationState, store: &mut Store, frame: ClientFrame) -> Vec<Effect> {
    let effects = state.handle(
        &contact(),
        frame,
        &*store,
        &LifecycleSettings::default(),
        2_000,
    );
    for e in &effects {
        if let Effect::Store(m) = e {
            store.seqs.insert(m.client_id.clone(), m.seq);
            for a in &m.attachments {
                store.unsent.borrow_mut().remove(&a.id);
            }
        }
    }
    effects
}

fn frame(client_id: &str, text: &str, files: &[&str]) -> ClientFrame {
    ClientFrame::Send {
        client_id: client_id.into(),
        text: text.into(),
        attachments: files.iter().map(|f| f.to_string()).collect(),
    }
}

fn error_code(effects: &[Effect]) -> Option<ErrorCode> {
    effects.iter().find_map(|e| match e {
        Effect::Reply(ServerFrame::Error { code, .. }) => Some(*code),
        _ => None,
    })
}

fn stored(effects: &[Effect]) -> Option<&Message> {
    effects.iter().find_map(|e| match e {
        Effect::Store(m) => Some(m),
        _ => None,
    })
}

fn conversation() -> ConversationState {
    ConversationState::new("c1".into(), "demo".into(), contact(), 1_000).0
}

#[test]
fn files_go_with_a_message_once() {
    let mut state = conversation();
    let mut store = Store::default();
    store
        .unsent
        .borrow_mut()
        .insert(F1.into(), file(F1, "a.png"));
    store
        .unsent
        .borrow_mut()
        .insert(F2.into(), file(F2, "b.pdf"));

    // Files alone: the text may be empty; the inbox line names the first file.
    let effects = send(&mut state, &mut store, frame("m1", "  ", &[F1, F2]));
    let m = stored(&effects).expect("stored");
    assert_eq!(m.text, "");
    assert_eq!(m.attachments, vec![file(F1, "a.png"), file(F2, "b.pdf")]);
    assert_eq!(state.summary().last_text, "\u{1F4CE} a.png +1");
    // Reports count the period's files (its messages still count as messages).
    assert_eq!(state.lifecycle.current.attachments, 2);
    assert_eq!(state.lifecycle.current.messages_in, 1);

    // The same client id again: acknowledged as a duplicate, no file looked up.
    let before = *store.looked_up.borrow();
    let effects = send(&mut state, &mut store, frame("m1", "", &[F1, F2]));
    assert!(stored(&effects).is_none());
    assert!(matches!(
        &effects[..],
        [Effect::Reply(ServerFrame::Ack {
            seq: 1,
            duplicate: true,
            ..
        })]
    ));
    assert_eq!(*store.looked_up.borrow(), before);

    // A file already sent cannot go with another message.
    let effects = send(&mut state, &mut store, frame("m2", "again", &[F1]));
    assert_eq!(error_code(&effects), Some(ErrorCode::NotFound));
    assert!(stored(&effects).is_none());
    assert_eq!(state.last_seq, 1);
}

#[test]
fn refused_attachments_store_nothing() {
    let mut state = conversation();
    let mut store = Store::default();
    let too_many: Vec<String> = (0..=MAX_ATTACHMENTS)
        .map(|i| format!("f_{i:032x}"))
        .collect();
    let refs: Vec<&str> = too_many.iter().map(String::as_str).collect();
    for (f, code) in [
        (frame("m1", "", &[]), ErrorCode::EmptyText),
        (frame("m2", "x", &[F1]), ErrorCode::NotFound),
        (frame("m3", "x", &["../f"]), ErrorCode::NotFound),
        (frame("m4", "x", &[F1, F1]), ErrorCode::NotFound),
        (frame("m5", "x", &refs), ErrorCode::TooManyFiles),
    ] {
        let effects = send(&mut state, &mut store, f);
        assert_eq!(error_code(&effects), Some(code));
        assert!(stored(&effects).is_none());
    }
    assert_eq!(state.last_seq, 0);
}

#[test]
fn attachments_on_the_wire() {
    let json = r#"{"type":"send","client_id":"m1","text":"","attachments":["f_00000000000000000000000000000001"]}"#;
    assert_eq!(decode_client_frame(json).unwrap(), frame("m1", "", &[F1]));
    // Absent from older clients, and left out when there are none.
    let old = r#"{"type":"send","client_id":"m1","text":"hi"}"#;
    assert_eq!(decode_client_frame(old).unwrap(), frame("m1", "hi", &[]));
    assert_eq!(serde_json::to_string(&frame("m1", "hi", &[])).unwrap(), old);
    let m = Message {
        seq: 1,
        client_id: "m1".into(),
        author: contact(),
        text: String::new(),
        at: 5,
        buttons: Vec::new(),
        attachments: vec![file(F1, "a.png")],
    };
    let v = serde_json::to_value(&m).unwrap();
    assert_eq!(
        v["attachments"],
        serde_json::json!([{"id": F1, "name": "a.png", "size": 10,
            "content_type": "image/png", "width": 2, "height": 1}])
    );
}
