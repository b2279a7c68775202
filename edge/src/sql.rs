//! Schema migrations for Durable Object SQLite, recorded in `schema_migrations`
//! (never `PRAGMA user_version`, which the platform reserves).

use serde::Deserialize;
use worker::SqlStorage;

#[derive(Deserialize)]
struct Version {
    version: i64,
}

/// Apply `steps[i]` as version `i + 1` unless already applied. Steps only ever get appended.
pub fn migrate(sql: &SqlStorage, steps: &[&str]) -> worker::Result<()> {
    sql.exec(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY)",
        None,
    )?;
    let done: Vec<Version> = sql
        .exec(
            "SELECT COALESCE(MAX(version), 0) AS version FROM schema_migrations",
            None,
        )?
        .to_array()?;
    let current = done.first().map_or(0, |v| v.version);
    for (i, step) in steps.iter().enumerate() {
        let version = i as i64 + 1;
        if version > current {
            sql.exec(step, None)?;
            sql.exec(
                "INSERT INTO schema_migrations (version) VALUES (?)",
                vec![version.into()],
            )?;
        }
    }
    Ok(())
}

/// A core-built statement's bound values, for `SqlStorage::exec`.
pub fn binds(values: &[charla_shared::reports::SqlValue]) -> Vec<worker::SqlStorageValue> {
    use charla_shared::reports::SqlValue;
    values
        .iter()
        .map(|v| match v {
            SqlValue::Int(i) => worker::SqlStorageValue::Integer(*i),
            SqlValue::Text(t) => worker::SqlStorageValue::String(t.clone()),
            SqlValue::Null => worker::SqlStorageValue::Null,
        })
        .collect()
}
