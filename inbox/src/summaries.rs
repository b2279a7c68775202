//! The inbox index as the list shows it: one summary per conversation, newest activity first.
//! The edge sends a full `snapshot` and then single `summary` changes; both land here.

use charla_shared::protocol::ConversationSummary;

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
    use charla_shared::protocol::{AuthorKind, ConversationStatus};

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
}
