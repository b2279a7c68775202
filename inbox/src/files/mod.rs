//! The workspace's Files page (respond.io's "Archivos"): every file sent in the conversations
//! the agent may see (the edge applies their access level), newest first, a page at a time,
//! filtered by dates, type, contact or conversation; each row opens its file (an image in a
//! new tab, anything else as a download) or its conversation. A split part: its code and
//! strings download the first time the page opens.

pub mod i18n;
pub mod model;

use charla_shared::file_index::{FileQuery, ListedFile};
use charla_shared::files::FileGroup;
use charla_shared::protocol::AuthorKind;
use i18n::{ft, FileTexts};
use leptos::prelude::*;
use leptos::task::spawn_local;
use model::{Filters, GROUPS};

use crate::api;
use crate::browser;
use crate::dates;
use crate::i18n::lang;
use crate::kit::attachment::{human_size, open_file, type_label};
use crate::shell::workspace::Workspace;

fn group_label(t: &FileTexts, g: FileGroup) -> &'static str {
    match g {
        FileGroup::Image => t.kind_image,
        FileGroup::Pdf => t.kind_pdf,
        FileGroup::Office => t.kind_office,
        FileGroup::Text => t.kind_text,
        FileGroup::Archive => t.kind_archive,
        FileGroup::Media => t.kind_media,
    }
}

fn group_value(g: FileGroup) -> &'static str {
    charla_shared::file_index::group_name(g)
}

/// What the page shows: the rows so far and the cursor of the next page.
#[derive(Clone, Default)]
struct Listing {
    rows: Vec<ListedFile>,
    next: Option<String>,
}

#[component]
pub fn FilesPage() -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let filters = RwSignal::new(Filters::default());
    let listing = RwSignal::new(Listing::default());
    let loading = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    // Bumped per first-page request, so an older answer never replaces a newer one.
    let generation = StoredValue::new(0u32);

    let fetch = move |query: FileQuery, append: bool| {
        let asked = generation.get_value();
        loading.set(true);
        error.set(None);
        spawn_local(async move {
            let answer = api::files(&ws.token(), &query).await;
            if generation.try_get_value() != Some(asked) {
                return;
            }
            loading.set(false);
            match answer {
                Ok(page) => listing.update(|l| {
                    if !append {
                        l.rows.clear();
                    }
                    l.rows.extend(page.files);
                    l.next = page.next;
                }),
                Err(e) => error.set(Some(ws.failure(e))),
            }
        });
    };
    Effect::new(move |_| {
        let query = filters.with(|f| f.query(browser::local_midnight));
        generation.update_value(|g| *g += 1);
        fetch(query, false);
    });
    let load_more = move |_| {
        let Some(cursor) = listing.with_untracked(|l| l.next.clone()) else {
            return;
        };
        let mut query = filters.with_untracked(|f| f.query(browser::local_midnight));
        query.cursor = Some(cursor);
        fetch(query, true);
    };

    let date_input = move |label: fn(&FileTexts) -> &'static str,
                           charla: &'static str,
                           get: fn(&Filters) -> String,
                           set: fn(&mut Filters, String)| {
        view! {
            <label>
                <span>{move || label(ft())}</span>
                <input
                    type="date"
                    data-charla=charla
                    prop:value=move || filters.with(get)
                    on:change=move |ev| {
                        let v = event_target_value(&ev);
                        filters.update(|f| set(f, v));
                    }
                />
            </label>
        }
    };
    let chosen = move |label: fn(&FileTexts) -> &'static str,
                       charla: &'static str,
                       get: fn(&Filters) -> Option<(String, String)>,
                       clear: fn(&mut Filters)| {
        view! {
            <Show when=move || filters.with(|f| get(f).is_some())>
                <span class="tag" data-charla=charla>
                    <span>
                        {move || label(ft())} ": "
                        {move || filters.with(|f| get(f).map(|(_, name)| name).unwrap_or_default())}
                    </span>
                    <button
                        type="button"
                        class="link"
                        on:click=move |_| filters.update(clear)
                    >
                        {move || ft().clear_filter}
                    </button>
                </span>
            </Show>
        }
    };

    view! {
        <section class="page files-page" data-charla="files-page">
            <h1>{move || ft().title}</h1>
            <p class="hint">{move || ft().intro}</p>
            <form
                class="report-filters files-filters"
                role="search"
                aria-label=move || ft().filters
                on:submit=|ev| ev.prevent_default()
            >
                {date_input(|t| t.from_date, "files-from", |f| f.from.clone(), |f, v| f.from = v)}
                {date_input(|t| t.to_date, "files-to", |f| f.to.clone(), |f, v| f.to = v)}
                <label>
                    <span>{move || ft().kind}</span>
                    <select
                        data-charla="files-type"
                        on:change=move |ev| {
                            let v = event_target_value(&ev);
                            let group = GROUPS.into_iter().find(|g| group_value(*g) == v);
                            filters.update(|f| f.group = group);
                        }
                    >
                        <option value="" selected=move || filters.with(|f| f.group.is_none())>
                            {move || ft().all_kinds}
                        </option>
                        {GROUPS
                            .into_iter()
                            .map(|g| {
                                view! {
                                    <option
                                        value=group_value(g)
                                        selected=move || filters.with(|f| f.group == Some(g))
                                    >
                                        {move || group_label(ft(), g)}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </label>
                {chosen(|t| t.contact_filter, "files-contact-filter", |f| f.contact.clone(), |f| f.contact = None)}
                {chosen(
                    |t| t.conversation_filter,
                    "files-conversation-filter",
                    |f| f.conversation.clone(),
                    |f| f.conversation = None,
                )}
            </form>
            <Show when=move || error.with(Option::is_some)>
                <p class="form-error" role="alert" data-charla="files-error">
                    {move || error.get().unwrap_or_default()}
                </p>
            </Show>
            <Show
                when=move || listing.with(|l| !l.rows.is_empty())
                fallback=move || {
                    view! {
                        <p class="notice-plain" role="status" data-charla="files-empty">
                            {move || if loading.get() { ft().loading } else { ft().none }}
                        </p>
                    }
                }
            >
                <table class="report-table files-table" data-charla="files-table">
                    <thead>
                        <tr>
                            <th scope="col">{move || ft().col_name}</th>
                            <th scope="col">{move || ft().col_kind}</th>
                            <th scope="col">{move || ft().col_size}</th>
                            <th scope="col">{move || ft().col_sender}</th>
                            <th scope="col">{move || ft().col_conversation}</th>
                            <th scope="col">{move || ft().col_date}</th>
                            <th scope="col">{move || ft().col_actions}</th>
                        </tr>
                    </thead>
                    <tbody>
                        <For
                            each=move || listing.get().rows
                            key=|row| row.sent.file.id.clone()
                            children=move |row| view! { <FileRow row filters /> }
                        />
                    </tbody>
                </table>
            </Show>
            <Show when=move || listing.with(|l| l.next.is_some())>
                <button
                    type="button"
                    data-charla="files-more"
                    disabled=move || loading.get()
                    on:click=load_more
                >
                    {move || ft().load_more}
                </button>
            </Show>
        </section>
    }
}

#[component]
fn FileRow(row: ListedFile, filters: RwSignal<Filters>) -> impl IntoView {
    let sent = row.sent;
    let file = sent.file.clone();
    let error = RwSignal::new(None::<String>);
    let visitor = sent.sender == AuthorKind::Contact;
    let sender_name = sent.sender_name.clone();
    let contact = (sent.contact_id.clone(), row.contact_name.clone());
    let conversation = (sent.conversation_id.clone(), row.contact_name.clone());
    let ws = expect_context::<Workspace>();
    let target = StoredValue::new((sent.conversation_id.clone(), file.clone()));
    let open = move |_| {
        let (conversation_id, file) = target.get_value();
        spawn_local(async move {
            if let Err(why) = open_file(ws, &conversation_id, &file).await {
                error.try_set(Some(why));
            }
        });
    };
    let verb = move || {
        if target.with_value(|(_, f)| f.is_inline_image()) {
            ft().open
        } else {
            ft().download
        }
    };
    let name = file.name.clone();
    let size = file.size;
    view! {
        <tr data-charla="file-row" data-file=file.id.clone() data-conversation=sent.conversation_id.clone()>
            <td data-charla="file-name">{file.name.clone()}</td>
            <td>{type_label(&file.content_type)}</td>
            <td>{move || human_size(size, lang())}</td>
            <td data-charla="file-sender">{move || ft().sender(visitor, &sender_name)}</td>
            <td>
                <a href=format!("#/c/{}", sent.conversation_id) data-charla="file-conversation">
                    {row.contact_name.clone()}
                </a>
                " "
                <button
                    type="button"
                    class="link"
                    data-charla="only-contact"
                    on:click={
                        let contact = contact.clone();
                        move |_| filters.update(|f| f.contact = Some(contact.clone()))
                    }
                >
                    {move || ft().only_contact}
                </button>
                " "
                <button
                    type="button"
                    class="link"
                    data-charla="only-conversation"
                    on:click={
                        let conversation = conversation.clone();
                        move |_| filters.update(|f| f.conversation = Some(conversation.clone()))
                    }
                >
                    {move || ft().only_conversation}
                </button>
            </td>
            <td>
                <time datetime=dates::iso_date(sent.sent_at)>{dates::full_date(sent.sent_at)}</time>
            </td>
            <td>
                <button
                    type="button"
                    data-charla="file-open"
                    aria-label=move || ft().open_named(verb(), &name)
                    on:click=open
                >
                    {verb}
                </button>
                <Show when=move || error.with(Option::is_some)>
                    <span class="form-error inline" role="alert">
                        {move || error.get().unwrap_or_default()}
                    </span>
                </Show>
            </td>
        </tr>
    }
}
