//! Workspace settings, for owners and managers: agents (role, capacity, access, invites),
//! teams, closing notes, automatic assignment and the time zone reports count days in. Each section loads what it edits when the
//! page opens and saves on its own, showing the server's answer beside its button; the edge
//! enforces every rule again (agents get 403 whatever the page shows).

mod agents;
mod assignment;
mod closing;
mod teams;
mod workspace_zone;

use leptos::prelude::*;

use crate::views::workspace::Workspace;
use agents::AgentsSettings;
use assignment::AssignmentSettings;
use closing::ClosingSettings;
use teams::TeamsSettings;
use workspace_zone::TimeZoneSettings;

#[component]
pub fn SettingsPage() -> impl IntoView {
    let ws = expect_context::<Workspace>();
    view! {
        <main class="settings" aria-labelledby="settings-title" data-charla="settings">
            <div class="settings-head">
                <h1 id="settings-title">"Settings"</h1>
                <a href="#/" class="back-link">
                    "Back to inbox"
                </a>
            </div>
            <Show
                when=move || ws.can_manage()
                fallback=|| {
                    view! {
                        <p class="notice-plain" role="alert" data-charla="settings-forbidden">
                            "Only owners and managers can change settings."
                        </p>
                    }
                }
            >
                <AgentsSettings />
                <TeamsSettings />
                <ClosingSettings />
                <AssignmentSettings />
                <TimeZoneSettings />
            </Show>
        </main>
    }
}
