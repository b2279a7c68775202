//! Plays the alerts `alerts.rs` decides on: a chime (Web Audio, no file to download) and a
//! desktop notification that opens the conversation when clicked. The agent's switches come
//! from the server (`/v1/inbox/me/notifications`), so they follow them to any browser.
//!
//! The browser's permission for desktop notifications is asked only from a button (the
//! banner or the profile page), never on page load: browsers mute sites that ask unprompted,
//! and an agent should know why the question comes.

use charla_shared::basic::Millis;
use charla_shared::notifications::NotificationPrefs;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{AudioContext, Notification, NotificationOptions, NotificationPermission};

use super::alerts::Alert;
use super::route::Route;
use crate::{api, browser};

/// How long after this tab assigned a conversation to its agent a matching "assigned to you"
/// line counts as their own action.
const OWN_ACTION_MS: Millis = 30_000;
/// Where "not now" on the permission banner is remembered (per browser).
const BANNER_DISMISSED: &str = "charla-inbox:notify-banner-dismissed";

/// The inbox's notifier, provided as context by the shell.
#[derive(Clone, Copy)]
pub struct Notifier {
    pub prefs: RwSignal<NotificationPrefs>,
    /// `false` until the server's switches arrived (nothing plays on guesses).
    pub loaded: RwSignal<bool>,
    /// The browser's answer so far: "default" (not asked), "granted" or "denied".
    pub permission: RwSignal<&'static str>,
    pub banner_dismissed: RwSignal<bool>,
    audio: StoredValue<Option<AudioContext>, LocalStorage>,
    own_assignments: StoredValue<Vec<(String, Millis)>>,
    route: RwSignal<Route>,
}

impl Notifier {
    pub fn new(route: RwSignal<Route>) -> Self {
        Notifier {
            prefs: RwSignal::new(NotificationPrefs::default()),
            loaded: RwSignal::new(false),
            permission: RwSignal::new(permission()),
            banner_dismissed: RwSignal::new(browser::storage_get(BANNER_DISMISSED).is_some()),
            audio: StoredValue::new_local(None),
            own_assignments: StoredValue::new(Vec::new()),
            route,
        }
    }

    pub fn load(&self, token: String) {
        let this = *self;
        spawn_local(async move {
            match api::notification_prefs(&token).await {
                Ok(prefs) => {
                    this.prefs.set(prefs);
                    this.loaded.set(true);
                }
                Err(e) => leptos::logging::warn!("notification settings: {e}"),
            }
        });
    }

    /// This tab assigned `conversation_id` to its own agent.
    pub fn own_assignment(&self, conversation_id: &str) {
        let now = browser::now();
        self.own_assignments.update_value(|list| {
            list.retain(|(_, at)| now - at < OWN_ACTION_MS);
            list.push((conversation_id.to_owned(), now));
        });
    }

    /// Whether an "assigned to me" for `conversation_id` is this tab's own doing (once).
    pub fn was_own_assignment(&self, conversation_id: &str) -> bool {
        let now = browser::now();
        self.own_assignments
            .try_update_value(|list| {
                let found = list
                    .iter()
                    .position(|(id, at)| id == conversation_id && now - at < OWN_ACTION_MS);
                found.map(|i| list.remove(i)).is_some()
            })
            .unwrap_or(false)
    }

    /// Tell the agent, as their switches say. Nothing when the agent is looking at that very
    /// conversation; the desktop notification only when they are not looking at the inbox.
    pub fn play(&self, alert: Alert) {
        let prefs = self.prefs.get_untracked();
        if !self.loaded.get_untracked() || !alert.wanted(&prefs) {
            return;
        }
        let looking = browser::is_visible() && has_focus();
        let open = self
            .route
            .with_untracked(|r| r.selected() == Some(alert.conversation_id.as_str()));
        if looking && open {
            return;
        }
        if prefs.sound {
            self.chime();
        }
        if prefs.desktop && !looking && permission() == "granted" {
            self.desktop(&alert);
        }
    }

    /// Ask the browser for permission (from a click); the answer updates `permission`.
    pub fn ask_permission(&self) {
        let this = *self;
        let Ok(promise) = Notification::request_permission() else {
            return;
        };
        spawn_local(async move {
            let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
            this.permission.set(permission());
        });
    }

    pub fn dismiss_banner(&self) {
        browser::storage_set(BANNER_DISMISSED, "1");
        self.banner_dismissed.set(true);
    }

    fn desktop(&self, alert: &Alert) {
        let options = NotificationOptions::new();
        options.set_body(&alert.body);
        // One notification per conversation: a newer one replaces the older.
        options.set_tag(&alert.conversation_id);
        let Ok(shown) = Notification::new_with_options(&alert.title, &options) else {
            return;
        };
        let route = self.route;
        let id = alert.conversation_id.clone();
        let target = shown.clone();
        let on_click = Closure::once_into_js(move || {
            let _ = browser::window().focus();
            route.set(Route::Inbox { selected: Some(id) });
            target.close();
        });
        shown.set_onclick(Some(on_click.unchecked_ref()));
    }

    /// Two short rising tones. The audio context is made once; a browser that suspended it
    /// (no click on the page yet) is asked to resume, and stays silent if it will not.
    fn chime(&self) {
        if self.audio.with_value(Option::is_none) {
            self.audio.set_value(AudioContext::new().ok());
        }
        self.audio.with_value(|ctx| {
            if let Some(ctx) = ctx {
                let _ = ctx.resume();
                let _ = tones(ctx);
            }
        });
    }
}

fn tones(ctx: &AudioContext) -> Result<(), wasm_bindgen::JsValue> {
    let now = ctx.current_time();
    let osc = ctx.create_oscillator()?;
    osc.frequency().set_value_at_time(880.0, now)?;
    osc.frequency().set_value_at_time(1_320.0, now + 0.12)?;
    let gain = ctx.create_gain()?;
    let level = gain.gain();
    level.set_value_at_time(0.0001, now)?;
    level.exponential_ramp_to_value_at_time(0.2, now + 0.02)?;
    level.exponential_ramp_to_value_at_time(0.0001, now + 0.35)?;
    osc.connect_with_audio_node(&gain)?;
    gain.connect_with_audio_node(&ctx.destination())?;
    osc.start()?;
    osc.stop_with_when(now + 0.4)?;
    Ok(())
}

/// The browser's notification permission; "denied" where the API does not exist.
pub fn permission() -> &'static str {
    let exists = js_sys::Reflect::has(&browser::window(), &"Notification".into()).unwrap_or(false);
    if !exists {
        return "denied";
    }
    match Notification::permission() {
        NotificationPermission::Granted => "granted",
        NotificationPermission::Default => "default",
        _ => "denied",
    }
}

fn has_focus() -> bool {
    browser::window()
        .document()
        .is_some_and(|d| d.has_focus().unwrap_or(true))
}
