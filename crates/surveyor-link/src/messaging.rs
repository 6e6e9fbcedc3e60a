//! Messaging: `triggers` (event source mappings, and queues an ECS service's role may
//! receive from), `notifies` (bucket notifications — also CDK's
//! `Custom::S3BucketNotifications` — and SES receipt rules), `delivers` (SNS subscriptions,
//! inline or as resources; endpoints outside the map become `Surveyor::External` nodes) and
//! `redrives` (SQS redrive policies, Lambda dead-letter configs and failure destinations).

use surveyor_model::{EdgeKind, Origin, Resource, ResourceId, Value};

use crate::resolve::FUNCTIONS;
use crate::{items, origin_of, scalar, Graph, Out, EXTERNAL_TYPE};

const QUEUE: &[&str] = &["AWS::SQS::Queue"];
const BUCKET: &[&str] = &["AWS::S3::Bucket"];
const TOPIC: &[&str] = &["AWS::SNS::Topic"];
const ROLE: &[&str] = &["AWS::IAM::Role"];
const NOT_TARGETS: &[&str] = &["AWS::IAM::Role", "AWS::KMS::Key", "AWS::KMS::Alias"];

pub(crate) fn derive(g: &Graph, out: &mut Out) {
    for r in g.rs {
        let o = origin_of(r);
        match r.type_name.as_str() {
            "AWS::Lambda::EventSourceMapping" => {
                let label = scalar(r.attr("BatchSize")).map(|b| format!("batch {b}"));
                let functions = g.refs(r.attr("FunctionName"), &r.id);
                let sources = g.refs(r.attr("EventSourceArn"), &r.id);
                for s in &sources {
                    for f in &functions {
                        out.add(s, f, EdgeKind::Triggers, o, label.clone());
                    }
                    out.claim(&r.id, s);
                }
                for f in &functions {
                    out.claim(&r.id, f);
                    for d in g.refs(r.attr("DestinationConfig.OnFailure.Destination"), &r.id) {
                        out.add(f, d, EdgeKind::Redrives, o, Some("on failure".into()));
                        out.claim(&r.id, d);
                    }
                }
            }
            "AWS::Lambda::EventInvokeConfig" => {
                for f in g.refs(r.attr("FunctionName"), &r.id) {
                    out.claim(&r.id, f);
                    for d in g.refs(r.attr("DestinationConfig.OnFailure.Destination"), &r.id) {
                        out.add(f, d, EdgeKind::Redrives, o, Some("on failure".into()));
                        out.claim(&r.id, d);
                    }
                    for d in g.refs(r.attr("DestinationConfig.OnSuccess.Destination"), &r.id) {
                        out.add(f, d, EdgeKind::Invokes, o, Some("on success".into()));
                        out.claim(&r.id, d);
                    }
                }
            }
            "AWS::S3::Bucket" => {
                notifications(g, out, r, &r.id, r.attr("NotificationConfiguration"));
            }
            "Custom::S3BucketNotifications" => {
                for b in g.refs_to(r.attr("BucketName"), &r.id, BUCKET) {
                    notifications(g, out, r, b, r.attr("NotificationConfiguration"));
                    out.claim(&r.id, b);
                }
            }
            "AWS::SES::ReceiptRule" => {
                let label = {
                    let rec: Vec<String> = items(r.attr("Rule.Recipients"))
                        .iter()
                        .filter_map(|v| scalar(Some(v)))
                        .collect();
                    (!rec.is_empty()).then(|| rec.join(" "))
                };
                for action in items(r.attr("Rule.Actions")) {
                    for to in g.refs(Some(action), &r.id) {
                        if !g.is(to, NOT_TARGETS) {
                            out.add(&r.id, to, EdgeKind::Notifies, o, label.clone());
                        }
                    }
                }
            }
            "AWS::SNS::Subscription" => {
                for t in g.refs_to(r.attr("TopicArn"), &r.id, TOPIC) {
                    subscription(g, out, r, t, r.attr("Endpoint"), r.attr("Protocol"));
                    out.claim(&r.id, t);
                }
            }
            "AWS::SNS::Topic" => {
                for s in items(r.attr("Subscription")) {
                    subscription(
                        g,
                        out,
                        r,
                        &r.id,
                        s.pointer("Endpoint"),
                        s.pointer("Protocol"),
                    );
                }
            }
            "AWS::SQS::Queue" => {
                let parsed;
                let policy = match r.attr("RedrivePolicy") {
                    // The SQS API returns the policy as JSON text.
                    Some(Value::String(s)) => {
                        let Ok(json) = serde_json::from_str::<serde_json::Value>(s) else {
                            continue;
                        };
                        let mut v = Value::from_json(json);
                        g.ix.resolve_value(&mut v, "RedrivePolicy", None);
                        parsed = v;
                        Some(&parsed)
                    }
                    v => v,
                };
                let Some(policy) = policy else { continue };
                let label = scalar(policy.pointer("maxReceiveCount"))
                    .map(|n| format!("maxReceiveCount {n}"));
                for dlq in g.refs(policy.pointer("deadLetterTargetArn"), &r.id) {
                    out.add(&r.id, dlq, EdgeKind::Redrives, o, label.clone());
                }
            }
            t if FUNCTIONS.contains(&t) => {
                for dlq in g.refs(r.attr("DeadLetterConfig.TargetArn"), &r.id) {
                    out.add(
                        &r.id,
                        dlq,
                        EdgeKind::Redrives,
                        o,
                        Some("dead letters".into()),
                    );
                }
                sam_events(g, out, r);
            }
            _ => {}
        }
    }
    pollers(g, out);
}

/// S3 notification configurations, in CloudFormation's shape (`Queue`, `Event`,
/// `Filter.S3Key.Rules`) or the API's (`QueueArn`, `Events`, `Filter.Key.FilterRules`).
fn notifications(
    g: &Graph,
    out: &mut Out,
    holder: &Resource,
    bucket: &ResourceId,
    cfg: Option<&Value>,
) {
    let Some(cfg) = cfg else { return };
    let o = origin_of(holder);
    for list in [
        "QueueConfigurations",
        "TopicConfigurations",
        "LambdaConfigurations",
        "LambdaFunctionConfigurations",
    ] {
        for c in items(cfg.pointer(list)) {
            let label = s3_event_label(c);
            for key in [
                "Queue",
                "QueueArn",
                "Topic",
                "TopicArn",
                "Function",
                "LambdaFunctionArn",
            ] {
                for to in g.refs(c.pointer(key), &holder.id) {
                    if to != bucket {
                        out.add(bucket, to, EdgeKind::Notifies, o, label.clone());
                        out.claim(&holder.id, to);
                    }
                }
            }
        }
    }
}

fn s3_event_label(c: &Value) -> Option<String> {
    let mut events: Vec<String> = items(c.pointer("Events"))
        .iter()
        .filter_map(|v| scalar(Some(v)))
        .collect();
    events.extend(scalar(c.pointer("Event")));
    let mut prefix = String::new();
    let mut suffix = String::new();
    for rules in ["Filter.S3Key.Rules", "Filter.Key.FilterRules"] {
        for rule in items(c.pointer(rules)) {
            let name = scalar(rule.pointer("Name"))
                .unwrap_or_default()
                .to_ascii_lowercase();
            let value = scalar(rule.pointer("Value")).unwrap_or_default();
            match name.as_str() {
                "prefix" => prefix = value,
                "suffix" => suffix = value,
                _ => {}
            }
        }
    }
    let mut filter = prefix;
    if !suffix.is_empty() {
        filter.push('*');
        filter.push_str(&suffix);
    }
    let mut parts = events;
    if !filter.is_empty() {
        parts.push(filter);
    }
    (!parts.is_empty()).then(|| parts.join(" "))
}

/// topic → endpoint; an endpoint that is not in the map (an email address, an HTTPS URL)
/// becomes an external node, so the diagram shows who is told.
fn subscription(
    g: &Graph,
    out: &mut Out,
    holder: &Resource,
    topic: &ResourceId,
    endpoint: Option<&Value>,
    protocol: Option<&Value>,
) {
    let o: Origin = origin_of(holder);
    let protocol = scalar(protocol).map(|p| p.to_ascii_lowercase());
    let targets = g.refs(endpoint, &holder.id);
    if !targets.is_empty() {
        for to in targets {
            out.add(topic, to, EdgeKind::Delivers, o, protocol.clone());
            out.claim(&holder.id, to);
        }
        return;
    }
    let Some(Value::String(ep)) = endpoint else {
        return;
    };
    let proto = protocol.clone().unwrap_or_else(|| "endpoint".into());
    let id = format!("external::{proto}:{ep}");
    let ext = out.pseudo(&id, EXTERNAL_TYPE, ep, o);
    out.add(topic, &ext, EdgeKind::Delivers, o, protocol);
}

/// SAM functions declare their event sources inline.
fn sam_events(g: &Graph, out: &mut Out, r: &Resource) {
    let Some(Value::Map(events)) = r.attr("Events") else {
        return;
    };
    let o = origin_of(r);
    for ev in events.values() {
        let ty = scalar(ev.pointer("Type")).unwrap_or_default();
        let p = ev.pointer("Properties");
        let at = |k: &str| p.and_then(|p| p.pointer(k));
        match ty.as_str() {
            "SQS" | "Kinesis" | "DynamoDB" | "MSK" | "MQ" => {
                let label = scalar(at("BatchSize")).map(|b| format!("batch {b}"));
                for s in g.refs(at("Queue").or(at("Stream")), &r.id) {
                    out.add(s, &r.id, EdgeKind::Triggers, o, label.clone());
                }
            }
            "SNS" => {
                for t in g.refs(at("Topic"), &r.id) {
                    out.add(t, &r.id, EdgeKind::Delivers, o, Some("lambda".into()));
                }
            }
            "S3" => {
                let events: Vec<String> = items(at("Events"))
                    .iter()
                    .filter_map(|v| scalar(Some(v)))
                    .collect();
                let label = (!events.is_empty()).then(|| events.join(" "));
                for b in g.refs(at("Bucket"), &r.id) {
                    out.add(b, &r.id, EdgeKind::Notifies, o, label.clone());
                }
            }
            _ => {}
        }
    }
}

/// Statement actions that let a principal take messages off a queue.
fn receives(actions: Option<&Value>) -> bool {
    items(actions).iter().any(|a| {
        a.as_str().is_some_and(|a| {
            let a = a.to_ascii_lowercase();
            a == "sqs:receivemessage" || a == "sqs:*" || a == "*"
        })
    })
}

/// Queues each role may receive from, from its inline and attached policies.
fn received_queues<'a>(g: &Graph<'a>) -> Vec<(ResourceId, ResourceId, Origin)> {
    let mut found = Vec::new();
    let mut doc = |holder: &Resource, roles: Vec<ResourceId>, d: Option<&Value>| {
        let parsed;
        let d = match d {
            Some(Value::String(s)) => {
                let Ok(json) = serde_json::from_str::<serde_json::Value>(s) else {
                    return;
                };
                let mut v = Value::from_json(json);
                g.ix.resolve_value(&mut v, "PolicyDocument", None);
                parsed = v;
                &parsed
            }
            Some(v) => v,
            None => return,
        };
        for st in items(d.pointer("Statement")) {
            if scalar(st.pointer("Effect")).as_deref() != Some("Allow")
                || !receives(st.pointer("Action"))
            {
                continue;
            }
            for q in g.refs_to(st.pointer("Resource"), &holder.id, QUEUE) {
                for role in &roles {
                    found.push((role.clone(), q.clone(), origin_of(holder)));
                }
            }
        }
    };
    for r in g.of_type(&["AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"]) {
        let roles: Vec<ResourceId> = g
            .refs_to(r.attr("Roles"), &r.id, ROLE)
            .into_iter()
            .cloned()
            .collect();
        doc(r, roles, r.attr("PolicyDocument"));
    }
    for r in g.of_type(ROLE) {
        for p in items(r.attr("Policies")) {
            doc(r, vec![r.id.clone()], p.pointer("PolicyDocument"));
        }
        for m in g.refs_to(
            r.attr("ManagedPolicyArns"),
            &r.id,
            &["AWS::IAM::ManagedPolicy"],
        ) {
            if let Some(mp) = g.get(m) {
                doc(mp, vec![r.id.clone()], mp.attr("PolicyDocument"));
            }
        }
    }
    found
}

/// A queue an ECS service's task role may receive from is consumed by that service (a
/// long-polling worker): the link code states, though no event source mapping exists.
fn pollers(g: &Graph, out: &mut Out) {
    let grants = received_queues(g);
    if grants.is_empty() {
        return;
    }
    let mut services_of: std::collections::HashMap<&ResourceId, Vec<&Resource>> =
        std::collections::HashMap::new();
    for s in g.of_type(&["AWS::ECS::Service"]) {
        for td in g.refs(s.attr("TaskDefinition"), &s.id) {
            services_of.entry(td).or_default().push(s);
        }
    }
    for td in g.of_type(&["AWS::ECS::TaskDefinition"]) {
        let roles = g.refs_to(td.attr("TaskRoleArn"), &td.id, ROLE);
        let services = services_of.get(&td.id).map(Vec::as_slice).unwrap_or(&[]);
        for (role, q, po) in &grants {
            if !roles.contains(&role) {
                continue;
            }
            let polls = || Some("polls".to_string());
            if services.is_empty() {
                out.add(
                    q,
                    &td.id,
                    EdgeKind::Triggers,
                    po.merge(origin_of(td)),
                    polls(),
                );
            }
            for s in services {
                out.add(
                    q,
                    &s.id,
                    EdgeKind::Triggers,
                    po.merge(origin_of(s)),
                    polls(),
                );
            }
        }
    }
}
