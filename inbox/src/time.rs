//! Human-readable ages for the conversation list. Pure, so it is tested natively; the browser
//! clock is read elsewhere and passed in.

use charla_shared::basic::Millis;

const MINUTE: Millis = 60_000;
const HOUR: Millis = 60 * MINUTE;
const DAY: Millis = 24 * HOUR;
const WEEK: Millis = 7 * DAY;
const YEAR: Millis = 365 * DAY;

/// Compact age of `at` as seen at `now` ("now", "5m", "3h", "2d", "4w", "1y"), the format
/// chat inboxes use so the column stays narrow. Clock skew (a future `at`) reads as "now".
pub fn relative(now: Millis, at: Millis) -> String {
    let age = now.saturating_sub(at);
    if age < MINUTE {
        "now".to_owned()
    } else if age < HOUR {
        format!("{}m", age / MINUTE)
    } else if age < DAY {
        format!("{}h", age / HOUR)
    } else if age < WEEK {
        format!("{}d", age / DAY)
    } else if age < YEAR {
        format!("{}w", age / WEEK)
    } else {
        format!("{}y", age / YEAR)
    }
}

/// "14:05" from local hours and minutes.
pub fn clock(hours: u32, minutes: u32) -> String {
    format!("{hours:02}:{minutes:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(age: Millis, expected: &str) {
        let now = 1_700_000_000_000;
        assert_eq!(relative(now, now - age), expected, "age {age} ms");
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
    fn clock_pads() {
        assert_eq!(clock(9, 5), "09:05");
        assert_eq!(clock(23, 59), "23:59");
    }
}
