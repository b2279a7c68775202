//! Small components the features share, so a form's save row or an Enter-to-add input reads
//! and behaves the same on every page.

pub(crate) mod attachment;
pub(crate) mod chips;
mod choice;
pub(crate) mod keys;
pub(crate) mod labelled;
pub(crate) mod save;
pub(crate) mod select;

pub use choice::Choice;
