//! # bucket-public-access
//!
//! **What it fires on**: an S3 bucket without a public access block, or with one whose four
//! settings (`BlockPublicAcls`, `BlockPublicPolicy`, `IgnorePublicAcls`,
//! `RestrictPublicBuckets`) are not all true. When the account was read, the live setting
//! counts; in code alone, a bucket that declares none is reported at a lower severity (new
//! buckets get a full block by default since April 2023, but only a declared one survives a
//! console click).
//!
//! **Why it matters**: public buckets are the classic cloud data leak: one ACL or policy
//! edit makes every object readable by anyone.
//!
//! **What to do**: declare `PublicAccessBlockConfiguration` with all four set to true (CDK:
//! `blockPublicAccess: BlockPublicAccess.BLOCK_ALL`), and serve public content through
//! CloudFront with origin access control instead.
//!
//! **Example**: `uploads` has `BlockPublicPolicy: false`. (checkov: CKV2_AWS_6.)

use surveyor_model::{FindingCategory, Resource, Severity, Value};

use crate::{Ctx, Message, Meta};

pub(crate) static RULE: Meta = Meta {
    id: "bucket-public-access",
    severity: Severity::High,
    category: FindingCategory::Security,
    summary: "a bucket has no public access block",
    source: include_str!("bucket_public_access.rs"),
};

const WHY: &str = "Without a full public access block, one ACL or policy edit makes every object public.";
const ACTION: &str = "Declare PublicAccessBlockConfiguration with all four settings true, and serve public content through CloudFront.";
const FLAGS: [&str; 4] = ["BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"];

pub(crate) enum Hit {
    Missing { live: bool },
    Partial(Vec<&'static str>),
}

pub(crate) fn check<'a>(ctx: &Ctx<'a>) -> Vec<(&'a Resource, Hit)> {
    ctx.of_type(&["AWS::S3::Bucket"])
        .filter_map(|b| match ctx.value(b, "PublicAccessBlockConfiguration") {
            None | Some(Value::Null) => Some((b, Hit::Missing { live: b.in_live })),
            Some(Value::Map(m)) => {
                let off: Vec<&'static str> = FLAGS
                    .iter()
                    .copied()
                    .filter(|f| {
                        let v = m.get(*f);
                        !matches!(v, Some(Value::Unresolved(_))) && v.and_then(Value::as_bool) != Some(true)
                    })
                    .collect();
                (!off.is_empty()).then_some((b, Hit::Partial(off)))
            }
            Some(_) => None,
        })
        .collect()
}

pub(crate) fn message(r: &Resource, h: &Hit) -> Message {
    let title = format!("Bucket {} is not fully blocked from public access", r.label());
    match h {
        Hit::Missing { live: true } => Message::new(title, "no public access block on the bucket (live)").why(WHY, ACTION),
        Hit::Missing { live: false } => Message::new(title, "PublicAccessBlockConfiguration not declared (relies on the account default)")
            .why(WHY, ACTION)
            .severity(Severity::Medium),
        Hit::Partial(off) => Message::new(title, format!("PublicAccessBlockConfiguration: {} not true", off.join(", "))).why(WHY, ACTION),
    }
}

#[cfg(test)]
mod tests {
    use crate::testkit::*;
    use surveyor_model::Severity;

    #[test]
    fn fires_on_missing_or_partial_blocks() {
        let none = code("AWS::S3::Bucket", "a", "{}");
        let partial = code("AWS::S3::Bucket", "b", r#"{"PublicAccessBlockConfiguration":{"BlockPublicAcls":true,"BlockPublicPolicy":false,"IgnorePublicAcls":true,"RestrictPublicBuckets":true}}"#);
        let live_none = live("AWS::S3::Bucket", "c", "{}", "{}");
        let found = run("bucket-public-access", &map(vec![none, partial, live_none], vec![]));
        assert_eq!(found.len(), 3);
        assert!(found.iter().any(|f| f.evidence.contains("BlockPublicPolicy") && f.severity == Severity::High));
        assert!(found.iter().any(|f| f.severity == Severity::Medium));
    }

    #[test]
    fn silent_on_a_full_block() {
        let b = code("AWS::S3::Bucket", "a", r#"{"PublicAccessBlockConfiguration":{"BlockPublicAcls":true,"BlockPublicPolicy":true,"IgnorePublicAcls":true,"RestrictPublicBuckets":"true"}}"#);
        assert!(fired("bucket-public-access", &map(vec![b], vec![])).is_empty());
    }
}
