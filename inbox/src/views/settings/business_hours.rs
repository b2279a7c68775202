//! Business hours: the weekly schedule, time zone and holidays workflows branch on and the
//! widget's away text follows. (Being built.)

use leptos::prelude::*;

#[component]
pub fn BusinessHoursSettings() -> impl IntoView {
    view! {
        <section class="settings-section" data-charla="settings-hours">
            <h2>"Business hours"</h2>
        </section>
    }
}
