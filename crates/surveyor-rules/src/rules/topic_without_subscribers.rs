//! # topic-without-subscribers
//!
//! **What it fires on**: an SNS topic with no confirmed subscriptions: live, no confirmed
//! subscription (or `SubscriptionsConfirmed = 0`); from code alone, no subscription
//! declared for it (subscriptions made by hand are only seen with `--live`).
//!
//! **Why it matters**: whatever is published there — alarm notifications, events other
//! systems should react to — reaches no one. Often an email subscription was declared but
//! never confirmed.
//!
//! **What to do**: subscribe the intended endpoint (and confirm email subscriptions), or
//! delete the topic and the publishers' references to it.
//!
//! **Example**: `dispatch-prod-ops-alerts` has 0 subscriptions, so the ops alarms that notify
//! it reach nobody.

use surveyor_model::{FindingCategory, Resource, Severity};

use crate::{state_keys as k, Ctx, Message, Meta};

pub(crate) static RULE: Meta = Meta {
    id: "topic-without-subscribers",
    severity: Severity::Medium,
    category: FindingCategory::Reliability,
    summary: "an SNS topic has no subscriptions",
    source: include_str!("topic_without_subscribers.rs"),
};

const WHY: &str = "What is published to the topic — alarms, events — reaches no one.";
const ACTION: &str = "Subscribe (and confirm) the intended endpoint, or remove the topic and its publishers' references.";

pub(crate) struct Hit {
    pending: Option<f64>,
    live: bool,
}

pub(crate) fn check<'a>(ctx: &Ctx<'a>) -> Vec<(&'a Resource, Hit)> {
    ctx.of_type(&["AWS::SNS::Topic"])
        .filter(|t| ctx.topic_subscribers(t) == Some(0))
        .map(|t| {
            let pending = Ctx::state_num(t, k::SNS_SUBSCRIPTIONS_PENDING)
                .or(Some(ctx.topic_subscriptions(t).1 as f64))
                .filter(|n| *n > 0.0);
            (t, Hit { pending, live: t.in_live })
        })
        .collect()
}

pub(crate) fn message(r: &Resource, h: &Hit) -> Message {
    let evidence = match (h.pending, h.live) {
        (Some(p), _) => format!("0 confirmed subscriptions ({p} pending confirmation)"),
        (None, true) => "0 subscriptions".to_string(),
        (None, false) => "no subscription declared in code".to_string(),
    };
    Message::new(format!("Topic {} has no subscribers", r.label()), evidence).why(WHY, ACTION)
}

#[cfg(test)]
mod tests {
    use crate::testkit::*;
    use surveyor_model::EdgeKind;

    #[test]
    fn fires_on_a_live_topic_with_no_confirmed_subscription() {
        let t = live("AWS::SNS::Topic", "ops-alerts", "{}", r#"{"SubscriptionsConfirmed":0,"SubscriptionsPending":1}"#);
        let found = run("topic-without-subscribers", &map(vec![t], vec![]));
        assert_eq!(found.len(), 1);
        assert!(found[0].evidence.contains("1 pending"));
    }

    #[test]
    fn an_unconfirmed_subscription_does_not_count() {
        let t = live("AWS::SNS::Topic", "alerts", "{}", "{}");
        let mut sub = live("AWS::SNS::Subscription", "pending", r#"{"TopicArn":"arn:aws:sns:r:1:alerts","Protocol":"email"}"#, r#"{"PendingConfirmation":true}"#);
        sub.id = surveyor_model::ResourceId::new("AWS::SNS::Subscription::pending");
        let mut t = t;
        t.arn = Some("arn:aws:sns:r:1:alerts".into());
        let found = run("topic-without-subscribers", &map(vec![t, sub], vec![]));
        assert_eq!(found.len(), 1);
        assert!(found[0].evidence.contains("1 pending"), "{}", found[0].evidence);
    }

    #[test]
    fn from_code_alone_a_topic_nobody_subscribes_to() {
        let t = code("AWS::SNS::Topic", "ops-alerts", "{}");
        let found = run("topic-without-subscribers", &map(vec![t], vec![]));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].evidence, "no subscription declared in code");
    }

    #[test]
    fn silent_with_a_subscriber_or_when_only_code_has_it() {
        let t = live("AWS::SNS::Topic", "inbound", "{}", "{}");
        let q = live("AWS::SQS::Queue", "debug", "{}", "{}");
        let e = edge(&t, &q, EdgeKind::Delivers);
        let declared = code("AWS::SNS::Topic", "alerts", "{}");
        let sub = code("AWS::SNS::Subscription", "s", r#"{"TopicArn":{"ref":"AWS::SNS::Topic::alerts"},"Protocol":"email"}"#);
        // The account was read and this topic is not in it: `missing` says so, not this rule.
        let not_deployed = code("AWS::SNS::Topic", "gone", "{}");
        let m = map(vec![t, q, declared, sub, not_deployed], vec![e]);
        assert!(fired("topic-without-subscribers", &m).is_empty());
    }
}
