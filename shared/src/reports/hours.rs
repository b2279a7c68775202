//! Business-hours durations: how much of a span fell inside a workspace's opening hours.
//!
//! A conversation opened at 18:55 on Friday and answered at 09:05 on Monday waited 62 hours
//! by the clock but 10 minutes of a 09:00–19:00 week; managers judge agents by the second.
//! The schedule itself is the workspace's one `workflow::BusinessHours` (weekly spans, time
//! zone, holidays), which workflows branch on too; reports only need this question of it.

use crate::basic::Millis;

/// How much of a span fell within opening hours. A trait so the row maths is tested against
/// any schedule and the reports module does not own one.
pub trait OpenHours {
    /// Milliseconds of `[from, to)` inside opening hours; 0 if `to <= from`.
    fn open_millis_between(&self, from: Millis, to: Millis) -> Millis;
}
