//! The signed-in agent's own page (every role): their name and password, what they are told
//! about and how (kept by the server, so it follows them to any browser), and the inbox's
//! language (kept in this browser).

mod details;
mod language;
mod notifications;

use leptos::prelude::*;

use details::YourDetails;
use language::LanguageSettings;
use notifications::NotificationSettings;

use crate::i18n::tr;

#[component]
pub fn ProfilePage() -> impl IntoView {
    view! {
        <main class="settings" aria-labelledby="profile-title" data-charla="profile">
            <div class="settings-head">
                <h1 id="profile-title">{move || tr().your_profile}</h1>
                <a href="#/" class="back-link">
                    {move || tr().back_to_inbox}
                </a>
            </div>
            <YourDetails />
            <LanguageSettings />
            <NotificationSettings />
        </main>
    }
}
