//! # public-compute
//!
//! **What it fires on**: an EC2 instance with a public IP (live `PublicIpAddress`, or
//! `AssociatePublicIpAddress: true`, or placed in a subnet with `MapPublicIpOnLaunch: true`),
//! a launch template that asks for a public IP, or an ECS service whose tasks get one
//! (`AssignPublicIp: ENABLED`).
//!
//! **Why it matters**: a machine with a public address is one security-group mistake away
//! from the internet, and it is reachable by every scanner the moment a port opens. Workloads
//! behind a load balancer rarely need one.
//!
//! **What to do**: move the workload to private subnets with a NAT gateway or VPC endpoints
//! for egress, reach it through the load balancer or SSM Session Manager, and stop assigning
//! public IPs. Accept deliberate cost trade-offs in `.surveyorignore`.
//!
//! **Example**: `rfq-verify-oneshot` (`i-05152be67822f4cc5`) runs with public IP 3.38.198.6.

use surveyor_model::{FindingCategory, Resource, Severity, Value};

use crate::{state_keys as k, Ctx, Message, Meta};

pub(crate) static RULE: Meta = Meta {
    id: "public-compute",
    severity: Severity::Medium,
    category: FindingCategory::Security,
    summary: "an instance or task has a public IP in a public subnet",
    source: include_str!("public_compute.rs"),
};

const WHY: &str = "A machine with a public address is one security-group mistake away from the internet.";
const ACTION: &str = "Run it in private subnets (NAT or VPC endpoints for egress), reach it through the load balancer or SSM, and stop assigning public IPs.";

pub(crate) enum Hit {
    PublicIp(String),
    Declared(&'static str),
    PublicSubnet(String),
}

fn any_true(list: Option<&Value>, key: &str) -> Option<bool> {
    let l = list?.as_list()?;
    let flags: Vec<bool> = l.iter().filter_map(|n| n.pointer(key).and_then(Value::as_bool)).collect();
    if flags.is_empty() {
        None
    } else {
        Some(flags.into_iter().any(|b| b))
    }
}

pub(crate) fn check<'a>(ctx: &Ctx<'a>) -> Vec<(&'a Resource, Hit)> {
    let mut out = Vec::new();
    for r in ctx.of_type(&[
        "AWS::EC2::Instance",
        "AWS::EC2::LaunchTemplate",
        "AWS::ECS::Service",
    ]) {
        let hit = match r.type_name.as_str() {
            "AWS::EC2::Instance" => {
                if let Some(ip) = Ctx::state_str(r, k::PUBLIC_IP).filter(|s| !s.is_empty()) {
                    Some(Hit::PublicIp(ip.to_string()))
                } else if r.in_live && r.state.contains_key(k::INSTANCE_STATE) {
                    // The account says it has no public address.
                    None
                } else {
                    match any_true(ctx.value(r, "NetworkInterfaces"), "AssociatePublicIpAddress") {
                        Some(true) => Some(Hit::Declared("AssociatePublicIpAddress = true")),
                        Some(false) => None,
                        None => ctx
                            .value(r, "SubnetId")
                            .and_then(|v| ctx.resolve(v))
                            .filter(|s| ctx.flag(s, "MapPublicIpOnLaunch") == Some(true))
                            .map(|s| Hit::PublicSubnet(s.label())),
                    }
                }
            }
            "AWS::EC2::LaunchTemplate" => {
                match any_true(ctx.value(r, "LaunchTemplateData.NetworkInterfaces"), "AssociatePublicIpAddress") {
                    Some(true) => Some(Hit::Declared("LaunchTemplateData.NetworkInterfaces.AssociatePublicIpAddress = true")),
                    _ => None,
                }
            }
            _ => ctx
                .value(r, "NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp")
                .and_then(Value::as_str)
                .filter(|s| s.eq_ignore_ascii_case("ENABLED"))
                .map(|_| Hit::Declared("NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp = ENABLED")),
        };
        if let Some(h) = hit {
            out.push((r, h));
        }
    }
    out
}

pub(crate) fn message(r: &Resource, h: &Hit) -> Message {
    let evidence = match h {
        Hit::PublicIp(ip) => format!("{} = {ip}", k::PUBLIC_IP),
        Hit::Declared(what) => (*what).to_string(),
        Hit::PublicSubnet(s) => format!("in subnet {s} with MapPublicIpOnLaunch = true"),
    };
    Message::new(format!("{} has a public IP", r.label()), evidence).why(WHY, ACTION)
}

#[cfg(test)]
mod tests {
    use crate::testkit::*;

    #[test]
    fn fires_on_public_ips_live_and_declared() {
        let i = live("AWS::EC2::Instance", "rfq-verify-oneshot", "{}", r#"{"PublicIpAddress":"3.38.198.6","State":"running"}"#);
        let svc = code("AWS::ECS::Service", "api", r#"{"NetworkConfiguration":{"AwsvpcConfiguration":{"AssignPublicIp":"ENABLED"}}}"#);
        let sub = code("AWS::EC2::Subnet", "public-a", r#"{"MapPublicIpOnLaunch":true}"#);
        let j = code("AWS::EC2::Instance", "box", r#"{"SubnetId":{"ref":"AWS::EC2::Subnet::public-a"}}"#);
        let found = run("public-compute", &map(vec![i, svc, sub, j], vec![]));
        assert_eq!(found.len(), 3, "{found:?}");
        assert!(found.iter().any(|f| f.evidence.contains("3.38.198.6")));
    }

    #[test]
    fn silent_in_private_subnets() {
        let i = live("AWS::EC2::Instance", "private", "{}", r#"{"State":"running"}"#);
        let svc = code("AWS::ECS::Service", "api", r#"{"NetworkConfiguration":{"AwsvpcConfiguration":{"AssignPublicIp":"DISABLED"}}}"#);
        let sub = code("AWS::EC2::Subnet", "public-a", r#"{"MapPublicIpOnLaunch":true}"#);
        let j = code("AWS::EC2::Instance", "box", r#"{"SubnetId":{"ref":"AWS::EC2::Subnet::public-a"},"NetworkInterfaces":[{"AssociatePublicIpAddress":false}]}"#);
        assert!(fired("public-compute", &map(vec![i, svc, sub, j], vec![])).is_empty());
    }
}
