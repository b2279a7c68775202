//! The inbox in each language it speaks: the tables of strings ([`Texts`], [`EN`], [`ES`]),
//! how the language is chosen (the agent's choice for this browser, else the browser's
//! languages), and what a refusal from the edge says ([`errors`]: stable codes and known
//! reasons, never the server's own prose).
//!
//! The language is a context ([`I18n`], a signal), so switching it in the profile re-renders
//! every view without a reload. Views read the table with [`tr`] inside a reactive closure.
//! Choosing the language, the tables and the formatting functions are pure and tested
//! natively; a split page keeps its own table beside it (the settings'), built with the same
//! [`texts!`] macro, so its strings download with its part.

pub mod errors;
mod tables;

use std::cell::Cell;

use leptos::prelude::*;

pub use tables::{Texts, EN, ES};

/// A language the inbox speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    En,
    Es,
}

/// What the agent picked in the profile for this browser.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Choice {
    /// Follow the browser's languages.
    #[default]
    Auto,
    Fixed(Lang),
}

/// Where [`Choice`] is kept: per browser, like the session, so no server change is needed.
const STORAGE_KEY: &str = "charla.inbox.lang";

impl Lang {
    pub fn texts(self) -> &'static Texts {
        match self {
            Lang::En => &EN,
            Lang::Es => &ES,
        }
    }

    /// The BCP 47 tag, for `<html lang>`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Es => "es",
        }
    }

    /// A language tag we speak (`es`, `es-MX`, `EN_us`), by its primary subtag.
    pub fn parse(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next()?;
        if primary.eq_ignore_ascii_case("es") {
            Some(Lang::Es)
        } else if primary.eq_ignore_ascii_case("en") {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// The agent's choice, else the first of the browser's languages we speak
    /// (`navigator.languages`, in the agent's order of preference), else English.
    pub fn pick<S: AsRef<str>>(choice: Choice, browser: &[S]) -> Lang {
        match choice {
            Choice::Fixed(lang) => lang,
            Choice::Auto => browser
                .iter()
                .find_map(|tag| Lang::parse(tag.as_ref()))
                .unwrap_or(Lang::En),
        }
    }
}

impl Choice {
    /// As stored: `auto`, `en`, `es`. Anything else (an old or edited value) is `Auto`.
    pub fn parse(stored: &str) -> Choice {
        match stored {
            "en" => Choice::Fixed(Lang::En),
            "es" => Choice::Fixed(Lang::Es),
            _ => Choice::Auto,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Choice::Auto => "auto",
            Choice::Fixed(lang) => lang.code(),
        }
    }
}

/// The language context: the agent's choice, and the language it resolves to in this browser.
#[derive(Clone, Copy)]
pub struct I18n {
    choice: RwSignal<Choice>,
    lang: Memo<Lang>,
}

thread_local! {
    /// The app's one [`I18n`], for code that runs outside the component tree (spawned tasks,
    /// socket handlers), where `use_context` finds no owner. Unset in native tests: English.
    static CURRENT: Cell<Option<I18n>> = const { Cell::new(None) };
}

impl I18n {
    /// Created once by the app root: reads the stored choice, provides the context, and keeps
    /// `<html lang>` in step (screen readers and axe read it).
    pub fn install() -> I18n {
        let stored = crate::browser::storage_get(STORAGE_KEY).unwrap_or_default();
        let choice = RwSignal::new(Choice::parse(&stored));
        let languages = crate::browser::languages();
        let lang = Memo::new(move |_| Lang::pick(choice.get(), &languages));
        let i18n = I18n { choice, lang };
        provide_context(i18n);
        CURRENT.with(|c| c.set(Some(i18n)));
        Effect::new(move |_| crate::browser::set_document_lang(lang.get().code()));
        i18n
    }

    pub fn choice(&self) -> Choice {
        self.choice.get()
    }

    pub fn set_choice(&self, choice: Choice) {
        crate::browser::storage_set(STORAGE_KEY, choice.code());
        self.choice.set(choice);
    }

    pub fn lang(&self) -> Lang {
        self.lang.get()
    }
}

/// The current language (tracked: a reactive closure that calls it re-runs on a switch).
pub fn lang() -> Lang {
    CURRENT
        .with(Cell::get)
        .or_else(use_context::<I18n>)
        .and_then(|i| i.lang.try_get())
        .unwrap_or(Lang::En)
}

/// The current table (tracked, see [`lang`]).
pub fn tr() -> &'static Texts {
    Texts::current()
}

/// The current table without subscribing, for event handlers and tasks.
pub fn tr_untracked() -> &'static Texts {
    CURRENT
        .with(Cell::get)
        .or_else(use_context::<I18n>)
        .and_then(|i| i.lang.try_get_untracked())
        .unwrap_or(Lang::En)
        .texts()
}

/// Defines one table of strings and its English and Spanish values side by side, one line per
/// string, so a string cannot be added to one language only. `$lang` is the table's language,
/// for the methods that format numbers and names.
#[macro_export]
macro_rules! texts {
    ($(#[$sm:meta])* $table:ident, $en_name:ident, $es_name:ident {
        $($(#[$m:meta])* $name:ident: $en:expr, $es:expr;)*
    }) => {
        $(#[$sm])*
        pub struct $table {
            pub lang: $crate::i18n::Lang,
            $($(#[$m])* pub $name: &'static str,)*
        }

        pub static $en_name: $table = $table {
            lang: $crate::i18n::Lang::En,
            $($name: $en,)*
        };

        pub static $es_name: $table = $table {
            lang: $crate::i18n::Lang::Es,
            $($name: $es,)*
        };

        impl $table {
            /// The table in the current language (tracked, see [`lang`](crate::i18n::lang)).
            pub fn current() -> &'static $table {
                match $crate::i18n::lang() {
                    $crate::i18n::Lang::En => &$en_name,
                    $crate::i18n::Lang::Es => &$es_name,
                }
            }

            /// Every string as (field, English, Spanish), for the completeness tests.
            #[cfg(test)]
            pub fn pairs() -> Vec<(&'static str, &'static str, &'static str)> {
                vec![$((stringify!($name), $en, $es),)*]
            }
        }
    };
}

/// Test helper: both languages of a table are filled in, and translated except for the
/// words that are the same in both (`same`).
#[cfg(test)]
pub fn check_table(pairs: &[(&str, &str, &str)], same: &[&str]) {
    for (name, en, es) in pairs {
        assert!(!en.trim().is_empty(), "{name}: empty English");
        assert!(!es.trim().is_empty(), "{name}: empty Spanish");
        assert!(en != es || same.contains(en), "{name}: untranslated {en:?}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_from_the_browser_unless_the_agent_chose() {
        let auto = Choice::Auto;
        assert_eq!(Lang::pick(auto, &["es-ES", "en"]), Lang::Es);
        assert_eq!(Lang::pick(auto, &["es-419"]), Lang::Es);
        assert_eq!(Lang::pick(auto, &["fr-FR", "es-MX", "en"]), Lang::Es);
        assert_eq!(Lang::pick(auto, &["en-GB", "es"]), Lang::En);
        assert_eq!(Lang::pick(auto, &["de", "pt-BR"]), Lang::En);
        assert_eq!(Lang::pick::<&str>(auto, &[]), Lang::En);
        assert_eq!(Lang::pick(Choice::Fixed(Lang::En), &["es-ES"]), Lang::En);
        assert_eq!(Lang::pick(Choice::Fixed(Lang::Es), &["en-US"]), Lang::Es);
        assert_eq!(Lang::parse("ES_es"), Some(Lang::Es));
        assert_eq!(Lang::parse(" en "), Some(Lang::En));
        assert_eq!(Lang::parse("eus"), None);
        assert_eq!(Lang::parse(""), None);
    }

    #[test]
    fn the_stored_choice_round_trips_and_unknown_values_mean_automatic() {
        for c in [
            Choice::Auto,
            Choice::Fixed(Lang::En),
            Choice::Fixed(Lang::Es),
        ] {
            assert_eq!(Choice::parse(c.code()), c);
        }
        assert_eq!(Choice::parse("fr"), Choice::Auto);
        assert_eq!(Choice::parse(""), Choice::Auto);
    }

    #[test]
    fn outside_the_app_the_table_is_english() {
        assert_eq!(tr().lang, Lang::En);
        assert_eq!(tr_untracked().lang, Lang::En);
    }

    /// axe's label-content-name-mismatch: a button's visible text must be in its name.
    #[test]
    fn the_close_dialog_button_says_what_its_name_says() {
        for t in [&EN, &ES] {
            let name = t.confirm_close.to_lowercase();
            assert!(
                name.contains(&t.close_confirm_button.to_lowercase()),
                "{name}"
            );
        }
    }

    #[test]
    fn main_table_is_complete_and_translated() {
        check_table(&Texts::pairs(), tables::SAME_IN_BOTH);
    }
}
