//! The inbox index as the list shows it: one summary per conversation, newest activity first.
//! The edge sends a full `snapshot`, then single `summary` changes and `hidden` removals; all
//! land here, as do the list's views (Mine / Unassigned / All / Closed) and its team filter.

use crate::i18n::Texts;
use charla_shared::basic::ConversationStatus;
use charla_shared::protocol::{Access, ConversationSummary, Role};

/// The list's tabs. Every tab but "Closed" shows open conversations only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum View {
    /// Assigned to the signed-in agent.
    Mine,
    /// Nobody holds it yet.
    Unassigned,
    #[default]
    All,
    Closed,
}

impl View {
    pub const TABS: [View; 4] = [View::Mine, View::Unassigned, View::All, View::Closed];

    /// The `data-charla="view-<name>"` suffix.
    pub fn name(self) -> &'static str {
        match self {
            View::Mine => "mine",
            View::Unassigned => "unassigned",
            View::All => "all",
            View::Closed => "closed",
        }
    }

    pub fn label(self, t: &Texts) -> &'static str {
        match self {
            View::Mine => t.view_mine,
            View::Unassigned => t.view_unassigned,
            View::All => t.view_all,
            View::Closed => t.view_closed,
        }
    }

    pub fn shows(self, c: &ConversationSummary, me: &str) -> bool {
        let open = c.status == ConversationStatus::Open;
        match self {
            View::Mine => open && c.assignee_id.as_deref() == Some(me),
            View::Unassigned => open && c.assignee_id.is_none(),
            View::All => open,
            View::Closed => !open,
        }
    }

    pub fn count(self, list: &[ConversationSummary], me: &str) -> usize {
        list.iter().filter(|c| self.shows(c, me)).count()
    }

    /// "All" is offered only to those who see every conversation; for an agent limited to
    /// their own and unassigned ones it would only repeat Mine + Unassigned.
    pub fn offered(self, sees_all: bool) -> bool {
        self != View::All || sees_all
    }

    /// The view to show when `self` was chosen: a view that is not offered (the access level
    /// arrived, or changed, after the choice) falls back to Mine.
    pub fn effective(self, sees_all: bool) -> View {
        if self.offered(sees_all) {
            self
        } else {
            View::Mine
        }
    }
}

/// Whether someone sees every conversation of the workspace (the rule the edge applies).
pub fn sees_all(role: &Role, access: Access) -> bool {
    role.can_manage() || access == Access::All
}

/// What the list shows: a view, narrowed to one team when `team` is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Filter<'a> {
    pub view: View,
    pub team: Option<&'a str>,
    pub me: &'a str,
}

impl Filter<'_> {
    pub fn shows(&self, c: &ConversationSummary) -> bool {
        self.view.shows(c, self.me) && self.team.is_none_or(|t| c.team_id.as_deref() == Some(t))
    }

    pub fn apply(&self, list: &[ConversationSummary]) -> Vec<ConversationSummary> {
        list.iter().filter(|c| self.shows(c)).cloned().collect()
    }

    /// The tab's number: how many this view would show under the same team filter.
    pub fn count(&self, list: &[ConversationSummary]) -> usize {
        list.iter().filter(|c| self.shows(c)).count()
    }
}

/// Drop a conversation the agent may no longer see (a `hidden` frame). Returns whether it
/// was listed.
pub fn remove(list: &mut Vec<ConversationSummary>, id: &str) -> bool {
    let before = list.len();
    list.retain(|c| c.id != id);
    list.len() != before
}

/// Replace the whole index (a `snapshot` or the initial HTTP answer).
pub fn replace(list: &mut Vec<ConversationSummary>, fresh: Vec<ConversationSummary>) {
    *list = fresh;
    sort(list);
}

/// Insert or update one conversation (a `summary` frame).
pub fn upsert(list: &mut Vec<ConversationSummary>, changed: ConversationSummary) {
    match list.iter_mut().find(|c| c.id == changed.id) {
        Some(existing) => *existing = changed,
        None => list.push(changed),
    }
    sort(list);
}

/// Newest activity first; ties broken by id so the order never flickers between renders.
fn sort(list: &mut [ConversationSummary]) {
    list.sort_by(|a, b| b.last_at.cmp(&a.last_at).then_with(|| a.id.cmp(&b.id)));
}

#[cfg(test)]
mod tests {
    use super::*;
    use charla_shared::basic::ConversationStatus;
    use charla_shared::protocol::AuthorKind;

    fn summary(id: &str, last_at: i64, unread: u32) -> ConversationSummary {
        ConversationSummary {
            id: id.to_owned(),
            contact_id: format!("v-{id}"),
            contact_name: format!("Visitor {id}"),
            status: ConversationStatus::Open,
            last_seq: 1,
            last_text: "hi".to_owned(),
            last_author: AuthorKind::Contact,
            last_at,
            unread,
            created_at: 0,
            assignee_id: None,
            team_id: None,
            bot_paused: false,
            period: 1,
        }
    }

    fn ids(list: &[ConversationSummary]) -> Vec<&str> {
        list.iter().map(|c| c.id.as_str()).collect()
    }

    #[test]
    fn replace_sorts_newest_first() {
        let mut list = vec![summary("old", 1, 0)];
        replace(
            &mut list,
            vec![
                summary("a", 10, 0),
                summary("b", 30, 0),
                summary("c", 20, 0),
            ],
        );
        assert_eq!(ids(&list), ["b", "c", "a"]);
    }

    #[test]
    fn upsert_moves_updated_conversation_to_top() {
        let mut list = vec![summary("a", 30, 0), summary("b", 20, 0)];
        upsert(&mut list, summary("b", 40, 2));
        assert_eq!(ids(&list), ["b", "a"]);
        assert_eq!(list[0].unread, 2);
    }

    #[test]
    fn upsert_inserts_new_conversation() {
        let mut list = vec![summary("a", 30, 0)];
        upsert(&mut list, summary("n", 10, 1));
        assert_eq!(ids(&list), ["a", "n"]);
    }

    #[test]
    fn ties_are_ordered_by_id() {
        let mut list = Vec::new();
        replace(&mut list, vec![summary("z", 5, 0), summary("m", 5, 0)]);
        assert_eq!(ids(&list), ["m", "z"]);
    }

    #[test]
    fn views_split_open_conversations_by_owner_and_keep_closed_apart() {
        let mut mine = summary("mine", 1, 0);
        mine.assignee_id = Some("me".into());
        let mut theirs = summary("theirs", 2, 0);
        theirs.assignee_id = Some("other".into());
        let free = summary("free", 3, 0);
        let mut closed = summary("closed", 4, 0);
        closed.status = ConversationStatus::Closed;
        closed.assignee_id = Some("me".into());
        let list = vec![mine, theirs, free, closed];
        let shown = |view: View| -> Vec<&str> {
            list.iter()
                .filter(|c| view.shows(c, "me"))
                .map(|c| c.id.as_str())
                .collect()
        };
        assert_eq!(shown(View::Mine), ["mine"]);
        assert_eq!(shown(View::Unassigned), ["free"]);
        assert_eq!(shown(View::All), ["mine", "theirs", "free"]);
        assert_eq!(shown(View::Closed), ["closed"]);
        assert_eq!(View::All.count(&list, "me"), 3);
        assert_eq!(View::default(), View::All);
    }

    #[test]
    fn team_filter_narrows_views_and_their_counts() {
        let mut sales_mine = summary("s1", 1, 0);
        sales_mine.team_id = Some("t_sales".into());
        sales_mine.assignee_id = Some("me".into());
        let mut sales_free = summary("s2", 2, 0);
        sales_free.team_id = Some("t_sales".into());
        let mut support = summary("p1", 3, 0);
        support.team_id = Some("t_support".into());
        let no_team = summary("n1", 4, 0);
        let list = vec![sales_mine, sales_free, support, no_team];
        let filter = |view, team| Filter {
            view,
            team,
            me: "me",
        };
        let ids_of =
            |f: Filter| -> Vec<String> { f.apply(&list).into_iter().map(|c| c.id).collect() };
        assert_eq!(ids_of(filter(View::All, Some("t_sales"))), ["s1", "s2"]);
        assert_eq!(ids_of(filter(View::Unassigned, Some("t_sales"))), ["s2"]);
        assert_eq!(ids_of(filter(View::All, None)), ["s1", "s2", "p1", "n1"]);
        assert_eq!(filter(View::Unassigned, None).count(&list), 3);
        assert_eq!(filter(View::Unassigned, Some("t_support")).count(&list), 1);
        assert_eq!(filter(View::Mine, Some("t_support")).count(&list), 0);
        assert_eq!(filter(View::Closed, Some("t_sales")).count(&list), 0);
    }

    #[test]
    fn all_is_offered_only_to_those_who_see_everything() {
        assert!(sees_all(&Role::Owner, Access::MineAndUnassigned));
        assert!(sees_all(&Role::Manager, Access::MineAndUnassigned));
        assert!(sees_all(&Role::Agent, Access::All));
        assert!(!sees_all(&Role::Agent, Access::MineAndUnassigned));
        assert!(View::All.offered(true));
        assert!(!View::All.offered(false));
        assert!(View::Closed.offered(false));
        assert_eq!(View::All.effective(false), View::Mine);
        assert_eq!(View::All.effective(true), View::All);
        assert_eq!(View::Unassigned.effective(false), View::Unassigned);
    }

    #[test]
    fn hidden_conversations_leave_the_list() {
        let mut list = vec![summary("a", 3, 0), summary("b", 2, 0)];
        assert!(remove(&mut list, "a"));
        assert_eq!(ids(&list), ["b"]);
        assert!(!remove(&mut list, "zzz"));
        assert_eq!(ids(&list), ["b"]);
    }
}
