use charla_shared::password;
use charla_shared::protocol::Role;
use charla_shared::token::{fingerprint, sign, verify, Claims};

const SECRET: &[u8] = b"test-secret-of-some-length-000000";

fn visitor() -> Claims {
    Claims::Visitor {
        ws: "demo".into(),
        sub: "v1".into(),
        conv: "c1".into(),
        iat: 1,
        exp: None,
    }
}
fn agent(exp: i64) -> Claims {
    Claims::Agent {
        ws: "demo".into(),
        sub: "a1".into(),
        name: "Demo".into(),
        role: Role::Owner,
        exp,
        session: 0,
    }
}

#[test]
fn tokens_verify_only_untampered_and_unexpired() {
    let v = sign(&visitor(), SECRET);
    let a = sign(&agent(10_000), SECRET);
    assert_eq!(verify(&v, SECRET, 5).unwrap(), visitor());
    assert_eq!(verify(&a, SECRET, 9_999).unwrap(), agent(10_000));

    let (payload, sig) = v.split_once('.').unwrap();
    let other_payload = sign(
        &Claims::Visitor {
            ws: "demo".into(),
            sub: "v2".into(),
            conv: "c2".into(),
            iat: 1,
            exp: None,
        },
        SECRET,
    );
    let forged = format!("{}.{sig}", other_payload.split_once('.').unwrap().0);
    let bad: Vec<String> = vec![
        forged,
        format!("{payload}.AAAA"),
        payload.to_owned(),
        String::new(),
        "..".into(),
        sign(&visitor(), b"another secret"),
    ];
    for t in bad {
        assert!(verify(&t, SECRET, 5).is_err(), "{t}");
    }
    assert!(verify(&a, SECRET, 10_000).is_err(), "expired");
}

#[test]
fn visitor_tokens_expire_and_old_ones_count_from_issue() {
    use charla_shared::token::VISITOR_TOKEN_MILLIS;
    let now = 1_000_000_000_000;
    let fresh = sign(
        &Claims::visitor("demo".into(), "v1".into(), "c1".into(), now),
        SECRET,
    );
    assert!(verify(&fresh, SECRET, now + VISITOR_TOKEN_MILLIS - 1).is_ok());
    assert!(verify(&fresh, SECRET, now + VISITOR_TOKEN_MILLIS).is_err());
    // A token from before expiry existed (no `exp`): issued in 2001, refused today.
    let legacy = sign(
        &Claims::Visitor {
            ws: "demo".into(),
            sub: "v1".into(),
            conv: "c1".into(),
            iat: 1_000_000_000_000,
            exp: None,
        },
        SECRET,
    );
    assert!(verify(&legacy, SECRET, 1_800_000_000_000).is_err());
    assert!(verify(&legacy, SECRET, 1_000_000_000_001).is_ok());
}

#[test]
fn passwords_hash_and_verify() {
    let h = password::hash("charla-demo", b"0123456789abcdef", 1_000);
    assert!(h.starts_with("pbkdf2-sha256$1000$"));
    assert!(password::verify("charla-demo", &h));
    for wrong in ["charla-demO", "", "charla-demo "] {
        assert!(!password::verify(wrong, &h), "{wrong}");
    }
    for malformed in [
        "",
        "plain",
        "pbkdf2-sha256$0$AAAA$AAAA",
        "md5$1$a$b",
        &h.replace("$1000$", "$x$"),
    ] {
        assert!(!password::verify("charla-demo", malformed), "{malformed}");
    }
    // Same password, other salt: other hash.
    assert_ne!(h, password::hash("charla-demo", b"fedcba9876543210", 1_000));
}

#[test]
fn only_owners_make_owners_and_agents_grant_nothing() {
    use Role::*;
    let cases = [
        (Owner, [true, true, true]),
        (Manager, [false, true, true]),
        (Agent, [false, false, false]),
    ];
    for (granter, expected) in cases {
        let got = [Owner, Manager, Agent].map(|r| granter.may_grant(&r));
        assert_eq!(got, expected, "{granter:?}");
    }
    assert_eq!(
        [Owner, Manager, Agent].map(|r| r.can_manage()),
        [true, true, false]
    );
}

#[test]
fn who_may_change_whom_every_cell() {
    use Role::*;
    // caller -> [owner, manager, agent] targets
    let table = [
        (Owner, [true, true, true]),
        (Manager, [false, false, true]),
        (Agent, [false, false, false]),
    ];
    for (caller, expected) in table {
        let got = [Owner, Manager, Agent].map(|t| caller.may_change(&t));
        assert_eq!(got, expected, "{caller:?}");
    }
}

#[test]
fn who_may_deactivate_or_reset_whom() {
    use charla_shared::protocol::account_refusal;
    use Role::*;
    // caller -> [owner, manager, agent] targets, never themselves
    let table = [
        (Owner, [true, true, true]),
        (Manager, [false, false, true]),
        (Agent, [false, false, false]),
    ];
    for (caller, expected) in table {
        let got = [Owner, Manager, Agent].map(|t| account_refusal("a_me", &caller, "a_other", &t));
        assert_eq!(got.map(|r| r.is_none()), expected, "{caller:?}");
        assert!(account_refusal("a_me", &caller, "a_me", &caller).is_some());
    }
}

#[test]
fn agent_names_are_trimmed_and_bounded() {
    use charla_shared::protocol::agent_name;
    assert_eq!(agent_name("  Ana  "), Ok("Ana"));
    assert!(agent_name("   ").is_err());
    assert!(agent_name(&"x".repeat(81)).is_err());
    assert_eq!(
        agent_name(&"ñ".repeat(80)).map(|n| n.chars().count()),
        Ok(80)
    );
}

#[test]
fn agent_tokens_without_a_session_generation_count_as_generation_zero() {
    let legacy = serde_json::json!({
        "k": "agent", "ws": "demo", "sub": "a1", "name": "Demo", "role": "owner", "exp": 5
    });
    let claims: Claims = serde_json::from_value(legacy).unwrap();
    assert!(matches!(claims, Claims::Agent { session: 0, .. }));
}

#[test]
fn fingerprints_are_stable_sha256_hex() {
    assert_eq!(
        fingerprint("abc"),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
    assert_ne!(fingerprint("abc"), fingerprint("abd"));
}
