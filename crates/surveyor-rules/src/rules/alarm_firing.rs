//! # alarm-firing
//!
//! **What it fires on**: a CloudWatch alarm (metric or composite) whose live `StateValue` is
//! `ALARM`.
//!
//! **Why it matters**: an alarm in ALARM is a condition someone decided deserves attention,
//! happening now. Alarms left in ALARM for days teach everyone to ignore the alarm list.
//!
//! **What to do**: look at the alarm's `StateReason` and the metric behind it; fix the cause,
//! or, if the threshold is wrong, change the threshold in code — do not leave it red.
//!
//! **Example**: `rfq-dlq-LambdaAsyncDlq-prod` is in ALARM: "Threshold Crossed: 1 datapoint
//! [3396.0] was greater than or equal to the threshold (1.0)".

use surveyor_model::{FindingCategory, Resource, Severity};

use crate::{state_keys as k, Ctx, Message, Meta};

pub(crate) static RULE: Meta = Meta {
    id: "alarm-firing",
    severity: Severity::Medium,
    category: FindingCategory::Operations,
    summary: "a CloudWatch alarm is in state ALARM",
    source: include_str!("alarm_firing.rs"),
};

const WHY: &str = "The alarm's condition is happening now; alarms left red teach everyone to ignore them.";
const ACTION: &str = "Read the state reason and the metric, fix the cause — or correct the threshold in code.";

pub(crate) struct Hit {
    reason: Option<String>,
}

pub(crate) fn check<'a>(ctx: &Ctx<'a>) -> Vec<(&'a Resource, Hit)> {
    ctx.of_type(&["AWS::CloudWatch::Alarm", "AWS::CloudWatch::CompositeAlarm"])
        .filter(|a| Ctx::state_str(a, k::ALARM_STATE).is_some_and(|s| s.eq_ignore_ascii_case("ALARM")))
        .map(|a| {
            let reason = Ctx::state_str(a, k::ALARM_REASON).map(str::to_string);
            (a, Hit { reason })
        })
        .collect()
}

pub(crate) fn message(r: &Resource, h: &Hit) -> Message {
    let evidence = match &h.reason {
        Some(reason) => format!("{} = ALARM: {reason}", k::ALARM_STATE),
        None => format!("{} = ALARM", k::ALARM_STATE),
    };
    Message::new(format!("Alarm {} is firing", r.label()), evidence).why(WHY, ACTION)
}

#[cfg(test)]
mod tests {
    use crate::testkit::*;

    #[test]
    fn fires_on_alarm_state() {
        let a = live("AWS::CloudWatch::Alarm", "acu", "{}", r#"{"StateValue":"ALARM","StateReason":"ACU 4.1 > 4.0"}"#);
        let found = run("alarm-firing", &map(vec![a], vec![]));
        assert_eq!(found.len(), 1);
        assert!(found[0].evidence.contains("ACU 4.1"));
    }

    #[test]
    fn silent_when_ok_or_unknown() {
        let ok = live("AWS::CloudWatch::Alarm", "ok", "{}", r#"{"StateValue":"OK"}"#);
        let insufficient = live("AWS::CloudWatch::Alarm", "i", "{}", r#"{"StateValue":"INSUFFICIENT_DATA"}"#);
        let code_only = code("AWS::CloudWatch::Alarm", "c", "{}");
        assert!(fired("alarm-firing", &map(vec![ok, insufficient, code_only], vec![])).is_empty());
    }
}
