//! The "Closing notes" settings form: what the agent typed, and the `LifecycleSettings` it
//! becomes. Pure, so the conversions (hours ↔ milliseconds, category edits) are tested
//! natively; the edge checks everything again and its refusals are shown as they come.

use crate::settings::i18n::st_untracked;
use charla_shared::basic::Millis;
use charla_shared::lifecycle::{
    AutoCloseAfter, LifecycleSettings, NoteRequirement, MAX_AUTO_CLOSE, MIN_AUTO_CLOSE,
};

use crate::i18n::Lang;
use crate::kit::Choice;

const HOUR: Millis = 3_600_000;

/// The form's state: settings as editable text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClosingForm {
    pub category: NoteRequirement,
    pub summary: NoteRequirement,
    pub categories: Vec<String>,
    /// Auto-close after this many hours; empty = off.
    pub auto_close_hours: String,
}

impl ClosingForm {
    pub fn from_settings(settings: &LifecycleSettings) -> Self {
        ClosingForm {
            category: settings.closing_category,
            summary: settings.closing_summary,
            categories: settings.categories.clone(),
            auto_close_hours: settings
                .auto_close_after
                .map(|a| hours_text(a.millis()))
                .unwrap_or_default(),
        }
    }

    pub fn to_settings(&self) -> Result<LifecycleSettings, String> {
        Ok(LifecycleSettings {
            closing_category: self.category,
            closing_summary: self.summary,
            categories: self.categories.clone(),
            auto_close_after: parse_hours(&self.auto_close_hours)?,
        })
    }

    /// Add a category (trimmed). Refuses blanks and names already listed (ignoring case, so
    /// reports do not split "Ventas" from "ventas").
    pub fn add_category(&mut self, name: &str) -> Result<(), String> {
        let name = name.trim();
        if name.is_empty() {
            return Err(st_untracked().type_category_first.to_owned());
        }
        if self
            .categories
            .iter()
            .any(|c| c.to_lowercase() == name.to_lowercase())
        {
            return Err(st_untracked().already_category(name));
        }
        self.categories.push(name.to_owned());
        Ok(())
    }

    pub fn remove_category(&mut self, name: &str) {
        self.categories.retain(|c| c != name);
    }
}

/// "24", "0.5", "1.25": hours without trailing zeros.
pub fn hours_text(millis: Millis) -> String {
    let whole = millis / HOUR;
    let rest = millis % HOUR;
    if rest == 0 {
        return whole.to_string();
    }
    let text = format!("{:.4}", millis as f64 / HOUR as f64);
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// The auto-close field: empty turns it off; otherwise hours (decimals allowed) within the
/// range the edge accepts.
pub fn parse_hours(input: &str) -> Result<Option<AutoCloseAfter>, String> {
    let input = input.trim();
    if input.is_empty() {
        return Ok(None);
    }
    let out_of_range = || {
        st_untracked().auto_close_range(&hours_text(MIN_AUTO_CLOSE), &hours_text(MAX_AUTO_CLOSE))
    };
    let hours: f64 = input
        .replace(',', ".")
        .parse()
        .map_err(|_| out_of_range())?;
    if !hours.is_finite() {
        return Err(out_of_range());
    }
    let millis = (hours * HOUR as f64).round() as Millis;
    AutoCloseAfter::from_millis(millis)
        .map(Some)
        .map_err(|_| out_of_range())
}

impl Choice for NoteRequirement {
    const ALL: &'static [NoteRequirement] = &[
        NoteRequirement::Disabled,
        NoteRequirement::Optional,
        NoteRequirement::Required,
    ];

    fn name(self) -> &'static str {
        match self {
            NoteRequirement::Disabled => "disabled",
            NoteRequirement::Optional => "optional",
            NoteRequirement::Required => "required",
        }
    }

    fn label(self, lang: Lang) -> &'static str {
        let es = lang == Lang::Es;
        match self {
            NoteRequirement::Disabled => {
                if es {
                    "No se pide"
                } else {
                    "Not asked"
                }
            }
            NoteRequirement::Optional => {
                if es {
                    "Opcional"
                } else {
                    "Optional"
                }
            }
            NoteRequirement::Required => {
                if es {
                    "Obligatorio"
                } else {
                    "Required"
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours_are_shown_without_trailing_zeros() {
        assert_eq!(hours_text(24 * HOUR), "24");
        assert_eq!(hours_text(HOUR / 2), "0.5");
        assert_eq!(hours_text(HOUR + HOUR / 4), "1.25");
        assert_eq!(hours_text(MAX_AUTO_CLOSE), "336");
    }

    #[test]
    fn auto_close_is_empty_or_hours_within_range() {
        assert_eq!(parse_hours(""), Ok(None));
        assert_eq!(
            parse_hours(" 24 ").unwrap().map(AutoCloseAfter::millis),
            Some(24 * HOUR)
        );
        assert_eq!(
            parse_hours("0,5").unwrap().map(AutoCloseAfter::millis),
            Some(HOUR / 2)
        );
        for bad in ["0.25", "337", "-3", "soon", "NaN", "inf"] {
            let err = parse_hours(bad).unwrap_err();
            assert!(err.contains("between 0.5 and 336 hours"), "{bad}: {err}");
        }
    }

    #[test]
    fn settings_round_trip_through_the_form() {
        let settings = LifecycleSettings {
            closing_category: NoteRequirement::Required,
            closing_summary: NoteRequirement::Disabled,
            categories: vec!["Ventas".into(), "Soporte".into()],
            auto_close_after: Some(AutoCloseAfter::from_millis(36 * HOUR).unwrap()),
        };
        let form = ClosingForm::from_settings(&settings);
        assert_eq!(form.auto_close_hours, "36");
        assert_eq!(form.to_settings(), Ok(settings));

        let off = LifecycleSettings {
            auto_close_after: None,
            ..LifecycleSettings::default()
        };
        let form = ClosingForm::from_settings(&off);
        assert_eq!(form.auto_close_hours, "");
        assert_eq!(form.to_settings(), Ok(off));
    }

    #[test]
    fn categories_are_added_once_and_removed_by_name() {
        let mut form = ClosingForm::from_settings(&LifecycleSettings::default());
        assert_eq!(form.add_category("  Ventas "), Ok(()));
        assert!(form.add_category("ventas").is_err());
        assert!(form.add_category("   ").is_err());
        form.add_category("Reclamo").unwrap();
        assert_eq!(form.categories, ["Ventas", "Reclamo"]);
        form.remove_category("Ventas");
        assert_eq!(form.categories, ["Reclamo"]);
    }

    #[test]
    fn requirements_round_trip_their_wire_names() {
        for &r in NoteRequirement::ALL {
            assert_eq!(NoteRequirement::parse(r.name()), Some(r));
            assert_eq!(
                serde_json::to_value(r).unwrap(),
                serde_json::Value::from(r.name())
            );
        }
        assert_eq!(NoteRequirement::parse("maybe"), None);
    }
}
