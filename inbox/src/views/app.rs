use leptos::prelude::*;

use crate::session::{self, Session};
use crate::views::inbox::Inbox;
use crate::views::sign_in::SignIn;

/// Root component: the inbox while a session is stored, the sign-in form otherwise.
/// Signing out (or any 401) drops the inbox, which closes its sockets.
#[component]
pub fn App() -> impl IntoView {
    let current = RwSignal::new(session::load());
    let signed_in = Callback::new(move |s: Session| {
        session::save(&s);
        current.set(Some(s));
    });
    let sign_out = Callback::new(move |()| {
        session::clear();
        current.set(None);
    });
    let signed_in_as = Memo::new(move |_| current.get());
    move || match signed_in_as.get() {
        Some(session) => view! { <Inbox session sign_out /> }.into_any(),
        None => view! { <SignIn signed_in /> }.into_any(),
    }
}
