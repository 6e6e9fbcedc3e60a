//! # waf-not-attached
//!
//! **What it fires on**: a WAF web ACL that protects nothing — no `protects` edge, no
//! `WebACLAssociation` and no distribution naming it — or one declared in code that is not
//! in the account at all.
//!
//! **Why it matters**: the rules were written, reviewed and paid for, and filter no traffic.
//! People believe the application is behind a WAF when it is not.
//!
//! **What to do**: associate the ACL with the load balancer, API stage or distribution it was
//! meant for (`AWS::WAFv2::WebACLAssociation`, or `WebACLId` on the distribution) and apply
//! the code; or delete the ACL.
//!
//! **Example**: the Terraform declares `aws_wafv2_web_acl.api` and its association, but live
//! the ALB `dispatch-prod-api` has no web ACL.

use surveyor_model::{EdgeKind, FindingCategory, Origin, Resource, Severity, Value};

use crate::{state_keys as k, Ctx, Message, Meta};

pub(crate) static RULE: Meta = Meta {
    id: "waf-not-attached",
    severity: Severity::Medium,
    category: FindingCategory::Security,
    summary: "a web ACL protects nothing, or one declared in code is not attached live",
    source: include_str!("waf_not_attached.rs"),
};

const WHY: &str = "The WAF rules filter no traffic while people believe the application is protected.";
const ACTION: &str = "Associate the web ACL with its load balancer, API stage or distribution and apply the code — or delete it.";

pub(crate) enum Hit {
    NotDeployed,
    Unattached,
}

/// Whether something is associated with the ACL (live evidence only, when the ACL is live).
fn attached(ctx: &Ctx, acl: &Resource) -> bool {
    // A live ACL is judged on live evidence: an association the code declares but the
    // account lacks (detached by hand) protects nothing.
    let live_only = acl.in_live && ctx.live_read;
    if ctx
        .out(acl, EdgeKind::Protects)
        .any(|e| !live_only || e.origin != Origin::Code)
    {
        return true;
    }
    // The collector's own list of what the ACL protects is the live answer.
    if let Some(list) = acl.state.get(k::WAF_PROTECTED).and_then(Value::as_list) {
        return !list.is_empty();
    }
    ctx.referrers(acl).into_iter().any(|(r, prop)| {
        let associates = (r.type_name == "AWS::WAFv2::WebACLAssociation" && prop == "WebACLArn")
            || (r.type_name == "AWS::CloudFront::Distribution" && prop == "DistributionConfig");
        associates && (!live_only || r.in_live)
    })
}

pub(crate) fn check<'a>(ctx: &Ctx<'a>) -> Vec<(&'a Resource, Hit)> {
    ctx.of_type(&["AWS::WAFv2::WebACL"])
        .filter_map(|acl| {
            if acl.in_code && !acl.in_live && ctx.live_read {
                return Some((acl, Hit::NotDeployed));
            }
            (!attached(ctx, acl)).then_some((acl, Hit::Unattached))
        })
        .collect()
}

pub(crate) fn message(r: &Resource, h: &Hit) -> Message {
    let evidence = match h {
        Hit::NotDeployed => "declared in code, not found in the account".to_string(),
        Hit::Unattached if r.in_live => "no resource is associated with it live".to_string(),
        Hit::Unattached => "no WebACLAssociation or distribution refers to it".to_string(),
    };
    Message::new(format!("Web ACL {} protects nothing", r.label()), evidence).why(WHY, ACTION)
}

#[cfg(test)]
mod tests {
    use crate::testkit::*;
    use surveyor_model::EdgeKind;

    #[test]
    fn fires_on_an_unattached_live_acl_and_a_code_acl_never_deployed() {
        let acl = live("AWS::WAFv2::WebACL", "api-waf", "{}", "{}");
        // Declared association, but only in code: live evidence is what counts for a live ACL.
        let assoc = code("AWS::WAFv2::WebACLAssociation", "assoc", r#"{"WebACLArn":{"ref":"AWS::WAFv2::WebACL::api-waf"}}"#);
        let ghost = code("AWS::WAFv2::WebACL", "edge-waf", "{}");
        let found = run("waf-not-attached", &map(vec![acl, assoc, ghost], vec![]));
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found.iter().any(|f| f.evidence.contains("not found in the account")));
    }

    #[test]
    fn an_association_only_the_code_declares_does_not_protect_a_live_load_balancer() {
        // The seeds' "WAF not attached": the code associates it, someone detached it live.
        let acl = live("AWS::WAFv2::WebACL", "api-waf", "{}", "{}");
        let alb = live("AWS::ElasticLoadBalancingV2::LoadBalancer", "api-alb", "{}", "{}");
        let mut e = edge(&acl, &alb, EdgeKind::Protects);
        e.origin = surveyor_model::Origin::Code;
        let m = map(vec![acl, alb], vec![e]);
        assert_eq!(fired("waf-not-attached", &m), vec!["AWS::WAFv2::WebACL::api-waf".to_string()]);
        assert_eq!(
            fired("internet-facing-without-waf", &m),
            vec!["AWS::ElasticLoadBalancingV2::LoadBalancer::api-alb".to_string()]
        );
    }

    #[test]
    fn the_collectors_protected_list_decides_for_a_live_acl() {
        let empty = live("AWS::WAFv2::WebACL", "a", "{}", r#"{"ProtectedResources":[]}"#);
        let used = live("AWS::WAFv2::WebACL", "b", "{}", r#"{"ProtectedResources":["arn:aws:elasticloadbalancing:r:1:loadbalancer/app/x/1"]}"#);
        assert_eq!(fired("waf-not-attached", &map(vec![empty, used], vec![])), vec!["AWS::WAFv2::WebACL::a".to_string()]);
    }

    #[test]
    fn silent_when_it_protects_something() {
        let acl = live("AWS::WAFv2::WebACL", "cf-waf", "{}", "{}");
        let cf = live("AWS::CloudFront::Distribution", "E1", "{}", "{}");
        let e = edge(&acl, &cf, EdgeKind::Protects);
        assert!(fired("waf-not-attached", &map(vec![acl, cf], vec![e])).is_empty());
        // Code alone: an association in code is enough.
        let acl2 = code("AWS::WAFv2::WebACL", "alb-waf", "{}");
        let assoc = code("AWS::WAFv2::WebACLAssociation", "assoc", r#"{"WebACLArn":{"ref":"AWS::WAFv2::WebACL::alb-waf"}}"#);
        assert!(fired("waf-not-attached", &map(vec![acl2, assoc], vec![])).is_empty());
    }
}
