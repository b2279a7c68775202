use std::time::Duration;

use charla_shared::basic::ConversationStatus;
use charla_shared::lifecycle::{Action, ActivityKind};
use charla_shared::limits::validate_send;
use charla_shared::protocol::{AuthorKind, ClientFrame, Role, ServerFrame};
use leptos::ev::DragEvent;
use leptos::html::Div;
use leptos::prelude::*;
use send_wrapper::SendWrapper;

use super::thread::{Entry, Thread};
use crate::browser;
use crate::chat::composer::file_list;
use crate::chat::composer::Composer;
use crate::chat::contact_panel::ContactPanel;
use crate::chat::conversation_files::ConversationFiles;
use crate::chat::delete_dialog::DeleteConversation;
use crate::chat::file_tray::FileTray;
use crate::chat::lifecycle::{ActivityLine, CloseDialog, LifecycleActions, LifecycleSummary};
use crate::chat::message::{MessageBubble, OutgoingBubble};
use crate::chat::note::NoteCard;
use crate::chat::search::Found;
use crate::chat::snippet_picker::OpenContact;
use crate::i18n::{tr, tr_untracked};
use crate::shell::notifier::Notifier;
use crate::shell::workspace::Workspace;
use crate::socket::{Socket, SocketEvent, Status};

/// A visitor's typing indicator is dropped if no new `typing` frame refreshes it in time
/// (their tab may have closed mid-sentence).
const TYPING_SHOWN_FOR: Duration = Duration::from_secs(6);
/// Within this many pixels of the bottom, new messages keep the log scrolled down.
const STICKY_BOTTOM_PX: i32 = 80;
/// Close code of a conversation socket whose agent lost access to it (assigned to someone
/// else while their access is "own and unassigned", or their access was narrowed).
const CLOSE_FORBIDDEN: u16 = 4403;
/// Close code of a conversation socket whose conversation an owner deleted.
const CLOSE_DELETED: u16 = 4404;

/// Whether a drag carries files (not text or a link being dragged around the page).
fn drags_files(ev: &DragEvent) -> bool {
    ev.data_transfer()
        .is_some_and(|d| d.types().includes(&"Files".into(), 0))
}

/// Right column: one conversation, live over its own socket.
#[component]
pub fn ConversationView(
    id: String,
    token: String,
    /// From the inbox list; `None` until the list knows this conversation.
    contact_name: Signal<Option<String>>,
    /// The contact behind the visitor, for the contact panel; from the list as well.
    contact_id: Signal<Option<String>>,
    /// The edge took the conversation away from this agent (a `hidden` frame): it went to
    /// someone else and this agent only sees their own and unassigned conversations.
    assigned_elsewhere: Signal<bool>,
    /// Tab visibility: `read` is only sent while the agent can actually see the messages.
    visible: RwSignal<bool>,
    /// Back to the list (narrow screens show one column at a time).
    back: Callback<()>,
    /// The socket was refused: let the shell find out whether the session is still valid.
    check_token: Callback<()>,
    /// The signed-in agent.
    me_id: String,
    me_name: String,
) -> impl IntoView {
    let thread = RwSignal::new(Thread::default());
    // The contact panel loads the contact; the reply box's snippets read it.
    provide_context(OpenContact::default());
    // The edge closed the socket because this agent may no longer see the conversation.
    let forbidden = RwSignal::new(false);
    // An owner deleted it.
    let deleted = RwSignal::new(false);
    // Why this agent can no longer see the conversation: the list said it went to someone
    // else (a `hidden` frame), or the edge closed the socket (reassigned or access changed).
    let hidden_reason = assigned_elsewhere;
    let assigned_elsewhere =
        Signal::derive(move || assigned_elsewhere.get() || forbidden.get() || deleted.get());
    let status = RwSignal::new(Status::Connecting);
    let contact_typing = RwSignal::new(false);
    let typing_timer = StoredValue::new(None::<TimeoutHandle>);

    let show_typing = move |active: bool| {
        if let Some(old) = typing_timer.try_update_value(Option::take).flatten() {
            old.clear();
        }
        contact_typing.set(active);
        if active {
            let hide =
                set_timeout_with_handle(move || contact_typing.set(false), TYPING_SHOWN_FOR).ok();
            typing_timer.set_value(hide);
        }
    };

    let path = format!(
        "/v1/inbox/conversations/{}/ws",
        String::from(js_sys::encode_uri_component(&id))
    );
    let socket = Socket::open(&path, &token, status, move |socket, event| match event {
        SocketEvent::Text(text) => {
            let frame = match serde_json::from_str::<ServerFrame>(&text) {
                Ok(frame) => frame,
                Err(e) => return leptos::logging::warn!("conversation: unreadable frame: {e}"),
            };
            match &frame {
                ServerFrame::Typing { author, active } if author.kind == AuthorKind::Contact => {
                    show_typing(*active);
                }
                ServerFrame::Message { message } if message.author.kind == AuthorKind::Contact => {
                    show_typing(false);
                }
                _ => {}
            }
            let replies = thread.try_update(|t| t.receive(frame)).unwrap_or_default();
            for reply in &replies {
                socket.send(reply);
            }
        }
        SocketEvent::Closed { refused, code } => {
            thread.update(Thread::disconnected);
            show_typing(false);
            if code == CLOSE_FORBIDDEN {
                // Reconnecting would only be refused: the conversation went to someone else.
                socket.close();
                forbidden.set(true);
            } else if code == CLOSE_DELETED {
                socket.close();
                deleted.set(true);
            } else if refused {
                check_token.run(());
            }
        }
        SocketEvent::Opened => {}
    });
    let socket = StoredValue::new_local(socket);
    let closer = SendWrapper::new(socket.get_value());
    on_cleanup(move || {
        closer.take().close();
        if let Some(timer) = typing_timer.try_update_value(Option::take).flatten() {
            timer.clear();
        }
    });

    let tray = FileTray::new(id.clone());
    on_cleanup(move || tray.clear());
    let send = Callback::new(move |(text, files): (String, Vec<String>)| {
        let client_id = browser::new_client_id();
        // With files the text may be blank; whatever text there is follows the usual rules.
        let text = if files.is_empty() || !text.trim().is_empty() {
            validate_send(&client_id, &text)
                .map_err(|e| tr_untracked().code(e.code()).to_owned())?
                .to_owned()
        } else {
            String::new()
        };
        let queued = thread.try_update(|t| t.send_files(client_id, text, files));
        if let Some(frame) = queued.flatten() {
            // If this fails the socket is going down; the next `hello` resends it.
            socket.with_value(|s| s.send(&frame));
        }
        Ok(())
    });
    let typing = Callback::new(move |active: bool| {
        if thread.with_untracked(Thread::is_live) {
            socket.with_value(|s| s.send(&ClientFrame::Typing { active }));
        }
    });
    let discard = Callback::new(move |client_id: String| thread.update(|t| t.discard(&client_id)));

    // Reading the conversation is what clears its unread badge in everyone's inbox.
    Effect::new(move |_| {
        if !visible.get() {
            return;
        }
        if let Some(seq) = thread.with(Thread::unread_through) {
            if socket.with_value(|s| s.send(&ClientFrame::Read { seq })) {
                thread.update(|t| t.read_sent(seq));
            }
        }
    });

    let notifier = use_context::<Notifier>();
    let own_id = id.clone();
    let me_for_act = me_id.clone();
    let act = Callback::new(move |action: Action| {
        if let (Some(n), Action::Assign { agent_id, .. }) = (notifier, &action) {
            if *agent_id == me_for_act {
                n.own_assignment(&own_id);
            }
        }
        if let Some(frame) = thread.try_update(|t| t.act(action)).flatten() {
            // If this fails the socket is going down; the agent sees the outcome on reconnect.
            socket.with_value(|s| s.send(&frame));
        }
    });
    let ws = expect_context::<Workspace>();
    // The agents list knows everyone; a name seen on a message covers someone not in it
    // (yet), and the id is the last resort.
    let agent_name = Callback::new({
        let me_id = me_id.clone();
        move |id: String| {
            if id == me_id {
                return me_name.clone();
            }
            ws.agent_name(&id)
                .or_else(|| thread.with_untracked(|t| t.agent_name(&id).map(str::to_owned)))
                .unwrap_or(id)
        }
    });

    let lifecycle = Memo::new(move |_| thread.with(|t| t.lifecycle().cloned()));
    let conversation_status = Memo::new(move |_| thread.with(Thread::status));
    let busy = Memo::new(move |_| thread.with(Thread::action_pending));
    let close_error = Memo::new(move |_| {
        let refusal = thread.with(Thread::close_error);
        refusal.map(|r| tr().close_refusal(r).to_owned())
    });
    let dialog_open = RwSignal::new(false);
    let open_close_dialog = Callback::new(move |()| {
        thread.update(Thread::clear_close_error);
        // The categories may have changed since the inbox loaded them.
        ws.reload_closing();
        dialog_open.set(true);
    });
    let cancel_close = Callback::new(move |()| dialog_open.set(false));
    // The close went through (or someone else closed it): the dialog has nothing left to do.
    Effect::new(move |_| {
        if conversation_status.get() == Some(ConversationStatus::Closed) {
            dialog_open.set(false);
        }
    });

    let entries = Memo::new(move |_| thread.with(Thread::entries));
    let files = Memo::new(move |_| thread.with(Thread::files));
    let dragging = RwSignal::new(false);
    let on_drag = move |ev: DragEvent| {
        if drags_files(&ev) && !assigned_elsewhere.get_untracked() {
            // Without this the browser would open the file instead of letting it drop here.
            ev.prevent_default();
            dragging.set(true);
        }
    };
    let on_drop = move |ev: DragEvent| {
        dragging.set(false);
        if !drags_files(&ev) || assigned_elsewhere.get_untracked() {
            return;
        }
        ev.prevent_default();
        let dropped = ev
            .data_transfer()
            .and_then(|d| d.files())
            .map(|list| file_list(&list))
            .unwrap_or_default();
        tray.add(dropped);
    };
    let outbox = Memo::new(move |_| thread.with(Thread::outbox));
    let notice = Memo::new(move |_| {
        let refusal = thread.with(Thread::notice);
        refusal.map(|r| tr().refusal(r).to_owned())
    });

    let log = NodeRef::<Div>::new();
    let stick_to_bottom = StoredValue::new(true);
    Effect::new(move |_| {
        entries.track();
        outbox.track();
        contact_typing.track();
        if stick_to_bottom.get_value() {
            if let Some(el) = log.get() {
                request_animation_frame(move || el.set_scroll_top(el.scroll_height()));
            }
        }
    });
    // Opened from a search hit: show that message (once it has arrived), not the bottom.
    if let Some(Found(found)) = use_context::<Found>() {
        let here = id.clone();
        Effect::new(move |_| {
            let Some((conversation, seq)) = found.get() else {
                return;
            };
            let arrived = entries.with(|list| {
                list.iter()
                    .any(|(_, e)| matches!(e, Entry::Message(m, _) if m.seq == seq))
            });
            if conversation != here || !arrived {
                return;
            }
            found.set(None);
            stick_to_bottom.set_value(false);
            request_animation_frame(move || {
                let selector = format!(r#"[data-charla="messages"] [data-seq="{seq}"]"#);
                let target = browser::window()
                    .document()
                    .and_then(|d| d.query_selector(&selector).ok().flatten());
                if let Some(el) = target {
                    el.scroll_into_view();
                    let _ = el.set_attribute("data-found", "true");
                }
            });
        });
    }
    let on_scroll = move |_| {
        if let Some(el) = log.get_untracked() {
            let from_bottom = el.scroll_height() - el.scroll_top() - el.client_height();
            stick_to_bottom.set_value(from_bottom < STICKY_BOTTOM_PX);
        }
    };

    let title = move || {
        contact_name
            .get()
            .unwrap_or_else(|| tr().conversation.to_owned())
    };
    let reconnecting = move || status.get() != Status::Online && !assigned_elsewhere.get();
    // Nothing more can be seen or done here: stop reconnecting to a conversation the edge
    // now refuses.
    Effect::new(move |_| {
        if assigned_elsewhere.get() {
            socket.with_value(Socket::close);
            dialog_open.set(false);
        }
    });
    let contact_open = RwSignal::new(browser::is_wide());
    let run_target = id.clone();
    let delete_target = id.clone();
    let bubble_target = id.clone();
    let files_target = StoredValue::new(id.clone());
    let (note_target, note_token) = (id.clone(), token.clone());
    let noted = Callback::new(move |event| {
        thread.update(|t| {
            t.receive(ServerFrame::Activity { event });
        });
    });

    view! {
        <div class="conversation-layout">
            <article
                class="conversation-view"
                data-charla="conversation-view"
                data-id=id.clone()
                data-dragging=move || dragging.get().to_string()
                on:dragenter=on_drag
                on:dragover=on_drag
                on:dragleave=move |_| dragging.set(false)
                on:drop=on_drop
            >
                <header class="conversation-head">
                    <button
                        type="button"
                        class="back"
                        aria-label=move || tr().back_to_conversations
                        on:click=move |_| back.run(())
                    >
                        "←"
                    </button>
                    <h2 data-charla="contact-name">{title}</h2>
                    <LifecycleSummary
                        status=conversation_status
                        lifecycle
                        me_id=me_id.clone()
                        agent_name
                    />
                    <Show when=reconnecting>
                        <span class="reconnecting" data-charla="conversation-status">
                            {move || status.get().label(tr())}
                        </span>
                    </Show>
                    <Show when=move || !assigned_elsewhere.get()>
                        <LifecycleActions
                            conversation_id=run_target.clone()
                            lifecycle
                            busy
                            me_id=me_id.clone()
                            act
                            open_close_dialog
                        />
                    </Show>
                    <Show when=move || ws.role() == Role::Owner && !assigned_elsewhere.get()>
                        <DeleteConversation conversation_id=delete_target.clone() deleted=back />
                    </Show>
                    <button
                        type="button"
                        class="contact-toggle"
                        data-charla="contact-toggle"
                        aria-expanded=move || contact_open.get().to_string()
                        aria-controls="contact-panel"
                        on:click=move |_| contact_open.update(|open| *open = !*open)
                    >
                        {move || tr().contact_details}
                    </button>
                </header>
                <Show when=move || assigned_elsewhere.get()>
                    <p class="notice" role="alert" data-charla="assigned-elsewhere">
                        <span>
                            {move || {
                                if deleted.get() {
                                    tr().conversation_deleted
                                } else if hidden_reason.get() {
                                    tr().reassigned_away
                                } else {
                                    tr().no_longer_visible
                                }
                            }}
                        </span>
                        <button type="button" class="link" on:click=move |_| back.run(())>
                            {move || tr().back_to_conversations}
                        </button>
                    </p>
                </Show>
                <Show when=move || dialog_open.get()>
                    <CloseDialog error=close_error busy act cancel=cancel_close />
                </Show>
                <div
                    class="messages"
                    data-charla="messages"
                    role="log"
                    // A long thread scrolls: keyboard users reach it too.
                    tabindex="0"
                    aria-label=move || tr().messages_with(&title())
                    node_ref=log
                    on:scroll=on_scroll
                >
                    <For
                        each=move || entries.get()
                        key=|(key, _)| key.clone()
                        children=move |(_, entry)| match entry {
                            Entry::Message(message, seen) => {
                                view! { <MessageBubble message conversation_id=bubble_target.clone() seen /> }
                                    .into_any()
                            }
                            Entry::Activity(event) if matches!(
                                event.kind,
                                ActivityKind::Comment { .. }
                            ) => view! { <NoteCard event agent_name /> }.into_any(),
                            Entry::Activity(event) => {
                                view! { <ActivityLine event agent_name /> }.into_any()
                            }
                        }
                    />
                    <For
                        each=move || outbox.get()
                        key=|o| (o.client_id.clone(), format!("{:?}", o.delivery))
                        children=move |outgoing| view! { <OutgoingBubble outgoing discard /> }
                    />
                </div>
                <div class="under-log" aria-live="polite">
                    <Show when=move || contact_typing.get()>
                        <p class="typing" data-charla="typing">
                            {move || tr().visitor_typing}
                        </p>
                    </Show>
                </div>
                <Show when=move || notice.with(Option::is_some) && !assigned_elsewhere.get()>
                    <p class="notice" role="alert" data-charla="error">
                        <span>{move || notice.get().unwrap_or_default()}</span>
                        <button
                            type="button"
                            class="link"
                            aria-label=move || tr().dismiss_error
                            on:click=move |_| thread.update(Thread::dismiss_notice)
                        >
                            {move || tr().dismiss}
                        </button>
                    </p>
                </Show>
                <Show when=move || !assigned_elsewhere.get()>
                    <Composer
                        send
                        tray
                        typing
                        conversation_id=note_target.clone()
                        token=note_token.clone()
                        noted
                    />
                </Show>
            </article>
            <Show when=move || contact_open.get()>
                <ContactPanel contact_id>
                    <ConversationFiles conversation_id=files_target.get_value() files />
                </ContactPanel>
            </Show>
        </div>
    }
}
