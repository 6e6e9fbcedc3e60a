//! `invokes`: what starts work on a schedule or an event. EventBridge rules and Scheduler
//! schedules → their targets (labelled with the schedule expression or event pattern),
//! Step Functions state machines → the functions, queues, topics and tasks their
//! definitions call (also when the definition is a JSON string or a `Fn::Join` of
//! references), EventBridge Pipes, and Lambda's on-success destinations. A target's role is
//! `uses`, its dead-letter queue `redrives`.

use surveyor_model::{EdgeKind, Resource, ResourceId, Value};

use crate::{items, origin_of, scalar, Graph, Out};

const ROLE: &[&str] = &["AWS::IAM::Role"];

pub(crate) fn derive(g: &Graph, out: &mut Out) {
    for r in g.rs {
        match r.type_name.as_str() {
            "AWS::Events::Rule" => {
                let label = scalar(r.attr("ScheduleExpression"))
                    .or_else(|| pattern_label(r.attr("EventPattern")));
                for t in items(r.attr("Targets")) {
                    target(g, out, r, t, label.clone());
                }
            }
            "AWS::Scheduler::Schedule" => {
                let label = scalar(r.attr("ScheduleExpression"));
                if let Some(t) = r.attr("Target") {
                    target(g, out, r, t, label);
                }
            }
            "AWS::StepFunctions::StateMachine" | "AWS::Serverless::StateMachine" => {
                state_machine(g, out, r)
            }
            "AWS::Pipes::Pipe" => {
                let o = origin_of(r);
                for s in g.refs(r.attr("Source"), &r.id) {
                    out.add(s, &r.id, EdgeKind::Triggers, o, Some("pipe".into()));
                }
                for key in ["Enrichment", "Target"] {
                    for t in g.refs(r.attr(key), &r.id) {
                        out.add(&r.id, t, EdgeKind::Invokes, o, None);
                    }
                }
                for role in g.refs_to(r.attr("RoleArn"), &r.id, ROLE) {
                    out.add(&r.id, role, EdgeKind::Uses, o, None);
                }
            }
            _ => {}
        }
    }
}

/// One rule or schedule target: the resource invoked (an ECS task's task definition), the
/// role it is invoked with, and where failed deliveries go.
fn target(g: &Graph, out: &mut Out, r: &Resource, t: &Value, label: Option<String>) {
    let o = origin_of(r);
    let task_defs = g.refs_to(
        t.pointer("EcsParameters.TaskDefinitionArn"),
        &r.id,
        &["AWS::ECS::TaskDefinition"],
    );
    for to in g.refs(t.pointer("Arn"), &r.id) {
        if task_defs.is_empty() {
            out.add(&r.id, to, EdgeKind::Invokes, o, label.clone());
        } else {
            // The cluster only hosts the task the rule starts.
            out.add(&r.id, to, EdgeKind::Depends, o, None);
        }
    }
    for td in &task_defs {
        out.add(&r.id, td, EdgeKind::Invokes, o, label.clone());
    }
    for role in g.refs_to(t.pointer("RoleArn"), &r.id, ROLE) {
        out.add(&r.id, role, EdgeKind::Uses, o, None);
    }
    for dlq in g.refs(t.pointer("DeadLetterConfig.Arn"), &r.id) {
        out.add(
            &r.id,
            dlq,
            EdgeKind::Redrives,
            o,
            Some("dead letters".into()),
        );
    }
}

/// `source` and `detail-type` of an event pattern, for people.
fn pattern_label(p: Option<&Value>) -> Option<String> {
    let parsed;
    let p = match p? {
        Value::String(s) => {
            parsed = Value::from_json(serde_json::from_str(s).ok()?);
            &parsed
        }
        v => v,
    };
    let mut parts: Vec<String> = Vec::new();
    for key in ["source", "detail-type"] {
        parts.extend(items(p.pointer(key)).iter().filter_map(|v| scalar(Some(v))));
    }
    (!parts.is_empty()).then(|| parts.join(" "))
}

fn state_machine(g: &Graph, out: &mut Out, r: &Resource) {
    let o = origin_of(r);
    let mut targets: Vec<ResourceId> = Vec::new();
    for key in ["Definition", "DefinitionString", "DefinitionSubstitutions"] {
        match r.attr(key) {
            // Live reads return the definition as JSON text.
            Some(Value::String(s)) => {
                if let Ok(json) = serde_json::from_str::<serde_json::Value>(s) {
                    let mut v = Value::from_json(json);
                    g.ix.resolve_value(&mut v, key, None);
                    targets.extend(g.refs(Some(&v), &r.id).into_iter().cloned());
                }
            }
            v => targets.extend(g.refs(v, &r.id).into_iter().cloned()),
        }
    }
    targets.sort();
    targets.dedup();
    for t in &targets {
        if !g.is(t, ROLE) {
            out.add(&r.id, t, EdgeKind::Invokes, o, None);
        }
    }
}
