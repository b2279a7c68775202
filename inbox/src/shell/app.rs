use leptos::prelude::*;

use crate::browser;
use crate::shell::accept_invite::AcceptInvite;
use crate::shell::inbox::Inbox;
use crate::shell::route::Route;
use crate::shell::session::{self, Session};
use crate::shell::sign_in::SignIn;

/// Root component: an invite link's form, else the inbox while a session is stored, else
/// the sign-in form. Signing out (or any 401) drops the inbox, which closes its sockets.
/// It owns the route: the URL fragment is read on every `hashchange` and written back
/// whenever a view moves somewhere else.
#[component]
pub fn App() -> impl IntoView {
    let current = RwSignal::new(session::load());
    let route = RwSignal::new(Route::parse(&browser::hash()));
    let on_hash = window_event_listener_untyped("hashchange", move |_| {
        let parsed = Route::parse(&browser::hash());
        if route.with_untracked(|r| *r != parsed) {
            route.set(parsed);
        }
    });
    on_cleanup(move || on_hash.remove());
    Effect::new(move |_| browser::set_hash(&route.with(Route::hash)));

    let signed_in = Callback::new(move |s: Session| {
        session::save(&s);
        current.set(Some(s));
    });
    let sign_out = Callback::new(move |()| {
        session::clear();
        current.set(None);
    });
    let joined = Callback::new(move |s: Session| {
        signed_in.run(s);
        route.set(Route::default());
    });
    let signed_in_as = Memo::new(move |_| current.get());
    let invite = Memo::new(move |_| match route.get() {
        Route::Invite {
            workspace_id,
            token,
        } => Some((workspace_id, token)),
        _ => None,
    });
    move || match (invite.get(), signed_in_as.get()) {
        (Some((workspace_id, token)), _) => {
            let leave = Callback::new(move |()| route.set(Route::default()));
            view! { <AcceptInvite workspace_id token joined leave /> }.into_any()
        }
        (None, Some(session)) => view! { <Inbox session sign_out route /> }.into_any(),
        (None, None) => view! { <SignIn signed_in /> }.into_any(),
    }
}
