//! Calendar days in the workspace's time zone.
//!
//! Users pick dates, not instants: "yesterday" in Madrid is a different span of UTC than in
//! Mexico City, and the day the clocks change is 23 or 25 hours long. Everything here turns
//! local dates into half-open UTC millisecond ranges `[from, to)` and back.

use chrono::{DateTime, Datelike, Days, NaiveDate, NaiveDateTime, Offset, TimeZone, Timelike};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use super::ReportError;
use crate::basic::Millis;

pub(crate) const HOUR: Millis = 3_600_000;
pub(crate) const DAY: Millis = 24 * HOUR;
/// 2000-01-01T00:00:00Z: reports start here, which also keeps every local day number
/// non-negative in SQL integer division.
pub const MIN_MILLIS: Millis = 946_684_800_000;
/// 9999-12-31T00:00:00Z.
pub const MAX_MILLIS: Millis = 253_402_214_400_000;
/// Longest range a per-day series covers: a year and a bit, enough for "this year vs last".
pub const MAX_DAYS: i64 = 400;

pub fn parse_time_zone(name: &str) -> Result<Tz, ReportError> {
    name.parse::<Tz>()
        .map_err(|_| ReportError::UnknownTimeZone(name.to_owned()))
}

/// Strictly `YYYY-MM-DD`: chrono's own parser also takes signs and unpadded fields, which a
/// date picker never sends and a typo should not silently become.
pub fn parse_date(s: &str) -> Result<NaiveDate, ReportError> {
    let bad = || ReportError::BadDate(s.to_owned());
    let b = s.as_bytes();
    let shape_ok = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape_ok {
        return Err(bad());
    }
    let num = |r: std::ops::Range<usize>| s[r].parse::<u32>().map_err(|_| bad());
    let year = i32::try_from(num(0..4)?).map_err(|_| bad())?;
    NaiveDate::from_ymd_opt(year, num(5..7)?, num(8..10)?).ok_or_else(bad)
}

fn to_local(at: Millis, tz: Tz) -> DateTime<Tz> {
    let utc = DateTime::from_timestamp_millis(at.clamp(0, MAX_MILLIS))
        .expect("clamped instants are within chrono's range");
    utc.with_timezone(&tz)
}

/// The calendar date of an instant in `tz`.
pub fn local_date(at: Millis, tz: Tz) -> NaiveDate {
    to_local(at, tz).date_naive()
}

/// UTC offset in effect at `at`, in milliseconds (east positive).
pub(crate) fn offset_at(at: Millis, tz: Tz) -> Millis {
    Millis::from(to_local(at, tz).offset().fix().local_minus_utc()) * 1000
}

/// The instant a local wall-clock time happens. In a repeated hour (clocks going back) the
/// `earliest` or the later occurrence; in a skipped one, the instant the clocks jump (the first
/// minute that exists), because that is when the skipped wall time "would have" started.
pub(crate) fn local_instant(local: NaiveDateTime, tz: Tz, earliest: bool) -> Millis {
    for minutes in 0..=(24 * 60) {
        let wall = local + chrono::TimeDelta::minutes(minutes);
        let found = tz.from_local_datetime(&wall);
        let t = if earliest {
            found.earliest()
        } else {
            found.latest()
        };
        if let Some(t) = t {
            return t.timestamp_millis();
        }
    }
    // No zone skips a whole day of wall time since 1900; fall back to the UTC reading.
    local.and_utc().timestamp_millis()
}

/// First instant of `date` in `tz`: local midnight, or the instant the clocks jump if midnight
/// does not exist that day (e.g. America/Santiago, America/Havana).
pub fn day_start(date: NaiveDate, tz: Tz) -> Millis {
    local_instant(date.and_time(chrono::NaiveTime::MIN), tz, true)
}

/// Days since 1970-01-01 of a local date; what SQL computes as `(t + offset) / 86400000`.
pub(crate) fn day_number(date: NaiveDate) -> i64 {
    (date - NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid date")).num_days()
}

pub(crate) fn date_of_number(n: i64) -> Option<NaiveDate> {
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1)?;
    epoch.checked_add_days(Days::new(u64::try_from(n).ok()?))
}

/// An instant as ISO 8601 in `tz`, to the second, with its offset: `2024-03-31T02:30:00+02:00`.
pub fn iso8601(at: Millis, tz: Tz) -> String {
    let local = to_local(at, tz);
    let offset = local.offset().fix().local_minus_utc();
    let sign = if offset < 0 { '-' } else { '+' };
    let offset = offset.unsigned_abs();
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{}{:02}:{:02}",
        local.year(),
        local.month(),
        local.day(),
        local.hour(),
        local.minute(),
        local.second(),
        sign,
        offset / 3600,
        offset % 3600 / 60
    )
}

/// Local dates `first..=last`, as a user picks them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateRange {
    pub first: NaiveDate,
    pub last: NaiveDate,
}

impl DateRange {
    pub fn new(first: NaiveDate, last: NaiveDate) -> Result<Self, ReportError> {
        if last < first {
            return Err(ReportError::BadRange);
        }
        let days = (last - first).num_days() + 1;
        if days > MAX_DAYS {
            return Err(ReportError::RangeTooLong {
                days,
                limit: MAX_DAYS,
            });
        }
        Ok(DateRange { first, last })
    }

    /// `[start of first, start of the day after last)` in UTC milliseconds.
    pub fn millis(&self, tz: Tz) -> (Millis, Millis) {
        let after = self.last.succ_opt().unwrap_or(self.last);
        (day_start(self.first, tz), day_start(after, tz))
    }
}

/// `"YYYY-MM-DD"` to `"YYYY-MM-DD"`, both days included, in `tz`: `[from, to)` in UTC ms.
pub fn local_range(
    date_from: &str,
    date_to: &str,
    tz: Tz,
) -> Result<(Millis, Millis), ReportError> {
    let range = DateRange::new(parse_date(date_from)?, parse_date(date_to)?)?;
    Ok(range.millis(tz))
}

/// The period pickers every report offers. All end with today (the future has no data), and
/// "last N days" includes today.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Preset {
    Today,
    Yesterday,
    #[serde(rename = "last_7_days")]
    Last7Days,
    #[serde(rename = "last_30_days")]
    Last30Days,
    ThisMonth,
    /// The whole previous calendar month.
    LastMonth,
}

impl Preset {
    pub fn dates(self, now: Millis, tz: Tz) -> DateRange {
        let today = local_date(now, tz);
        let back = |n: u64| today.checked_sub_days(Days::new(n)).unwrap_or(today);
        let month_start = today.with_day(1).unwrap_or(today);
        let (first, last) = match self {
            Preset::Today => (today, today),
            Preset::Yesterday => (back(1), back(1)),
            Preset::Last7Days => (back(6), today),
            Preset::Last30Days => (back(29), today),
            Preset::ThisMonth => (month_start, today),
            Preset::LastMonth => {
                let last = month_start.pred_opt().unwrap_or(month_start);
                (last.with_day(1).unwrap_or(last), last)
            }
        };
        DateRange { first, last }
    }

    pub fn range(self, now: Millis, tz: Tz) -> (Millis, Millis) {
        self.dates(now, tz).millis(tz)
    }
}

/// One local day of a range, clamped to the range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Day {
    pub date: NaiveDate,
    pub start: Millis,
    pub end: Millis,
}

pub(crate) fn check_range(from: Millis, to: Millis) -> Result<(), ReportError> {
    if MIN_MILLIS <= from && from < to && to <= MAX_MILLIS {
        Ok(())
    } else {
        Err(ReportError::BadRange)
    }
}

/// The local days `[from, to)` touches, oldest first. At most [`MAX_DAYS`].
pub fn days(from: Millis, to: Millis, tz: Tz) -> Result<Vec<Day>, ReportError> {
    check_range(from, to)?;
    let first = local_date(from, tz);
    let last = local_date(to - 1, tz);
    let count = (last - first).num_days() + 1;
    if count > MAX_DAYS {
        return Err(ReportError::RangeTooLong {
            days: count,
            limit: MAX_DAYS,
        });
    }
    let mut out = Vec::new();
    let mut date = first;
    while date <= last {
        let next = date.succ_opt().ok_or(ReportError::BadRange)?;
        out.push(Day {
            date,
            start: day_start(date, tz).max(from),
            end: day_start(next, tz).min(to),
        });
        date = next;
    }
    Ok(out)
}

/// A stretch of a range over which SQL can compute the local day of an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Segment {
    pub start: Millis,
    pub end: Millis,
    pub day: SegmentDay,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SegmentDay {
    /// Whole 24-hour days at one UTC offset: day = `(t + offset_ms) / 86400000`.
    Shift(Millis),
    /// A single day with a clock change in it: every instant is on this day number.
    Fixed(i64),
}

/// Split `[from, to)` into runs of days at one constant offset and the odd days (clock
/// changes) between them: a range with no clock change is a single segment, a year in Europe
/// five. This is how the edge gets per-day buckets from SQLite, which knows no time zones,
/// with a handful of bound values instead of one per day.
pub(crate) fn segments(from: Millis, to: Millis, tz: Tz) -> Result<Vec<Segment>, ReportError> {
    let mut out: Vec<Segment> = Vec::new();
    for day in days(from, to, tz)? {
        let start = day_start(day.date, tz);
        let end = day
            .date
            .succ_opt()
            .map_or(start + DAY, |d| day_start(d, tz));
        let offset = offset_at(start, tz);
        // Hourly probes catch a day whose two clock changes cancel out to 24 hours.
        let steady =
            end - start == DAY && (1..24).all(|h| offset_at(start + h * HOUR, tz) == offset);
        let kind = if steady {
            SegmentDay::Shift(offset)
        } else {
            SegmentDay::Fixed(day_number(day.date))
        };
        match out.last_mut() {
            Some(last) if steady && last.day == kind && last.end == day.start => {
                last.end = day.end;
            }
            _ => out.push(Segment {
                start: day.start,
                end: day.end,
                day: kind,
            }),
        }
    }
    Ok(out)
}
