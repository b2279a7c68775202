//! The Files page's filters as the agent set them, and the query they make (pure; the
//! browser's calendar is passed in as a function).

use charla_shared::basic::Millis;
use charla_shared::file_index::FileQuery;
use charla_shared::files::FileGroup;
use chrono::NaiveDate;

/// Rows per page.
pub const PAGE: u32 = 50;

/// What narrows the list. Dates are the `<input type=date>` values (`YYYY-MM-DD`, the agent's
/// own calendar days, both included); contact and conversation come from a row's buttons.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    pub from: String,
    pub to: String,
    pub group: Option<FileGroup>,
    /// Id and the name shown for it.
    pub contact: Option<(String, String)>,
    pub conversation: Option<(String, String)>,
}

/// The groups the type filter offers, in order.
pub const GROUPS: [FileGroup; 6] = [
    FileGroup::Image,
    FileGroup::Pdf,
    FileGroup::Office,
    FileGroup::Text,
    FileGroup::Archive,
    FileGroup::Media,
];

fn day(s: &str) -> Option<NaiveDate> {
    let mut parts = s.trim().splitn(3, '-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

impl Filters {
    /// The first page's query. `midnight(date)` is when that day starts for the agent (their
    /// browser's time zone); the "until" day is included.
    pub fn query(&self, midnight: impl Fn(NaiveDate) -> Millis) -> FileQuery {
        FileQuery {
            from: day(&self.from).map(&midnight),
            to: day(&self.to).and_then(|d| d.succ_opt()).map(&midnight),
            group: self.group,
            contact: self.contact.as_ref().map(|(id, _)| id.clone()),
            conversation: self.conversation.as_ref().map(|(id, _)| id.clone()),
            cursor: None,
            limit: PAGE,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Days from 2026-01-01 as a stand-in calendar (a day = 1000 ms).
    fn midnight(d: NaiveDate) -> Millis {
        (d - NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()).num_days() * 1000
    }

    #[test]
    fn dates_become_a_half_open_range_including_the_last_day() {
        let f = Filters {
            from: "2026-01-03".into(),
            to: "2026-01-03".into(),
            group: Some(FileGroup::Pdf),
            contact: Some(("v_1".into(), "Ana".into())),
            conversation: None,
        };
        let q = f.query(midnight);
        assert_eq!((q.from, q.to), (Some(2000), Some(3000)));
        assert_eq!(q.group, Some(FileGroup::Pdf));
        assert_eq!(q.contact.as_deref(), Some("v_1"));
        assert_eq!(q.limit, PAGE);
    }

    #[test]
    fn empty_or_broken_dates_do_not_filter() {
        let f = Filters {
            from: "".into(),
            to: "2026-13-40".into(),
            ..Filters::default()
        };
        let q = f.query(midnight);
        assert_eq!((q.from, q.to), (None, None));
        assert_eq!(Filters::default().query(midnight).to_query(), "limit=50");
    }
}
