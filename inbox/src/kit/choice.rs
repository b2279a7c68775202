//! A value picked from a fixed list. Pure (the models implement it beside their enums); the
//! [`super::select::EnumSelect`] component shows one.

/// `name` is what a `<select>` sends and the wire spells, `label` what the agent reads.
pub trait Choice: Copy + PartialEq + Send + Sync + 'static {
    /// Every value, in the order a select lists them.
    const ALL: &'static [Self];

    fn name(self) -> &'static str;

    fn label(self) -> &'static str;

    fn parse(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|c| c.name() == name)
    }
}
