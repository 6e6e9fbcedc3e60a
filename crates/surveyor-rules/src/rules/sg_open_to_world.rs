//! # sg-open-to-world
//!
//! **What it fires on**: a security group ingress rule (inline `SecurityGroupIngress` or an
//! `AWS::EC2::SecurityGroupIngress` resource) from `0.0.0.0/0` or `::/0` on any port other
//! than 80 and 443 — including "all traffic" (`IpProtocol: -1`). ICMP is not reported.
//!
//! **Why it matters**: SSH, RDP, database and admin ports open to the internet are found by
//! scanners within minutes and brute-forced around the clock; one weak credential or unpatched
//! service is then a breach.
//!
//! **What to do**: restrict the source to the security group or CIDR that needs it (the load
//! balancer's group, a VPN range), and use SSM Session Manager instead of open SSH/RDP.
//!
//! **Example**: `v1-orcha-ec2-sg` allows `tcp/22` from `0.0.0.0/0`.

use surveyor_model::{FindingCategory, Resource, Severity, Value};

use crate::{Ctx, Message, Meta};

pub(crate) static RULE: Meta = Meta {
    id: "sg-open-to-world",
    severity: Severity::High,
    category: FindingCategory::Security,
    summary: "a security group allows 0.0.0.0/0 or ::/0 on a port other than 80/443",
    source: include_str!("sg_open_to_world.rs"),
};

const WHY: &str = "Ports open to the internet are found by scanners within minutes and attacked around the clock.";
const ACTION: &str = "Restrict the source to the security group or CIDR that needs it; use SSM Session Manager instead of open SSH/RDP.";

/// Ports whose exposure is an incident waiting to happen, not merely untidy.
const SENSITIVE: &[i64] = &[22, 23, 3389, 3306, 5432, 1433, 1521, 6379, 11211, 27017, 9200, 2375, 5900];

pub(crate) struct Hit {
    openings: Vec<String>,
    sensitive: bool,
}

/// One ingress rule open to the world on a port other than 80/443: its description.
pub(crate) fn world_opening(rule: &Value) -> Option<(String, bool)> {
    let cidr = ["CidrIp", "CidrIpv6"]
        .iter()
        .filter_map(|k| rule.pointer(k).and_then(Value::as_str))
        .find(|c| *c == "0.0.0.0/0" || *c == "::/0")?;
    let proto = rule
        .pointer("IpProtocol")
        .map(|v| match v {
            Value::Number(n) => n.to_string(),
            other => other.as_str().unwrap_or("").to_ascii_lowercase(),
        })
        .unwrap_or_default();
    let proto = match proto.as_str() {
        "6" => "tcp".to_string(),
        "17" => "udp".to_string(),
        p => p.to_string(),
    };
    if matches!(proto.as_str(), "icmp" | "icmpv6" | "1" | "58") {
        return None;
    }
    if proto == "-1" || proto == "all" {
        return Some((format!("all traffic from {cidr}"), true));
    }
    let from = rule.pointer("FromPort").and_then(Value::as_i64);
    let to = rule.pointer("ToPort").and_then(Value::as_i64).or(from);
    let (from, to) = match (from, to) {
        (Some(f), Some(t)) if f >= 0 && t >= f => (f, t),
        // -1 or missing ports on tcp/udp mean every port.
        _ => (0, 65535),
    };
    let only_web = (from..=to).all(|p| p == 80 || p == 443);
    if only_web {
        return None;
    }
    let sensitive = SENSITIVE.iter().any(|p| (from..=to).contains(p)) || to - from > 1000;
    let ports = if from == to { from.to_string() } else { format!("{from}-{to}") };
    Some((format!("{proto}/{ports} from {cidr}"), sensitive))
}

pub(crate) fn check<'a>(ctx: &Ctx<'a>) -> Vec<(&'a Resource, Hit)> {
    let mut out = Vec::new();
    for sg in ctx.of_type(&["AWS::EC2::SecurityGroup", "AWS::EC2::SecurityGroupIngress"]) {
        let standalone;
        let rules: Vec<&Value> = if sg.type_name == "AWS::EC2::SecurityGroupIngress" {
            standalone = Value::Map(sg.attributes.clone());
            vec![&standalone]
        } else {
            match ctx.value(sg, "SecurityGroupIngress") {
                Some(Value::List(l)) => l.iter().collect(),
                _ => Vec::new(),
            }
        };
        let found: Vec<(String, bool)> = rules.into_iter().filter_map(world_opening).collect();
        if !found.is_empty() {
            let sensitive = found.iter().any(|(_, s)| *s);
            let openings = found.into_iter().map(|(d, _)| d).collect();
            out.push((sg, Hit { openings, sensitive }));
        }
    }
    out
}

pub(crate) fn message(r: &Resource, h: &Hit) -> Message {
    let m = Message::new(
        format!("Security group {} is open to the internet", r.label()),
        format!("ingress {}", h.openings.join("; ")),
    )
    .why(WHY, ACTION);
    if h.sensitive {
        m
    } else {
        m.severity(Severity::Medium)
    }
}

#[cfg(test)]
mod tests {
    use crate::testkit::*;
    use surveyor_model::Severity;

    #[test]
    fn fires_on_ssh_all_traffic_and_wide_ranges() {
        let ssh = code("AWS::EC2::SecurityGroup", "ec2", r#"{"SecurityGroupIngress":[{"IpProtocol":"tcp","FromPort":22,"ToPort":22,"CidrIp":"0.0.0.0/0"}]}"#);
        let all = live("AWS::EC2::SecurityGroup", "wide", r#"{"SecurityGroupIngress":[{"IpProtocol":"-1","CidrIpv6":"::/0"}]}"#, "{}");
        let app = code("AWS::EC2::SecurityGroupIngress", "app-port", r#"{"IpProtocol":"tcp","FromPort":8080,"ToPort":8080,"CidrIp":"0.0.0.0/0"}"#);
        let found = run("sg-open-to-world", &map(vec![ssh, all, app], vec![]));
        assert_eq!(found.len(), 3);
        let app = found.iter().find(|f| f.evidence.contains("8080")).expect("8080");
        assert_eq!(app.severity, Severity::Medium);
        assert!(found.iter().any(|f| f.evidence.contains("tcp/22 from 0.0.0.0/0") && f.severity == Severity::High));
    }

    #[test]
    fn silent_on_web_ports_private_sources_and_icmp() {
        let alb = code("AWS::EC2::SecurityGroup", "alb", r#"{"SecurityGroupIngress":[{"IpProtocol":"tcp","FromPort":80,"ToPort":80,"CidrIp":"0.0.0.0/0"},{"IpProtocol":"tcp","FromPort":443,"ToPort":443,"CidrIp":"0.0.0.0/0"}]}"#);
        let db = code("AWS::EC2::SecurityGroup", "db", r#"{"SecurityGroupIngress":[{"IpProtocol":"tcp","FromPort":5432,"ToPort":5432,"SourceSecurityGroupId":{"ref":"AWS::EC2::SecurityGroup::alb"}},{"IpProtocol":"tcp","FromPort":22,"ToPort":22,"CidrIp":"10.0.0.0/8"}]}"#);
        let ping = code("AWS::EC2::SecurityGroup", "ping", r#"{"SecurityGroupIngress":[{"IpProtocol":"icmp","FromPort":-1,"ToPort":-1,"CidrIp":"0.0.0.0/0"}]}"#);
        assert!(fired("sg-open-to-world", &map(vec![alb, db, ping], vec![])).is_empty());
    }
}
