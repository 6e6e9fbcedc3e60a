//! # ecr-mutable-tags
//!
//! **What it fires on**: an ECR repository whose `ImageTagMutability` is `MUTABLE` or unset
//! (the default). The CDK bootstrap asset repository is not audited.
//!
//! **Why it matters**: with mutable tags, `api:1.4.2` can be overwritten; what runs in
//! production is no longer what was tested, rollbacks deploy something else, and a compromised
//! CI can swap an image under a trusted tag.
//!
//! **What to do**: set `ImageTagMutability: IMMUTABLE` and tag each build uniquely (commit
//! SHA); deploy by tag or digest.
//!
//! **Example**: `v1-orcha` pushes `latest` over and over. (checkov: CKV_AWS_51.)

use surveyor_model::{FindingCategory, Resource, Severity, Value};

use crate::{Ctx, Message, Meta};

pub(crate) static RULE: Meta = Meta {
    id: "ecr-mutable-tags",
    severity: Severity::Low,
    category: FindingCategory::Hygiene,
    summary: "an image repository lets tags be overwritten",
    source: include_str!("ecr_mutable_tags.rs"),
};

const WHY: &str = "A tag can be overwritten: production may not run what was tested, and rollbacks may deploy something else.";
const ACTION: &str = "Set ImageTagMutability to IMMUTABLE and tag every build uniquely (commit SHA).";

pub(crate) struct Hit {
    explicit: bool,
}

pub(crate) fn check<'a>(ctx: &Ctx<'a>) -> Vec<(&'a Resource, Hit)> {
    ctx.of_type(&["AWS::ECR::Repository"])
        .filter_map(|r| match ctx.value(r, "ImageTagMutability") {
            None | Some(Value::Null) if Ctx::absent_means_default(r) => {
                Some((r, Hit { explicit: false }))
            }
            Some(Value::String(s)) if s.eq_ignore_ascii_case("MUTABLE") => Some((r, Hit { explicit: true })),
            _ => None,
        })
        .collect()
}

pub(crate) fn message(r: &Resource, h: &Hit) -> Message {
    let evidence = if h.explicit {
        "ImageTagMutability = MUTABLE"
    } else {
        "ImageTagMutability not set (default MUTABLE)"
    };
    Message::new(format!("Repository {} has mutable tags", r.label()), evidence).why(WHY, ACTION)
}

#[cfg(test)]
mod tests {
    use crate::testkit::*;

    #[test]
    fn fires_on_mutable_tags() {
        let a = code("AWS::ECR::Repository", "api", r#"{"ImageTagMutability":"MUTABLE"}"#);
        let b = code("AWS::ECR::Repository", "web", "{}");
        assert_eq!(fired("ecr-mutable-tags", &map(vec![a, b], vec![])).len(), 2);
    }

    #[test]
    fn silent_on_immutable_tags() {
        let a = code("AWS::ECR::Repository", "api", r#"{"ImageTagMutability":"IMMUTABLE"}"#);
        assert!(fired("ecr-mutable-tags", &map(vec![a], vec![])).is_empty());
    }
}
