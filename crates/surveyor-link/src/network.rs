//! `allows`: network ingress between security groups, from a security group's inline
//! `SecurityGroupIngress` rules and from `AWS::EC2::SecurityGroupIngress` resources
//! (`GroupId` is the destination). A source security group is the edge's start; a rule open
//! to `0.0.0.0/0` or `::/0` starts at the `internet` pseudo-node. Labels say the ports
//! (`tcp/5432`, `tcp/80-443`, `all`).

use surveyor_model::{EdgeKind, Resource, ResourceId, Value};

use crate::{origin_of, scalar, Graph, Out, INTERNET, INTERNET_TYPE};

const SG: &[&str] = &["AWS::EC2::SecurityGroup"];

pub(crate) fn derive(g: &Graph, out: &mut Out) {
    for r in g.rs {
        match r.type_name.as_str() {
            "AWS::EC2::SecurityGroup" => {
                for rule in crate::items(r.attr("SecurityGroupIngress")) {
                    ingress(g, out, r, &r.id, rule);
                }
            }
            "AWS::EC2::SecurityGroupIngress" => {
                let rule = Value::Map(r.attributes.clone());
                let dests = g.refs_to(r.attr("GroupId").or(r.attr("GroupName")), &r.id, SG);
                for dest in dests {
                    ingress(g, out, r, dest, &rule);
                    out.claim(&r.id, dest);
                }
            }
            _ => {}
        }
    }
}

fn ingress(g: &Graph, out: &mut Out, holder: &Resource, dest: &ResourceId, rule: &Value) {
    let o = origin_of(holder);
    let label = Some(ports(rule));
    let sources = g.refs_to(
        rule.pointer("SourceSecurityGroupId")
            .or(rule.pointer("SourceSecurityGroupName")),
        &holder.id,
        SG,
    );
    for s in sources {
        out.add(s, dest, EdgeKind::Allows, o, label.clone());
        out.claim(&holder.id, s);
    }
    let open = scalar(rule.pointer("CidrIp")).as_deref() == Some("0.0.0.0/0")
        || scalar(rule.pointer("CidrIpv6")).as_deref() == Some("::/0");
    if open {
        let internet = out.pseudo(INTERNET, INTERNET_TYPE, INTERNET, o);
        out.add(&internet, dest, EdgeKind::Allows, o, label);
    }
}

/// `tcp/5432`, `tcp/80-443`, `udp/all`, `icmp`, `all`.
pub(crate) fn ports(rule: &Value) -> String {
    let proto = scalar(rule.pointer("IpProtocol"))
        .unwrap_or_else(|| "-1".into())
        .to_ascii_lowercase();
    let proto = match proto.as_str() {
        "-1" | "all" => return "all".into(),
        "6" => "tcp".to_string(),
        "17" => "udp".to_string(),
        "1" => return "icmp".into(),
        "icmp" | "icmpv6" | "58" => return "icmp".into(),
        p => p.to_string(),
    };
    let from = rule.pointer("FromPort").and_then(Value::as_i64);
    let to = rule.pointer("ToPort").and_then(Value::as_i64);
    match (from, to) {
        (Some(f), Some(t)) if f == t && f >= 0 => format!("{proto}/{f}"),
        (Some(0), Some(65535)) | (None, None) | (Some(-1), _) => format!("{proto}/all"),
        (Some(f), Some(t)) => format!("{proto}/{f}-{t}"),
        (Some(f), None) | (None, Some(f)) => format!("{proto}/{f}"),
    }
}
