//! What identifies a resource of a type: its ARN, its physical id, and its physical name, which
//! the type registry relates (a queue's URL, ARN and name are one identity). Both matching and
//! the comparison of a code `Ref` with a live string use these keys.

use surveyor_model::registry::{self, PhysicalId, TypeInfo};
use surveyor_model::{Resource, Value};

/// A literal a code reader resolved fully (no `${…}` left, not empty).
pub(crate) fn literal(s: &str) -> Option<&str> {
    let s = s.trim();
    (!s.is_empty() && !s.contains("${")).then_some(s)
}

/// The name part of an ARN, a URL or a task definition revision, for comparison.
pub(crate) fn tail(s: &str) -> &str {
    let s = s.trim_end_matches('/');
    if s.starts_with("arn:") {
        let last = s.rsplit(['/', ':']).next().unwrap_or(s);
        // `family:21` revisions and `:*` log group suffixes end in a short non-name.
        if last == "*" || last.chars().all(|c| c.is_ascii_digit()) {
            let trimmed = &s[..s.len() - last.len() - 1];
            return trimmed.rsplit(['/', ':']).next().unwrap_or(trimmed);
        }
        return last;
    }
    if s.starts_with("https://") || s.starts_with("http://") {
        return s.rsplit('/').next().unwrap_or(s);
    }
    s
}

/// The physical name a code resource declares (its registry `name_property`), if literal.
pub(crate) fn declared_name<'a>(r: &'a Resource, ti: Option<&TypeInfo>) -> Option<&'a str> {
    let prop = ti?.name_property?;
    r.attributes
        .get(prop)
        .and_then(Value::as_str)
        .and_then(literal)
}

/// Every key that identifies `r`. Code resources contribute only what they state literally
/// (ARN, physical id, declared name); live resources also their collected name.
pub(crate) fn keys(r: &Resource) -> Vec<String> {
    let ti = registry::lookup(&r.type_name);
    let mut out: Vec<String> = Vec::with_capacity(4);
    let mut push = |s: &str| {
        if let Some(s) = literal(s) {
            if !out.iter().any(|k| k == s) {
                out.push(s.to_string());
            }
        }
    };
    if let Some(arn) = r.arn.as_deref() {
        push(arn);
        if let Some(n) = ti.and_then(|t| t.name_from_arn(arn)) {
            push(&n);
        }
    }
    if let Some(pid) = r.physical_id.as_deref() {
        push(pid);
        if let Some(t) = ti {
            if t.physical_id == PhysicalId::Url || t.physical_id == PhysicalId::Arn {
                push(tail(pid));
            }
        }
    }
    if r.in_live && !r.in_code {
        if let Some(n) = r.name.as_deref() {
            push(n);
        }
    }
    if let Some(n) = declared_name(r, ti) {
        push(n);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use surveyor_model::ResourceId;

    #[test]
    fn queue_url_arn_and_name_are_one_identity() {
        let mut q = Resource::new(ResourceId::new("x"), "AWS::SQS::Queue");
        q.in_live = true;
        q.arn = Some("arn:aws:sqs:us-east-2:1:jobs".into());
        q.physical_id = Some("https://sqs.us-east-2.amazonaws.com/1/jobs".into());
        let k = keys(&q);
        assert!(k.contains(&"jobs".to_string()), "{k:?}");
        assert!(k.contains(&"https://sqs.us-east-2.amazonaws.com/1/jobs".to_string()));
        assert_eq!(tail("arn:aws:ecs:r:1:task-definition/api:21"), "api");
        assert_eq!(tail("arn:aws:logs:r:1:log-group:/ecs/api:*"), "api");
    }

    #[test]
    fn unresolved_names_are_not_keys() {
        let mut q = Resource::new(ResourceId::new("x"), "AWS::SQS::Queue");
        q.in_code = true;
        q.attributes
            .insert("QueueName".into(), Value::str("${AWS::StackName}-q"));
        assert!(keys(&q).is_empty());
    }
}
