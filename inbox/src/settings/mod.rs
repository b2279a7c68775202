//! Workspace settings, for owners and managers, in three tabs: team and conversations (agents,
//! teams, closing notes, automatic assignment, the reports' time zone), the chat widget and
//! business hours; and snippets, the one tab every agent has (their own snippets, and the
//! workspace's to read). Each section loads what it edits when the page opens and saves on its own,
//! showing the server's answer beside its button; the edge enforces every rule again (agents
//! get 403 whatever the page shows).

mod agents;
pub mod api_keys;
mod assignment;
pub mod assignment_form;
mod business_hours;
pub mod business_hours_form;
mod closing;
pub mod closing_form;
pub mod i18n;
mod snippets;
pub mod snippets_form;
mod teams;
pub mod webhooks;
pub mod widget;
mod workspace_zone;

use charla_shared::protocol::Role;
use leptos::prelude::*;

use crate::i18n::tr;
use crate::shell::route::{Route, SettingsTab};
use crate::shell::workspace::Workspace;
use agents::AgentsSettings;
use api_keys::ApiKeysSettings;
use assignment::AssignmentSettings;
use business_hours::BusinessHoursSettings;
use closing::ClosingSettings;
use i18n::{st, SettingsTexts};
use snippets::SnippetsSettings;
use teams::TeamsSettings;
use webhooks::WebhooksSettings;
use widget::WidgetSettingsPage;
use workspace_zone::TimeZoneSettings;

fn tab_label(s: &SettingsTexts, tab: SettingsTab) -> &'static str {
    match tab {
        SettingsTab::Team => s.tab_team,
        SettingsTab::Widget => s.tab_widget,
        SettingsTab::Hours => s.tab_hours,
        SettingsTab::Snippets => s.tab_snippets,
        SettingsTab::Api => s.tab_api,
    }
}

#[component]
pub fn SettingsPage(route: RwSignal<Route>) -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let tab = Memo::new(move |_| match route.get() {
        Route::Settings { tab } => tab,
        _ => SettingsTab::default(),
    });
    // Agents have only the tab that is theirs too.
    let open_to_me = move |t: SettingsTab| {
        if t.owners_only() {
            ws.role() == Role::Owner
        } else {
            ws.can_manage() || t.for_everyone()
        }
    };
    let tabs = move || {
        SettingsTab::ALL
            .into_iter()
            .filter(move |t| open_to_me(*t))
            .map(|t| {
                let href = Route::Settings { tab: t }.hash();
                view! {
                    <a
                        href=href
                        class="settings-tab"
                        data-charla="settings-tab"
                        aria-current=move || (tab.get() == t).then_some("page")
                    >
                        {move || tab_label(st(), t)}
                    </a>
                }
            })
            .collect_view()
    };
    view! {
        <main class="settings" aria-labelledby="settings-title" data-charla="settings">
            <div class="settings-head">
                <h1 id="settings-title">{move || st().title}</h1>
                <a href="#/" class="back-link">
                    {move || tr().back_to_inbox}
                </a>
            </div>
            <Show
                when=move || open_to_me(tab.get())
                fallback=move || {
                    view! {
                        <p class="notice-plain" role="alert" data-charla="settings-forbidden">
                            {move || {
                                if tab.get().owners_only() { st().only_owners } else { st().only_managers }
                            }}
                        </p>
                    }
                }
            >
                <nav class="settings-tabs" aria-label=move || st().sections>
                    {tabs}
                </nav>
                {move || match tab.get() {
                    SettingsTab::Team => {
                        view! {
                            <AgentsSettings />
                            <TeamsSettings />
                            <ClosingSettings />
                            <AssignmentSettings />
                            <TimeZoneSettings />
                        }
                            .into_any()
                    }
                    SettingsTab::Widget => view! { <WidgetSettingsPage /> }.into_any(),
                    SettingsTab::Hours => view! { <BusinessHoursSettings /> }.into_any(),
                    SettingsTab::Snippets => view! { <SnippetsSettings /> }.into_any(),
                    SettingsTab::Api => {
                        view! {
                            <ApiKeysSettings />
                            <WebhooksSettings />
                        }
                            .into_any()
                    }
                }}
            </Show>
        </main>
    }
}
