//! SNS topics (attributes per topic) and every subscription (one paged list per region).

use surveyor_model::Resource;

use super::each;
use crate::runtime::{b, json_value, s, CallError, Rc};
use crate::{call, pages};

pub async fn collect(rc: &Rc<'_>) -> Result<Vec<Resource>, CallError> {
    let client = aws_sdk_sns::Client::new(&rc.config);
    let pages = pages!(rc, "sns", "ListTopics", client.list_topics())?;
    let arns: Vec<String> = pages
        .iter()
        .flat_map(|p| {
            p.topics()
                .iter()
                .filter_map(|t| t.topic_arn().map(str::to_string))
        })
        .collect();
    let mut out = each(&arns, |arn| {
        let client = &client;
        async move {
            let name = arn.rsplit(':').next().unwrap_or(arn).to_string();
            let mut r = rc.resource(
                "AWS::SNS::Topic",
                Some(arn.clone()),
                Some(arn.clone()),
                Some(name.clone()),
            );
            r.attributes.insert("TopicName".into(), s(&name));
            match call!(
                rc,
                "sns",
                "GetTopicAttributes",
                client.get_topic_attributes().topic_arn(arn)
            ) {
                Ok(o) => {
                    for (key, v) in o.attributes().into_iter().flatten() {
                        match key.as_str() {
                            "KmsMasterKeyId" | "DisplayName" => {
                                r.attributes.insert(key.clone(), s(v));
                            }
                            "FifoTopic" | "ContentBasedDeduplication" => {
                                r.attributes.insert(key.clone(), b(v == "true"));
                            }
                            "Policy" => {
                                r.attributes.insert("Policy".into(), json_value(v));
                            }
                            _ => {}
                        }
                    }
                }
                Err(e) => rc.note_failed(&e),
            }
            r
        }
    })
    .await;
    match pages!(rc, "sns", "ListSubscriptions", client.list_subscriptions()) {
        Ok(pages) => {
            for sub in pages.iter().flat_map(|p| p.subscriptions()) {
                let Some(arn) = sub.subscription_arn() else {
                    continue;
                };
                // Unconfirmed subscriptions have no ARN yet.
                let arn_known = arn.starts_with("arn:");
                let mut r = rc.resource(
                    "AWS::SNS::Subscription",
                    arn_known.then(|| arn.to_string()),
                    Some(arn.to_string()),
                    None,
                );
                if !arn_known {
                    r.id = surveyor_model::ResourceId::of(
                        "AWS::SNS::Subscription",
                        &format!(
                            "{}|{}",
                            sub.topic_arn().unwrap_or(""),
                            sub.endpoint().unwrap_or("")
                        ),
                    );
                    r.state.insert("PendingConfirmation".into(), b(true));
                }
                for (k, v) in [
                    ("TopicArn", sub.topic_arn()),
                    ("Protocol", sub.protocol()),
                    ("Endpoint", sub.endpoint()),
                ] {
                    if let Some(v) = v {
                        r.attributes.insert(k.into(), s(v));
                    }
                }
                out.push(r);
            }
        }
        Err(e) => rc.note_failed(&e),
    }
    Ok(out)
}
