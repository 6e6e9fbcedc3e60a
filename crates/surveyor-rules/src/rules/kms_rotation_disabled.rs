//! # kms-rotation-disabled
//!
//! **What it fires on**: a customer managed symmetric KMS key (`KeySpec` unset or
//! `SYMMETRIC_DEFAULT`) without `EnableKeyRotation: true`. AWS-managed keys are not audited.
//!
//! **Why it matters**: without rotation the same key material protects the data for the key's
//! whole life; most baselines (CIS, PCI) require yearly rotation, which is free and invisible
//! to applications.
//!
//! **What to do**: set `EnableKeyRotation: true` (CDK: `enableKeyRotation: true`).
//!
//! **Example**: `aws_kms_key.data` has no `enable_key_rotation`. (checkov: CKV_AWS_7.)

use surveyor_model::{FindingCategory, Resource, Severity, Value};

use crate::{Ctx, Message, Meta};

pub(crate) static RULE: Meta = Meta {
    id: "kms-rotation-disabled",
    severity: Severity::Low,
    category: FindingCategory::Security,
    summary: "a customer managed KMS key does not rotate",
    source: include_str!("kms_rotation_disabled.rs"),
};

const WHY: &str = "The same key material protects the data for the key's whole life; yearly rotation is free and invisible to applications.";
const ACTION: &str = "Set EnableKeyRotation to true.";

pub(crate) struct Hit {
    explicit: bool,
}

pub(crate) fn check<'a>(ctx: &Ctx<'a>) -> Vec<(&'a Resource, Hit)> {
    ctx.of_type(&["AWS::KMS::Key"])
        .filter(|r| {
            ctx.value(r, "KeySpec")
                .and_then(Value::as_str)
                .is_none_or(|s| s.eq_ignore_ascii_case("SYMMETRIC_DEFAULT"))
        })
        .filter_map(|r| match ctx.value(r, "EnableKeyRotation") {
            Some(Value::Unresolved(_)) => None,
            Some(v) if v.as_bool() == Some(true) => None,
            Some(v) if v.as_bool() == Some(false) => Some((r, Hit { explicit: true })),
            _ if Ctx::absent_means_default(r) => Some((r, Hit { explicit: false })),
            _ => None,
        })
        .collect()
}

pub(crate) fn message(r: &Resource, h: &Hit) -> Message {
    let evidence = if h.explicit {
        "EnableKeyRotation = false"
    } else {
        "EnableKeyRotation not set (default false)"
    };
    Message::new(format!("KMS key {} does not rotate", r.label()), evidence).why(WHY, ACTION)
}

#[cfg(test)]
mod tests {
    use crate::testkit::*;

    #[test]
    fn fires_on_unrotated_symmetric_keys() {
        let a = code("AWS::KMS::Key", "data", "{}");
        let b = code("AWS::KMS::Key", "logs", r#"{"EnableKeyRotation":false}"#);
        assert_eq!(fired("kms-rotation-disabled", &map(vec![a, b], vec![])).len(), 2);
    }

    #[test]
    fn silent_on_rotated_asymmetric_and_aws_managed_keys() {
        let a = code("AWS::KMS::Key", "data", r#"{"EnableKeyRotation":true}"#);
        let b = code("AWS::KMS::Key", "sign", r#"{"KeySpec":"RSA_2048"}"#);
        let aws = live("AWS::KMS::Key", "aws-s3", r#"{"KeyManager":"AWS"}"#, "{}");
        let unread = live("AWS::KMS::Key", "k-1", "{}", "{}");
        assert!(fired("kms-rotation-disabled", &map(vec![a, b, aws, unread], vec![])).is_empty());
    }
}
