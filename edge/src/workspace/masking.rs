//! Workflow credentials as someone who may not read them sees them: HTTP steps' header values,
//! URL user info and query values, and the webhook secret's fingerprint are masked; what an
//! editor sends back masked is restored from the stored version.

use charla_shared::workflow::{HttpStep, StepAction, Trigger, Workflow};

use crate::error::{EdgeError, Result};

/// What a credential shows as wherever the caller may not read it. A `PUT` that carries it
/// as a value keeps the stored value, so an editor that only ever saw masks can still save.
const MASK: &str = "••••••";

/// The workflow as someone who may not read its credentials sees it: every HTTP step's
/// header values, the user part and query values of its URL, and the webhook secret's
/// fingerprint are [`MASK`]. What the workflow does (steps, targets, bodies) stays readable.
pub(super) fn masked(mut wf: Workflow) -> Workflow {
    for step in &mut wf.steps {
        if let StepAction::HttpRequest(h) = &mut step.action {
            for value in h.headers.values_mut() {
                if !value.is_empty() {
                    *value = MASK.to_owned();
                }
            }
            h.url = mask_url(&h.url);
        }
    }
    if let Trigger::Webhook { secret_fingerprint } = &mut wf.trigger {
        if !secret_fingerprint.is_empty() {
            *secret_fingerprint = MASK.to_owned();
        }
    }
    wf
}

/// A URL cut into what may hold credentials: `scheme://[userinfo@]rest?query#fragment`.
struct UrlParts<'a> {
    /// Up to and including `://` (or empty), and what follows the user info up to the query.
    scheme: &'a str,
    userinfo: Option<&'a str>,
    rest: &'a str,
    query: Option<&'a str>,
    fragment: Option<&'a str>,
}

impl<'a> UrlParts<'a> {
    fn parse(url: &'a str) -> Self {
        let (before_fragment, fragment) = match url.split_once('#') {
            Some((a, f)) => (a, Some(f)),
            None => (url, None),
        };
        let (before_query, query) = match before_fragment.split_once('?') {
            Some((a, q)) => (a, Some(q)),
            None => (before_fragment, None),
        };
        let (scheme, after_scheme) = match before_query.find("://") {
            Some(i) => before_query.split_at(i + 3),
            None => ("", before_query),
        };
        let authority_end = after_scheme.find('/').unwrap_or(after_scheme.len());
        let (userinfo, rest) = match after_scheme[..authority_end].rfind('@') {
            Some(at) => (Some(&after_scheme[..at]), &after_scheme[at + 1..]),
            None => (None, after_scheme),
        };
        UrlParts {
            scheme,
            userinfo,
            rest,
            query,
            fragment,
        }
    }

    fn join(&self, userinfo: Option<&str>, query: Option<&str>) -> String {
        let mut out = String::from(self.scheme);
        if let Some(u) = userinfo {
            out.push_str(u);
            out.push('@');
        }
        out.push_str(self.rest);
        if let Some(q) = query {
            out.push('?');
            out.push_str(q);
        }
        if let Some(f) = self.fragment {
            out.push('#');
            out.push_str(f);
        }
        out
    }
}

/// `key=value` pairs of a query, values masked (a bare `flag` stays as it is).
fn mask_query(query: &str) -> String {
    query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((k, v)) if !v.is_empty() => format!("{k}={MASK}"),
            _ => pair.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("&")
}

fn mask_url(url: &str) -> String {
    let parts = UrlParts::parse(url);
    let query = parts.query.map(mask_query);
    parts.join(parts.userinfo.map(|_| MASK), query.as_deref())
}

/// The URL an editor sent back, with masked parts taken from the stored one.
fn unmask_url(sent: &str, stored: Option<&str>) -> std::result::Result<String, String> {
    if !sent.contains(MASK) {
        return Ok(sent.to_owned());
    }
    let Some(stored) = stored else {
        return Err("its URL holds a masked value but nothing is stored to keep".into());
    };
    if sent == mask_url(stored) {
        return Ok(stored.to_owned());
    }
    let was = UrlParts::parse(stored);
    let now = UrlParts::parse(sent);
    let userinfo = match now.userinfo {
        Some(MASK) => was.userinfo,
        other => other,
    };
    let query = now.query.map(|q| {
        let mut old: Vec<(&str, &str)> = was
            .query
            .unwrap_or_default()
            .split('&')
            .filter_map(|p| p.split_once('='))
            .collect();
        q.split('&')
            .map(|pair| match pair.split_once('=') {
                Some((k, MASK)) => match old.iter().position(|(ok, _)| *ok == k) {
                    Some(i) => format!("{k}={}", old.remove(i).1),
                    None => pair.to_owned(),
                },
                _ => pair.to_owned(),
            })
            .collect::<Vec<_>>()
            .join("&")
    });
    let url = now.join(userinfo, query.as_deref());
    if url.contains(MASK) {
        return Err("its URL holds a masked value that matches nothing stored".into());
    }
    Ok(url)
}

/// An edited workflow with every [`MASK`] an editor sent back replaced by the stored value
/// (the same HTTP step, by step id, of the current version). A mask with nothing to keep is
/// refused: it would be sent as a credential.
pub(super) fn unmasked(mut wf: Workflow, stored: Option<&Workflow>) -> Result<Workflow> {
    let stored_step = |id: &str| -> Option<&HttpStep> {
        stored?.steps.iter().find_map(|s| match &s.action {
            StepAction::HttpRequest(h) if s.id == id => Some(h),
            _ => None,
        })
    };
    for step in &mut wf.steps {
        let StepAction::HttpRequest(h) = &mut step.action else {
            continue;
        };
        let was = stored_step(&step.id);
        for (name, value) in h.headers.iter_mut() {
            if value != MASK {
                continue;
            }
            let kept = was.and_then(|w| {
                w.headers
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case(name))
                    .map(|(_, v)| v.clone())
            });
            *value = kept.ok_or_else(|| {
                EdgeError::BadRequest(format!(
                    "step {}: header {name} is masked but has no stored value; type its value",
                    step.id
                ))
            })?;
        }
        h.url = unmask_url(&h.url, was.map(|w| w.url.as_str()))
            .map_err(|e| EdgeError::BadRequest(format!("step {}: {e}", step.id)))?;
    }
    Ok(wf)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn workflow(url: &str, headers: serde_json::Value) -> Workflow {
        serde_json::from_value(serde_json::json!({
            "id": "w_1", "name": "CRM", "enabled": true,
            "trigger": {"type": "webhook", "secret_fingerprint": "ab".repeat(32)},
            "start": "h",
            "steps": [
                {"id": "h", "type": "http_request", "method": "POST", "url": url,
                 "headers": headers, "body": "{\"email\":\"{{contact.email}}\"}"},
            ],
        }))
        .unwrap()
    }

    fn http(wf: &Workflow) -> &HttpStep {
        match &wf.steps[0].action {
            StepAction::HttpRequest(h) => h,
            _ => unreachable!(),
        }
    }

    fn crm() -> Workflow {
        workflow(
            "https://bot:pa55@crm.example/hook?api_key=s3cret&flag&to={{contact.id}}#top",
            serde_json::json!({"Authorization": "Bearer s3cret", "X-Empty": ""}),
        )
    }

    #[test]
    fn masking_hides_header_values_url_credentials_and_the_fingerprint() {
        let m = masked(crm());
        let h = http(&m);
        assert_eq!(h.headers["Authorization"], MASK);
        assert_eq!(h.headers["X-Empty"], "");
        assert_eq!(
            h.url,
            format!("https://{MASK}@crm.example/hook?api_key={MASK}&flag&to={MASK}#top")
        );
        // What the step does stays readable.
        assert_eq!(h.body.as_deref(), Some("{\"email\":\"{{contact.email}}\"}"));
        let json = serde_json::to_string(&m).unwrap();
        assert!(!json.contains("s3cret") && !json.contains("pa55"), "{json}");
        assert!(!json.contains(&"ab".repeat(32)));
    }

    #[test]
    fn urls_without_credentials_are_unchanged() {
        for url in [
            "https://crm.example/hook",
            "https://crm.example/a@b/c",
            "https://crm.example/?",
        ] {
            assert_eq!(mask_url(url), url);
        }
    }

    #[test]
    fn a_masked_workflow_saved_back_keeps_the_stored_values() {
        let stored = crm();
        let back = unmasked(masked(stored.clone()), Some(&stored)).unwrap();
        assert_eq!(http(&back), http(&stored));
    }

    #[test]
    fn edits_next_to_masks_keep_both() {
        let stored = crm();
        let mut edited = masked(stored.clone());
        if let StepAction::HttpRequest(h) = &mut edited.steps[0].action {
            h.headers.insert("authorization".into(), MASK.into());
            h.headers.remove("Authorization");
            h.headers.insert("X-New".into(), "plain".into());
            h.url = format!("https://crm.example/v2?to=1&api_key={MASK}");
        }
        let back = unmasked(edited, Some(&stored)).unwrap();
        let h = http(&back);
        assert_eq!(h.headers["authorization"], "Bearer s3cret");
        assert_eq!(h.headers["X-New"], "plain");
        assert_eq!(h.url, "https://crm.example/v2?to=1&api_key=s3cret");
    }

    #[test]
    fn a_mask_with_nothing_stored_is_refused() {
        let stored = crm();
        // A new workflow made from a masked copy.
        assert!(unmasked(masked(stored.clone()), None).is_err());
        // A header the stored step never had.
        let mut edited = stored.clone();
        if let StepAction::HttpRequest(h) = &mut edited.steps[0].action {
            h.headers.insert("X-Other".into(), MASK.into());
        }
        assert!(unmasked(edited, Some(&stored)).is_err());
        // A query key the stored URL never had.
        let mut edited = stored.clone();
        if let StepAction::HttpRequest(h) = &mut edited.steps[0].action {
            h.url = format!("https://crm.example/?token={MASK}");
        }
        assert!(unmasked(edited, Some(&stored)).is_err());
    }
}
