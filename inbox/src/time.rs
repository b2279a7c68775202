//! Human-readable ages for the conversation list. Pure, so it is tested natively; the browser
//! clock is read elsewhere and passed in.

use charla_shared::basic::Millis;

use crate::i18n::{Lang, Texts};

const MINUTE: Millis = 60_000;
const HOUR: Millis = 60 * MINUTE;
const DAY: Millis = 24 * HOUR;
const WEEK: Millis = 7 * DAY;
const YEAR: Millis = 365 * DAY;

/// Compact age of `at` as seen at `now` ("now", "5m", "3h", "2d", "4w", "1y"; in Spanish
/// "ahora", "5 min", "3 h", "2 d", "4 sem", "1 a"), the format chat inboxes use so the column
/// stays narrow. Clock skew (a future `at`) reads as "now".
pub fn relative(t: &Texts, now: Millis, at: Millis) -> String {
    let age = now.saturating_sub(at);
    let es = t.lang == Lang::Es;
    let (n, unit) = if age < MINUTE {
        return if es { "ahora" } else { "now" }.to_owned();
    } else if age < HOUR {
        (age / MINUTE, if es { " min" } else { "m" })
    } else if age < DAY {
        (age / HOUR, if es { " h" } else { "h" })
    } else if age < WEEK {
        (age / DAY, if es { " d" } else { "d" })
    } else if age < YEAR {
        (age / WEEK, if es { " sem" } else { "w" })
    } else {
        (age / YEAR, if es { " a" } else { "y" })
    };
    format!("{n}{unit}")
}

/// "14:05" from local hours and minutes.
pub fn clock(hours: u32, minutes: u32) -> String {
    format!("{hours:02}:{minutes:02}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{EN, ES};

    fn check(age: Millis, expected: &str) {
        let now = 1_700_000_000_000;
        assert_eq!(relative(&EN, now, now - age), expected, "age {age} ms");
    }

    #[test]
    fn relative_ages() {
        check(-5_000, "now");
        check(0, "now");
        check(59_999, "now");
        check(MINUTE, "1m");
        check(59 * MINUTE + 59_999, "59m");
        check(HOUR, "1h");
        check(23 * HOUR, "23h");
        check(DAY, "1d");
        check(6 * DAY, "6d");
        check(WEEK, "1w");
        check(51 * WEEK, "51w");
        check(YEAR, "1y");
        check(3 * YEAR + DAY, "3y");
    }

    #[test]
    fn relative_ages_in_spanish() {
        let now = 1_700_000_000_000;
        let es = |age| relative(&ES, now, now - age);
        assert_eq!(es(0), "ahora");
        assert_eq!(es(5 * MINUTE), "5 min");
        assert_eq!(es(3 * HOUR), "3 h");
        assert_eq!(es(2 * DAY), "2 d");
        assert_eq!(es(4 * WEEK), "4 sem");
        assert_eq!(es(YEAR), "1 a");
    }

    #[test]
    fn clock_pads() {
        assert_eq!(clock(9, 5), "09:05");
        assert_eq!(clock(23, 59), "23:59");
    }
}
