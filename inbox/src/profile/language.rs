//! The inbox's language for this browser: automatic (the browser's languages), English or
//! Spanish. It applies at once, and is kept in this browser only (like the session), so it
//! needs nothing from the server.

use leptos::prelude::*;

use crate::i18n::{tr, Choice, I18n, Lang};

/// The choices in the order shown; the languages are named in themselves, so an agent who
/// picked a language they cannot read still finds their own.
const CHOICES: [(Choice, &str); 3] = [
    (Choice::Auto, "auto"),
    (Choice::Fixed(Lang::En), "en"),
    (Choice::Fixed(Lang::Es), "es"),
];

#[component]
pub fn LanguageSettings() -> impl IntoView {
    let i18n = expect_context::<I18n>();
    let option = move |&(choice, code): &(Choice, &'static str)| {
        let label = move || match choice {
            Choice::Auto => tr().language_auto,
            Choice::Fixed(Lang::En) => "English",
            Choice::Fixed(Lang::Es) => "Español",
        };
        let lang = match choice {
            Choice::Auto => None,
            Choice::Fixed(l) => Some(l.code()),
        };
        view! {
            <label class="check">
                <input
                    type="radio"
                    name="language"
                    value=code
                    data-charla=format!("language-{code}")
                    prop:checked=move || i18n.choice() == choice
                    on:change=move |_| i18n.set_choice(choice)
                />
                <span lang=lang>{label}</span>
            </label>
        }
    };
    view! {
        <section
            class="settings-section"
            aria-labelledby="language-title"
            data-charla="settings-language"
        >
            <h2 id="language-title">{move || tr().language}</h2>
            <fieldset>
                <legend>{move || tr().language_legend}</legend>
                {CHOICES.iter().map(option).collect_view()}
            </fieldset>
            <p class="hint">{move || tr().language_hint}</p>
        </section>
    }
}
