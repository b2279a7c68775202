//! A `<select>` of an enum's values: the same option markup and parse-then-set on every form.

use leptos::prelude::*;

use super::choice::Choice;

/// `options` narrows [`Choice::ALL`]; attributes given with `attr:` land on the `<select>`.
#[component]
pub fn EnumSelect<T: Choice>(
    /// The select's accessible name.
    #[prop(into)]
    label: Signal<String>,
    #[prop(into)] value: Signal<T>,
    #[prop(into)] on_pick: Callback<T>,
    #[prop(optional)] options: Option<&'static [T]>,
) -> impl IntoView {
    let options = options.unwrap_or(T::ALL).iter().map(|&c| {
        view! {
            <option value=c.name() prop:selected=move || value.get() == c>
                {c.label()}
            </option>
        }
    });
    view! {
        <select
            aria-label=move || label.get()
            on:change=move |ev| {
                if let Some(c) = T::parse(&event_target_value(&ev)) {
                    on_pick.run(c);
                }
            }
        >
            {options.collect_view()}
        </select>
    }
}
