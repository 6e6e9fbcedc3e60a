//! `routes`: the request path. DNS records → load balancers, distributions and APIs;
//! distributions → their origins; load balancers → target groups (through listeners and
//! listener rules, labelled with the port); target groups → ECS services, instances,
//! functions and Auto Scaling groups; APIs → their integrations; function URLs → functions.

use surveyor_model::{EdgeKind, Resource, ResourceId, Value};

use crate::resolve::FUNCTIONS;
use crate::{items, origin_of, scalar, Graph, Out};

const LB: &[&str] = &[
    "AWS::ElasticLoadBalancingV2::LoadBalancer",
    "AWS::ElasticLoadBalancing::LoadBalancer",
];
const LISTENER: &[&str] = &["AWS::ElasticLoadBalancingV2::Listener"];
const TG: &[&str] = &["AWS::ElasticLoadBalancingV2::TargetGroup"];
const APIS: &[&str] = &[
    "AWS::ApiGateway::RestApi",
    "AWS::ApiGatewayV2::Api",
    "AWS::Serverless::Api",
    "AWS::Serverless::HttpApi",
];

pub(crate) fn derive(g: &Graph, out: &mut Out) {
    for r in g.rs {
        match r.type_name.as_str() {
            "AWS::Route53::RecordSet" => {
                record_value(g, out, r, &Value::Map(Default::default()), true)
            }
            "AWS::Route53::RecordSetGroup" => {
                for rs in items(r.attr("RecordSets")) {
                    record_value(g, out, r, rs, false);
                }
            }
            "AWS::CloudFront::Distribution" => distribution(g, out, r),
            "AWS::ElasticLoadBalancingV2::Listener" => {
                let port = scalar(r.attr("Port")).map(|p| format!(":{p}"));
                let lbs = g.refs_to(r.attr("LoadBalancerArn"), &r.id, LB);
                forward(g, out, r, &lbs, r.attr("DefaultActions"), port);
            }
            "AWS::ElasticLoadBalancingV2::ListenerRule" => listener_rule(g, out, r),
            "AWS::ElasticLoadBalancingV2::TargetGroup" => {
                for t in items(r.attr("Targets")) {
                    let port = scalar(t.pointer("Port")).map(|p| format!(":{p}"));
                    for to in g.refs(t.pointer("Id"), &r.id) {
                        out.add(&r.id, to, EdgeKind::Routes, origin_of(r), port.clone());
                    }
                }
            }
            "AWS::ElasticLoadBalancing::LoadBalancer" => {
                for to in g.refs(r.attr("Instances"), &r.id) {
                    out.add(&r.id, to, EdgeKind::Routes, origin_of(r), None);
                }
            }
            "AWS::ECS::Service" => {
                for lb in items(r.attr("LoadBalancers")) {
                    let port = scalar(lb.pointer("ContainerPort")).map(|p| format!(":{p}"));
                    for tg in g.refs_to(lb.pointer("TargetGroupArn"), &r.id, TG) {
                        out.add(tg, &r.id, EdgeKind::Routes, origin_of(r), port.clone());
                    }
                    // Classic load balancers name the service directly.
                    for elb in g.refs_to(lb.pointer("LoadBalancerName"), &r.id, LB) {
                        out.add(elb, &r.id, EdgeKind::Routes, origin_of(r), port.clone());
                    }
                }
            }
            "AWS::AutoScaling::AutoScalingGroup" => {
                for tg in g.refs_to(r.attr("TargetGroupARNs"), &r.id, TG) {
                    out.add(tg, &r.id, EdgeKind::Routes, origin_of(r), None);
                }
                for elb in g.refs_to(r.attr("LoadBalancerNames"), &r.id, LB) {
                    out.add(elb, &r.id, EdgeKind::Routes, origin_of(r), None);
                }
            }
            "AWS::ApiGateway::Method" => {
                let label = method_label(r);
                let targets = integration_targets(g, r, r.attr("Integration.Uri"));
                for api in g.refs_to(r.attr("RestApiId"), &r.id, APIS) {
                    for to in &targets {
                        out.add(api, to, EdgeKind::Routes, origin_of(r), label.clone());
                    }
                }
            }
            "AWS::ApiGatewayV2::Integration" => {
                let targets = integration_targets(g, r, r.attr("IntegrationUri"));
                for api in g.refs_to(r.attr("ApiId"), &r.id, APIS) {
                    for to in &targets {
                        out.add(api, to, EdgeKind::Routes, origin_of(r), None);
                    }
                }
            }
            "AWS::ApiGateway::BasePathMapping" | "AWS::ApiGatewayV2::ApiMapping" => {
                let domains = g.refs(r.attr("DomainName"), &r.id);
                let apis = g.refs_to(r.attr("RestApiId").or(r.attr("ApiId")), &r.id, APIS);
                let path = scalar(r.attr("BasePath").or(r.attr("ApiMappingKey")))
                    .filter(|p| !p.is_empty() && p != "(none)")
                    .map(|p| format!("/{}", p.trim_start_matches('/')));
                for d in &domains {
                    for a in &apis {
                        out.add(d, a, EdgeKind::Routes, origin_of(r), path.clone());
                    }
                }
            }
            "AWS::Lambda::Url" => {
                let qualifier = scalar(r.attr("Qualifier"));
                for f in g.refs(r.attr("TargetFunctionArn"), &r.id) {
                    out.add(&r.id, f, EdgeKind::Routes, origin_of(r), qualifier.clone());
                }
            }
            "AWS::ApiGateway::RestApi" | "AWS::ApiGatewayV2::Api" => openapi_body(g, out, r),
            t if FUNCTIONS.contains(&t) => sam_api_events(g, out, r),
            _ => {}
        }
    }
}

/// An alias target's DNS name or a plain record's values, resolved to what they name. For a
/// record set the record is the resource itself (`own`), for a group one of its items.
fn record_value(g: &Graph, out: &mut Out, holder: &Resource, rs: &Value, own: bool) {
    let (alias, records) = if own {
        (
            holder.attr("AliasTarget.DNSName"),
            holder.attr("ResourceRecords"),
        )
    } else {
        (
            rs.pointer("AliasTarget.DNSName"),
            rs.pointer("ResourceRecords"),
        )
    };
    let mut targets = g.refs(alias, &holder.id);
    targets.extend(g.refs(records, &holder.id));
    for to in targets {
        out.add(&holder.id, to, EdgeKind::Routes, origin_of(holder), None);
    }
}

fn distribution(g: &Graph, out: &mut Out, r: &Resource) {
    let Some(cfg) = r.attr("DistributionConfig") else {
        return;
    };
    let default_origin = scalar(cfg.pointer("DefaultCacheBehavior.TargetOriginId"));
    for origin in items(cfg.pointer("Origins")) {
        let id = scalar(origin.pointer("Id"));
        let mut paths: Vec<String> = items(cfg.pointer("CacheBehaviors"))
            .iter()
            .filter(|b| id.is_some() && scalar(b.pointer("TargetOriginId")) == id)
            .filter_map(|b| scalar(b.pointer("PathPattern")))
            .collect();
        if id.is_some() && default_origin == id {
            paths.insert(0, "default".to_string());
        }
        let label = (!paths.is_empty()).then(|| paths.join(" "));
        for to in g.refs(origin.pointer("DomainName"), &r.id) {
            out.add(&r.id, to, EdgeKind::Routes, origin_of(r), label.clone());
        }
    }
}

/// Target groups an action list forwards to (redirects and fixed responses go nowhere).
fn forward(
    g: &Graph,
    out: &mut Out,
    holder: &Resource,
    lbs: &[&ResourceId],
    actions: Option<&Value>,
    label: Option<String>,
) {
    for a in items(actions) {
        let ty = scalar(a.pointer("Type"))
            .unwrap_or_default()
            .to_ascii_lowercase();
        if matches!(ty.as_str(), "redirect" | "fixed-response") {
            continue;
        }
        for tg in g.refs_to(Some(a), &holder.id, TG) {
            for lb in lbs {
                out.add(lb, tg, EdgeKind::Routes, origin_of(holder), label.clone());
            }
            // The listener's own reference to the target group is explained by this edge.
            out.claim(&holder.id, tg);
        }
    }
}

fn listener_rule(g: &Graph, out: &mut Out, r: &Resource) {
    let mut lbs: Vec<&ResourceId> = Vec::new();
    let mut port = None;
    for l in g.refs_to(r.attr("ListenerArn"), &r.id, LISTENER) {
        if let Some(listener) = g.get(l) {
            port = scalar(listener.attr("Port")).map(|p| format!(":{p}"));
            lbs.extend(g.refs_to(listener.attr("LoadBalancerArn"), &listener.id, LB));
        }
    }
    let mut conds: Vec<String> = Vec::new();
    for c in items(r.attr("Conditions")) {
        for key in [
            "Values",
            "PathPatternConfig.Values",
            "HostHeaderConfig.Values",
        ] {
            conds.extend(items(c.pointer(key)).iter().filter_map(|v| scalar(Some(v))));
        }
    }
    let label = match (port, conds.is_empty()) {
        (Some(p), false) => Some(format!("{p} {}", conds.join(" "))),
        (Some(p), true) => Some(p),
        (None, false) => Some(conds.join(" ")),
        (None, true) => None,
    };
    forward(g, out, r, &lbs, r.attr("Actions"), label);
}

/// What an API integration sends requests to: a function (through its ARN or an
/// `…/functions/ARN/invocations` URI), a load balancer (through its listener), anything else
/// the URI references.
fn integration_targets<'a>(g: &Graph<'a>, r: &Resource, uri: Option<&Value>) -> Vec<ResourceId> {
    let mut out = Vec::new();
    for id in g.refs(uri, &r.id) {
        if g.is(id, LISTENER) {
            if let Some(l) = g.get(id) {
                out.extend(
                    g.refs_to(l.attr("LoadBalancerArn"), &l.id, LB)
                        .into_iter()
                        .cloned(),
                );
            }
        } else if !g.is(id, &["AWS::IAM::Role"]) {
            out.push(id.clone());
        }
    }
    out
}

fn method_label(r: &Resource) -> Option<String> {
    let m = scalar(r.attr("HttpMethod"))?;
    Some(m)
}

/// SAM functions declare their API events inline.
fn sam_api_events(g: &Graph, out: &mut Out, r: &Resource) {
    let Some(Value::Map(events)) = r.attr("Events") else {
        return;
    };
    for ev in events.values() {
        let ty = scalar(ev.pointer("Type")).unwrap_or_default();
        if ty != "Api" && ty != "HttpApi" {
            continue;
        }
        let label = match (
            scalar(ev.pointer("Properties.Method")),
            scalar(ev.pointer("Properties.Path")),
        ) {
            (Some(m), Some(p)) => Some(format!("{} {p}", m.to_ascii_uppercase())),
            (None, Some(p)) => Some(p),
            _ => None,
        };
        let apis = g.refs_to(
            ev.pointer("Properties.RestApiId")
                .or(ev.pointer("Properties.ApiId")),
            &r.id,
            APIS,
        );
        for api in apis {
            out.add(api, &r.id, EdgeKind::Routes, origin_of(r), label.clone());
        }
    }
}

/// An API defined by an OpenAPI `Body` (SAM writes its events this way): each operation's
/// `x-amazon-apigateway-integration.uri` names what it routes to.
fn openapi_body(g: &Graph, out: &mut Out, r: &Resource) {
    let Some(Value::Map(paths)) = r.attr("Body.paths") else {
        return;
    };
    for (path, ops) in paths {
        let Value::Map(ops) = ops else { continue };
        for (method, op) in ops {
            let uri = op.pointer("x-amazon-apigateway-integration.uri");
            let label = format!("{} {path}", method.to_ascii_uppercase());
            for to in integration_targets(g, r, uri) {
                out.add(
                    &r.id,
                    &to,
                    EdgeKind::Routes,
                    origin_of(r),
                    Some(label.clone()),
                );
            }
        }
    }
}
