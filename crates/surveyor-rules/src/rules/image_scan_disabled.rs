//! # image-scan-disabled
//!
//! **What it fires on**: an ECR repository without `ImageScanningConfiguration.ScanOnPush:
//! true`. The CDK bootstrap asset repository is AWS tooling and not audited.
//!
//! **Why it matters**: images with known-vulnerable packages are pushed and deployed without
//! anyone being told; scanning on push costs nothing for basic scanning.
//!
//! **What to do**: set `ScanOnPush: true` (or enable enhanced scanning for the registry) and
//! look at the findings in CI before deploying.
//!
//! **Example**: `aws_ecr_repository.api` has `scan_on_push = false`. (checkov: CKV_AWS_163.)

use surveyor_model::{FindingCategory, Resource, Severity, Value};

use crate::{Ctx, Message, Meta};

pub(crate) static RULE: Meta = Meta {
    id: "image-scan-disabled",
    severity: Severity::Low,
    category: FindingCategory::Security,
    summary: "an image repository does not scan on push",
    source: include_str!("image_scan_disabled.rs"),
};

const WHY: &str = "Images with known-vulnerable packages are deployed without anyone being told.";
const ACTION: &str = "Set ImageScanningConfiguration.ScanOnPush to true (or enable enhanced registry scanning).";

pub(crate) struct Hit {
    explicit: bool,
}

pub(crate) fn check<'a>(ctx: &Ctx<'a>) -> Vec<(&'a Resource, Hit)> {
    ctx.of_type(&["AWS::ECR::Repository"])
        .filter_map(|r| match ctx.value(r, "ImageScanningConfiguration.ScanOnPush") {
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
        "ImageScanningConfiguration.ScanOnPush = false"
    } else {
        "ImageScanningConfiguration.ScanOnPush not set (default false)"
    };
    Message::new(format!("Repository {} does not scan images", r.label()), evidence).why(WHY, ACTION)
}

#[cfg(test)]
mod tests {
    use crate::testkit::*;

    #[test]
    fn fires_when_scan_on_push_is_off() {
        let a = code("AWS::ECR::Repository", "api", r#"{"ImageScanningConfiguration":{"ScanOnPush":false}}"#);
        let b = code("AWS::ECR::Repository", "web", "{}");
        assert_eq!(fired("image-scan-disabled", &map(vec![a, b], vec![])).len(), 2);
    }

    #[test]
    fn silent_when_on_or_bootstrap() {
        let a = code("AWS::ECR::Repository", "api", r#"{"ImageScanningConfiguration":{"ScanOnPush":"true"}}"#);
        let boot = live("AWS::ECR::Repository", "cdk-hnb659fds-container-assets-1-us-east-2", "{}", "{}");
        assert!(fired("image-scan-disabled", &map(vec![a, boot], vec![])).is_empty());
    }
}
