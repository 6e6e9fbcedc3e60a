use std::collections::{HashMap, HashSet};

use crate::{Resource, ResourceId, Value};

/// Give every resource the contract's stable id — the ARN when one is known, else
/// `TYPE::name`, else `TYPE::address` — and rewrite every reference to match. Returns the
/// renaming (old id → new id) so callers can rewrite edges, drift and findings they hold.
///
/// Ids stay unique: a second resource that would take an id already taken keeps its own.
pub fn assign_stable_ids(resources: &mut [Resource]) -> HashMap<ResourceId, ResourceId> {
    let mut taken: HashSet<String> = HashSet::with_capacity(resources.len());
    let mut renames = HashMap::new();
    let mut wanted: Vec<Option<String>> = Vec::with_capacity(resources.len());
    for r in resources.iter() {
        let candidate = r
            .arn
            .clone()
            .filter(|a| a.starts_with("arn:") && !a.contains("${"))
            .or_else(|| r.name.as_ref().map(|n| format!("{}::{}", r.type_name, n)));
        wanted.push(candidate);
    }
    // First pass: ids that are already stable keep their place, so re-running is idempotent.
    for (r, want) in resources.iter().zip(&wanted) {
        if want.as_deref() == Some(r.id.as_str()) {
            taken.insert(r.id.0.clone());
        }
    }
    for (r, want) in resources.iter_mut().zip(wanted) {
        if taken.contains(&r.id.0) && want.as_deref() == Some(r.id.as_str()) {
            continue;
        }
        let new = match want {
            Some(w) if !taken.contains(&w) => w,
            _ => r.id.0.clone(),
        };
        if !taken.insert(new.clone()) {
            // Two resources share a provisional id: keep this one apart by a suffix.
            let mut i = 2;
            while !taken.insert(format!("{new}#{i}")) {
                i += 1;
            }
            let renamed = ResourceId(format!("{new}#{i}"));
            renames.insert(r.id.clone(), renamed.clone());
            r.id = renamed;
            continue;
        }
        if new != r.id.0 {
            renames.insert(r.id.clone(), ResourceId(new.clone()));
            r.id = ResourceId(new);
        }
    }
    if !renames.is_empty() {
        rewrite_refs(resources, &renames);
    }
    renames
}

/// Rewrite every `Value::Ref` in the attributes of `resources` through `renames`.
pub fn rewrite_refs(resources: &mut [Resource], renames: &HashMap<ResourceId, ResourceId>) {
    for r in resources.iter_mut() {
        for v in r.attributes.values_mut() {
            v.walk_mut(&mut |v| {
                if let Value::Ref(id) = v {
                    if let Some(new) = renames.get(id) {
                        *id = new.clone();
                    }
                }
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn res(id: &str, ty: &str, name: Option<&str>, arn: Option<&str>) -> Resource {
        let mut r = Resource::new(ResourceId::new(id), ty);
        r.name = name.map(str::to_string);
        r.arn = arn.map(str::to_string);
        r
    }

    #[test]
    fn arn_then_name_then_address_and_refs_follow() {
        let mut rs = vec![
            res(
                "AWS::SQS::Queue::S/Dlq",
                "AWS::SQS::Queue",
                Some("dlq"),
                Some("arn:aws:sqs:us-east-2:1:dlq"),
            ),
            res(
                "AWS::SQS::Queue::S/Jobs",
                "AWS::SQS::Queue",
                Some("jobs"),
                None,
            ),
            res(
                "AWS::SNS::Topic::S/T",
                "AWS::SNS::Topic",
                None,
                Some("arn:${AWS::Partition}:sns"),
            ),
        ];
        rs[1].attributes.insert(
            "RedrivePolicy".into(),
            Value::Ref(ResourceId::new("AWS::SQS::Queue::S/Dlq")),
        );
        let renames = assign_stable_ids(&mut rs);
        assert_eq!(rs[0].id.as_str(), "arn:aws:sqs:us-east-2:1:dlq");
        assert_eq!(rs[1].id.as_str(), "AWS::SQS::Queue::jobs");
        assert_eq!(
            rs[2].id.as_str(),
            "AWS::SNS::Topic::S/T",
            "an unresolved ARN is not an id"
        );
        assert_eq!(
            rs[1].attributes["RedrivePolicy"],
            Value::Ref(rs[0].id.clone())
        );
        assert_eq!(renames.len(), 2);
        // Idempotent.
        assert!(assign_stable_ids(&mut rs).is_empty());
    }

    #[test]
    fn duplicate_names_do_not_collide() {
        let mut rs = vec![
            res("AWS::SQS::Queue::A/Q", "AWS::SQS::Queue", Some("q"), None),
            res("AWS::SQS::Queue::B/Q", "AWS::SQS::Queue", Some("q"), None),
        ];
        assign_stable_ids(&mut rs);
        assert_eq!(rs[0].id.as_str(), "AWS::SQS::Queue::q");
        assert_eq!(rs[1].id.as_str(), "AWS::SQS::Queue::B/Q");
    }
}
