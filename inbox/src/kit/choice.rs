//! A value picked from a fixed list. Pure (the models implement it beside their enums); the
//! [`super::select::EnumSelect`] component shows one.

use crate::i18n::Lang;

/// `name` is what a `<select>` sends and the wire spells, `label` what the agent reads.
pub trait Choice: Copy + PartialEq + Send + Sync + 'static {
    /// Every value, in the order a select lists them.
    const ALL: &'static [Self];

    fn name(self) -> &'static str;

    /// In the inbox's language (the models keep both, beside their enums).
    fn label(self, lang: Lang) -> &'static str;

    fn parse(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|c| c.name() == name)
    }
}
