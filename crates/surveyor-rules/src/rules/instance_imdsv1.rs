//! # instance-imdsv1
//!
//! **What it fires on**: an EC2 instance, launch template or launch configuration whose
//! metadata options do not require IMDSv2 session tokens (`MetadataOptions.HttpTokens` is not
//! `required`) while the metadata endpoint is enabled. An instance launched from a launch
//! template is judged on the template.
//!
//! **Why it matters**: IMDSv1 answers any GET from the instance, so a server-side request
//! forgery bug in the application hands out the instance role's credentials — the path of
//! several well-known breaches.
//!
//! **What to do**: set `HttpTokens: required` (CDK: `requireImdsv2: true`; Terraform:
//! `metadata_options { http_tokens = "required" }`), after checking that old SDKs on the
//! instance support IMDSv2.
//!
//! **Example**: `aws_instance.bastion` has no `metadata_options`. (checkov: CKV_AWS_79.)

use surveyor_model::{FindingCategory, Resource, Severity, Value};

use crate::{Ctx, Message, Meta};

pub(crate) static RULE: Meta = Meta {
    id: "instance-imdsv1",
    severity: Severity::Medium,
    category: FindingCategory::Security,
    summary: "an instance does not require IMDSv2",
    source: include_str!("instance_imdsv1.rs"),
};

const WHY: &str = "IMDSv1 lets any server-side request forgery read the instance role's credentials.";
const ACTION: &str = "Require IMDSv2: MetadataOptions.HttpTokens = required.";

pub(crate) struct Hit {
    tokens: Option<String>,
}

pub(crate) fn check<'a>(ctx: &Ctx<'a>) -> Vec<(&'a Resource, Hit)> {
    ctx.of_type(&[
        "AWS::EC2::Instance",
        "AWS::EC2::LaunchTemplate",
        "AWS::AutoScaling::LaunchConfiguration",
    ])
    .filter_map(|r| {
        let base = if r.type_name == "AWS::EC2::LaunchTemplate" {
            "LaunchTemplateData.MetadataOptions"
        } else {
            "MetadataOptions"
        };
        if r.type_name == "AWS::EC2::Instance"
            && ctx.value(r, "LaunchTemplate").is_some_and(|v| !v.is_null())
            && ctx.value(r, base).is_none()
        {
            return None;
        }
        let get = |k: &str| ctx.value(r, &format!("{base}.{k}"));
        if matches!(get("HttpTokens"), Some(Value::Unresolved(_))) {
            return None;
        }
        if ctx.value(r, base).is_none() && !Ctx::absent_means_default(r) {
            return None;
        }
        let tokens = get("HttpTokens").and_then(Value::as_str);
        let endpoint_off = get("HttpEndpoint")
            .and_then(Value::as_str)
            .is_some_and(|e| e.eq_ignore_ascii_case("disabled"));
        let required = tokens.is_some_and(|t| t.eq_ignore_ascii_case("required"));
        (!required && !endpoint_off).then(|| (r, Hit { tokens: tokens.map(str::to_string) }))
    })
    .collect()
}

pub(crate) fn message(r: &Resource, h: &Hit) -> Message {
    let evidence = match &h.tokens {
        Some(t) => format!("MetadataOptions.HttpTokens = {t}"),
        None => "MetadataOptions.HttpTokens not set (default optional)".to_string(),
    };
    Message::new(format!("{} allows IMDSv1", r.label()), evidence).why(WHY, ACTION)
}

#[cfg(test)]
mod tests {
    use crate::testkit::*;

    #[test]
    fn fires_when_tokens_are_optional_or_unset() {
        let a = code("AWS::EC2::Instance", "bastion", "{}");
        let b = live("AWS::EC2::Instance", "i-1", r#"{"MetadataOptions":{"HttpTokens":"optional","HttpEndpoint":"enabled"}}"#, "{}");
        let t = code("AWS::EC2::LaunchTemplate", "lt", r#"{"LaunchTemplateData":{"InstanceType":"t4g.medium"}}"#);
        assert_eq!(fired("instance-imdsv1", &map(vec![a, b, t], vec![])).len(), 3);
    }

    #[test]
    fn silent_when_the_collector_did_not_read_the_options() {
        let i = live("AWS::EC2::Instance", "i-2", r#"{"InstanceType":"t4g.nano"}"#, "{}");
        assert!(fired("instance-imdsv1", &map(vec![i], vec![])).is_empty());
    }

    #[test]
    fn silent_when_required_disabled_or_from_a_template() {
        let a = code("AWS::EC2::Instance", "a", r#"{"MetadataOptions":{"HttpTokens":"required"}}"#);
        let b = code("AWS::EC2::Instance", "b", r#"{"MetadataOptions":{"HttpEndpoint":"disabled"}}"#);
        let t = code("AWS::EC2::LaunchTemplate", "lt", r#"{"LaunchTemplateData":{"MetadataOptions":{"HttpTokens":"required"}}}"#);
        let c = code("AWS::EC2::Instance", "c", r#"{"LaunchTemplate":{"LaunchTemplateId":{"ref":"AWS::EC2::LaunchTemplate::lt"}}}"#);
        assert!(fired("instance-imdsv1", &map(vec![a, b, t, c], vec![])).is_empty());
    }
}
