//! The conversation as a value: frames in, [`Effect`]s out.
//!
//! The Conversation Durable Object owns one [`ConversationState`], feeds it every frame a socket
//! sends (with the facts only storage knows, such as whether a client id was already stored),
//! and executes the effects in order. The state never touches storage or sockets itself.

use serde::{Deserialize, Serialize};

use crate::basic::{ConversationStatus, Millis, Seq};
use crate::error::{Error, ErrorCode};
use crate::files::Attachment;
use crate::lifecycle::Action;
use crate::lifecycle::{
    ActivityEvent, Actor, Command, Lifecycle, LifecycleError, LifecycleSettings, Source,
};
use crate::limits::{validate_message, MAX_TEXT_CHARS};
use crate::protocol::{
    decode_client_frame, Author, AuthorKind, ClientFrame, ConversationSummary, LifecycleView,
    Message, QuickReply, ReadMarks, ServerFrame,
};

/// Characters of the last message kept in the inbox summary.
const PREVIEW_CHARS: usize = 140;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConversationState {
    pub id: String,
    pub workspace_id: String,
    pub contact: Author,
    /// Open/closed, owner, periods: the rules live in [`crate::lifecycle`].
    pub lifecycle: Lifecycle,
    pub last_seq: Seq,
    /// Timestamp of the newest message; message times never go backwards even if clocks do.
    pub last_at: Millis,
    pub last_text: String,
    pub last_author: AuthorKind,
    /// Seq of the newest contact message, to know when agents have read everything.
    pub last_contact_seq: Seq,
    /// Contact messages since an agent last read or replied.
    pub unread: u32,
    pub created_at: Millis,
    /// How far each side has read (kept for the "seen" marks of a client that reconnects).
    #[serde(default)]
    pub read: ReadMarks,
}

/// What the Durable Object must do, in order, after a frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Persist a new message and the updated state (one transaction).
    Store(Message),
    /// Send a frame to the socket the input came from.
    Reply(ServerFrame),
    /// Send a frame to the other sockets of the conversation (and the sender when
    /// `include_sender`).
    Broadcast {
        frame: ServerFrame,
        include_sender: bool,
    },
    /// Send the sender every stored message after `after_seq`, paged.
    Replay { after_seq: Seq },
    /// Persist the state (no new message).
    SaveState,
    /// The inbox line of this conversation changed: push [`ConversationState::summary`].
    PublishSummary,
    /// Persist a timeline event and send it (as `activity`) to the agents' sockets.
    Record(ActivityEvent),
    /// Send a frame to the agents' sockets only (lifecycle details are not for the visitor).
    ToAgents(ServerFrame),
    /// Set the object's alarm to this time, or clear it (`None`).
    Schedule(Option<Millis>),
}

/// What only storage knows, asked while a frame is handled. A closure answering
/// [`Stored::seq_of`] is one (it knows no files).
pub trait Stored {
    /// The seq of the sender's stored message with this client id, if there is one.
    fn seq_of(&self, client_id: &str) -> Option<Seq>;
    /// The file `id`, if the sender's side uploaded it to this conversation, its upload
    /// completed and no message references it yet.
    fn unsent_file(&self, _id: &str) -> Option<Attachment> {
        None
    }
}

impl<F: Fn(&str) -> Option<Seq>> Stored for F {
    fn seq_of(&self, client_id: &str) -> Option<Seq> {
        self(client_id)
    }
}

fn actor_of(author: &Author) -> (Actor, Source) {
    match author.kind {
        AuthorKind::Contact => (
            Actor::Contact {
                id: author.id.clone(),
            },
            Source::Contact,
        ),
        AuthorKind::Agent => (
            Actor::Agent {
                id: author.id.clone(),
            },
            Source::User,
        ),
        AuthorKind::System => (Actor::System, Source::System),
    }
}

fn lifecycle_error(err: &LifecycleError) -> ServerFrame {
    ServerFrame::Error {
        code: err.code(),
        message: err.to_string(),
        client_id: None,
    }
}

impl ConversationState {
    /// A new conversation, opened by its contact, and the first line of its timeline.
    pub fn new(
        id: String,
        workspace_id: String,
        contact: Author,
        now: Millis,
    ) -> (Self, ActivityEvent) {
        let (actor, source) = actor_of(&contact);
        let (lifecycle, opened) = Lifecycle::open(actor, source, now);
        let state = ConversationState {
            id,
            workspace_id,
            contact,
            lifecycle,
            last_seq: 0,
            last_at: now,
            last_text: String::new(),
            last_author: AuthorKind::System,
            last_contact_seq: 0,
            unread: 0,
            created_at: now,
            read: ReadMarks::default(),
        };
        (state, opened)
    }

    pub fn status(&self) -> ConversationStatus {
        self.lifecycle.status()
    }

    pub fn lifecycle_view(&self) -> LifecycleView {
        LifecycleView {
            status: self.lifecycle.status(),
            period: self.lifecycle.current.number,
            assignee_id: self.lifecycle.assignee().map(str::to_owned),
            team_id: self.lifecycle.team().map(str::to_owned),
            bot_paused: self.lifecycle.bot_paused(),
        }
    }

    /// Automatic assignment decided by the workspace (source `system`). Refused like any
    /// action (e.g. the conversation closed meanwhile), so the workspace learns the truth.
    pub fn system_assign(
        &mut self,
        agent_id: String,
        team_id: Option<String>,
        settings: &LifecycleSettings,
        now: Millis,
    ) -> Result<Vec<Effect>, LifecycleError> {
        self.system_act(Action::Assign { agent_id, team_id }, settings, now)
    }

    /// `agent_id` was deactivated: if they still hold this open conversation, it goes back to
    /// nobody (source `system`), so assignment can route it again and the timeline and report
    /// rows say what happened. Nothing to do (no effects) when someone else holds it or it is
    /// closed, so a repeated call is harmless.
    pub fn system_unassign(
        &mut self,
        agent_id: &str,
        settings: &LifecycleSettings,
        now: Millis,
    ) -> Result<Vec<Effect>, LifecycleError> {
        if self.lifecycle.status() != ConversationStatus::Open
            || self.lifecycle.assignee() != Some(agent_id)
        {
            return Ok(Vec::new());
        }
        self.system_act(Action::Unassign, settings, now)
    }

    /// An action the system takes (source `system`), with what every such change needs: its
    /// timeline and lifecycle frames, the state saved, the summary published, the alarm moved.
    fn system_act(
        &mut self,
        action: Action,
        settings: &LifecycleSettings,
        now: Millis,
    ) -> Result<Vec<Effect>, LifecycleError> {
        let events = self
            .lifecycle
            .apply(action, Actor::System, Source::System, settings, now)?;
        let mut effects = Vec::new();
        self.lifecycle_effects(events, &mut effects);
        effects.push(Effect::SaveState);
        effects.push(Effect::PublishSummary);
        effects.push(Effect::Schedule(self.lifecycle.next_deadline(settings)));
        Ok(effects)
    }

    /// The alarm fired (possibly late, early or twice): auto-close if due, and say when to
    /// wake next.
    pub fn on_deadline(&mut self, settings: &LifecycleSettings, now: Millis) -> Vec<Effect> {
        let events = self.lifecycle.on_deadline(settings, now);
        let mut effects = Vec::new();
        if !events.is_empty() {
            effects.extend(events.into_iter().map(Effect::Record));
            effects.push(Effect::SaveState);
            effects.push(Effect::ToAgents(ServerFrame::Lifecycle {
                state: self.lifecycle_view(),
            }));
            effects.push(Effect::PublishSummary);
        }
        effects.push(Effect::Schedule(self.lifecycle.next_deadline(settings)));
        effects
    }

    /// Apply lifecycle events produced alongside another change: record them and, if any
    /// changed ownership or status, tell the agents.
    fn lifecycle_effects(&self, events: Vec<ActivityEvent>, effects: &mut Vec<Effect>) {
        if events.is_empty() {
            return;
        }
        effects.extend(events.into_iter().map(Effect::Record));
        effects.push(Effect::ToAgents(ServerFrame::Lifecycle {
            state: self.lifecycle_view(),
        }));
    }

    /// The frame greeting a socket that just connected.
    pub fn hello(&self, you: Author) -> ServerFrame {
        ServerFrame::Hello {
            conversation_id: self.id.clone(),
            you,
            last_seq: self.last_seq,
            status: self.status(),
            read: self.read,
        }
    }

    /// Handle one raw text frame from `sender`. `stored` answers whether this sender already
    /// has a message with that client id (and under which seq) and which files it may send.
    pub fn handle_raw(
        &mut self,
        sender: &Author,
        raw: &str,
        stored: impl Stored,
        settings: &LifecycleSettings,
        now: Millis,
    ) -> Vec<Effect> {
        match decode_client_frame(raw) {
            Ok(frame) => self.handle(sender, frame, stored, settings, now),
            Err(err) => vec![Effect::Reply(ServerFrame::error(&err, None))],
        }
    }

    pub fn handle(
        &mut self,
        sender: &Author,
        frame: ClientFrame,
        stored: impl Stored,
        settings: &LifecycleSettings,
        now: Millis,
    ) -> Vec<Effect> {
        match frame {
            ClientFrame::Ping => vec![Effect::Reply(ServerFrame::Pong)],
            ClientFrame::Sync { after_seq } => vec![Effect::Replay { after_seq }],
            ClientFrame::Typing { active } => vec![Effect::Broadcast {
                frame: ServerFrame::Typing {
                    author: sender.clone(),
                    active,
                },
                include_sender: false,
            }],
            ClientFrame::Read { seq } => self.read(sender, seq),
            ClientFrame::Send {
                client_id,
                text,
                attachments,
            } => self.send(
                sender,
                client_id,
                &text,
                &attachments,
                stored,
                settings,
                now,
            ),
            ClientFrame::Action { action } => self.act(sender, action, settings, now),
        }
    }

    fn act(
        &mut self,
        sender: &Author,
        action: Action,
        settings: &LifecycleSettings,
        now: Millis,
    ) -> Vec<Effect> {
        if sender.kind != AuthorKind::Agent {
            return vec![Effect::Reply(ServerFrame::Error {
                code: ErrorCode::Forbidden,
                message: "only agents can change a conversation".into(),
                client_id: None,
            })];
        }
        let (actor, source) = actor_of(sender);
        match self.lifecycle.apply(action, actor, source, settings, now) {
            Ok(events) => {
                let mut effects = Vec::new();
                self.lifecycle_effects(events, &mut effects);
                effects.push(Effect::SaveState);
                effects.push(Effect::PublishSummary);
                effects.push(Effect::Schedule(self.lifecycle.next_deadline(settings)));
                effects
            }
            Err(err) => vec![Effect::Reply(lifecycle_error(&err))],
        }
    }

    /// A message from a socket. A resent client id is acknowledged before its files are
    /// looked at, so a resend neither stores a second message nor references a file twice.
    #[allow(clippy::too_many_arguments)]
    fn send(
        &mut self,
        sender: &Author,
        client_id: String,
        text: &str,
        file_ids: &[String],
        stored: impl Stored,
        settings: &LifecycleSettings,
        now: Millis,
    ) -> Vec<Effect> {
        let text = match validate_message(&client_id, text, file_ids) {
            Ok(t) => t,
            Err(err) => return vec![Effect::Reply(ServerFrame::error(&err, Some(client_id)))],
        };
        if let Some(seq) = stored.seq_of(&client_id) {
            return vec![Effect::Reply(ServerFrame::Ack {
                client_id,
                seq,
                duplicate: true,
            })];
        }
        let attachments: Option<Vec<Attachment>> =
            file_ids.iter().map(|id| stored.unsent_file(id)).collect();
        let Some(attachments) = attachments else {
            let err = Error::Unknown("attachment (upload it first; each file is sent once)");
            return vec![Effect::Reply(ServerFrame::error(&err, Some(client_id)))];
        };
        let (actor, source) = actor_of(sender);
        self.post(
            sender,
            actor,
            source,
            client_id,
            text,
            (Vec::new(), attachments),
            settings,
            now,
        )
    }

    /// A message a workflow posts. Clients see it from the platform (author kind `system`,
    /// id and name of the workflow); the lifecycle attributes it to the workflow (source
    /// `workflow`), so it never counts as an agent's response. `buttons` are quick replies.
    pub fn workflow_message(
        &mut self,
        workflow_id: &str,
        workflow_name: &str,
        text: &str,
        buttons: Vec<QuickReply>,
        settings: &LifecycleSettings,
        now: Millis,
    ) -> Vec<Effect> {
        let author = Author {
            kind: AuthorKind::System,
            id: workflow_id.to_owned(),
            name: workflow_name.to_owned(),
        };
        let text: String = text.trim().chars().take(MAX_TEXT_CHARS).collect();
        if text.is_empty() {
            return Vec::new();
        }
        let client_id = format!("wf-{}", self.last_seq + 1);
        let actor = Actor::Workflow {
            id: workflow_id.to_owned(),
        };
        self.post(
            &author,
            actor,
            Source::Workflow,
            client_id,
            &text,
            (buttons, Vec::new()),
            settings,
            now,
        )
    }

    /// A lifecycle change a workflow makes (source `workflow`). The events are returned as
    /// well as recorded, so the caller can offer them to other workflows.
    pub fn workflow_command(
        &mut self,
        workflow_id: &str,
        action: Action,
        settings: &LifecycleSettings,
        now: Millis,
    ) -> Result<(Vec<Effect>, Vec<ActivityEvent>), LifecycleError> {
        let actor = Actor::Workflow {
            id: workflow_id.to_owned(),
        };
        self.command_by(actor, Source::Workflow, action, settings, now)
    }

    /// A lifecycle change through the REST API (source `api`), by the key `key_id`.
    pub fn api_command(
        &mut self,
        key_id: &str,
        action: Action,
        settings: &LifecycleSettings,
        now: Millis,
    ) -> Result<(Vec<Effect>, Vec<ActivityEvent>), LifecycleError> {
        let actor = Actor::Integration {
            id: key_id.to_owned(),
        };
        self.command_by(actor, Source::Api, action, settings, now)
    }

    /// A message sent through the REST API by the key `key_id`, as `author` (an agent of the
    /// workspace, or the key itself as a system author). The caller checks `client_id` against
    /// what is stored first: a resent id is answered with the seq it already has.
    #[allow(clippy::too_many_arguments)]
    pub fn api_message(
        &mut self,
        key_id: &str,
        author: &Author,
        client_id: &str,
        text: &str,
        settings: &LifecycleSettings,
        now: Millis,
    ) -> Result<Vec<Effect>, Error> {
        let text = crate::limits::validate_send(client_id, text)?;
        let actor = Actor::Integration {
            id: key_id.to_owned(),
        };
        Ok(self.post(
            author,
            actor,
            Source::Api,
            client_id.to_owned(),
            text,
            (Vec::new(), Vec::new()),
            settings,
            now,
        ))
    }

    fn command_by(
        &mut self,
        actor: Actor,
        source: Source,
        action: Action,
        settings: &LifecycleSettings,
        now: Millis,
    ) -> Result<(Vec<Effect>, Vec<ActivityEvent>), LifecycleError> {
        let events = self.lifecycle.apply(action, actor, source, settings, now)?;
        let mut effects = Vec::new();
        self.lifecycle_effects(events.clone(), &mut effects);
        effects.push(Effect::SaveState);
        effects.push(Effect::PublishSummary);
        effects.push(Effect::Schedule(self.lifecycle.next_deadline(settings)));
        Ok((effects, events))
    }

    /// Store and broadcast one message and apply what it means for the lifecycle.
    #[allow(clippy::too_many_arguments)]
    fn post(
        &mut self,
        sender: &Author,
        actor: Actor,
        source: Source,
        client_id: String,
        text: &str,
        (buttons, attachments): (Vec<QuickReply>, Vec<Attachment>),
        settings: &LifecycleSettings,
        now: Millis,
    ) -> Vec<Effect> {
        let message = Message {
            seq: self.last_seq + 1,
            client_id: client_id.clone(),
            author: sender.clone(),
            text: text.to_owned(),
            at: now.max(self.last_at),
            buttons,
            attachments,
        };
        self.last_seq = message.seq;
        self.last_at = message.at;
        self.last_text = preview(&message);
        self.last_author = sender.kind;
        let command = match sender.kind {
            AuthorKind::Contact => {
                self.last_contact_seq = message.seq;
                self.unread += 1;
                Command::ContactMessage
            }
            AuthorKind::Agent | AuthorKind::System => {
                if sender.kind == AuthorKind::Agent {
                    self.unread = 0;
                }
                Command::AgentMessage
            }
        };
        // Messages count for the period (first response, reopening a closed conversation by
        // writing to it). A message is never refused for lifecycle reasons.
        let events = self
            .lifecycle
            .apply(command, actor, source, settings, message.at)
            .unwrap_or_default();
        if self.lifecycle.current.is_open() {
            self.lifecycle.current.attachments += message.attachments.len() as u32;
        }
        let seq = message.seq;
        let mut effects = vec![
            Effect::Store(message.clone()),
            Effect::Reply(ServerFrame::Ack {
                client_id,
                seq,
                duplicate: false,
            }),
            Effect::Broadcast {
                frame: ServerFrame::Message { message },
                include_sender: true,
            },
        ];
        self.lifecycle_effects(events, &mut effects);
        effects.push(Effect::PublishSummary);
        effects.push(Effect::Schedule(self.lifecycle.next_deadline(settings)));
        effects
    }

    /// A read mark that moved is kept and told to the other sockets (a repeated or older one
    /// costs nothing); an agent who read past the last contact message clears the unread count.
    fn read(&mut self, sender: &Author, seq: Seq) -> Vec<Effect> {
        let seq = seq.min(self.last_seq);
        let moved = self.read.advance(sender.kind, seq);
        let cleared =
            sender.kind == AuthorKind::Agent && seq >= self.last_contact_seq && self.unread > 0;
        if cleared {
            self.unread = 0;
        }
        let mut effects = Vec::new();
        if moved || cleared {
            effects.push(Effect::SaveState);
        }
        if moved {
            effects.push(Effect::Broadcast {
                frame: ServerFrame::Read {
                    author_kind: sender.kind,
                    seq,
                },
                include_sender: false,
            });
        }
        if cleared {
            effects.push(Effect::PublishSummary);
        }
        effects
    }

    pub fn summary(&self) -> ConversationSummary {
        ConversationSummary {
            id: self.id.clone(),
            contact_id: self.contact.id.clone(),
            contact_name: self.contact.name.clone(),
            status: self.status(),
            last_seq: self.last_seq,
            last_text: self.last_text.clone(),
            last_author: self.last_author,
            last_at: self.last_at,
            unread: self.unread,
            created_at: self.created_at,
            assignee_id: self.lifecycle.assignee().map(str::to_owned),
            team_id: self.lifecycle.team().map(str::to_owned),
            bot_paused: self.lifecycle.bot_paused(),
            period: self.lifecycle.current.number,
        }
    }
}

/// The inbox line's text of a message: its text, or for files alone a paperclip and the
/// first file's name (a name, not a word, so every language reads it).
fn preview(message: &Message) -> String {
    match message.attachments.first() {
        Some(file) if message.text.is_empty() => {
            let more = message.attachments.len() - 1;
            let mut line = format!("\u{1F4CE} {}", file.name);
            if more > 0 {
                line.push_str(&format!(" +{more}"));
            }
            line.chars().take(PREVIEW_CHARS).collect()
        }
        _ => message.text.chars().take(PREVIEW_CHARS).collect(),
    }
}

/// Split a replay into `synced` frames of at most [`crate::limits::SYNC_PAGE`] messages.
/// `messages` are those after the requested seq, in order, already capped at one page plus one
/// (the extra one only signals that more exist).
pub fn synced_page(mut messages: Vec<Message>, last_seq: Seq) -> ServerFrame {
    let more = messages.len() > crate::limits::SYNC_PAGE;
    messages.truncate(crate::limits::SYNC_PAGE);
    ServerFrame::Synced {
        messages,
        last_seq,
        more,
    }
}
