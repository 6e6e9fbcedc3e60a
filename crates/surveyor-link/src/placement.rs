//! `contains`: VPC → subnet, and subnet → each resource placed in it (instances, functions,
//! ECS services, databases and caches through their subnet groups, NAT gateways, load
//! balancers, VPC endpoints, Auto Scaling groups, …). Only the subnet holds the resource, so
//! diagrams nest VPC → subnet → resource without a VPC → resource shortcut.

use surveyor_model::{EdgeKind, ResourceId, Value};

use crate::{origin_of, Graph, Out};

const SUBNET: &[&str] = &["AWS::EC2::Subnet"];
const SUBNET_GROUPS: &[&str] = &[
    "AWS::RDS::DBSubnetGroup",
    "AWS::ElastiCache::SubnetGroup",
    "AWS::Neptune::DBSubnetGroup",
    "AWS::DocDB::DBSubnetGroup",
    "AWS::Redshift::ClusterSubnetGroup",
    "AWS::DAX::SubnetGroup",
];
/// Properties (at any depth) that place a resource in subnets.
const SUBNET_KEYS: &[&str] = &["SubnetId", "SubnetIds", "Subnets", "VPCZoneIdentifier"];
const GROUP_KEYS: &[&str] = &[
    "DBSubnetGroupName",
    "CacheSubnetGroupName",
    "SubnetGroupName",
    "ClusterSubnetGroupName",
];
/// Holders that reference subnets without being placed in them.
const NOT_PLACED: &[&str] = &[
    "AWS::EC2::Subnet",
    "AWS::EC2::SubnetRouteTableAssociation",
    "AWS::EC2::SubnetNetworkAclAssociation",
    "AWS::EC2::SubnetCidrBlock",
    "AWS::EC2::FlowLog",
];

pub(crate) fn derive(g: &Graph, out: &mut Out) {
    for r in g.rs {
        let o = origin_of(r);
        if r.type_name == "AWS::EC2::Subnet" {
            for vpc in g.refs_to(r.attr("VpcId"), &r.id, &["AWS::EC2::VPC"]) {
                out.add(vpc, &r.id, EdgeKind::Contains, o, None);
            }
            continue;
        }
        if NOT_PLACED.contains(&r.type_name.as_str())
            || SUBNET_GROUPS.contains(&r.type_name.as_str())
        {
            continue;
        }
        let mut subnets: Vec<&ResourceId> = Vec::new();
        let mut groups: Vec<&ResourceId> = Vec::new();
        for (k, v) in &r.attributes {
            collect(g, &r.id, v, k, &mut subnets, &mut groups);
        }
        for grp in groups {
            if let Some(gr) = g
                .get(grp)
                .filter(|gr| SUBNET_GROUPS.contains(&gr.type_name.as_str()))
            {
                subnets.extend(g.refs_to(gr.attr("SubnetIds"), &gr.id, SUBNET));
            }
        }
        let mut seen: Vec<&ResourceId> = Vec::new();
        for s in subnets {
            if g.is(s, SUBNET) && !seen.contains(&s) {
                seen.push(s);
                out.add(s, &r.id, EdgeKind::Contains, o, None);
            }
        }
    }
}

fn collect<'a>(
    g: &'a Graph,
    own: &ResourceId,
    v: &'a Value,
    key: &str,
    subnets: &mut Vec<&'a ResourceId>,
    groups: &mut Vec<&'a ResourceId>,
) {
    match v {
        Value::Ref(_) | Value::Unresolved(_) if SUBNET_KEYS.contains(&key) => {
            subnets.extend(g.refs(Some(v), own))
        }
        Value::Ref(_) | Value::Unresolved(_) if GROUP_KEYS.contains(&key) => {
            groups.extend(g.refs(Some(v), own))
        }
        Value::Map(m) => m
            .iter()
            .for_each(|(k, c)| collect(g, own, c, k, subnets, groups)),
        Value::List(l) => l
            .iter()
            .for_each(|c| collect(g, own, c, key, subnets, groups)),
        _ => {}
    }
}
