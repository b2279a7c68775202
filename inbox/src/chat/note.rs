//! An internal note in the log: styled apart from messages (agents only ever see it; the
//! visitor never does), with who wrote it and whom it mentioned. The text is a text node.

use charla_shared::lifecycle::{ActivityEvent, ActivityKind};
use leptos::prelude::*;

use super::activity;
use crate::api::ApiError;
use crate::dates;
use crate::i18n::{tr, Texts};
use crate::shell::workspace::Workspace;

/// What the composer says when a note was refused: the mentioned agents who cannot see the
/// conversation by name, else the server's reason.
pub fn refusal(t: &Texts, err: &ApiError) -> String {
    let hidden: Vec<&str> = err
        .details()
        .iter()
        .filter(|d| d["reason"] == "cannot_see_conversation")
        .filter_map(|d| d["name"].as_str())
        .collect();
    if hidden.is_empty() {
        t.error(err)
    } else {
        t.cannot_see(&hidden)
    }
}

#[component]
pub fn NoteCard(event: ActivityEvent, agent_name: Callback<String, String>) -> impl IntoView {
    let ActivityKind::Comment { text, mentions } = event.kind else {
        return ().into_any();
    };
    let ws = expect_context::<Workspace>();
    let author = activity::actor(
        crate::i18n::tr_untracked(),
        &event.actor,
        &activity::Names {
            agent: &|id| agent_name.run(id.to_owned()),
            team: &|id| id.to_owned(),
            workflow: &|id| ws.workflow_name(id).unwrap_or_else(|| id.to_owned()),
        },
    );
    let mentioned = (!mentions.is_empty()).then(|| {
        let names: Vec<String> = mentions.into_iter().map(|m| m.name).collect();
        view! {
            <span data-charla="note-mentions">{move || tr().mentioned(&names.join(", "))}</span>
        }
    });
    let at = event.at;
    view! {
        <div class="note" data-charla="note">
            <div class="note-head">
                <strong>{move || tr().internal_note}</strong>
                " · "
                <span data-charla="note-author">{author}</span>
                " · "
                <time datetime=dates::iso_date(at) title=dates::full_date(at)>
                    {dates::clock(at)}
                </time>
                {mentioned}
            </div>
            <div class="note-text" data-charla="note-text">{text}</div>
        </div>
    }
    .into_any()
}
