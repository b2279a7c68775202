//! A removable list of short values (categories, tags, holidays) and the row that adds one.

use crate::i18n::{tr, Texts};
use leptos::attr::custom::CustomAttribute;
use leptos::prelude::*;

/// `key` identifies the chip and names it in its remove button; `text` is what it shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Chip {
    pub key: String,
    pub text: String,
}

impl Chip {
    /// A chip that shows its key.
    pub fn plain(key: &str) -> Self {
        Chip {
            key: key.to_owned(),
            text: key.to_owned(),
        }
    }
}

/// Each chip is `<li class="tag" data-charla={name}>` with a "×" labelled "Remove {what} {key}";
/// `key_attr` (e.g. `data-date`) also carries the key for tests and styles.
#[component]
pub fn Chips(
    #[prop(into)] items: Signal<Vec<Chip>>,
    name: &'static str,
    /// What a chip is, as its remove button names it ("tag").
    what: fn(&Texts) -> &'static str,
    #[prop(into)] on_remove: Callback<String>,
    #[prop(optional)] key_attr: Option<&'static str>,
) -> impl IntoView {
    view! {
        <ul class="tags">
            <For
                each=move || items.get()
                key=|c| c.key.clone()
                children=move |c| {
                    let remove = c.key.clone();
                    let label_key = c.key.clone();
                    let chip = view! {
                        <li class="tag" data-charla=name>
                            <span>{c.text}</span>
                            <button
                                type="button"
                                class="tag-remove"
                                aria-label=move || tr().remove_item(what(tr()), &label_key)
                                on:click=move |_| on_remove.run(remove.clone())
                            >
                                "×"
                            </button>
                        </li>
                    };
                    chip.attr(key_attr.unwrap_or("data-key"), key_attr.map(|_| c.key))
                }
            />
        </ul>
    }
}

/// The inputs (children) of an add row and its button. Each input should also add on Enter
/// ([`super::keys::on_enter`]) rather than submit the surrounding form.
#[component]
pub fn AddRow(
    #[prop(into)] label: Signal<String>,
    #[prop(into)] on_add: Callback<()>,
    children: Children,
) -> impl IntoView {
    view! {
        <div class="add-row">
            {children()}
            <button type="button" class="small" on:click=move |_| on_add.run(())>
                {move || label.get()}
            </button>
        </div>
    }
}
