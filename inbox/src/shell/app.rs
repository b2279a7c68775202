use leptos::prelude::*;

use crate::browser;
use crate::shell::accept_invite::AcceptInvite;
use crate::shell::inbox::Inbox;
use crate::shell::reset_password::ResetPassword;
use crate::shell::route::Route;
use crate::shell::session::{self, Account, Session};
use crate::shell::sign_in::SignIn;

/// Root component: an invite or password-reset link's form, else the inbox while a session is
/// stored, else the sign-in form. Signing out (or any 401) drops the inbox, which closes its sockets.
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
    // Signs out only the session it was made for: a request or socket of a session the agent
    // already replaced (a new name or password answers a new token) cannot sign out the new one.
    let sign_out_of = move |token: String| {
        Callback::new(move |()| {
            let same = current.with_untracked(|c| c.as_ref().is_some_and(|s| s.token == token));
            if same {
                session::clear();
                current.set(None);
            }
        })
    };
    provide_context(Account {
        renewed: signed_in,
        notice: RwSignal::new(None),
    });
    let joined = Callback::new(move |s: Session| {
        signed_in.run(s);
        route.set(Route::default());
    });
    let signed_in_as = Memo::new(move |_| current.get());
    let link = Memo::new(move |_| match route.get() {
        route @ (Route::Invite { .. } | Route::Reset { .. }) => Some(route),
        _ => None,
    });
    move || match (link.get(), signed_in_as.get()) {
        (
            Some(Route::Invite {
                workspace_id,
                token,
            }),
            _,
        ) => {
            let leave = Callback::new(move |()| route.set(Route::default()));
            view! { <AcceptInvite workspace_id token joined leave /> }.into_any()
        }
        (
            Some(Route::Reset {
                workspace_id,
                token,
            }),
            _,
        ) => {
            let leave = Callback::new(move |()| route.set(Route::default()));
            view! { <ResetPassword workspace_id token done=joined leave /> }.into_any()
        }
        (_, Some(session)) => {
            let sign_out = sign_out_of(session.token.clone());
            view! { <Inbox session sign_out route /> }.into_any()
        }
        (_, None) => view! { <SignIn signed_in /> }.into_any(),
    }
}
