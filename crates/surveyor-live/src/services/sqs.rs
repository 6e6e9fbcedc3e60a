//! SQS queues: every attribute (GetQueueAttributes All is one call per queue, unavoidable),
//! mapped to CloudFormation properties, with the queue depth as state.

use aws_sdk_sqs::types::QueueAttributeName;
use surveyor_model::Resource;

use super::each;
use crate::runtime::{json_value, n, put, s, CallError, Rc};
use crate::{call, pages, state_keys as k};

pub async fn collect(rc: &Rc<'_>) -> Result<Vec<Resource>, CallError> {
    let client = aws_sdk_sqs::Client::new(&rc.config);
    let pages = pages!(
        rc,
        "sqs",
        "ListQueues",
        client.list_queues().max_results(1000)
    )?;
    let urls: Vec<String> = pages
        .iter()
        .flat_map(|p| p.queue_urls().iter().cloned())
        .collect();
    let out = each(&urls, |url| {
        let client = &client;
        async move {
            let name = url.rsplit('/').next().unwrap_or(url).to_string();
            let arn = rc.arn_of("AWS::SQS::Queue", &name);
            let mut r = rc.resource(
                "AWS::SQS::Queue",
                arn,
                Some(url.clone()),
                Some(name.clone()),
            );
            r.attributes.insert("QueueName".into(), s(&name));
            match call!(
                rc,
                "sqs",
                "GetQueueAttributes",
                client
                    .get_queue_attributes()
                    .queue_url(url)
                    .attribute_names(QueueAttributeName::All)
            ) {
                Ok(o) => {
                    if let Some(attrs) = o.attributes() {
                        for (key, v) in attrs {
                            apply(&mut r, key.as_str(), v);
                        }
                    }
                }
                Err(e) => rc.note_failed(&e),
            }
            r
        }
    })
    .await;
    Ok(out)
}

fn num(v: &str) -> Option<surveyor_model::Value> {
    v.trim().parse::<i64>().ok().map(n)
}

fn apply(r: &mut Resource, key: &str, v: &str) {
    let a = &mut r.attributes;
    match key {
        "QueueArn" => {
            r.arn = Some(v.to_string());
            r.id = surveyor_model::ResourceId::new(v);
        }
        "VisibilityTimeout"
        | "MaximumMessageSize"
        | "MessageRetentionPeriod"
        | "DelaySeconds"
        | "ReceiveMessageWaitTimeSeconds"
        | "KmsDataKeyReusePeriodSeconds" => put(a, key, num(v)),
        "RedrivePolicy" => {
            let mut p = json_value(v);
            // SQS returns maxReceiveCount as a number or a string depending on who set it.
            if let surveyor_model::Value::Map(m) = &mut p {
                if let Some(c) = m.get("maxReceiveCount").and_then(|c| c.as_i64()) {
                    m.insert("maxReceiveCount".into(), n(c));
                }
            }
            a.insert("RedrivePolicy".into(), p);
        }
        "RedriveAllowPolicy" => {
            a.insert("RedriveAllowPolicy".into(), json_value(v));
        }
        "FifoQueue" | "ContentBasedDeduplication" | "SqsManagedSseEnabled" => {
            a.insert(key.into(), surveyor_model::Value::Bool(v == "true"));
        }
        "KmsMasterKeyId" | "DeduplicationScope" | "FifoThroughputLimit" => {
            a.insert(key.into(), s(v));
        }
        "Policy" => {
            a.insert("Policy".into(), json_value(v));
        }
        "ApproximateNumberOfMessages" => put(&mut r.state, k::SQS_VISIBLE, num(v)),
        "ApproximateNumberOfMessagesNotVisible" => put(&mut r.state, k::SQS_IN_FLIGHT, num(v)),
        "ApproximateNumberOfMessagesDelayed" => put(&mut r.state, k::SQS_DELAYED, num(v)),
        _ => {}
    }
}
