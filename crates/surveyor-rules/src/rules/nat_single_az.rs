//! # nat-single-az
//!
//! **What it fires on**: a VPC whose private subnets span two or more Availability Zones but
//! which has exactly one NAT gateway (public connectivity) — every AZ's egress goes through
//! one AZ. Subnets are private when they do not map public IPs on launch.
//!
//! **Why it matters**: when the NAT gateway's AZ fails, workloads in every other AZ lose
//! outbound access too (package mirrors, third-party APIs, AWS APIs without VPC endpoints):
//! the multi-AZ design fails as a whole. It is a common, deliberate cost saving — then it
//! should be a written decision.
//!
//! **What to do**: one NAT gateway per AZ (CDK: `natGateways: <number of AZs>`), or VPC
//! endpoints for the AWS services the workloads call; or accept it in `.surveyorignore`
//! (`rule:nat-single-az`) with the reason.
//!
//! **Example**: `rfq-vpc-prod` spans 3 AZs with one NAT gateway (`nat-0fdfe4b724e908cbd`).

use std::collections::{BTreeMap, BTreeSet};

use surveyor_model::{FindingCategory, Resource, ResourceId, Severity, Value};

use crate::{Ctx, Message, Meta};

pub(crate) static RULE: Meta = Meta {
    id: "nat-single-az",
    severity: Severity::Low,
    category: FindingCategory::Reliability,
    summary: "private subnets in several AZs share one NAT gateway",
    source: include_str!("nat_single_az.rs"),
};

const WHY: &str = "When the NAT gateway's AZ fails, every AZ loses outbound access: the multi-AZ design fails as a whole.";
const ACTION: &str = "Run one NAT gateway per AZ, or add VPC endpoints for the AWS services used; or accept the cost trade-off explicitly.";

pub(crate) struct Hit {
    azs: Vec<String>,
}

/// The VPC a resource sits in, by its `VpcId` or its subnet's.
fn vpc_of<'a>(ctx: &Ctx<'a>, r: &'a Resource) -> Option<ResourceId> {
    let v = match ctx.value(r, "VpcId") {
        Some(v) => v,
        None => {
            let subnet = ctx.value(r, "SubnetId").and_then(|v| ctx.resolve(v))?;
            ctx.value(subnet, "VpcId")?
        }
    };
    match ctx.resolve(v) {
        Some(vpc) => Some(vpc.id.clone()),
        None => v.as_str().map(ResourceId::new),
    }
}

pub(crate) fn check<'a>(ctx: &Ctx<'a>) -> Vec<(&'a Resource, Hit)> {
    let mut private_azs: BTreeMap<ResourceId, BTreeSet<String>> = BTreeMap::new();
    for s in ctx.of_type(&["AWS::EC2::Subnet"]) {
        if ctx.flag(s, "MapPublicIpOnLaunch") == Some(true) {
            continue;
        }
        let (Some(vpc), Some(az)) = (
            vpc_of(ctx, s),
            ctx.value(s, "AvailabilityZone").and_then(Value::as_str),
        ) else {
            continue;
        };
        private_azs.entry(vpc).or_default().insert(az.to_string());
    }
    let mut nats: BTreeMap<ResourceId, Vec<&'a Resource>> = BTreeMap::new();
    for n in ctx.of_type(&["AWS::EC2::NatGateway"]) {
        let private = ctx
            .value(n, "ConnectivityType")
            .and_then(Value::as_str)
            .is_some_and(|t| t.eq_ignore_ascii_case("private"));
        if private {
            continue;
        }
        if let Some(vpc) = vpc_of(ctx, n) {
            nats.entry(vpc).or_default().push(n);
        }
    }
    nats.into_iter()
        .filter_map(|(vpc, list)| {
            let azs = private_azs.get(&vpc)?;
            match list.as_slice() {
                [only] if azs.len() >= 2 => Some((
                    *only,
                    Hit {
                        azs: azs.iter().cloned().collect(),
                    },
                )),
                _ => None,
            }
        })
        .collect()
}

pub(crate) fn message(r: &Resource, h: &Hit) -> Message {
    Message::new(
        format!("NAT gateway {} serves {} AZs alone", r.label(), h.azs.len()),
        format!("1 NAT gateway for private subnets in {}", h.azs.join(", ")),
    )
    .why(WHY, ACTION)
}

#[cfg(test)]
mod tests {
    use crate::testkit::*;

    fn subnet(name: &str, az: &str, public: bool) -> surveyor_model::Resource {
        code(
            "AWS::EC2::Subnet",
            name,
            &format!(
                r#"{{"VpcId":{{"ref":"AWS::EC2::VPC::vpc"}},"AvailabilityZone":"{az}","MapPublicIpOnLaunch":{public}}}"#
            ),
        )
    }

    #[test]
    fn fires_on_one_nat_for_several_private_azs() {
        let vpc = code("AWS::EC2::VPC", "vpc", "{}");
        let nat = code("AWS::EC2::NatGateway", "nat", r#"{"SubnetId":{"ref":"AWS::EC2::Subnet::pub-a"}}"#);
        let rs = vec![
            vpc,
            subnet("pub-a", "us-east-2a", true),
            subnet("priv-a", "us-east-2a", false),
            subnet("priv-b", "us-east-2b", false),
            nat,
        ];
        let found = run("nat-single-az", &map(rs, vec![]));
        assert_eq!(found.len(), 1);
        assert!(found[0].evidence.contains("us-east-2a, us-east-2b"));
    }

    #[test]
    fn silent_with_a_nat_per_az_or_one_private_az() {
        let vpc = code("AWS::EC2::VPC", "vpc", "{}");
        let nat_a = code("AWS::EC2::NatGateway", "nat-a", r#"{"SubnetId":{"ref":"AWS::EC2::Subnet::pub-a"}}"#);
        let nat_b = code("AWS::EC2::NatGateway", "nat-b", r#"{"SubnetId":{"ref":"AWS::EC2::Subnet::pub-b"}}"#);
        let rs = vec![
            vpc.clone(),
            subnet("pub-a", "us-east-2a", true),
            subnet("pub-b", "us-east-2b", true),
            subnet("priv-a", "us-east-2a", false),
            subnet("priv-b", "us-east-2b", false),
            nat_a.clone(),
            nat_b,
        ];
        assert!(fired("nat-single-az", &map(rs, vec![])).is_empty());
        let rs = vec![
            vpc,
            subnet("pub-a", "us-east-2a", true),
            subnet("priv-a", "us-east-2a", false),
            nat_a,
        ];
        assert!(fired("nat-single-az", &map(rs, vec![])).is_empty());
    }
}
