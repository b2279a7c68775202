//! The chat widget's settings. (Being built.)

use leptos::prelude::*;

#[component]
pub fn WidgetSettingsPage() -> impl IntoView {
    view! {
        <section class="settings-section" data-charla="settings-widget">
            <h2>"Chat widget"</h2>
        </section>
    }
}
