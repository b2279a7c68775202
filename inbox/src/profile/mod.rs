//! The signed-in agent's own page (every role): their name and password, and what they are
//! told about and how. Their choices are kept by the server, so they follow them to any
//! browser.

mod details;
mod notifications;

use leptos::prelude::*;

use details::YourDetails;
use notifications::NotificationSettings;

#[component]
pub fn ProfilePage() -> impl IntoView {
    view! {
        <main class="settings" aria-labelledby="profile-title" data-charla="profile">
            <div class="settings-head">
                <h1 id="profile-title">"Your profile"</h1>
                <a href="#/" class="back-link">
                    "Back to inbox"
                </a>
            </div>
            <YourDetails />
            <NotificationSettings />
        </main>
    }
}
