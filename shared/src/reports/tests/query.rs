use super::*;
use crate::protocol::Role;
use crate::reports::{
    parse_time_zone, ReportError, ReportQuery, Sort, SortColumn, SqlQuery, SqlValue, MAX_BINDS,
    MAX_PAGE_SIZE,
};

fn q() -> ReportQuery {
    ReportQuery::new(T0, T0 + 30 * DAY)
}

const HOSTILE: &str = "x' OR 1=1; DROP TABLE report_rows; --";

fn hostile() -> ReportQuery {
    ReportQuery {
        agent: Some(HOSTILE.into()),
        team: Some(HOSTILE.into()),
        category: Some(HOSTILE.into()),
        ..q()
    }
}

/// Every statement a query can produce.
fn all_statements(q: &ReportQuery) -> Vec<SqlQuery> {
    let tz = parse_time_zone("Europe/Madrid").unwrap();
    let mut out = vec![
        q.list_sql().unwrap(),
        q.count_sql().unwrap(),
        q.export_sql().unwrap(),
    ];
    let o = q.overview_sql(tz).unwrap();
    out.extend(o.opened_by_day);
    out.extend(o.closed_by_day);
    out.push(o.percentiles);
    out.extend(o.daily_percentiles);
    let l = q.leaderboard_sql().unwrap();
    out.extend([l.shares, l.closed, l.percentiles]);
    let t = q.team_sql().unwrap();
    out.extend([t.totals, t.percentiles]);
    out
}

#[test]
fn user_text_only_travels_as_binds() {
    for stmt in all_statements(&hostile()) {
        assert!(!stmt.sql.contains("DROP"), "{}", stmt.sql);
        assert_eq!(
            stmt.sql.matches('?').count(),
            stmt.binds.len(),
            "{}",
            stmt.sql
        );
        assert!(stmt.binds.len() <= MAX_BINDS, "{} binds", stmt.binds.len());
    }
    let list = hostile().list_sql().unwrap();
    assert_eq!(
        list.binds,
        vec![
            SqlValue::Int(T0),
            SqlValue::Int(T0 + 30 * DAY),
            SqlValue::Text(HOSTILE.into()),
            SqlValue::Text(HOSTILE.into()),
            SqlValue::Text(HOSTILE.into()),
            SqlValue::Int(50),
            SqlValue::Int(0),
        ]
    );
}

#[test]
fn bind_counts_stay_under_the_limit_for_a_year_with_every_filter() {
    let madrid_year = ReportQuery {
        from: 1_704_063_600_000, // 2024-01-01 Madrid
        to: 1_735_686_000_000,   // 2025-01-01 Madrid
        ..hostile()
    };
    for stmt in all_statements(&madrid_year) {
        assert!(
            stmt.binds.len() <= MAX_BINDS,
            "{} binds: {}",
            stmt.binds.len(),
            stmt.sql
        );
    }
}

#[test]
fn sort_columns_are_a_whitelist() {
    let json = |column: &str| {
        format!(
            r#"{{"from":{T0},"to":{},"sort":{{"column":"{column}","desc":false}}}}"#,
            T0 + DAY
        )
    };
    let parsed: ReportQuery = serde_json::from_str(&json("first_response")).unwrap();
    assert_eq!(parsed.sort.column, SortColumn::FirstResponse);
    for bad in [
        "closed_at; DROP TABLE report_rows",
        "summary",
        "CLOSED_AT",
        "",
    ] {
        assert!(
            serde_json::from_str::<ReportQuery>(&json(bad)).is_err(),
            "{bad:?}"
        );
    }
    let cases = [
        (
            SortColumn::ClosedAt,
            true,
            "ORDER BY closed_at DESC NULLS LAST, conversation_id DESC, period DESC",
        ),
        (
            SortColumn::FirstResponse,
            false,
            "ORDER BY first_response_ms ASC NULLS LAST, conversation_id ASC, period ASC",
        ),
        (
            SortColumn::ContactName,
            false,
            "ORDER BY contact_name COLLATE NOCASE ASC NULLS LAST",
        ),
        (
            SortColumn::Resolution,
            true,
            "ORDER BY resolution_ms DESC NULLS LAST",
        ),
    ];
    for (column, desc, want) in cases {
        let query = ReportQuery {
            sort: Sort { column, desc },
            ..q()
        };
        let sql = query.list_sql().unwrap().sql;
        assert!(sql.contains(want), "{column:?}: {sql}");
    }
}

#[test]
fn defaults_and_limits() {
    let parsed: ReportQuery =
        serde_json::from_str(&format!(r#"{{"from":{T0},"to":{}}}"#, T0 + DAY)).unwrap();
    assert_eq!(parsed, ReportQuery::new(T0, T0 + DAY));
    assert_eq!(
        parsed.sort,
        Sort {
            column: SortColumn::ClosedAt,
            desc: true
        }
    );
    let page = |page, page_size| ReportQuery {
        page,
        page_size,
        ..q()
    };
    let cases = [
        (page(1, 1), Ok(())),
        (page(3, MAX_PAGE_SIZE), Ok(())),
        (
            page(0, 50),
            Err(ReportError::BadPage { max: MAX_PAGE_SIZE }),
        ),
        (page(1, 0), Err(ReportError::BadPage { max: MAX_PAGE_SIZE })),
        (
            page(1, MAX_PAGE_SIZE + 1),
            Err(ReportError::BadPage { max: MAX_PAGE_SIZE }),
        ),
        (ReportQuery::new(T0, T0), Err(ReportError::BadRange)),
        (ReportQuery::new(T0, T0 - 1), Err(ReportError::BadRange)),
        (ReportQuery::new(-1, T0), Err(ReportError::BadRange)),
    ];
    for (query, want) in cases {
        assert_eq!(query.validate(), want, "{query:?}");
        assert_eq!(query.list_sql().map(|_| ()), want);
    }
    let third = page(3, 20).list_sql().unwrap();
    assert_eq!(&third.binds[2..], &[SqlValue::Int(20), SqlValue::Int(40)]);
    assert_eq!(ReportError::BadRange.code(), crate::ErrorCode::BadRequest);
}

#[test]
fn agents_see_only_their_own_figures() {
    let asked = ReportQuery {
        agent: Some("someone_else".into()),
        ..q()
    };
    let cases = [
        (Role::Agent, Some("me")),
        (Role::Manager, Some("someone_else")),
        (Role::Owner, Some("someone_else")),
    ];
    for (role, want) in cases {
        assert_eq!(
            asked.clone().scoped(&role, "me").agent.as_deref(),
            want,
            "{role:?}"
        );
    }
    assert_eq!(q().scoped(&Role::Manager, "me").agent, None);
}

#[test]
fn filters_become_one_where_clause() {
    let query = ReportQuery {
        agent: s("a1"),
        team: s("t1"),
        category: s("Ventas"),
        ..q()
    };
    let sql = query.list_sql().unwrap().sql;
    assert!(sql.contains(
        "WHERE closed_at >= ? AND closed_at < ? AND team_id = ? AND category = ? AND assignee_id = ?"
    ));
}
