//! # unmanaged-resource
//!
//! **What it fires on**: every `unmanaged` drift item — a live resource that none of the code
//! given declares (AWS's own defaults excluded). Severity follows what it exposes: `high` for
//! a public IP, an internet-facing load balancer, a publicly accessible database or a
//! security group open to the world; `medium` for other compute and data stores; `low` for the
//! rest; `info` when a CloudFormation stack that is not in the code given manages it.
//!
//! **Why it matters**: what no code declares nobody reviews, patches or rebuilds: it is lost
//! in the next disaster recovery, keeps costing money, and is often the "temporary" box with
//! an open port that is still running a year later.
//!
//! **What to do**: import it into the code (`terraform import`, `cdk import`, CloudFormation
//! resource import) if it is needed; delete it if not. Accept it in `.surveyorignore`
//! (`TYPE:NAME`) when it is managed elsewhere on purpose.
//!
//! **Example**: EC2 instance `rfq-verify-oneshot` (t4g.nano, public IP 3.38.198.6), launched by
//! hand for a one-shot migration, still running a month later.

use surveyor_model::{DriftKind, FindingCategory, Resource, Severity, Value};

use crate::rules::sg_open_to_world::world_opening;
use crate::{state_keys as k, Ctx, Message, Meta};

pub(crate) static RULE: Meta = Meta {
    id: "unmanaged-resource",
    severity: Severity::Low,
    category: FindingCategory::Hygiene,
    summary: "a live resource no code declares (severity by what it exposes)",
    source: include_str!("unmanaged_resource.rs"),
};

const WHY: &str = "What no code declares nobody reviews, patches or rebuilds; it is lost in a rebuild and keeps costing money.";
const ACTION: &str = "Import it into the code if it is needed, delete it if not, or accept it in .surveyorignore when managed elsewhere.";

pub(crate) struct Hit {
    severity: Severity,
    exposure: Option<String>,
    stack: Option<String>,
}

fn exposure(ctx: &Ctx, r: &Resource) -> Option<String> {
    if let Some(ip) = Ctx::state_str(r, k::PUBLIC_IP).filter(|s| !s.is_empty()) {
        return Some(format!("public IP {ip}"));
    }
    if ctx.flag(r, "PubliclyAccessible") == Some(true) {
        return Some("publicly accessible".into());
    }
    if r.type_name == "AWS::ElasticLoadBalancingV2::LoadBalancer"
        && ctx
            .value(r, "Scheme")
            .and_then(Value::as_str)
            .is_some_and(|s| s.eq_ignore_ascii_case("internet-facing"))
    {
        return Some("internet-facing".into());
    }
    if r.type_name == "AWS::EC2::SecurityGroup" {
        if let Some(Value::List(l)) = ctx.value(r, "SecurityGroupIngress") {
            if let Some((d, _)) = l.iter().find_map(world_opening) {
                return Some(format!("ingress {d}"));
            }
        }
    }
    None
}

pub(crate) fn check<'a>(ctx: &Ctx<'a>) -> Vec<(&'a Resource, Hit)> {
    let mut out = Vec::new();
    for d in &ctx.map.drift {
        if d.kind != DriftKind::Unmanaged {
            continue;
        }
        let Some(r) = d.resource.as_ref().and_then(|id| ctx.get(id)) else {
            continue;
        };
        let exposure = exposure(ctx, r);
        let stack = r.stack.as_ref().map(|s| s.name.clone());
        let category = surveyor_model::registry::category_of(&r.type_name);
        let severity = if exposure.is_some() {
            Severity::High
        } else if stack.is_some() {
            Severity::Info
        } else if matches!(
            category,
            surveyor_model::Category::Compute | surveyor_model::Category::Data
        ) {
            Severity::Medium
        } else {
            Severity::Low
        };
        out.push((r, Hit { severity, exposure, stack }));
    }
    out
}

pub(crate) fn message(r: &Resource, h: &Hit) -> Message {
    let mut evidence = match &h.stack {
        Some(s) => format!("live, managed by stack {s} which is not in the code given"),
        None => "live, declared in no code given".to_string(),
    };
    if let Some(e) = &h.exposure {
        evidence.push_str(&format!("; {e}"));
    }
    if let Some(t) = Ctx::state_str(r, k::LAUNCH_TIME) {
        evidence.push_str(&format!("; launched {t}"));
    }
    let what = surveyor_model::registry::display_of(&r.type_name);
    Message::new(format!("{what} {} is not in the code", r.label()), evidence)
        .why(WHY, ACTION)
        .severity(h.severity)
}

#[cfg(test)]
mod tests {
    use crate::testkit::*;
    use surveyor_model::{Drift, DriftKind, Severity};

    fn unmanaged(r: &surveyor_model::Resource) -> Drift {
        Drift {
            kind: DriftKind::Unmanaged,
            resource: Some(r.id.clone()),
            type_name: r.type_name.clone(),
            name: r.name.clone(),
            attribute: None,
            code: None,
            live: None,
            code_location: None,
            scope: None,
        }
    }

    #[test]
    fn fires_per_unmanaged_item_with_severity_by_exposure() {
        let box_ = live("AWS::EC2::Instance", "rfq-verify-oneshot", "{}", r#"{"PublicIpAddress":"3.38.198.6","LaunchTime":"2026-05-22T03:00:00Z"}"#);
        let param = live("AWS::SSM::Parameter", "/x/y", "{}", "{}");
        let mut m = map(vec![box_.clone(), param.clone()], vec![]);
        m.drift = vec![unmanaged(&box_), unmanaged(&param)];
        let found = run("unmanaged-resource", &m);
        assert_eq!(found.len(), 2);
        let b = found.iter().find(|f| f.evidence.contains("3.38.198.6")).expect("box");
        assert_eq!(b.severity, Severity::High);
        assert!(b.evidence.contains("launched 2026-05-22"));
        assert!(found.iter().any(|f| f.severity == Severity::Low));
    }

    #[test]
    fn silent_without_unmanaged_drift() {
        let box_ = live("AWS::EC2::Instance", "managed", "{}", r#"{"PublicIpAddress":"1.2.3.4"}"#);
        assert!(fired("unmanaged-resource", &map(vec![box_], vec![])).is_empty());
    }
}
