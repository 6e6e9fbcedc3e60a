//! # schedule-disabled
//!
//! **What it fires on**: an EventBridge Scheduler schedule or an EventBridge rule whose
//! `State` is `DISABLED` — live when the account was read, else as declared.
//!
//! **Why it matters**: a disabled schedule is a job that silently stopped running. Sometimes
//! that is a deliberate pause; often the pause outlives its reason and nobody remembers.
//!
//! **What to do**: re-enable it, or, if it is no longer needed, delete it from the code.
//! Accept a deliberate pause in `.surveyorignore` (`rule:schedule-disabled:NAME`) with a
//! comment saying why and until when.
//!
//! **Example**: `rfq-research-cron-hourly` is `DISABLED` live while the code declares it
//! `ENABLED`.

use surveyor_model::{FindingCategory, Resource, Severity, Value};

use crate::{state_keys as k, Ctx, Message, Meta};

pub(crate) static RULE: Meta = Meta {
    id: "schedule-disabled",
    severity: Severity::Low,
    category: FindingCategory::Operations,
    summary: "an EventBridge schedule or rule is disabled",
    source: include_str!("schedule_disabled.rs"),
};

const WHY: &str = "The job it runs has silently stopped; pauses tend to outlive their reason.";
const ACTION: &str = "Re-enable it, delete it from code if obsolete, or accept the pause in .surveyorignore with a reason.";

pub(crate) struct Hit {
    live: bool,
}

pub(crate) fn check<'a>(ctx: &Ctx<'a>) -> Vec<(&'a Resource, Hit)> {
    ctx.of_type(&["AWS::Scheduler::Schedule", "AWS::Events::Rule"])
        .filter_map(|s| {
            let (state, live) = match s.state.get(k::SCHEDULE_STATE) {
                Some(v) => (v, true),
                None => (ctx.value(s, "State")?, s.in_live),
            };
            let disabled = state.as_str().is_some_and(|v| v.eq_ignore_ascii_case("DISABLED"))
                || matches!(state, Value::Bool(false));
            disabled.then_some((s, Hit { live }))
        })
        .collect()
}

pub(crate) fn message(r: &Resource, h: &Hit) -> Message {
    let whence = if h.live { "live" } else { "declared in code" };
    Message::new(
        format!("Schedule {} is disabled", r.label()),
        format!("State = DISABLED ({whence})"),
    )
    .why(WHY, ACTION)
}

#[cfg(test)]
mod tests {
    use crate::testkit::*;

    #[test]
    fn fires_on_a_disabled_schedule() {
        let s = both("AWS::Scheduler::Schedule", "research-hourly", r#"{"State":"ENABLED"}"#, r#"{"State":"DISABLED"}"#);
        let r = code("AWS::Events::Rule", "nightly", r#"{"State":"DISABLED"}"#);
        let found = run("schedule-disabled", &map(vec![s, r], vec![]));
        assert_eq!(found.len(), 2);
        assert!(found.iter().any(|f| f.evidence.contains("(live)")));
    }

    #[test]
    fn silent_when_enabled() {
        let s = live("AWS::Scheduler::Schedule", "go4world", r#"{"State":"ENABLED"}"#, r#"{"State":"ENABLED"}"#);
        let r = code("AWS::Events::Rule", "nightly", "{}");
        assert!(fired("schedule-disabled", &map(vec![s, r], vec![])).is_empty());
    }
}
