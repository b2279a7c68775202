//! The workspace's schedule: business hours, a weekly schedule in a time zone, minus holidays.
//!
//! One schedule serves every feature that asks "are we open?": workflows branch on it, the
//! widget shows "we reply in ..." from it, reports measure business-hours durations with it.
//! It lives here, not in any one of them, so none of them owns what the others read.
//!
//! Times are local wall-clock times ("09:00" in Madrid), because that is how a workspace
//! thinks about its opening hours; they are turned into instants only when a question is asked
//! (`is_open(now)`, `next_open(now)`), so a daylight-saving change needs no edit.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{Datelike, NaiveDate, NaiveDateTime, Offset as _, TimeZone as _, Timelike, Weekday};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::basic::Millis;
use crate::reports::OpenHours;

/// Why a time zone or a time of day was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScheduleError {
    #[error("unknown time zone {0:?}")]
    UnknownTimeZone(String),
    #[error("{0:?} is not a time of day (HH:MM, 00:00 to 24:00)")]
    BadClockTime(String),
}

impl ScheduleError {
    pub fn code(&self) -> crate::error::ErrorCode {
        crate::error::ErrorCode::BadRequest
    }
}

/// How far ahead [`BusinessHours::next_open`] looks. A year and a bit covers any run of
/// holidays a real schedule has; a schedule with no open hours at all answers `None`.
const LOOKAHEAD_DAYS: i64 = 370;
const MINUTES_PER_DAY: u16 = 24 * 60;

/// An IANA time zone ("Europe/Madrid"). Stored as its name; an unknown name fails to
/// deserialize, so a schedule never silently falls back to UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TimeZone(Tz);

impl TimeZone {
    pub const UTC: TimeZone = TimeZone(Tz::UTC);

    pub fn parse(name: &str) -> Result<Self, ScheduleError> {
        name.parse::<Tz>()
            .map(TimeZone)
            .map_err(|_| ScheduleError::UnknownTimeZone(name.to_owned()))
    }

    pub fn name(self) -> &'static str {
        self.0.name()
    }
}

/// A time zone's clock rules: the UTC offset in force at an instant. Everything a schedule asks
/// (local time, the instant of a wall-clock time) follows from that one question, so a caller
/// can answer it from somewhere other than the bundled tz database: the inbox asks the browser
/// (`Intl`), which keeps ~200 KB gz of zone tables out of its download, while the edge and the
/// tests use [`TimeZone`] itself.
pub trait ZoneRules {
    /// Seconds east of UTC at `utc` (Madrid in summer: 7200); `None` when unknown.
    fn offset_at(&self, utc: Millis) -> Option<i32>;

    /// Local wall-clock time at `now`. `None` only for instants that cannot be represented
    /// (hundreds of thousands of years away), which callers treat as "unknown".
    fn local(&self, now: Millis) -> Option<NaiveDateTime> {
        let offset = Millis::from(self.offset_at(now)?) * 1000;
        Some(chrono::DateTime::from_timestamp_millis(now.checked_add(offset)?)?.naive_utc())
    }

    /// The instant of a local wall-clock time. In a daylight-saving gap (a time that does not
    /// exist that day) the clocks have just jumped forward, so the first existing time after it
    /// is one hour later; in an overlap the earlier instant wins.
    fn instant(&self, local: NaiveDateTime) -> Option<Millis> {
        earliest_instant(self, local).or_else(|| {
            earliest_instant(self, local.checked_add_signed(chrono::Duration::hours(1))?)
        })
    }
}

/// The earliest instant whose local time is `local`, if any. The offsets a day either side are
/// the only candidates: zones change their offset at most once within a day.
fn earliest_instant<R: ZoneRules + ?Sized>(rules: &R, local: NaiveDateTime) -> Option<Millis> {
    const DAY: Millis = 86_400_000;
    let wall = local.and_utc().timestamp_millis();
    let mut candidates = [rules.offset_at(wall - DAY)?, rules.offset_at(wall + DAY)?];
    // The larger offset gives the earlier instant.
    candidates.sort_unstable_by(|a, b| b.cmp(a));
    candidates.into_iter().find_map(|offset| {
        let at = wall - Millis::from(offset) * 1000;
        (rules.offset_at(at) == Some(offset)).then_some(at)
    })
}

/// The bundled tz database: exact, and what the edge decides with.
impl ZoneRules for TimeZone {
    fn offset_at(&self, utc: Millis) -> Option<i32> {
        let at = chrono::DateTime::from_timestamp_millis(utc)?;
        Some(
            self.0
                .offset_from_utc_datetime(&at.naive_utc())
                .fix()
                .local_minus_utc(),
        )
    }

    fn local(&self, now: Millis) -> Option<NaiveDateTime> {
        let utc = chrono::DateTime::from_timestamp_millis(now)?;
        Some(self.0.from_utc_datetime(&utc.naive_utc()).naive_local())
    }

    fn instant(&self, local: NaiveDateTime) -> Option<Millis> {
        let at = self.0.from_local_datetime(&local).earliest().or_else(|| {
            let later = local.checked_add_signed(chrono::Duration::hours(1))?;
            self.0.from_local_datetime(&later).earliest()
        })?;
        Some(at.timestamp_millis())
    }
}

impl Default for TimeZone {
    fn default() -> Self {
        TimeZone::UTC
    }
}

impl TryFrom<String> for TimeZone {
    type Error = ScheduleError;
    fn try_from(name: String) -> Result<Self, Self::Error> {
        TimeZone::parse(&name)
    }
}

impl From<TimeZone> for String {
    fn from(tz: TimeZone) -> String {
        tz.name().to_owned()
    }
}

/// Day of the week as schedules, conditions (`now.weekday`) and the editor spell it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Day {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}

impl Day {
    pub const ALL: [Day; 7] = [
        Day::Mon,
        Day::Tue,
        Day::Wed,
        Day::Thu,
        Day::Fri,
        Day::Sat,
        Day::Sun,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Day::Mon => "mon",
            Day::Tue => "tue",
            Day::Wed => "wed",
            Day::Thu => "thu",
            Day::Fri => "fri",
            Day::Sat => "sat",
            Day::Sun => "sun",
        }
    }

    /// English name, for messages such as "we're back on Monday at 09:00".
    pub fn name(self) -> &'static str {
        match self {
            Day::Mon => "Monday",
            Day::Tue => "Tuesday",
            Day::Wed => "Wednesday",
            Day::Thu => "Thursday",
            Day::Fri => "Friday",
            Day::Sat => "Saturday",
            Day::Sun => "Sunday",
        }
    }
}

impl From<Weekday> for Day {
    fn from(day: Weekday) -> Self {
        match day {
            Weekday::Mon => Day::Mon,
            Weekday::Tue => Day::Tue,
            Weekday::Wed => Day::Wed,
            Weekday::Thu => Day::Thu,
            Weekday::Fri => Day::Fri,
            Weekday::Sat => Day::Sat,
            Weekday::Sun => Day::Sun,
        }
    }
}

/// A wall-clock time of day, "HH:MM", from "00:00" to "24:00" (the end of a day that closes
/// at midnight).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ClockTime(u16);

impl ClockTime {
    pub fn parse(text: &str) -> Result<Self, ScheduleError> {
        let bad = || ScheduleError::BadClockTime(text.to_owned());
        let (h, m) = text.split_once(':').ok_or_else(bad)?;
        if h.len() != 2 || m.len() != 2 {
            return Err(bad());
        }
        let h: u16 = h.parse().map_err(|_| bad())?;
        let m: u16 = m.parse().map_err(|_| bad())?;
        let minutes = h * 60 + m;
        if m >= 60 || minutes > MINUTES_PER_DAY {
            return Err(bad());
        }
        Ok(ClockTime(minutes))
    }

    pub fn from_minutes(minutes: u16) -> Option<Self> {
        (minutes <= MINUTES_PER_DAY).then_some(ClockTime(minutes))
    }

    /// Minutes since local midnight.
    pub fn minutes(self) -> u16 {
        self.0
    }
}

impl fmt::Display for ClockTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.0 / 60, self.0 % 60)
    }
}

impl TryFrom<String> for ClockTime {
    type Error = ScheduleError;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        ClockTime::parse(&text)
    }
}

impl From<ClockTime> for String {
    fn from(t: ClockTime) -> String {
        t.to_string()
    }
}

/// Open from `from` (inclusive) to `to` (exclusive), the same day. A night shift is two spans:
/// "22:00"–"24:00" and the next day's "00:00"–"06:00".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    pub from: ClockTime,
    pub to: ClockTime,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holiday {
    /// Local date, "YYYY-MM-DD"; closed the whole day.
    pub date: NaiveDate,
    #[serde(default)]
    pub name: String,
}

/// One workspace's opening hours. A day missing from `week` is closed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BusinessHours {
    #[serde(default)]
    pub time_zone: TimeZone,
    #[serde(default)]
    pub week: BTreeMap<Day, Vec<Span>>,
    #[serde(default)]
    pub holidays: Vec<Holiday>,
}

impl BusinessHours {
    /// Problems to show in the settings form; an empty list means the schedule is usable.
    pub fn validate(&self) -> Vec<String> {
        let mut problems = Vec::new();
        for (day, spans) in &self.week {
            for span in spans {
                if span.from >= span.to {
                    problems.push(format!(
                        "{}: {}–{} ends before it starts",
                        day.as_str(),
                        span.from,
                        span.to
                    ));
                }
            }
            // An overlap would count the same minute twice in reports' business-hours times.
            let mut sorted: Vec<&Span> = spans.iter().filter(|s| s.from < s.to).collect();
            sorted.sort_by_key(|s| s.from);
            for pair in sorted.windows(2) {
                if pair[1].from < pair[0].to {
                    problems.push(format!(
                        "{}: {}–{} overlaps {}–{}",
                        day.as_str(),
                        pair[1].from,
                        pair[1].to,
                        pair[0].from,
                        pair[0].to
                    ));
                }
            }
        }
        problems
    }

    fn is_holiday(&self, date: NaiveDate) -> bool {
        self.holidays.iter().any(|h| h.date == date)
    }

    fn spans(&self, date: NaiveDate) -> &[Span] {
        if self.is_holiday(date) {
            return &[];
        }
        self.week
            .get(&Day::from(date.weekday()))
            .map_or(&[], Vec::as_slice)
    }

    pub fn is_open(&self, now: Millis) -> bool {
        self.is_open_in(&self.time_zone, now)
    }

    /// [`Self::is_open`] with the zone's rules from `rules` (which must describe
    /// `self.time_zone`); see [`ZoneRules`].
    pub fn is_open_in(&self, rules: &impl ZoneRules, now: Millis) -> bool {
        let Some(local) = rules.local(now) else {
            return false;
        };
        let minute = (local.hour() * 60 + local.minute()) as u16;
        self.spans(local.date())
            .iter()
            .any(|s| s.from.minutes() <= minute && minute < s.to.minutes())
    }

    /// The next instant the workspace is open: `now` itself when open, `None` when the
    /// schedule has no open hours within a year.
    pub fn next_open(&self, now: Millis) -> Option<Millis> {
        self.next_open_in(&self.time_zone, now)
    }

    /// [`Self::next_open`] with the zone's rules from `rules`; see [`ZoneRules`].
    pub fn next_open_in(&self, rules: &impl ZoneRules, now: Millis) -> Option<Millis> {
        if self.is_open_in(rules, now) {
            return Some(now);
        }
        let local = rules.local(now)?;
        let minute = (local.hour() * 60 + local.minute()) as u16;
        let mut date = local.date();
        for offset in 0..LOOKAHEAD_DAYS {
            let mut starts: Vec<u16> = self
                .spans(date)
                .iter()
                .filter(|s| s.from < s.to)
                .map(|s| s.from.minutes())
                .filter(|&from| offset > 0 || from > minute)
                .collect();
            starts.sort_unstable();
            for from in starts {
                let at = date.and_hms_opt(u32::from(from / 60), u32::from(from % 60), 0)?;
                match rules.instant(at) {
                    Some(t) if t > now => return Some(t),
                    _ => {}
                }
            }
            date = date.succ_opt()?;
        }
        None
    }
}

/// Reports' business-hours times (first response, resolution) count only the minutes a
/// workspace was open: its weekly spans in its time zone, holidays closed all day. Spans are
/// wall-clock times turned into instants day by day, so a daylight-saving day is an hour
/// shorter or longer, as it was for the team.
impl OpenHours for BusinessHours {
    fn open_millis_between(&self, from: Millis, to: Millis) -> Millis {
        if to <= from {
            return 0;
        }
        let (Some(first), Some(last)) = (self.time_zone.local(from), self.time_zone.local(to))
        else {
            return 0;
        };
        let (mut date, last) = (first.date(), last.date());
        let mut total: Millis = 0;
        while date <= last {
            for span in self.spans(date).iter().filter(|s| s.from < s.to) {
                let instant = |t: ClockTime| {
                    let at = date.and_hms_opt(0, 0, 0)?
                        + chrono::Duration::minutes(i64::from(t.minutes()));
                    self.time_zone.instant(at)
                };
                if let (Some(start), Some(end)) = (instant(span.from), instant(span.to)) {
                    total += (end.min(to) - start.max(from)).max(0);
                }
            }
            match date.succ_opt() {
                Some(next) => date = next,
                None => break,
            }
        }
        total
    }
}

#[cfg(test)]
pub(crate) mod tests;
