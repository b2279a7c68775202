//! The contact beside the conversation: name, email, phone, custom fields and tags, edited
//! locally and saved as one `PATCH` of what changed ([`crate::chat::contact_form`]). The edge
//! validates email and phone; its message is shown in the panel.

use charla_shared::contact::Contact;
use charla_shared::ErrorCode;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{self, ApiError};
use crate::chat::contact_form::ContactForm;
use crate::chat::snippet_picker::OpenContact;
use crate::i18n::{tr, tr_untracked, Texts};
use crate::kit::chips::{AddRow, Chip, Chips};
use crate::kit::keys::on_enter;
use crate::kit::save::{save_explained, SaveOutcome, SaveState};
use crate::shell::workspace::Workspace;

#[component]
pub fn ContactPanel(
    /// From the inbox list; `None` until the list knows the conversation.
    contact_id: Signal<Option<String>>,
    /// What the conversation adds below the contact (its files).
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    let ws = expect_context::<Workspace>();
    // Shared with the reply box's snippets when the conversation provides it.
    let stored =
        use_context::<OpenContact>().map_or_else(|| RwSignal::new(None::<Contact>), |c| c.0);
    let form = RwSignal::new(ContactForm::default());
    let load_error = RwSignal::new(None::<String>);
    let state = RwSignal::new(SaveState::Idle);
    let new_key = RwSignal::new(String::new());
    let new_value = RwSignal::new(String::new());
    let new_tag = RwSignal::new(String::new());
    let edit_error = RwSignal::new(None::<String>);

    // Load once per contact id (the list may re-send the same summary many times).
    let id = Memo::new(move |_| contact_id.get());
    Effect::new(move |_| {
        let Some(id) = id.get() else {
            return;
        };
        load_error.set(None);
        spawn_local(async move {
            let result = api::contact(&ws.token(), &id).await;
            // The conversation may have moved on to another contact meanwhile.
            if id_now(contact_id).as_deref() != Some(id.as_str()) {
                return;
            }
            match result {
                Ok(contact) => show(stored, form, contact),
                // Nobody has written anything about this visitor yet.
                Err(e) if e.status() == Some(404) => show(stored, form, Contact::new(id)),
                Err(e) => load_error.set(Some(ws.failure(e))),
            }
        });
    });

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if state.with_untracked(SaveState::is_saving) {
            return;
        }
        let Some(base) = stored.get_untracked() else {
            return;
        };
        let Some(patch) = form.with_untracked(|f| f.patch(&base)) else {
            state.set(SaveState::Saved(tr_untracked().no_changes.to_owned()));
            return;
        };
        let request = async move { api::patch_contact(&ws.token(), &base.id, &patch).await };
        let explain = |e: &ApiError| {
            (e.code() == Some(ErrorCode::BadRequest))
                .then(|| tr_untracked().contact_refused.to_owned())
        };
        save_explained(
            state,
            ws,
            request,
            move |saved| {
                show(stored, form, saved.contact);
                tr_untracked().contact_saved.to_owned()
            },
            explain,
        );
    };
    let add_field = move || {
        let key = new_key.get_untracked();
        let value = new_value.get_untracked();
        match form.try_update(|f| f.set_field(tr_untracked(), &key, &value)) {
            Some(Err(e)) => edit_error.set(Some(e)),
            _ => {
                edit_error.set(None);
                new_key.set(String::new());
                new_value.set(String::new());
            }
        }
    };
    let add_tag = move || {
        let tag = new_tag.get_untracked();
        match form.try_update(|f| f.add_tag(tr_untracked(), &tag)) {
            Some(Err(e)) => edit_error.set(Some(e)),
            _ => {
                edit_error.set(None);
                new_tag.set(String::new());
            }
        }
    };
    let standard = move |label: fn(&Texts) -> &'static str,
                         name: &'static str,
                         kind: &'static str,
                         get: fn(&ContactForm) -> String,
                         set: fn(&mut ContactForm, String)| {
        view! {
            <label>
                <span>{move || label(tr())}</span>
                <input
                    type=kind
                    aria-label=move || tr().contact_field(label(tr()))
                    data-charla=format!("contact-{name}")
                    autocomplete="off"
                    prop:value=move || form.with(get)
                    on:input=move |ev| form.update(|f| set(f, event_target_value(&ev)))
                />
            </label>
        }
    };

    view! {
        <aside
            class="contact-panel"
            id="contact-panel"
            aria-label=move || tr().contact
            data-charla="contact-panel"
        >
            <h3>{move || tr().contact}</h3>
            <Show when=move || load_error.with(Option::is_some)>
                <p class="form-error" role="alert" data-charla="contact-load-error">
                    {move || load_error.get().unwrap_or_default()}
                </p>
            </Show>
            <Show
                when=move || stored.with(Option::is_some)
                fallback=move || {
                    view! {
                        <Show when=move || load_error.with(Option::is_none)>
                            <p class="empty">{move || tr().loading}</p>
                        </Show>
                    }
                }
            >
                <form class="contact-form" novalidate on:submit=submit>
                    {standard(|t| t.name, "name", "text", |f| f.name.clone(), |f, v| f.name = v)}
                    {standard(|t| t.email, "email", "email", |f| f.email.clone(), |f, v| f.email = v)}
                    {standard(|t| t.phone, "phone", "tel", |f| f.phone.clone(), |f, v| f.phone = v)}
                    <fieldset>
                        <legend>{move || tr().fields}</legend>
                        <ul class="contact-fields">
                            <For
                                each=move || form.with(|f| f.fields.keys().cloned().collect::<Vec<_>>())
                                key=String::clone
                                children=move |key| {
                                    let get = key.clone();
                                    let set = key.clone();
                                    let remove = key.clone();
                                    view! {
                                        <li data-charla="contact-field" data-key=key.clone()>
                                            <label>
                                                <span class="field-key">{key.clone()}</span>
                                                <input
                                                    type="text"
                                                    aria-label={let key = key.clone(); move || tr().field_named(&key)}
                                                    prop:value=move || {
                                                        form.with(|f| f.fields.get(&get).cloned().unwrap_or_default())
                                                    }
                                                    on:input=move |ev| {
                                                        let value = event_target_value(&ev);
                                                        form.update(|f| {
                                                            f.fields.insert(set.clone(), value);
                                                        });
                                                    }
                                                />
                                            </label>
                                            <button
                                                type="button"
                                                class="small"
                                                aria-label={let key = key.clone(); move || tr().remove_field(&key)}
                                                on:click=move |_| form.update(|f| f.remove_field(&remove))
                                            >
                                                {move || tr().remove}
                                            </button>
                                        </li>
                                    }
                                }
                            />
                        </ul>
                        // Enter in an "add" box adds, rather than submitting the contact.
                        <AddRow label=move || tr().add_field.to_owned() on_add=move |()| add_field()>
                            <input
                                type="text"
                                aria-label=move || tr().new_field_name
                                placeholder="field_name"
                                autocomplete="off"
                                bind:value=new_key
                                on:keydown=on_enter(add_field)
                            />
                            <input
                                type="text"
                                aria-label=move || tr().new_field_value
                                placeholder=move || tr().value_placeholder
                                autocomplete="off"
                                bind:value=new_value
                                on:keydown=on_enter(add_field)
                            />
                        </AddRow>
                    </fieldset>
                    <fieldset>
                        <legend>{move || tr().tags}</legend>
                        <Chips
                            items=Signal::derive(move || form.with(|f| f.tags.iter().map(|t| Chip::plain(t)).collect()))
                            name="contact-tag"
                            what=|t| t.tag_word
                            on_remove=move |t: String| form.update(|f| f.remove_tag(&t))
                        />
                        <AddRow label=move || tr().add_tag.to_owned() on_add=move |()| add_tag()>
                            <input
                                type="text"
                                aria-label=move || tr().new_tag
                                autocomplete="off"
                                bind:value=new_tag
                                on:keydown=on_enter(add_tag)
                            />
                        </AddRow>
                    </fieldset>
                    <Show when=move || edit_error.with(Option::is_some)>
                        <p class="form-error" role="alert" data-charla="contact-edit-error">
                            {move || edit_error.get().unwrap_or_default()}
                        </p>
                    </Show>
                    <SaveOutcome state name="contact" />
                    <button
                        type="submit"
                        class="primary"
                        aria-busy=move || state.with(SaveState::is_saving).to_string()
                    >
                        {move || tr().save_contact}
                    </button>
                </form>
            </Show>
            {children.map(|c| c())}
        </aside>
    }
}

fn id_now(contact_id: Signal<Option<String>>) -> Option<String> {
    contact_id.try_get_untracked().flatten()
}

fn show(stored: RwSignal<Option<Contact>>, form: RwSignal<ContactForm>, contact: Contact) {
    form.set(ContactForm::from_contact(&contact));
    stored.set(Some(contact));
}
