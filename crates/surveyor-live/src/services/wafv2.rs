//! WAFv2 web ACLs and what each protects. ListResourcesForWebACL is the batch answer; where an
//! endpoint does not implement it (moto), the association pass asks GetWebACLForResource per
//! load balancer instead, and API Gateway stages say their web ACL themselves.

use std::collections::BTreeMap;

use aws_sdk_wafv2::types::{ResourceType, Scope};
use surveyor_model::{Resource, ResourceId, Value};

use crate::runtime::{s, strs, CallError, Rc};
use crate::{call, state_keys as k, token_pages};

const PROTECTED: &str = "ProtectedResources";

pub async fn collect(rc: &Rc<'_>) -> Result<Vec<Resource>, CallError> {
    let client = aws_sdk_wafv2::Client::new(&rc.config);
    let mut scopes = vec![Scope::Regional];
    // CloudFront web ACLs live in us-east-1 only.
    if rc.region == "us-east-1" {
        scopes.push(Scope::Cloudfront);
    }
    let mut out = Vec::new();
    for scope in scopes {
        let pages = token_pages!(
            rc,
            "wafv2",
            "ListWebAcls",
            |tok| client
                .list_web_acls()
                .scope(scope.clone())
                .limit(100)
                .set_next_marker(tok.clone()),
            |o| o.next_marker()
        )?;
        for acl in pages.iter().flat_map(|p| p.web_acls()) {
            let Some(arn) = acl.arn() else { continue };
            let mut r = rc.resource(
                "AWS::WAFv2::WebACL",
                Some(arn.to_string()),
                Some(arn.to_string()),
                acl.name().map(str::to_string),
            );
            if let Some(nm) = acl.name() {
                r.attributes.insert("Name".into(), s(nm));
            }
            r.attributes.insert("Scope".into(), s(scope.as_str()));
            if let Some(d) = acl.description().filter(|d| !d.is_empty()) {
                r.attributes.insert("Description".into(), s(d));
            }
            if scope == Scope::Regional {
                let mut protected = Vec::new();
                let mut listed = true;
                for rt in [
                    ResourceType::ApplicationLoadBalancer,
                    ResourceType::ApiGateway,
                ] {
                    match call!(
                        rc,
                        "wafv2",
                        "ListResourcesForWebAcl",
                        client
                            .list_resources_for_web_acl()
                            .web_acl_arn(arn)
                            .resource_type(rt)
                    ) {
                        Ok(o) => protected.extend(o.resource_arns().iter().cloned()),
                        Err(_) => {
                            // Not implemented here, or refused: the association pass asks
                            // resource by resource instead.
                            listed = false;
                            break;
                        }
                    }
                }
                if listed {
                    r.state.insert(PROTECTED.into(), strs(&protected));
                }
            }
            out.push(r);
        }
    }
    Ok(out)
}

/// Completes `ProtectedResources` on every regional web ACL, records `WebACLArn` on what each
/// protects, and adds the `AWS::WAFv2::WebACLAssociation` resources.
pub async fn associations(rc: &Rc<'_>, resources: &mut Vec<Resource>) {
    let needs_fallback = resources.iter().any(|r| {
        r.type_name == "AWS::WAFv2::WebACL"
            && r.attr_str("Scope") == Some("REGIONAL")
            && !r.state.contains_key(PROTECTED)
    });
    let mut by_acl: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for r in resources.iter() {
        if r.type_name == "AWS::WAFv2::WebACL" {
            let list: Vec<String> = r
                .state
                .get(PROTECTED)
                .and_then(Value::as_list)
                .unwrap_or_default()
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect();
            by_acl.entry(r.id.0.clone()).or_default().extend(list);
        }
        // API stages carry their own web ACL.
        if r.type_name == "AWS::ApiGateway::Stage" && needs_fallback {
            if let (Some(acl), Some(arn)) =
                (r.state_value(k::WEB_ACL).and_then(Value::as_str), &r.arn)
            {
                by_acl.entry(acl.to_string()).or_default().push(arn.clone());
            }
        }
    }
    if needs_fallback {
        let client = aws_sdk_wafv2::Client::new(&rc.config);
        let lbs: Vec<String> = resources
            .iter()
            .filter(|r| {
                r.type_name == "AWS::ElasticLoadBalancingV2::LoadBalancer"
                    && r.attr_str("Type").unwrap_or("application") == "application"
            })
            .filter_map(|r| r.arn.clone())
            .collect();
        let answers = super::each(&lbs, |lb| {
            let client = &client;
            async move {
                match call!(
                    rc,
                    "wafv2",
                    "GetWebAclForResource",
                    client.get_web_acl_for_resource().resource_arn(lb)
                ) {
                    Ok(o) => o.web_acl().map(|a| (a.arn().to_string(), lb.clone())),
                    Err(e) if e.is_absent() => None,
                    Err(e) => {
                        rc.note_failed(&e);
                        None
                    }
                }
            }
        })
        .await;
        for (acl, lb) in answers.into_iter().flatten() {
            by_acl.entry(acl).or_default().push(lb);
        }
    }
    for list in by_acl.values_mut() {
        list.sort();
        list.dedup();
    }
    let mut protected_by: BTreeMap<String, String> = BTreeMap::new();
    for (acl, list) in &by_acl {
        for res in list {
            protected_by.insert(res.clone(), acl.clone());
        }
    }
    let mut added = Vec::new();
    for r in resources.iter_mut() {
        if r.type_name == "AWS::WAFv2::WebACL" {
            if let Some(list) = by_acl.get(&r.id.0) {
                r.state.insert(PROTECTED.into(), strs(list));
                for res in list {
                    let pid = format!("{res}|{}", r.id.0);
                    let mut a = rc.resource(
                        "AWS::WAFv2::WebACLAssociation",
                        None,
                        Some(pid.clone()),
                        None,
                    );
                    a.id = ResourceId::of("AWS::WAFv2::WebACLAssociation", &pid);
                    a.attributes.insert("ResourceArn".into(), s(res));
                    a.attributes.insert("WebACLArn".into(), s(&r.id.0));
                    added.push(a);
                }
            }
        } else if let Some(acl) = r.arn.as_ref().and_then(|a| protected_by.get(a)) {
            r.state.insert(k::WEB_ACL.into(), s(acl));
        }
    }
    resources.extend(added);
}
