//! Where the inbox is, as the URL fragment says it: a reload, the back button and a pasted
//! invite link all land on the same screen. Pure, so the parsing is tested natively.
//!
//! - `#/c/{id}`: the conversation `id` is open.
//! - `#/settings`, `#/settings/widget`, `#/settings/hours`: workspace settings (owners and
//!   managers): team and conversations, the chat widget, business hours.
//! - `#/settings/snippets`: snippets (every agent).
//! - `#/workflows`, `#/workflows/new`, `#/workflows/{id}`: the workflow list and editor.
//! - `#/reports`: reports.
//! - `#/files`: the workspace's files.
//! - `#/profile`: the signed-in agent's own page (notifications).
//! - `#/invite/{workspace}/{token}`: an invite link (the edge hands out this exact path).
//! - `#/reset/{workspace}/{token}`: a password-reset link (likewise).
//! - anything else: the inbox with nothing open.

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    Inbox {
        selected: Option<String>,
    },
    Settings {
        tab: SettingsTab,
    },
    Workflows,
    /// The editor: `None` for a workflow not saved yet.
    Workflow {
        id: Option<String>,
    },
    Reports,
    /// The workspace's files.
    Files,
    /// The signed-in agent's own page.
    Profile,
    Invite {
        workspace_id: String,
        token: String,
    },
    /// A one-time password-reset link.
    Reset {
        workspace_id: String,
        token: String,
    },
}

/// The top-level page a route shows (the header's navigation marks it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    Inbox,
    Settings,
    Workflows,
    Reports,
    Files,
    Profile,
}

/// The settings pages, one per thing a site owner sets up.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SettingsTab {
    /// Agents, teams, closing notes, assignment, time zone.
    #[default]
    Team,
    /// What visitors see: brand, texts, pre-chat form, allowed origins, identity verification.
    Widget,
    /// Opening hours and holidays (workflows branch on them; the widget shows the away text).
    Hours,
    /// The reply box's snippets: the workspace's and each agent's own.
    Snippets,
    /// Keys for the REST API and webhooks (owners only).
    Api,
}

impl SettingsTab {
    pub const ALL: [SettingsTab; 5] = [
        SettingsTab::Team,
        SettingsTab::Widget,
        SettingsTab::Hours,
        SettingsTab::Snippets,
        SettingsTab::Api,
    ];

    /// Agents open this tab too (their personal snippets); the others are for owners and
    /// managers.
    pub fn for_everyone(self) -> bool {
        self == SettingsTab::Snippets
    }

    /// Only owners open this tab (the edge refuses managers the same routes).
    pub fn owners_only(self) -> bool {
        self == SettingsTab::Api
    }

    pub fn label(self) -> &'static str {
        match self {
            SettingsTab::Team => "Team & conversations",
            SettingsTab::Widget => "Chat widget",
            SettingsTab::Hours => "Business hours",
            SettingsTab::Snippets => "Snippets",
            SettingsTab::Api => "API & webhooks",
        }
    }
}

impl Default for Route {
    fn default() -> Self {
        Route::Inbox { selected: None }
    }
}

impl Route {
    /// Read a `location.hash` (with or without its leading `#`).
    pub fn parse(hash: &str) -> Route {
        let path = hash.strip_prefix('#').unwrap_or(hash);
        let path = path.strip_prefix('/').unwrap_or(path);
        let mut parts = path.split('/');
        match (parts.next(), parts.next(), parts.next(), parts.next()) {
            (Some("c"), Some(id), None, None) if !id.is_empty() => Route::Inbox {
                selected: Some(id.to_owned()),
            },
            (Some("settings"), None | Some(""), None, None) => Route::Settings {
                tab: SettingsTab::Team,
            },
            (Some("settings"), Some("widget"), None, None) => Route::Settings {
                tab: SettingsTab::Widget,
            },
            (Some("settings"), Some("hours"), None, None) => Route::Settings {
                tab: SettingsTab::Hours,
            },
            (Some("settings"), Some("snippets"), None, None) => Route::Settings {
                tab: SettingsTab::Snippets,
            },
            (Some("settings"), Some("api"), None, None) => Route::Settings {
                tab: SettingsTab::Api,
            },
            (Some("workflows"), None | Some(""), None, None) => Route::Workflows,
            (Some("workflows"), Some("new"), None, None) => Route::Workflow { id: None },
            (Some("workflows"), Some(id), None, None) => Route::Workflow {
                id: Some(id.to_owned()),
            },
            (Some("reports"), None | Some(""), None, None) => Route::Reports,
            (Some("files"), None | Some(""), None, None) => Route::Files,
            (Some("profile"), None | Some(""), None, None) => Route::Profile,
            (Some("invite"), Some(workspace), Some(token), None)
                if !workspace.is_empty() && !token.is_empty() =>
            {
                Route::Invite {
                    workspace_id: workspace.to_owned(),
                    token: token.to_owned(),
                }
            }
            (Some("reset"), Some(workspace), Some(token), None)
                if !workspace.is_empty() && !token.is_empty() =>
            {
                Route::Reset {
                    workspace_id: workspace.to_owned(),
                    token: token.to_owned(),
                }
            }
            _ => Route::default(),
        }
    }

    /// The fragment to put in the address bar (empty for the bare inbox, so its URL stays
    /// `/inbox/`).
    pub fn hash(&self) -> String {
        match self {
            Route::Inbox { selected: None } => String::new(),
            Route::Inbox { selected: Some(id) } => format!("#/c/{id}"),
            Route::Settings {
                tab: SettingsTab::Team,
            } => "#/settings".to_owned(),
            Route::Settings {
                tab: SettingsTab::Widget,
            } => "#/settings/widget".to_owned(),
            Route::Settings {
                tab: SettingsTab::Hours,
            } => "#/settings/hours".to_owned(),
            Route::Settings {
                tab: SettingsTab::Snippets,
            } => "#/settings/snippets".to_owned(),
            Route::Settings {
                tab: SettingsTab::Api,
            } => "#/settings/api".to_owned(),
            Route::Workflows => "#/workflows".to_owned(),
            Route::Workflow { id: None } => "#/workflows/new".to_owned(),
            Route::Workflow { id: Some(id) } => format!("#/workflows/{id}"),
            Route::Reports => "#/reports".to_owned(),
            Route::Files => "#/files".to_owned(),
            Route::Profile => "#/profile".to_owned(),
            Route::Invite {
                workspace_id,
                token,
            } => format!("#/invite/{workspace_id}/{token}"),
            Route::Reset {
                workspace_id,
                token,
            } => format!("#/reset/{workspace_id}/{token}"),
        }
    }

    pub fn page(&self) -> Page {
        match self {
            Route::Inbox { .. } | Route::Invite { .. } | Route::Reset { .. } => Page::Inbox,
            Route::Settings { .. } => Page::Settings,
            Route::Workflows | Route::Workflow { .. } => Page::Workflows,
            Route::Reports => Page::Reports,
            Route::Files => Page::Files,
            Route::Profile => Page::Profile,
        }
    }

    pub fn selected(&self) -> Option<&str> {
        match self {
            Route::Inbox { selected } => selected.as_deref(),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_screen() {
        let cases = [
            ("", Route::default()),
            ("#", Route::default()),
            ("#/", Route::default()),
            (
                "#/c/c_123",
                Route::Inbox {
                    selected: Some("c_123".into()),
                },
            ),
            ("#/c/", Route::default()),
            (
                "#/settings",
                Route::Settings {
                    tab: SettingsTab::Team,
                },
            ),
            (
                "#/settings/",
                Route::Settings {
                    tab: SettingsTab::Team,
                },
            ),
            (
                "#/settings/widget",
                Route::Settings {
                    tab: SettingsTab::Widget,
                },
            ),
            (
                "#/settings/hours",
                Route::Settings {
                    tab: SettingsTab::Hours,
                },
            ),
            (
                "#/settings/snippets",
                Route::Settings {
                    tab: SettingsTab::Snippets,
                },
            ),
            (
                "#/settings/api",
                Route::Settings {
                    tab: SettingsTab::Api,
                },
            ),
            ("#/settings/elsewhere", Route::default()),
            (
                "#/invite/demo/abc123",
                Route::Invite {
                    workspace_id: "demo".into(),
                    token: "abc123".into(),
                },
            ),
            ("#/invite/demo", Route::default()),
            (
                "#/reset/demo/abc123",
                Route::Reset {
                    workspace_id: "demo".into(),
                    token: "abc123".into(),
                },
            ),
            ("#/reset/demo", Route::default()),
            ("#/reset//abc", Route::default()),
            ("#/invite/demo/abc/extra", Route::default()),
            ("#/nowhere", Route::default()),
            ("#/workflows", Route::Workflows),
            ("#/workflows/new", Route::Workflow { id: None }),
            (
                "#/workflows/w_1",
                Route::Workflow {
                    id: Some("w_1".into()),
                },
            ),
            ("#/workflows/w_1/x", Route::default()),
            ("#/reports", Route::Reports),
            ("#/files", Route::Files),
            ("#/files/x", Route::default()),
        ];
        for (hash, expected) in cases {
            assert_eq!(Route::parse(hash), expected, "{hash:?}");
        }
    }

    #[test]
    fn hash_round_trips() {
        for route in [
            Route::default(),
            Route::Inbox {
                selected: Some("c_1".into()),
            },
            Route::Settings {
                tab: SettingsTab::Team,
            },
            Route::Settings {
                tab: SettingsTab::Widget,
            },
            Route::Settings {
                tab: SettingsTab::Hours,
            },
            Route::Settings {
                tab: SettingsTab::Snippets,
            },
            Route::Workflows,
            Route::Files,
            Route::Workflow { id: None },
            Route::Workflow {
                id: Some("w_9".into()),
            },
            Route::Reports,
            Route::Invite {
                workspace_id: "acme".into(),
                token: "t0k".into(),
            },
        ] {
            assert_eq!(Route::parse(&route.hash()), route);
        }
        assert_eq!(Route::default().hash(), "");
        assert_eq!(
            Route::Settings {
                tab: SettingsTab::Hours
            }
            .selected(),
            None
        );
        assert_eq!(Route::Workflow { id: None }.page(), Page::Workflows);
        assert_eq!(Route::default().page(), Page::Inbox);
    }
}
