//! The connection check (also on the WordPress plugin's settings page): the owner enters a
//! site's address and learns whether the chat will run there with the saved settings — the
//! site's origin allowed or not, and whether anyone is online to answer.

use charla_shared::widget_settings::{ConnectionCheck, OriginStatus};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{self, ApiError};
use crate::kit::keys::on_enter;
use crate::shell::workspace::Workspace;

crate::texts! {
    /// The connection check's strings (kept beside it, in the settings part).
    CheckTexts, EN, ES {
        title: "Connection check", "Comprobar la conexión";
        hint: "Enter the address of a site where the snippet is installed: this says whether the chat will start there with the saved settings, and whether anyone will answer.", "Escribe la dirección de un sitio donde esté instalado el fragmento de código: te dice si el chat se iniciará allí con la configuración guardada y si habrá alguien para responder.";
        site: "Site address", "Dirección del sitio";
        check: "Check", "Comprobar";
        checking: "Checking…", "Comprobando…";
        bad_site: "Enter the site's address, e.g. https://shop.example.com.", "Escribe la dirección del sitio, p. ej. https://shop.example.com.";
        unreachable: "The edge did not answer. Try again in a moment.", "El edge no respondió. Vuelve a intentarlo en un momento.";
        not_allowed: "is not in the allowed origins: the chat will not start there. Add it under Allowed origins and save.", "no está entre los orígenes permitidos: el chat no se iniciará allí. Añádelo en Orígenes permitidos y guarda.";
        live: "Connected: the chat works on", "Conectado: el chat funciona en";
        agents_online: "Agents online:", "Agentes en línea:";
        nobody: "Nobody is online right now (or it is outside business hours); visitors can still write.", "Ahora no hay nadie en línea (o está fuera del horario de atención); los visitantes pueden escribir igualmente.";
    }
}

fn ct() -> &'static CheckTexts {
    CheckTexts::current()
}

/// How a check ended, for the status line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Checking,
    Answered(ConnectionCheck),
    BadSite,
    Unreachable,
}

impl Outcome {
    fn from(result: Result<ConnectionCheck, ApiError>) -> Self {
        match result {
            Ok(check) => Outcome::Answered(check),
            Err(e) if e.status() == Some(400) => Outcome::BadSite,
            Err(_) => Outcome::Unreachable,
        }
    }
}

/// The status line for an outcome, and whether it is a problem (`true`: shown as an error).
pub fn line(t: &CheckTexts, outcome: &Outcome) -> (String, bool) {
    match outcome {
        Outcome::Checking => (t.checking.to_owned(), false),
        Outcome::BadSite => (t.bad_site.to_owned(), true),
        Outcome::Unreachable => (t.unreachable.to_owned(), true),
        Outcome::Answered(c) => {
            let origin = c.origin.clone().unwrap_or_default();
            match c.origin_status {
                OriginStatus::NotAllowed => (format!("{origin} {}", t.not_allowed), true),
                _ if c.agents_online > 0 && c.open => (
                    format!(
                        "{} {origin}. {} {}.",
                        t.live, t.agents_online, c.agents_online
                    ),
                    false,
                ),
                _ => (format!("{} {origin}. {}", t.live, t.nobody), false),
            }
        }
    }
}

#[component]
pub(super) fn ConnectionCheckSection(
    /// A first guess at the site (the first allowed origin, when there is one).
    suggested: Signal<Option<String>>,
) -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let site = RwSignal::new(String::new());
    let outcome = RwSignal::new(None::<Outcome>);
    Effect::new(move |_| {
        if let Some(s) = suggested.get() {
            if site.with_untracked(String::is_empty) {
                site.set(s);
            }
        }
    });
    let run = move || {
        let typed = site.get_untracked().trim().to_owned();
        if typed.is_empty() {
            outcome.set(Some(Outcome::BadSite));
            return;
        }
        outcome.set(Some(Outcome::Checking));
        let workspace = ws.workspace_id();
        spawn_local(async move {
            let result = api::connection_check(&workspace, &typed).await;
            outcome.set(Some(Outcome::from(result)));
        });
    };
    let shown = move || outcome.with(|o| o.as_ref().map(|o| line(ct(), o)));
    view! {
        <section class="settings-section" aria-labelledby="widget-check-title">
            <h2 id="widget-check-title">{move || ct().title}</h2>
            <p class="hint">{move || ct().hint}</p>
            <div class="form-row">
                <label>
                    <span>{move || ct().site}</span>
                    <input
                        type="text"
                        inputmode="url"
                        autocomplete="off"
                        spellcheck="false"
                        placeholder="https://shop.example.com"
                        data-charla="check-site"
                        bind:value=site
                        on:keydown=on_enter(run)
                    />
                </label>
                <button type="button" data-charla="check-run" on:click=move |_| run()>
                    {move || ct().check}
                </button>
            </div>
            <p
                role="status"
                data-charla="check-status"
                class=move || if shown().is_some_and(|(_, bad)| bad) { "form-error" } else { "hint" }
            >
                {move || shown().map(|(text, _)| text).unwrap_or_default()}
            </p>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answered(status: OriginStatus, agents: u32, open: bool) -> Outcome {
        Outcome::Answered(ConnectionCheck {
            origin: Some("https://shop.example.com".into()),
            origin_status: status,
            agents_online: agents,
            open,
        })
    }

    #[test]
    fn each_answer_has_its_line() {
        let (text, bad) = line(&EN, &answered(OriginStatus::NotAllowed, 2, true));
        assert!(bad);
        assert!(
            text.starts_with("https://shop.example.com is not in the allowed origins"),
            "{text}"
        );
        let (text, bad) = line(&EN, &answered(OriginStatus::Allowed, 2, true));
        assert!(!bad);
        assert_eq!(
            text,
            "Connected: the chat works on https://shop.example.com. Agents online: 2."
        );
        let (text, _) = line(&ES, &answered(OriginStatus::AnySite, 3, false));
        assert!(
            text.starts_with(
                "Conectado: el chat funciona en https://shop.example.com. Ahora no hay nadie"
            ),
            "{text}"
        );
        assert!(line(&EN, &Outcome::BadSite).1);
        assert!(line(&EN, &Outcome::Unreachable).1);
    }

    #[test]
    fn check_table_is_complete_and_translated() {
        crate::i18n::check_table(&CheckTexts::pairs(), &[]);
    }
}
