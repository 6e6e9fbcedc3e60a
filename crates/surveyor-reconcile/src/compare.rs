//! Whether a code value and a live value say the same thing, after the normalisation drift
//! needs: `600` equals `"600"`, `Enabled` equals `ENABLED`, a `Ref` equals the ARN, URL or name
//! of the resource it refers to, a map is compared only on the keys the code declares (the
//! rest are defaults the code left out), and lists ignore order.
//!
//! The answer is three-valued: `None` when it cannot be told (an unresolved code value, a
//! reference to a resource whose identity is unknown) — never drift.

use surveyor_model::{ResourceId, Value};

use crate::identity::tail;

/// The identities of the resource a code reference points at (empty when unknown).
pub(crate) trait RefIdentities {
    /// Computed on demand: few values are references, and most resources are never asked.
    fn identities(&self, id: &ResourceId) -> Option<Vec<String>>;
}

/// The names of Coordinated Universal Time in the time zone database: one zone, several
/// spellings (a schedule set to `Etc/UTC` reads back as `UTC` after an update that left the
/// zone to its default).
fn is_utc(s: &str) -> bool {
    matches!(
        s,
        "UTC" | "Etc/UTC" | "Etc/UCT" | "UCT" | "Etc/Universal" | "Universal" | "Etc/Zulu" | "Zulu"
    )
}

fn strings_equal(a: &str, b: &str) -> bool {
    if a.eq_ignore_ascii_case(b) || (is_utc(a) && is_utc(b)) {
        return true;
    }
    // An ARN or URL against a bare name: compare the name parts, but only when exactly one
    // side is the long form (two different ARNs with the same tail are different things).
    let long = |s: &str| s.starts_with("arn:") || s.starts_with("https://");
    if long(a) != long(b) {
        return tail(a) == tail(b);
    }
    false
}

pub(crate) fn same(code: &Value, live: &Value, refs: &dyn RefIdentities) -> Option<bool> {
    match (code, live) {
        (Value::Unresolved(_), _) | (_, Value::Unresolved(_)) => None,
        (Value::Null, _) => None,
        (Value::Ref(id), Value::Ref(other)) => {
            if id == other {
                return Some(true);
            }
            let a = refs.identities(id)?;
            let b = refs.identities(other)?;
            Some(a.iter().any(|k| b.contains(k)))
        }
        (Value::Ref(id), Value::String(s)) => {
            if s == id.as_str() {
                return Some(true);
            }
            let ids = refs.identities(id)?;
            if ids.is_empty() {
                return None;
            }
            Some(ids.iter().any(|k| k == s || strings_equal(k, s)))
        }
        (Value::Ref(_), _) => None,
        (Value::Number(_), _) | (_, Value::Number(_)) => match (code.as_f64(), live.as_f64()) {
            (Some(a), Some(b)) => Some((a - b).abs() < 1e-9),
            _ => Some(false),
        },
        (Value::Bool(_), _) | (_, Value::Bool(_)) => match (code.as_bool(), live.as_bool()) {
            (Some(a), Some(b)) => Some(a == b),
            _ => Some(false),
        },
        (Value::String(a), Value::String(b)) => {
            if a.contains("${") {
                return None;
            }
            Some(strings_equal(a, b))
        }
        (Value::Map(c), Value::Map(l)) => {
            let mut decided = false;
            for (k, cv) in c {
                // A key the live API left out: nothing to compare.
                if let Some(lv) = l.get(k) {
                    match same(cv, lv, refs) {
                        Some(false) => return Some(false),
                        Some(true) => decided = true,
                        None => {}
                    }
                }
            }
            decided.then_some(true)
        }
        (Value::List(c), Value::List(l)) => {
            if c.len() != l.len() {
                if c.iter().any(has_unknown) {
                    return None;
                }
                return Some(false);
            }
            let mut used = vec![false; l.len()];
            for cv in c {
                let mut found = false;
                let mut undecided = false;
                for (j, lv) in l.iter().enumerate() {
                    if used[j] {
                        continue;
                    }
                    match same(cv, lv, refs) {
                        Some(true) => {
                            used[j] = true;
                            found = true;
                            break;
                        }
                        None => undecided = true,
                        Some(false) => {}
                    }
                }
                if !found {
                    return if undecided { None } else { Some(false) };
                }
            }
            Some(true)
        }
        // A scalar against a one-item list (`"a"` vs `["a"]`), as APIs sometimes widen.
        (c, Value::List(l)) if l.len() == 1 => same(c, &l[0], refs),
        _ => Some(false),
    }
}

/// Whether the value holds anything that cannot be compared.
pub(crate) fn has_unknown(v: &Value) -> bool {
    let mut found = false;
    v.walk(&mut |x| {
        if matches!(x, Value::Unresolved(_)) {
            found = true;
        }
        if let Value::String(s) = x {
            if s.contains("${") {
                found = true;
            }
        }
    });
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{HashMap, HashSet};

    struct Ids(HashMap<ResourceId, HashSet<String>>);
    impl RefIdentities for Ids {
        fn identities(&self, id: &ResourceId) -> Option<Vec<String>> {
            self.0.get(id).map(|s| s.iter().cloned().collect())
        }
    }

    fn j(s: &str) -> Value {
        serde_json::from_str(s).unwrap()
    }

    #[test]
    fn numbers_strings_case_and_refs() {
        let ids = Ids(HashMap::from([(
            ResourceId::new("AWS::SQS::Queue::S/Dlq"),
            HashSet::from([
                "arn:aws:sqs:r:1:dlq".to_string(),
                "https://sqs.r.amazonaws.com/1/dlq".to_string(),
                "dlq".to_string(),
            ]),
        )]));
        assert_eq!(same(&j("600"), &j("\"600\""), &ids), Some(true));
        assert_eq!(same(&j("600"), &j("300"), &ids), Some(false));
        assert_eq!(same(&j("\"Enabled\""), &j("\"ENABLED\""), &ids), Some(true));
        assert_eq!(same(&j("true"), &j("\"true\""), &ids), Some(true));
        let r = Value::Ref(ResourceId::new("AWS::SQS::Queue::S/Dlq"));
        assert_eq!(same(&r, &j("\"arn:aws:sqs:r:1:dlq\""), &ids), Some(true));
        assert_eq!(same(&r, &j("\"arn:aws:sqs:r:1:other\""), &ids), Some(false));
        let same_id = Value::Ref(ResourceId::new("arn:aws:sqs:r:1:dlq"));
        assert_eq!(
            same(&same_id, &j("\"arn:aws:sqs:r:1:dlq\""), &ids),
            Some(true)
        );
        let unknown = Value::Ref(ResourceId::new("nope"));
        assert_eq!(same(&unknown, &j("\"x\""), &ids), None);
        assert_eq!(
            same(&Value::Unresolved("var.x".into()), &j("\"x\""), &ids),
            None
        );
        assert_eq!(same(&j("\"17.5\""), &j("\"17.7\""), &ids), Some(false));
        assert_eq!(same(&j("\"Etc/UTC\""), &j("\"UTC\""), &ids), Some(true));
        assert_eq!(
            same(&j("\"Etc/UTC\""), &j("\"Europe/Paris\""), &ids),
            Some(false)
        );
        assert_eq!(
            same(&j("\"dlq\""), &j("\"arn:aws:sqs:r:1:dlq\""), &ids),
            Some(true)
        );
    }

    #[test]
    fn maps_compare_declared_keys_and_lists_ignore_order() {
        let ids = Ids(HashMap::new());
        assert_eq!(
            same(&j(r#"{"a":1}"#), &j(r#"{"a":"1","b":2}"#), &ids),
            Some(true)
        );
        assert_eq!(same(&j(r#"{"a":1}"#), &j(r#"{"a":2}"#), &ids), Some(false));
        assert_eq!(same(&j("[1,2]"), &j("[2,1]"), &ids), Some(true));
        assert_eq!(same(&j("[1,2]"), &j("[1,3]"), &ids), Some(false));
        assert_eq!(same(&j("[1]"), &j("[1,3]"), &ids), Some(false));
    }
}
