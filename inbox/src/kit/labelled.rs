//! A caption and its control in one `<label>`, so clicking the caption focuses the control.

use leptos::prelude::*;

#[component]
pub fn Labelled(
    #[prop(into)] caption: Signal<String>,
    #[prop(optional)] class: Option<&'static str>,
    children: Children,
) -> impl IntoView {
    view! {
        <label class=class>
            <span>{move || caption.get()}</span>
            {children()}
        </label>
    }
}
