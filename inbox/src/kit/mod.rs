//! Small components the features share, so a form's save row or an Enter-to-add input reads
//! and behaves the same on every page.

pub(crate) mod keys;
pub(crate) mod save;
