//! # dlq-has-messages
//!
//! **What it fires on**: a dead-letter queue — the target of another queue's `RedrivePolicy`,
//! a function's `DeadLetterConfig` or an `OnFailure` destination (or a `redrives` edge) —
//! whose live `ApproximateNumberOfMessages` is above zero. A live queue named like a DLQ
//! (`…-dlq`, `…DeadLetter…`) counts too, marked as such in the evidence.
//!
//! **Why it matters**: every message there is work that failed all its retries and is now
//! waiting for a person. A backlog that grows means something fails on every run, and the
//! messages expire at the end of the queue's retention period — silently lost.
//!
//! **What to do**: read a few messages (`aws sqs receive-message`), find the failure in the
//! consumer's logs, fix it, then redrive the messages to the source queue (SQS "Start DLQ
//! redrive") or purge them if they no longer matter. Alarm on the DLQ's depth so the next
//! backlog is seen the day it starts.
//!
//! **Example**: `rfq-lambda-async-dlq-prod` holds 3,396 messages: the hourly `qwen-clean` job
//! has failed on every run since a schema change.

use surveyor_model::{FindingCategory, Resource, Severity};

use crate::{state_keys as k, Ctx, Message, Meta};

pub(crate) static RULE: Meta = Meta {
    id: "dlq-has-messages",
    severity: Severity::High,
    category: FindingCategory::Reliability,
    summary: "a dead-letter queue holds messages",
    source: include_str!("dlq_has_messages.rs"),
};

const WHY: &str = "Every message in a dead-letter queue is work that failed all its retries; it expires silently at the end of the retention period.";
const ACTION: &str = "Inspect a few messages, fix the consumer's failure, then redrive the messages to the source queue (or purge them if obsolete) and alarm on the DLQ depth.";

pub(crate) struct Hit {
    messages: f64,
    sources: Vec<String>,
}

/// Named like a dead-letter queue; only used when no declared source says so.
pub(crate) fn named_like_dlq(r: &Resource) -> bool {
    let n = r.label().to_ascii_lowercase();
    let n = n.trim_end_matches(".fifo");
    n.ends_with("dlq") || n.contains("deadletter") || n.contains("dead-letter")
}

pub(crate) fn check<'a>(ctx: &Ctx<'a>) -> Vec<(&'a Resource, Hit)> {
    ctx.of_type(&["AWS::SQS::Queue"])
        .filter_map(|q| {
            let messages = Ctx::state_num(q, k::SQS_MESSAGES)?;
            if messages <= 0.0 {
                return None;
            }
            let sources: Vec<String> = ctx
                .dead_letter_sources(q)
                .iter()
                .map(|s| s.label())
                .collect();
            (!sources.is_empty() || named_like_dlq(q)).then_some((q, Hit { messages, sources }))
        })
        .collect()
}

pub(crate) fn message(r: &Resource, h: &Hit) -> Message {
    let of = if h.sources.is_empty() {
        "named as a dead-letter queue".to_string()
    } else {
        format!("dead-letter queue of {}", h.sources.join(", "))
    };
    Message::new(
        format!("Dead-letter queue {} holds {} messages", r.label(), h.messages),
        format!("{} = {} ({of})", k::SQS_MESSAGES, h.messages),
    )
    .why(WHY, ACTION)
}

#[cfg(test)]
mod tests {
    use crate::testkit::*;

    #[test]
    fn fires_on_a_dlq_with_a_backlog() {
        let dlq = live("AWS::SQS::Queue", "async-failures", "{}", r#"{"ApproximateNumberOfMessages":3396}"#);
        let f = code("AWS::Lambda::Function", "clean", r#"{"DeadLetterConfig":{"TargetArn":{"ref":"AWS::SQS::Queue::async-failures"}}}"#);
        let m = map(vec![dlq, f], vec![]);
        let found = run("dlq-has-messages", &m);
        assert_eq!(found.len(), 1);
        assert!(found[0].evidence.contains("3396"), "{}", found[0].evidence);
        assert!(found[0].evidence.contains("clean"), "{}", found[0].evidence);
    }

    #[test]
    fn fires_on_a_live_queue_named_like_a_dlq() {
        let dlq = live("AWS::SQS::Queue", "jobs-dlq", "{}", r#"{"ApproximateNumberOfMessages":2}"#);
        assert_eq!(fired("dlq-has-messages", &map(vec![dlq], vec![])).len(), 1);
    }

    #[test]
    fn silent_on_an_empty_dlq_and_on_a_busy_work_queue() {
        let empty = live("AWS::SQS::Queue", "jobs-dlq", "{}", r#"{"ApproximateNumberOfMessages":0}"#);
        let work = live("AWS::SQS::Queue", "jobs", "{}", r#"{"ApproximateNumberOfMessages":500}"#);
        let code_only = code("AWS::SQS::Queue", "other-dlq", "{}");
        assert!(fired("dlq-has-messages", &map(vec![empty, work, code_only], vec![])).is_empty());
    }
}
