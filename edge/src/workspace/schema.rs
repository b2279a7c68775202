//! The Workspace DO's tables, as migrations (steps are only ever appended), and the column
//! codecs every feature reads its rows with.

use charla_shared::protocol::Role;
use serde::{Deserialize, Serialize};

pub(super) const MIGRATIONS: &[&str] = &[
    "
    CREATE TABLE settings (k TEXT PRIMARY KEY, v TEXT NOT NULL);
    CREATE TABLE agents (
        id TEXT PRIMARY KEY,
        email TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        role TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        created_at INTEGER NOT NULL
    );
    CREATE TABLE conversations (
        id TEXT PRIMARY KEY,
        contact_id TEXT NOT NULL,
        contact_name TEXT NOT NULL,
        status TEXT NOT NULL,
        last_seq INTEGER NOT NULL,
        last_text TEXT NOT NULL,
        last_author TEXT NOT NULL,
        last_at INTEGER NOT NULL,
        unread INTEGER NOT NULL,
        created_at INTEGER NOT NULL
    );
    CREATE INDEX conversations_by_activity ON conversations (last_at DESC);
",
    "
    ALTER TABLE conversations ADD COLUMN assignee_id TEXT;
    ALTER TABLE conversations ADD COLUMN team_id TEXT;
    ALTER TABLE conversations ADD COLUMN bot_paused INTEGER NOT NULL DEFAULT 0;
",
    "
    ALTER TABLE conversations ADD COLUMN period INTEGER NOT NULL DEFAULT 1;
    ALTER TABLE conversations ADD COLUMN routed_period INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE agents ADD COLUMN capacity INTEGER;
    ALTER TABLE agents ADD COLUMN away INTEGER NOT NULL DEFAULT 0;
",
    "
    CREATE TABLE teams (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        created_at INTEGER NOT NULL
    );
    CREATE TABLE team_members (
        team_id TEXT NOT NULL,
        agent_id TEXT NOT NULL,
        PRIMARY KEY (team_id, agent_id)
    );
",
    "
    CREATE TABLE invites (
        fingerprint TEXT PRIMARY KEY,
        email TEXT NOT NULL,
        role TEXT NOT NULL,
        expires_at INTEGER NOT NULL,
        used_at INTEGER
    );
",
    "
    ALTER TABLE agents ADD COLUMN access TEXT NOT NULL DEFAULT 'all';
    CREATE TABLE contacts (
        id TEXT PRIMARY KEY,
        name TEXT,
        data TEXT NOT NULL,
        updated_at INTEGER NOT NULL
    );
    CREATE INDEX conversations_by_contact ON conversations (contact_id);
",
    "
    CREATE TABLE identities (
        user_id TEXT PRIMARY KEY,
        visitor_id TEXT NOT NULL,
        conversation_id TEXT NOT NULL,
        created_at INTEGER NOT NULL
    );
",
    "
    CREATE TABLE workflows (
        id TEXT PRIMARY KEY,
        version INTEGER NOT NULL,
        enabled INTEGER NOT NULL,
        data TEXT NOT NULL,
        updated_at INTEGER NOT NULL
    );
    CREATE TABLE workflow_versions (
        id TEXT NOT NULL,
        version INTEGER NOT NULL,
        data TEXT NOT NULL,
        PRIMARY KEY (id, version)
    );
    CREATE TABLE workflow_runs (
        run_id TEXT PRIMARY KEY,
        workflow_id TEXT NOT NULL,
        started_at INTEGER NOT NULL,
        data TEXT NOT NULL
    );
    CREATE INDEX workflow_runs_by_workflow ON workflow_runs (workflow_id, started_at DESC);
",
    charla_shared::reports::SCHEMA,
    "
    CREATE TABLE login_attempts (
        email TEXT PRIMARY KEY,
        failures INTEGER NOT NULL,
        window_start INTEGER NOT NULL
    );
    CREATE TABLE agent_sockets (
        agent_id TEXT NOT NULL,
        conversation_id TEXT NOT NULL,
        opened_at INTEGER NOT NULL,
        PRIMARY KEY (agent_id, conversation_id)
    );
",
    charla_shared::reports::ROLLUP_SCHEMA,
    // Each agent's own choices (notifications, …), one JSON value per key.
    "
    CREATE TABLE agent_prefs (
        agent_id TEXT NOT NULL,
        k TEXT NOT NULL,
        v TEXT NOT NULL,
        PRIMARY KEY (agent_id, k)
    );
",
    "
    CREATE TABLE snippets (
        id TEXT PRIMARY KEY,
        scope TEXT NOT NULL,
        owner_id TEXT NOT NULL,
        shortcut TEXT NOT NULL,
        text TEXT NOT NULL,
        updated_at INTEGER NOT NULL,
        UNIQUE (owner_id, shortcut)
    );
",
    // Accounts: a deactivated agent keeps their row (reports and timelines name them);
    // `session_gen` is bumped to end every session at once (tokens carry the generation they
    // were signed in); password-reset links, kept like invites as fingerprints.
    "
    ALTER TABLE agents ADD COLUMN deactivated_at INTEGER;
    ALTER TABLE agents ADD COLUMN session_gen INTEGER NOT NULL DEFAULT 0;
    CREATE TABLE password_resets (
        fingerprint TEXT PRIMARY KEY,
        agent_id TEXT NOT NULL,
        expires_at INTEGER NOT NULL,
        used_at INTEGER
    );
",
    // The search backfill (see `backfill`): one row while it has work left, where it stopped.
    "
    CREATE TABLE search_backfill (phase TEXT NOT NULL, cursor TEXT NOT NULL);
    INSERT INTO search_backfill VALUES ('contacts', '');
",
    charla_shared::reports::ATTACHMENTS_SCHEMA,
    // REST API keys (`api_keys.rs`): only the secret's SHA-256 is kept.
    "
    CREATE TABLE api_keys (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        scopes TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        hint TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        created_by TEXT NOT NULL,
        last_used_at INTEGER,
        revoked_at INTEGER
    );
",
    // What each REST API key's idempotency keys made (`contacts.rs`), so a retried create
    // answers the first result instead of making a second contact.
    "
    CREATE TABLE api_idempotency (
        key_id TEXT NOT NULL,
        idempotency_key TEXT NOT NULL,
        made_id TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (key_id, idempotency_key)
    );
",
    // Webhook subscriptions and their delivery log (`webhooks.rs`). The secret is kept as
    // it is: every delivery is signed with it.
    "
    CREATE TABLE webhooks (
        id TEXT PRIMARY KEY,
        url TEXT NOT NULL,
        events TEXT NOT NULL,
        secret TEXT NOT NULL,
        created_at INTEGER NOT NULL
    );
    CREATE TABLE webhook_deliveries (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        webhook_id TEXT NOT NULL,
        event_id TEXT NOT NULL,
        event_type TEXT NOT NULL,
        attempt INTEGER NOT NULL,
        status INTEGER,
        ok INTEGER NOT NULL,
        error TEXT,
        latency_ms INTEGER NOT NULL,
        response TEXT NOT NULL,
        at INTEGER NOT NULL,
        envelope TEXT NOT NULL
    );
    CREATE INDEX webhook_deliveries_by_hook ON webhook_deliveries (webhook_id, id DESC);
",
    // The workspace's files index (`files.rs`): one row per file sent in a message.
    "
    CREATE TABLE files (
        id TEXT PRIMARY KEY,
        conversation_id TEXT NOT NULL,
        contact_id TEXT NOT NULL,
        sender_kind TEXT NOT NULL,
        sender_id TEXT NOT NULL,
        sender_name TEXT NOT NULL,
        name TEXT NOT NULL,
        content_type TEXT NOT NULL,
        file_group TEXT NOT NULL,
        size INTEGER NOT NULL,
        width INTEGER,
        height INTEGER,
        seq INTEGER NOT NULL,
        sent_at INTEGER NOT NULL
    );
    CREATE INDEX files_by_time ON files (sent_at DESC, id DESC);
    CREATE INDEX files_by_conversation ON files (conversation_id, sent_at DESC);
    CREATE INDEX files_by_contact ON files (contact_id, sent_at DESC);
",
];

pub(super) fn role_str(role: &Role) -> &'static str {
    match role {
        Role::Owner => "owner",
        Role::Manager => "manager",
        Role::Agent => "agent",
    }
}

pub(super) fn parse_role(s: &str) -> Role {
    match s {
        "owner" => Role::Owner,
        "manager" => Role::Manager,
        _ => Role::Agent,
    }
}

pub(super) fn enum_str<T: Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

pub(super) fn parse_enum<T: for<'de> Deserialize<'de>>(s: &str, fallback: T) -> T {
    serde_json::from_value(serde_json::Value::String(s.to_owned())).unwrap_or(fallback)
}
