//! # internet-facing-without-waf
//!
//! **What it fires on**: an internet-facing Application Load Balancer (`Scheme` is
//! `internet-facing`, CloudFormation's default) or a CloudFront distribution with no web ACL:
//! no `protects` edge, no `WebACLAssociation` naming it, no `WebACLId`.
//!
//! **Why it matters**: the application takes requests from anyone with no managed filtering:
//! known-bad inputs, scanners, credential stuffing and floods reach the code directly.
//!
//! **What to do**: attach a WAFv2 web ACL with at least the AWS managed common and
//! known-bad-inputs rule groups and a rate-based rule. Accept it in `.surveyorignore` where
//! the service is deliberately unfiltered.
//!
//! **Example**: the ALB `dispatch-prod-api` listens on :443 to `0.0.0.0/0` with no web ACL.

use surveyor_model::{EdgeKind, FindingCategory, Origin, Resource, Severity, Value};

use crate::{state_keys as k, Ctx, Message, Meta};

pub(crate) static RULE: Meta = Meta {
    id: "internet-facing-without-waf",
    severity: Severity::Medium,
    category: FindingCategory::Security,
    summary: "an internet-facing load balancer or distribution has no web ACL",
    source: include_str!("internet_facing_without_waf.rs"),
};

const WHY: &str = "Anyone can reach the application with no managed filtering of bad inputs, scanners or floods.";
const ACTION: &str = "Attach a WAFv2 web ACL (AWS managed common + known-bad-inputs rule groups and a rate rule).";

pub(crate) struct Hit {
    what: &'static str,
}

fn has_acl(ctx: &Ctx, r: &Resource) -> bool {
    // A live resource is judged on live evidence: an association only the code declares
    // (detached by hand) protects nothing.
    let live_only = r.in_live && ctx.live_read;
    if ctx
        .into(r, EdgeKind::Protects)
        .any(|e| !live_only || e.origin != Origin::Code)
    {
        return true;
    }
    if Ctx::state_str(r, k::WEB_ACL).is_some_and(|a| !a.is_empty()) {
        return true;
    }
    if ctx
        .value(r, "DistributionConfig.WebACLId")
        .is_some_and(|v| !matches!(v, Value::Null) && v.as_str() != Some(""))
    {
        return true;
    }
    ctx.referrers(r).into_iter().any(|(a, prop)| {
        a.type_name == "AWS::WAFv2::WebACLAssociation"
            && prop == "ResourceArn"
            && (!live_only || a.in_live)
    })
}

pub(crate) fn check<'a>(ctx: &Ctx<'a>) -> Vec<(&'a Resource, Hit)> {
    ctx.of_type(&[
        "AWS::ElasticLoadBalancingV2::LoadBalancer",
        "AWS::CloudFront::Distribution",
    ])
    .filter_map(|r| {
        let what = if r.type_name == "AWS::CloudFront::Distribution" {
            "distribution"
        } else {
            let scheme = ctx.value(r, "Scheme").and_then(Value::as_str).unwrap_or("internet-facing");
            let kind = ctx.value(r, "Type").and_then(Value::as_str).unwrap_or("application");
            // Only ALBs take a web ACL; NLBs and gateways cannot.
            if !scheme.eq_ignore_ascii_case("internet-facing") || !kind.eq_ignore_ascii_case("application") {
                return None;
            }
            "load balancer"
        };
        (!has_acl(ctx, r)).then_some((r, Hit { what }))
    })
    .collect()
}

pub(crate) fn message(r: &Resource, h: &Hit) -> Message {
    Message::new(
        format!("Internet-facing {} {} has no web ACL", h.what, r.label()),
        "no web ACL protects it".to_string(),
    )
    .why(WHY, ACTION)
}

#[cfg(test)]
mod tests {
    use crate::testkit::*;
    use surveyor_model::EdgeKind;

    #[test]
    fn fires_on_a_public_alb_and_a_bare_distribution() {
        let alb = code("AWS::ElasticLoadBalancingV2::LoadBalancer", "api", r#"{"Type":"application"}"#);
        let cf = live("AWS::CloudFront::Distribution", "E2F", r#"{"DistributionConfig":{"Enabled":true}}"#, "{}");
        assert_eq!(fired("internet-facing-without-waf", &map(vec![alb, cf], vec![])).len(), 2);
    }

    #[test]
    fn silent_when_protected_internal_or_network() {
        let alb = code("AWS::ElasticLoadBalancingV2::LoadBalancer", "api", "{}");
        let acl = code("AWS::WAFv2::WebACL", "waf", "{}");
        let assoc = code("AWS::WAFv2::WebACLAssociation", "a", r#"{"ResourceArn":{"ref":"AWS::ElasticLoadBalancingV2::LoadBalancer::api"},"WebACLArn":{"ref":"AWS::WAFv2::WebACL::waf"}}"#);
        let internal = code("AWS::ElasticLoadBalancingV2::LoadBalancer", "int", r#"{"Scheme":"internal"}"#);
        let nlb = code("AWS::ElasticLoadBalancingV2::LoadBalancer", "nlb", r#"{"Type":"network"}"#);
        let cf = live("AWS::CloudFront::Distribution", "E1", r#"{"DistributionConfig":{"WebACLId":"arn:aws:wafv2:us-east-1:1:global/webacl/x/1"}}"#, "{}");
        let cf2 = live("AWS::CloudFront::Distribution", "E3", "{}", "{}");
        let alb2 = live("AWS::ElasticLoadBalancingV2::LoadBalancer", "api2", "{}", r#"{"WebACLArn":"arn:aws:wafv2:r:1:regional/webacl/x/1"}"#);
        let acl2 = live("AWS::WAFv2::WebACL", "waf2", "{}", "{}");
        let e = edge(&acl2, &cf2, EdgeKind::Protects);
        let m = map(vec![alb, acl, assoc, internal, nlb, cf, cf2, acl2, alb2], vec![e]);
        assert!(fired("internet-facing-without-waf", &m).is_empty());
    }
}
