//! A `<select>` of an enum's values: the same option markup and parse-then-set on every form.

use leptos::prelude::*;

use super::choice::Choice;
use crate::i18n::{lang, Lang};

/// Lists every value of [`Choice::ALL`]. The markup is built by one non-generic component, so
/// each enum adds only its mapping to the bundle.
#[component]
pub fn EnumSelect<T: Choice>(
    /// The select's accessible name.
    #[prop(into)]
    label: Signal<String>,
    #[prop(into)] value: Signal<T>,
    #[prop(into)] on_pick: Callback<T>,
) -> impl IntoView {
    let options = T::ALL
        .iter()
        .map(|c| (c.name(), [c.label(Lang::En), c.label(Lang::Es)]))
        .collect();
    let selected = Signal::derive(move || value.get().name());
    let on_name = Callback::new(move |name: String| {
        if let Some(c) = T::parse(&name) {
            on_pick.run(c);
        }
    });
    view! { <NamedSelect label options selected on_name /> }
}

/// Options as `(name, [English label, Spanish label])`; `selected` is the current value's name.
#[component]
fn NamedSelect(
    label: Signal<String>,
    options: Vec<(&'static str, [&'static str; 2])>,
    selected: Signal<&'static str>,
    on_name: Callback<String>,
) -> impl IntoView {
    let options = options.into_iter().map(|(name, text)| {
        view! {
            <option value=name prop:selected=move || selected.get() == name>
                {move || if lang() == Lang::Es { text[1] } else { text[0] }}
            </option>
        }
    });
    view! {
        <select aria-label=move || label.get() on:change=move |ev| on_name.run(event_target_value(&ev))>
            {options.collect_view()}
        </select>
    }
}
