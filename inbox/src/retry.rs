//! Rate limits as the inbox meets them: how long a 429 asks to wait (how to say it is in
//! [`crate::i18n`]). Pure, so it is tested natively; the response headers and the clock are
//! read in [`crate::api`].

/// Seconds to wait when a 429 says nothing usable.
pub const DEFAULT_WAIT_S: u64 = 60;
/// A wait longer than a day is a misconfigured proxy, not a limit worth a disabled button.
const MAX_WAIT_S: u64 = 24 * 3600;

/// The wait a 429 asks for, in whole seconds (at least one): the `Retry-After` header as
/// delta-seconds, or as an HTTP date ending in `GMT` (`header_date_ms`, the header parsed by
/// the browser's `Date.parse`, compared with `now_ms`); else the body's `retry_after`; else
/// [`DEFAULT_WAIT_S`].
pub fn wait_seconds(
    header: Option<&str>,
    header_date_ms: Option<f64>,
    now_ms: f64,
    body: Option<u64>,
) -> u64 {
    let from_header = header.and_then(|h| {
        let h = h.trim();
        if !h.is_empty() && h.bytes().all(|b| b.is_ascii_digit()) {
            // All digits: only too many of them fails, and that is "very long".
            Some(h.parse::<u64>().unwrap_or(MAX_WAIT_S))
        } else if h.ends_with("GMT") {
            header_date_ms
                .filter(|d| d.is_finite())
                .map(|d| ((d - now_ms) / 1000.0).ceil().max(0.0) as u64)
        } else {
            None
        }
    });
    from_header
        .or(body)
        .unwrap_or(DEFAULT_WAIT_S)
        .clamp(1, MAX_WAIT_S)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::EN;

    #[test]
    fn wait_text_says_seconds_under_a_minute_else_minutes_rounded_up() {
        let cases = [
            (0, "1 second"),
            (1, "1 second"),
            (2, "2 seconds"),
            (59, "59 seconds"),
            (60, "1 minute"),
            (61, "2 minutes"),
            (120, "2 minutes"),
            (899, "15 minutes"),
            (900, "15 minutes"),
            (901, "16 minutes"),
            (3600, "60 minutes"),
        ];
        for (seconds, expected) in cases {
            assert_eq!(EN.wait(seconds), expected, "{seconds} s");
        }
        assert_eq!(
            EN.sign_in_rate_limited(900),
            "Too many sign-in attempts. Try again in 15 minutes."
        );
        assert_eq!(
            EN.rate_limited(30),
            "Too many requests. Try again in 30 seconds."
        );
        assert_eq!(
            EN.invite_rate_limited(45),
            "Too many attempts. Try again in 45 seconds."
        );
    }

    #[test]
    fn retry_after_header_wins_over_the_body() {
        assert_eq!(wait_seconds(Some("120"), None, 0.0, Some(5)), 120);
        assert_eq!(wait_seconds(Some(" 7 "), None, 0.0, None), 7);
        assert_eq!(wait_seconds(None, None, 0.0, Some(900)), 900);
        assert_eq!(wait_seconds(None, None, 0.0, None), DEFAULT_WAIT_S);
    }

    #[test]
    fn retry_after_as_an_http_date() {
        let now = 1_700_000_000_000.0;
        let date = Some(now + 90_500.0);
        let header = Some("Wed, 21 Oct 2015 07:28:00 GMT");
        assert_eq!(wait_seconds(header, date, now, None), 91);
        // A date already past: try again at once (at least a second from now).
        assert_eq!(wait_seconds(header, Some(now - 5_000.0), now, None), 1);
        // Unparseable (NaN from Date.parse): the body, else the default.
        assert_eq!(
            wait_seconds(Some("x GMT"), Some(f64::NAN), now, Some(12)),
            12
        );
        assert_eq!(wait_seconds(Some("soon"), None, now, None), DEFAULT_WAIT_S);
    }

    #[test]
    fn retry_after_is_bounded() {
        assert_eq!(wait_seconds(Some("0"), None, 0.0, None), 1);
        // Neither seconds nor an HTTP date, whatever Date.parse makes of it.
        assert_eq!(wait_seconds(Some("-3"), Some(-1e12), 0.0, Some(4)), 4);
        assert_eq!(
            wait_seconds(Some("99999999999999999999999"), None, 0.0, None),
            MAX_WAIT_S
        );
        assert_eq!(wait_seconds(None, None, 0.0, Some(10_000_000)), MAX_WAIT_S);
    }
}
