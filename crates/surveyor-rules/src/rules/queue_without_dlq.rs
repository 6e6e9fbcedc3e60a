//! # queue-without-dlq
//!
//! **What it fires on**: an SQS queue that something consumes — a Lambda event source
//! mapping or `triggers` edge, or an ECS task/service that refers to it — but that has no
//! `RedrivePolicy` (no dead-letter queue). Dead-letter queues themselves are exempt.
//!
//! **Why it matters**: without a redrive policy a message that always fails (a "poison
//! message") is retried until its retention period ends, blocking or slowing the consumer,
//! burning invocations, and then vanishing with no trace.
//!
//! **What to do**: add a dead-letter queue and a `RedrivePolicy` with a `maxReceiveCount`
//! (3–10 is typical), and alarm on the DLQ's `ApproximateNumberOfMessagesVisible`.
//!
//! **Example**: `module.ingest.aws_sqs_queue.jobs` is consumed by the `ingest` function but
//! declares no `redrive_policy`.

use surveyor_model::{EdgeKind, FindingCategory, Resource, Severity};

use crate::rules::dlq_has_messages::named_like_dlq;
use crate::{Ctx, Message, Meta};

pub(crate) static RULE: Meta = Meta {
    id: "queue-without-dlq",
    severity: Severity::Medium,
    category: FindingCategory::Reliability,
    summary: "a queue consumed by a worker or function has no redrive policy",
    source: include_str!("queue_without_dlq.rs"),
};

const WHY: &str = "A message that always fails is retried until it expires, slowing the consumer and then disappearing without a trace.";
const ACTION: &str = "Add a dead-letter queue and a RedrivePolicy with a maxReceiveCount, and alarm on the DLQ's depth.";

pub(crate) struct Hit {
    consumers: Vec<String>,
}

const WORKERS: &[&str] = &[
    "AWS::Lambda::EventSourceMapping",
    "AWS::ECS::TaskDefinition",
    "AWS::ECS::Service",
    "AWS::Pipes::Pipe",
];

pub(crate) fn check<'a>(ctx: &Ctx<'a>) -> Vec<(&'a Resource, Hit)> {
    ctx.of_type(&["AWS::SQS::Queue"])
        .filter_map(|q| {
            if !ctx.dead_letter_targets(q).is_empty()
                || !ctx.dead_letter_sources(q).is_empty()
                || named_like_dlq(q)
                || ctx.value(q, "RedrivePolicy").is_some_and(|v| !v.is_null())
            {
                return None;
            }
            let mut consumers: Vec<String> = ctx
                .out(q, EdgeKind::Triggers)
                .filter_map(|e| ctx.get(&e.to))
                .map(|r| r.label())
                .collect();
            for (r, _) in ctx.referrers(q) {
                if WORKERS.contains(&r.type_name.as_str()) && !consumers.contains(&r.label()) {
                    consumers.push(r.label());
                }
            }
            (!consumers.is_empty()).then_some((q, Hit { consumers }))
        })
        .collect()
}

pub(crate) fn message(r: &Resource, h: &Hit) -> Message {
    Message::new(
        format!("Queue {} has no dead-letter queue", r.label()),
        format!("consumed by {}; no RedrivePolicy", h.consumers.join(", ")),
    )
    .why(WHY, ACTION)
}

#[cfg(test)]
mod tests {
    use crate::testkit::*;
    use surveyor_model::EdgeKind;

    #[test]
    fn fires_on_a_consumed_queue_without_redrive() {
        let q = code("AWS::SQS::Queue", "jobs", "{}");
        let esm = code("AWS::Lambda::EventSourceMapping", "jobs-esm", r#"{"EventSourceArn":{"ref":"AWS::SQS::Queue::jobs"}}"#);
        let f = code("AWS::Lambda::Function", "worker", "{}");
        let e = edge(&q, &f, EdgeKind::Triggers);
        let found = run("queue-without-dlq", &map(vec![q, esm, f], vec![e]));
        assert_eq!(found.len(), 1);
        assert!(found[0].evidence.contains("worker"), "{}", found[0].evidence);
        assert_eq!(found[0].code_location.as_ref().map(|l| l.line), Some(7));
    }

    #[test]
    fn silent_with_a_redrive_policy_or_no_consumer() {
        let dlq = code("AWS::SQS::Queue", "jobs-dlq", "{}");
        let q = code("AWS::SQS::Queue", "jobs", r#"{"RedrivePolicy":{"deadLetterTargetArn":{"ref":"AWS::SQS::Queue::jobs-dlq"},"maxReceiveCount":6}}"#);
        let idle = code("AWS::SQS::Queue", "idle", "{}");
        let f = code("AWS::Lambda::Function", "worker", "{}");
        let edges = vec![edge(&q, &f, EdgeKind::Triggers), edge(&dlq, &f, EdgeKind::Triggers)];
        assert!(fired("queue-without-dlq", &map(vec![dlq, q, idle, f], edges)).is_empty());
    }
}
