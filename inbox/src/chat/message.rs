use crate::i18n::tr;
use charla_shared::protocol::{AuthorKind, Message};
use leptos::prelude::*;

use super::thread::{Delivery, Outgoing};
use crate::dates;
use crate::kit::attachment::Attachments;

fn author_attr(kind: AuthorKind) -> &'static str {
    match kind {
        AuthorKind::Contact => "contact",
        AuthorKind::Agent => "agent",
        AuthorKind::System => "system",
    }
}

/// One stored message. The text is a Leptos text node: whatever a visitor typed, markup
/// included, shows literally.
#[component]
pub fn MessageBubble(
    message: Message,
    /// Where its files are (their links are the conversation's).
    conversation_id: String,
    /// The agents' last message the visitor has read.
    #[prop(optional)]
    seen: bool,
) -> impl IntoView {
    let at = message.at;
    let files = (!message.attachments.is_empty())
        .then(|| view! { <Attachments conversation_id files=message.attachments /> });
    view! {
        <div
            class="message"
            data-charla="message"
            data-seq=message.seq.to_string()
            data-author=author_attr(message.author.kind)
        >
            <div class="bubble">
                <span data-charla="text">{message.text}</span>
                {files}
            </div>
            <div class="meta">
                <span data-charla="author">{message.author.name}</span>
                <time data-charla="time" datetime=dates::iso_date(at) title=dates::full_date(at)>
                    {dates::clock(at)}
                </time>
                {seen.then(|| view! { <span class="seen" data-charla="seen">{move || tr().seen}</span> })}
            </div>
        </div>
    }
}

/// A message the agent sent that the conversation has not handed back yet.
#[component]
pub fn OutgoingBubble(
    outgoing: Outgoing,
    /// Removes a refused message from the outbox.
    discard: Callback<String>,
) -> impl IntoView {
    let client_id = outgoing.client_id.clone();
    let (state, note) = match &outgoing.delivery {
        Delivery::Sending => ("sending", None),
        Delivery::Stored(_) => ("sent", None),
        Delivery::Failed(code) => ("failed", Some(*code)),
    };
    let failed = note.map(|reason| {
        view! {
            <div class="send-error" role="alert" data-charla="send-error">
                <span>{move || tr().code(reason)}</span>
                <button
                    type="button"
                    class="link"
                    aria-label=move || tr().discard_message
                    on:click=move |_| discard.run(client_id.clone())
                >
                    {move || tr().discard}
                </button>
            </div>
        }
    });
    let files = outgoing.files;
    let attached = (files > 0).then(|| {
        view! {
            <span class="outgoing-files" data-charla="outgoing-files">
                {move || tr().files_attached(files)}
            </span>
        }
    });
    let status = move || match state {
        "sending" => tr().sending,
        "sent" => tr().sent,
        _ => tr().not_sent,
    };
    view! {
        <div
            class="message"
            data-charla="message"
            data-author="agent"
            data-pending=state
            data-client-id=outgoing.client_id
        >
            <div class="bubble">
                <span data-charla="text">{outgoing.text}</span>
                {attached}
            </div>
            <div class="meta">
                <span data-charla="delivery">{status}</span>
            </div>
            {failed}
        </div>
    }
}
