//! # alarm-without-action
//!
//! **What it fires on**: a CloudWatch alarm with no `AlarmActions`, with `ActionsEnabled:
//! false`, or whose only actions are SNS topics that have no subscribers.
//!
//! **Why it matters**: an alarm nobody is told about is a graph, not an alarm. It goes red
//! at 3 a.m. and the first person to notice is a customer.
//!
//! **What to do**: point `AlarmActions` at a topic with a confirmed subscription (email,
//! chat webhook, pager), and subscribe someone to the topics already used.
//!
//! **Example**: `dispatch-prod-dlq-depth` notifies `dispatch-prod-ops-alerts`, a topic with
//! no subscriptions: the alarm fires into the void.

use surveyor_model::{EdgeKind, FindingCategory, Resource, Severity, Value};

use crate::{Ctx, Message, Meta};

pub(crate) static RULE: Meta = Meta {
    id: "alarm-without-action",
    severity: Severity::Medium,
    category: FindingCategory::Operations,
    summary: "an alarm has no action, or its only actions are topics with no subscribers",
    source: include_str!("alarm_without_action.rs"),
};

const WHY: &str = "Nobody is told when the alarm fires: it is a graph, not an alarm.";
const ACTION: &str = "Point AlarmActions at a topic with a confirmed subscriber (email, chat, pager), or subscribe someone to the topics it uses.";

pub(crate) enum Hit {
    Disabled,
    NoActions,
    SilentTopics(Vec<String>),
}

pub(crate) fn check<'a>(ctx: &Ctx<'a>) -> Vec<(&'a Resource, Hit)> {
    ctx.of_type(&["AWS::CloudWatch::Alarm", "AWS::CloudWatch::CompositeAlarm"])
        .filter_map(|a| {
            if ctx.flag(a, "ActionsEnabled") == Some(false) {
                return Some((a, Hit::Disabled));
            }
            let mut targets: Vec<&Value> = Vec::new();
            match ctx.value(a, "AlarmActions") {
                Some(Value::List(l)) => targets.extend(l.iter()),
                Some(Value::Null) | None => {}
                // Unresolved or odd shapes: cannot tell.
                Some(_) => return None,
            }
            let edge_targets: Vec<&Resource> = ctx
                .out(a, EdgeKind::Notifies)
                .filter_map(|e| ctx.get(&e.to))
                .collect();
            if targets.is_empty() && edge_targets.is_empty() {
                return Some((a, Hit::NoActions));
            }
            if targets.iter().any(|v| matches!(v, Value::Unresolved(_))) {
                return None;
            }
            let mut resolved: Vec<&Resource> = edge_targets;
            for v in &targets {
                match ctx.resolve(v) {
                    Some(r) => resolved.push(r),
                    // An action we cannot see (another account, an Auto Scaling policy ARN).
                    None => return None,
                }
            }
            // An action is often both an `AlarmActions` entry and a `notifies` edge.
            resolved.sort_by(|x, y| x.id.cmp(&y.id));
            resolved.dedup_by(|x, y| x.id == y.id);
            let silent: Vec<String> = resolved
                .iter()
                .filter(|t| t.type_name == "AWS::SNS::Topic" && ctx.topic_subscribers(t) == Some(0))
                .map(|t| t.label())
                .collect();
            (silent.len() == resolved.len() && !silent.is_empty())
                .then_some((a, Hit::SilentTopics(silent)))
        })
        .collect()
}

pub(crate) fn message(r: &Resource, h: &Hit) -> Message {
    let evidence = match h {
        Hit::Disabled => "ActionsEnabled = false".to_string(),
        Hit::NoActions => "AlarmActions is empty".to_string(),
        Hit::SilentTopics(t) => format!("AlarmActions only notify topics with no subscribers: {}", t.join(", ")),
    };
    Message::new(format!("Alarm {} notifies nobody", r.label()), evidence).why(WHY, ACTION)
}

#[cfg(test)]
mod tests {
    use crate::testkit::*;
    use surveyor_model::EdgeKind;

    #[test]
    fn fires_without_actions_and_on_topics_nobody_reads() {
        let bare = code("AWS::CloudWatch::Alarm", "bare", "{}");
        let topic = live("AWS::SNS::Topic", "ops-alerts", "{}", r#"{"SubscriptionsConfirmed":0}"#);
        let a = code("AWS::CloudWatch::Alarm", "dlq-depth", r#"{"AlarmActions":[{"ref":"AWS::SNS::Topic::ops-alerts"}]}"#);
        let e = edge(&a, &topic, EdgeKind::Notifies);
        let found = run("alarm-without-action", &map(vec![bare, topic, a], vec![e]));
        assert_eq!(found.len(), 2);
        assert!(
            found.iter().any(|f| f.evidence.ends_with("no subscribers: ops-alerts")),
            "{found:?}"
        );
    }

    #[test]
    fn silent_when_a_topic_has_a_subscriber() {
        let topic = live("AWS::SNS::Topic", "ops-alerts", "{}", r#"{"SubscriptionsConfirmed":1}"#);
        let a = code("AWS::CloudWatch::Alarm", "dlq-depth", r#"{"AlarmActions":[{"ref":"AWS::SNS::Topic::ops-alerts"}]}"#);
        let topic2 = code("AWS::SNS::Topic", "alerts2", "{}");
        let sub = code("AWS::SQS::Queue", "sub", "{}");
        let e = edge(&topic2, &sub, EdgeKind::Delivers);
        let b = code("AWS::CloudWatch::Alarm", "b", r#"{"AlarmActions":[{"ref":"AWS::SNS::Topic::alerts2"}]}"#);
        // An action pointing outside the map cannot be judged.
        let c = code("AWS::CloudWatch::Alarm", "c", r#"{"AlarmActions":["arn:aws:autoscaling:r:1:scalingPolicy:x"]}"#);
        assert!(fired("alarm-without-action", &map(vec![topic, a, topic2, sub, b, c], vec![e])).is_empty());
    }
}
