//! Your details: the name others see and the password. Either change answers a new session
//! (the token carries the name; a new password ends every other session), which replaces the
//! stored one, so the header shows the new name at once.

use charla_shared::protocol::{agent_name, PasswordChange, ProfileChange};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use crate::api;
use crate::i18n::{tr, tr_untracked, Texts};
use crate::kit::save::{save, SaveActions, SaveState};
use crate::shell::session::{Account, AccountChange as Change};
use crate::shell::workspace::Workspace;

/// Why a password change cannot be sent as typed, or `None` when it can.
pub fn password_problem(
    t: &Texts,
    current: &str,
    new: &str,
    confirm: &str,
) -> Option<&'static str> {
    if current.is_empty() {
        return Some(t.type_current_password);
    }
    if charla_shared::password::check_new(new).is_err() {
        let short = new.chars().count() < charla_shared::password::MIN_CHARS;
        return Some(if short {
            t.new_password_short
        } else {
            t.new_password_long
        });
    }
    if new != confirm {
        return Some(t.confirmation_differs);
    }
    None
}

/// What a form shows when it opens: the outcome of the change that just replaced the
/// session (and remounted the page), once.
fn opening_state(notice: &Option<(Change, String)>, form: Change) -> SaveState {
    match notice {
        Some((change, line)) if *change == form => SaveState::Saved(line.clone()),
        _ => SaveState::Idle,
    }
}

#[component]
pub fn YourDetails() -> impl IntoView {
    let account = expect_context::<Account>();
    let notice = account.notice.get_untracked();
    account.notice.set(None);
    let name_state = opening_state(&notice, Change::Name);
    let password_state = opening_state(&notice, Change::Password);
    view! {
        <section class="settings-section" aria-labelledby="details-title" data-charla="settings-details">
            <h2 id="details-title">{move || tr().your_details}</h2>
            <NameForm opening=name_state />
            <PasswordForm opening=password_state />
        </section>
    }
}

#[component]
fn NameForm(opening: SaveState) -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let account = expect_context::<Account>();
    let name = RwSignal::new(ws.me_name());
    let state = RwSignal::new(opening);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if state.with_untracked(SaveState::is_saving) {
            return;
        }
        let typed = name.get_untracked();
        let body = match agent_name(&typed) {
            Ok(valid) => ProfileChange {
                name: valid.to_owned(),
            },
            Err(_) => {
                return state.set(SaveState::Failed(tr_untracked().bad_name.to_owned()));
            }
        };
        let request = async move { api::set_name(&ws.token(), &body).await };
        save(state, ws, request, move |session| {
            let line = tr_untracked().name_saved(&session.agent.name);
            account.notice.set(Some((Change::Name, line.clone())));
            account.renewed.run(session);
            line
        });
    };
    view! {
        <form class="closing-form" novalidate on:submit=submit data-charla="details-name">
            <label>
                <span>{move || tr().your_name}</span>
                <input
                    name="name"
                    autocomplete="name"
                    maxlength="80"
                    required
                    bind:value=name
                />
            </label>
            <SaveActions state label=Signal::derive(|| tr().save_name.to_owned()) name="name" />
        </form>
    }
}

#[component]
fn PasswordForm(opening: SaveState) -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let account = expect_context::<Account>();
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let confirm = RwSignal::new(String::new());
    let state = RwSignal::new(opening);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if state.with_untracked(SaveState::is_saving) {
            return;
        }
        let (c, n, k) = (
            current.get_untracked(),
            new.get_untracked(),
            confirm.get_untracked(),
        );
        if let Some(problem) = password_problem(tr_untracked(), &c, &n, &k) {
            return state.set(SaveState::Failed(problem.to_owned()));
        }
        let body = PasswordChange {
            current_password: c,
            new_password: n,
        };
        state.set(SaveState::Saving);
        leptos::task::spawn_local(async move {
            match api::change_password(&ws.token(), &body).await {
                Ok(session) => {
                    let line = tr_untracked().password_changed.to_owned();
                    account.notice.set(Some((Change::Password, line.clone())));
                    account.renewed.run(session);
                    state.set(SaveState::Saved(line));
                }
                // A wrong current password is refused as forbidden (a 401 would sign out).
                Err(e) if e.status() == Some(403) => state.set(SaveState::Failed(
                    crate::i18n::tr_untracked()
                        .wrong_current_password
                        .to_owned(),
                )),
                Err(e) => state.set(SaveState::Failed(ws.failure(e))),
            }
        });
    };
    let field = move |label: fn(&Texts) -> &'static str,
                      name: &'static str,
                      value: RwSignal<String>,
                      auto: &'static str| {
        view! {
            <label>
                <span>{move || label(tr())}</span>
                <input name=name type="password" autocomplete=auto required bind:value=value />
            </label>
        }
    };
    view! {
        <form class="closing-form" novalidate on:submit=submit data-charla="details-password">
            <fieldset>
                <legend>{move || tr().change_password}</legend>
                {field(|t| t.current_password, "current_password", current, "current-password")}
                {field(|t| t.new_password_rule, "new_password", new, "new-password")}
                {field(|t| t.repeat_new_password, "confirm_password", confirm, "new-password")}
            </fieldset>
            <SaveActions
                state
                label=Signal::derive(|| tr().change_password.to_owned())
                name="password"
            />
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::password_problem;
    use crate::i18n::{EN, ES};

    #[test]
    fn a_password_change_is_sent_only_when_complete_and_confirmed() {
        let long = "una clave larga";
        let cases = [
            (("", long, long), Some("current")),
            (("vieja", "corta", "corta"), Some("at least 10")),
            (
                ("vieja", &"x".repeat(2000), &"x".repeat(2000)),
                Some("too long"),
            ),
            (("vieja", long, "una clave largA"), Some("not the same")),
            (("vieja", long, long), None),
        ];
        for ((current, new, confirm), expected) in cases {
            let got = password_problem(&EN, current, new, confirm);
            match expected {
                None => assert_eq!(got, None),
                Some(part) => assert!(got.is_some_and(|g| g.contains(part)), "{got:?}"),
            }
        }
        assert_eq!(
            password_problem(&ES, "vieja", "corta", "corta"),
            Some("La contraseña nueva debe tener al menos 10 caracteres.")
        );
    }
}
