//! Application and Network Load Balancers: load balancers, listeners, listener rules, target
//! groups, and target health as state.

use surveyor_model::{Resource, Value};

use super::each;
use crate::runtime::{list, n, obj, s, strs, CallError, Rc};
use crate::{call, pages, state_keys as k};
use aws_sdk_elasticloadbalancingv2::types::Action;

pub async fn collect(rc: &Rc<'_>) -> Result<Vec<Resource>, CallError> {
    let client = aws_sdk_elasticloadbalancingv2::Client::new(&rc.config);
    let c = &client;
    let lbs = pages!(
        rc,
        "elasticloadbalancingv2",
        "DescribeLoadBalancers",
        c.describe_load_balancers()
    )?;
    let mut out = Vec::new();
    let mut lb_arns = Vec::new();
    for lb in lbs.iter().flat_map(|p| p.load_balancers()) {
        let Some(arn) = lb.load_balancer_arn() else {
            continue;
        };
        lb_arns.push(arn.to_string());
        let name = lb.load_balancer_name().unwrap_or_default();
        let mut r = rc.resource(
            "AWS::ElasticLoadBalancingV2::LoadBalancer",
            Some(arn.to_string()),
            Some(arn.to_string()),
            Some(name.to_string()),
        );
        let a = &mut r.attributes;
        a.insert("Name".into(), s(name));
        if let Some(sc) = lb.scheme() {
            a.insert("Scheme".into(), s(sc.as_str()));
        }
        if let Some(t) = lb.r#type() {
            a.insert("Type".into(), s(t.as_str()));
        }
        if let Some(t) = lb.ip_address_type() {
            a.insert("IpAddressType".into(), s(t.as_str()));
        }
        a.insert(
            "Subnets".into(),
            list(
                lb.availability_zones()
                    .iter()
                    .filter_map(|z| z.subnet_id().map(s))
                    .collect::<Vec<_>>(),
            ),
        );
        if !lb.security_groups().is_empty() {
            a.insert("SecurityGroups".into(), strs(lb.security_groups()));
        }
        if let Some(d) = lb.dns_name() {
            r.state.insert("DNSName".into(), s(d));
        }
        if let Some(vpc) = lb.vpc_id() {
            r.state.insert("VpcId".into(), s(vpc));
        }
        if let Some(st) = lb.state().and_then(|x| x.code()) {
            r.state.insert(k::STATE.into(), s(st.as_str()));
        }
        out.push(r);
    }
    let listeners = each(&lb_arns, |lb| async move {
        match pages!(
            rc,
            "elasticloadbalancingv2",
            "DescribeListeners",
            c.describe_listeners().load_balancer_arn(lb)
        ) {
            Ok(p) => p
                .iter()
                .flat_map(|p| p.listeners().iter().cloned())
                .collect::<Vec<_>>(),
            Err(e) => {
                rc.note_failed(&e);
                Vec::new()
            }
        }
    })
    .await;
    let listeners: Vec<_> = listeners.into_iter().flatten().collect();
    let mut listener_arns = Vec::new();
    for l in &listeners {
        let Some(arn) = l.listener_arn() else {
            continue;
        };
        listener_arns.push(arn.to_string());
        let mut r = rc.resource(
            "AWS::ElasticLoadBalancingV2::Listener",
            Some(arn.to_string()),
            Some(arn.to_string()),
            None,
        );
        let a = &mut r.attributes;
        if let Some(lb) = l.load_balancer_arn() {
            a.insert("LoadBalancerArn".into(), s(lb));
        }
        if let Some(p) = l.port() {
            a.insert("Port".into(), n(p));
        }
        if let Some(p) = l.protocol() {
            a.insert("Protocol".into(), s(p.as_str()));
        }
        if let Some(p) = l.ssl_policy() {
            a.insert("SslPolicy".into(), s(p));
        }
        if !l.certificates().is_empty() {
            a.insert(
                "Certificates".into(),
                list(
                    l.certificates()
                        .iter()
                        .map(|c| obj([("CertificateArn", c.certificate_arn().map(s))]))
                        .collect::<Vec<_>>(),
                ),
            );
        }
        a.insert("DefaultActions".into(), actions(l.default_actions()));
        r.name = Some(format!(
            "{}:{}",
            l.protocol().map(|p| p.as_str()).unwrap_or(""),
            l.port().unwrap_or_default()
        ));
        out.push(r);
    }
    let rules = each(&listener_arns, |l| async move {
        match pages!(
            rc,
            "elasticloadbalancingv2",
            "DescribeRules",
            c.describe_rules().listener_arn(l)
        ) {
            Ok(p) => p
                .iter()
                .flat_map(|o| o.rules())
                .map(|r| (l.clone(), r.clone()))
                .collect::<Vec<_>>(),
            Err(e) => {
                rc.note_failed(&e);
                Vec::new()
            }
        }
    })
    .await;
    for (listener, rule) in rules.into_iter().flatten() {
        // The default rule is the listener's DefaultActions, already recorded.
        if rule.is_default() == Some(true) {
            continue;
        }
        let Some(arn) = rule.rule_arn() else { continue };
        let mut r = rc.resource(
            "AWS::ElasticLoadBalancingV2::ListenerRule",
            Some(arn.to_string()),
            Some(arn.to_string()),
            None,
        );
        let a = &mut r.attributes;
        a.insert("ListenerArn".into(), s(&listener));
        if let Some(p) = rule.priority().and_then(|p| p.parse::<i64>().ok()) {
            a.insert("Priority".into(), n(p));
        }
        a.insert("Actions".into(), actions(rule.actions()));
        a.insert(
            "Conditions".into(),
            list(
                rule.conditions()
                    .iter()
                    .map(|c| {
                        let values: Vec<String> = if !c.values().is_empty() {
                            c.values().to_vec()
                        } else if let Some(p) = c.path_pattern_config() {
                            p.values().to_vec()
                        } else if let Some(h) = c.host_header_config() {
                            h.values().to_vec()
                        } else {
                            Vec::new()
                        };
                        obj([("Field", c.field().map(s)), ("Values", Some(strs(&values)))])
                    })
                    .collect::<Vec<_>>(),
            ),
        );
        out.push(r);
    }
    match pages!(
        rc,
        "elasticloadbalancingv2",
        "DescribeTargetGroups",
        c.describe_target_groups()
    ) {
        Ok(pages) => {
            let groups: Vec<_> = pages
                .iter()
                .flat_map(|p| p.target_groups().iter().cloned())
                .collect();
            let healths = each(&groups, |g| async move {
                let arn = g.target_group_arn()?;
                match call!(
                    rc,
                    "elasticloadbalancingv2",
                    "DescribeTargetHealth",
                    c.describe_target_health().target_group_arn(arn)
                ) {
                    Ok(o) => Some(o.target_health_descriptions().to_vec()),
                    Err(e) => {
                        rc.note_failed(&e);
                        None
                    }
                }
            })
            .await;
            for (g, health) in groups.iter().zip(healths) {
                let Some(arn) = g.target_group_arn() else {
                    continue;
                };
                let name = g.target_group_name().unwrap_or_default();
                let mut r = rc.resource(
                    "AWS::ElasticLoadBalancingV2::TargetGroup",
                    Some(arn.to_string()),
                    Some(arn.to_string()),
                    Some(name.to_string()),
                );
                let a = &mut r.attributes;
                a.insert("Name".into(), s(name));
                for (key, v) in [
                    ("Port", g.port().map(n)),
                    ("Protocol", g.protocol().map(|p| s(p.as_str()))),
                    ("VpcId", g.vpc_id().map(s)),
                    ("TargetType", g.target_type().map(|t| s(t.as_str()))),
                    ("HealthCheckPath", g.health_check_path().map(s)),
                    ("HealthCheckPort", g.health_check_port().map(s)),
                    (
                        "HealthCheckProtocol",
                        g.health_check_protocol().map(|p| s(p.as_str())),
                    ),
                    (
                        "HealthCheckEnabled",
                        g.health_check_enabled().map(crate::runtime::b),
                    ),
                    (
                        "Matcher",
                        g.matcher()
                            .and_then(|m| m.http_code())
                            .map(|c| obj([("HttpCode", Some(s(c)))])),
                    ),
                ] {
                    if let Some(v) = v {
                        a.insert(key.into(), v);
                    }
                }
                if !g.load_balancer_arns().is_empty() {
                    r.state
                        .insert("LoadBalancerArns".into(), strs(g.load_balancer_arns()));
                }
                if let Some(h) = health {
                    let targets: Vec<Value> = h
                        .iter()
                        .map(|t| {
                            obj([
                                ("Id", t.target().and_then(|x| x.id()).map(s)),
                                ("Port", t.target().and_then(|x| x.port()).map(n)),
                                (
                                    "State",
                                    t.target_health()
                                        .and_then(|x| x.state())
                                        .map(|x| s(x.as_str())),
                                ),
                                (
                                    "Reason",
                                    t.target_health()
                                        .and_then(|x| x.reason())
                                        .map(|x| s(x.as_str())),
                                ),
                            ])
                        })
                        .collect();
                    let healthy = h
                        .iter()
                        .filter(|t| {
                            t.target_health()
                                .and_then(|x| x.state())
                                .map(|x| x.as_str())
                                == Some("healthy")
                        })
                        .count();
                    r.state
                        .insert(k::TARGET_HEALTH.into(), Value::List(targets));
                    r.state.insert("HealthyCount".into(), n(healthy as i64));
                }
                out.push(r);
            }
        }
        Err(e) => rc.note_failed(&e),
    }
    Ok(out)
}

fn actions(acts: &[Action]) -> Value {
    list(
        acts.iter()
            .map(|a| {
                obj([
                    ("Type", a.r#type().map(|t| s(t.as_str()))),
                    ("Order", a.order().map(n)),
                    ("TargetGroupArn", a.target_group_arn().map(s)),
                    (
                        "ForwardConfig",
                        a.forward_config()
                            .filter(|f| !f.target_groups().is_empty())
                            .map(|f| {
                                obj([(
                                    "TargetGroups",
                                    Some(list(
                                        f.target_groups()
                                            .iter()
                                            .map(|t| {
                                                obj([
                                                    ("TargetGroupArn", t.target_group_arn().map(s)),
                                                    ("Weight", t.weight().map(n)),
                                                ])
                                            })
                                            .collect::<Vec<_>>(),
                                    )),
                                )])
                            }),
                    ),
                    (
                        "RedirectConfig",
                        a.redirect_config().map(|r| {
                            obj([
                                ("Protocol", r.protocol().map(s)),
                                ("Port", r.port().map(s)),
                                ("Host", r.host().map(s)),
                                ("Path", r.path().map(s)),
                                ("StatusCode", r.status_code().map(|c| s(c.as_str()))),
                            ])
                        }),
                    ),
                ])
            })
            .collect::<Vec<_>>(),
    )
}
