//! The workspace's agents as the inbox shows them: presence in words (never colour alone),
//! load against capacity, names for ids, and the capacity field's parsing. Pure, so the
//! wording is tested natively.

use crate::i18n::Texts;
use charla_shared::protocol::{Access, AgentStatus, Role, Team};

/// Whether an agent can take a conversation right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    Online,
    /// Their own toggle; they get no automatic assignments even with an inbox open.
    Away,
    /// No inbox open.
    Offline,
}

impl Presence {
    pub fn of(agent: &AgentStatus) -> Presence {
        if agent.away {
            Presence::Away
        } else if agent.online {
            Presence::Online
        } else {
            Presence::Offline
        }
    }

    pub fn label(self, t: &Texts) -> &'static str {
        match self {
            Presence::Online => t.status_online,
            Presence::Away => t.away,
            Presence::Offline => t.status_offline,
        }
    }

    /// The `data-presence` value.
    pub fn name(self) -> &'static str {
        match self {
            Presence::Online => "online",
            Presence::Away => "away",
            Presence::Offline => "offline",
        }
    }
}

/// "2 / 5": open conversations against capacity; "2 / no limit" without one.
pub fn load(t: &Texts, agent: &AgentStatus) -> String {
    match agent.capacity {
        Some(capacity) => format!("{} / {capacity}", agent.open),
        None => format!("{} / {}", agent.open, t.no_limit_lower),
    }
}

/// Agents by name (case-insensitively), then id, so menus and tables keep a stable order.
pub fn sorted(agents: &[AgentStatus]) -> Vec<AgentStatus> {
    let mut list = agents.to_vec();
    list.sort_by(|a, b| {
        a.profile
            .name
            .to_lowercase()
            .cmp(&b.profile.name.to_lowercase())
            .then_with(|| a.profile.id.cmp(&b.profile.id))
    });
    list
}

/// Who can be given a conversation, as [`sorted`]: deactivated agents take none (the edge
/// refuses them too).
pub fn assignable(agents: &[AgentStatus]) -> Vec<AgentStatus> {
    let mut list = sorted(agents);
    list.retain(|a| !a.deactivated);
    list
}

pub fn find<'a>(agents: &'a [AgentStatus], id: &str) -> Option<&'a AgentStatus> {
    agents.iter().find(|a| a.profile.id == id)
}

/// An agent's display name; the id itself for someone not (yet) in the list.
pub fn name_of(agents: &[AgentStatus], id: &str) -> Option<String> {
    find(agents, id).map(|a| a.profile.name.clone())
}

pub fn team_name(teams: &[Team], id: &str) -> Option<String> {
    teams.iter().find(|t| t.id == id).map(|t| t.name.clone())
}

/// The capacity field: empty means no limit, otherwise a whole number.
pub fn parse_capacity(t: &Texts, input: &str) -> Result<Option<u32>, String> {
    parse_limit(input).map_err(|NotWhole| t.capacity_not_whole.to_owned())
}

/// A limit field that is neither empty nor a whole number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotWhole;

/// A "most open conversations" field (capacity, max open): empty means no limit.
pub fn parse_limit(input: &str) -> Result<Option<u32>, NotWhole> {
    let input = input.trim();
    if input.is_empty() {
        return Ok(None);
    }
    input.parse::<u32>().map(Some).map_err(|_| NotWhole)
}

pub fn limit_text(limit: Option<u32>) -> String {
    limit.map(|n| n.to_string()).unwrap_or_default()
}

pub fn role_name(role: &Role) -> &'static str {
    match role {
        Role::Owner => "owner",
        Role::Manager => "manager",
        Role::Agent => "agent",
    }
}

pub fn role_label(t: &Texts, role: &Role) -> &'static str {
    match role {
        Role::Owner => t.role_owner,
        Role::Manager => t.role_manager,
        Role::Agent => t.role_agent,
    }
}

pub fn parse_role(name: &str) -> Option<Role> {
    match name {
        "owner" => Some(Role::Owner),
        "manager" => Some(Role::Manager),
        "agent" => Some(Role::Agent),
        _ => None,
    }
}

pub const ROLES: [Role; 3] = [Role::Owner, Role::Manager, Role::Agent];

pub fn access_name(access: Access) -> &'static str {
    match access {
        Access::All => "all",
        Access::MineAndUnassigned => "mine_and_unassigned",
    }
}

pub fn access_label(t: &Texts, access: Access) -> &'static str {
    match access {
        Access::All => t.access_all,
        Access::MineAndUnassigned => t.access_mine,
    }
}

pub fn parse_access(name: &str) -> Option<Access> {
    match name {
        "all" => Some(Access::All),
        "mine_and_unassigned" => Some(Access::MineAndUnassigned),
        _ => None,
    }
}

pub const ACCESS_LEVELS: [Access; 2] = [Access::All, Access::MineAndUnassigned];

#[cfg(test)]
mod tests {
    use super::*;
    use charla_shared::protocol::AgentProfile;

    pub fn agent(id: &str, name: &str) -> AgentStatus {
        AgentStatus {
            profile: AgentProfile {
                id: id.into(),
                workspace_id: "demo".into(),
                email: format!("{id}@example.com"),
                name: name.into(),
                role: Role::Agent,
            },
            capacity: None,
            away: false,
            online: false,
            open: 0,
            access: Access::All,
            deactivated: false,
        }
    }

    #[test]
    fn deactivated_agents_are_not_assignable() {
        let mut gone = agent("a2", "Beto");
        gone.deactivated = true;
        let list = [agent("a3", "Carla"), gone, agent("a1", "Ana")];
        let names: Vec<String> = assignable(&list)
            .into_iter()
            .map(|a| a.profile.name)
            .collect();
        assert_eq!(names, ["Ana", "Carla"]);
        assert_eq!(sorted(&list).len(), 3, "settings still list them");
    }

    #[test]
    fn presence_reads_as_words_and_away_wins() {
        let mut a = agent("a1", "Ana");
        assert_eq!(Presence::of(&a), Presence::Offline);
        a.online = true;
        assert_eq!(Presence::of(&a).label(&crate::i18n::EN), "Online");
        a.away = true;
        assert_eq!(Presence::of(&a), Presence::Away);
        a.online = false;
        assert_eq!(Presence::of(&a).name(), "away");
    }

    #[test]
    fn load_shows_open_against_capacity() {
        let mut a = agent("a1", "Ana");
        a.open = 2;
        assert_eq!(load(&crate::i18n::EN, &a), "2 / no limit");
        assert_eq!(load(&crate::i18n::ES, &a), "2 / sin límite");
        a.capacity = Some(5);
        assert_eq!(load(&crate::i18n::EN, &a), "2 / 5");
        assert_eq!(role_label(&crate::i18n::ES, &Role::Manager), "Gerente");
        assert_eq!(
            access_label(&crate::i18n::ES, Access::MineAndUnassigned),
            "Propias y sin asignar"
        );
    }

    #[test]
    fn agents_sort_by_name_then_id() {
        let list = [
            agent("a3", "beto"),
            agent("a2", "Ana"),
            agent("a1", "Ana"),
            agent("a0", "Zoe"),
        ];
        let ids: Vec<String> = sorted(&list).into_iter().map(|a| a.profile.id).collect();
        assert_eq!(ids, ["a1", "a2", "a3", "a0"]);
        assert_eq!(name_of(&list, "a3").as_deref(), Some("beto"));
        assert_eq!(name_of(&list, "nobody"), None);
    }

    #[test]
    fn capacity_is_empty_or_a_whole_number() {
        assert_eq!(parse_capacity(&crate::i18n::EN, ""), Ok(None));
        assert_eq!(parse_capacity(&crate::i18n::EN, "  "), Ok(None));
        assert_eq!(parse_capacity(&crate::i18n::EN, " 3 "), Ok(Some(3)));
        assert_eq!(parse_capacity(&crate::i18n::EN, "0"), Ok(Some(0)));
        for bad in ["-1", "2.5", "many"] {
            assert!(
                parse_capacity(&crate::i18n::EN, bad)
                    .unwrap_err()
                    .contains("whole number"),
                "{bad}"
            );
        }
        assert_eq!(limit_text(Some(4)), "4");
        assert_eq!(limit_text(None), "");
    }

    #[test]
    fn roles_and_access_levels_round_trip_their_names() {
        for role in ROLES {
            assert_eq!(parse_role(role_name(&role)), Some(role.clone()));
            assert_eq!(
                serde_json::to_value(&role).unwrap(),
                serde_json::Value::from(role_name(&role))
            );
        }
        for access in ACCESS_LEVELS {
            assert_eq!(parse_access(access_name(access)), Some(access));
            assert_eq!(
                serde_json::to_value(access).unwrap(),
                serde_json::Value::from(access_name(access))
            );
        }
        assert_eq!(parse_role("admin"), None);
    }
}
