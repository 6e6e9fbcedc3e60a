//! # service-not-running
//!
//! **What it fires on**: an ECS service whose live `RunningCount` is below its
//! `DesiredCount`.
//!
//! **Why it matters**: fewer tasks than desired means lost capacity or a service that is
//! down outright — typically tasks crash on start (bad image, missing secret, failing health
//! check) and ECS keeps replacing them.
//!
//! **What to do**: look at the service's events and the stopped tasks' `stoppedReason`
//! (`aws ecs describe-services`, `aws ecs list-tasks --desired-status STOPPED`) and the
//! container logs; fix the cause.
//!
//! **Example**: `dispatch-worker-prod` runs 0 of 1 desired tasks.

use surveyor_model::{FindingCategory, Resource, Severity};

use crate::{state_keys as k, Ctx, Message, Meta};

pub(crate) static RULE: Meta = Meta {
    id: "service-not-running",
    severity: Severity::High,
    category: FindingCategory::Reliability,
    summary: "an ECS service runs fewer tasks than desired",
    source: include_str!("service_not_running.rs"),
};

const WHY: &str = "The service has lost capacity or is down; tasks are usually crashing on start and being replaced.";
const ACTION: &str = "Read the service events, the stopped tasks' stoppedReason and the container logs; fix the cause.";

pub(crate) struct Hit {
    running: f64,
    desired: f64,
}

pub(crate) fn check<'a>(ctx: &Ctx<'a>) -> Vec<(&'a Resource, Hit)> {
    ctx.of_type(&["AWS::ECS::Service"])
        .filter_map(|s| {
            let running = Ctx::state_num(s, k::ECS_RUNNING)?;
            let desired = Ctx::state_num(s, k::ECS_DESIRED)?;
            (running < desired).then_some((s, Hit { running, desired }))
        })
        .collect()
}

pub(crate) fn message(r: &Resource, h: &Hit) -> Message {
    Message::new(
        format!("Service {} runs {} of {} tasks", r.label(), h.running, h.desired),
        format!("{} = {}, {} = {}", k::ECS_RUNNING, h.running, k::ECS_DESIRED, h.desired),
    )
    .why(WHY, ACTION)
}

#[cfg(test)]
mod tests {
    use crate::testkit::*;

    #[test]
    fn fires_below_desired() {
        let s = live("AWS::ECS::Service", "worker", "{}", r#"{"RunningCount":0,"DesiredCount":1}"#);
        let found = run("service-not-running", &map(vec![s], vec![]));
        assert_eq!(found.len(), 1);
        assert!(found[0].evidence.contains("RunningCount = 0"));
    }

    #[test]
    fn silent_when_running_as_desired_or_unknown() {
        let s = live("AWS::ECS::Service", "api", "{}", r#"{"RunningCount":1,"DesiredCount":1}"#);
        let c = code("AWS::ECS::Service", "c", r#"{"DesiredCount":2}"#);
        assert!(fired("service-not-running", &map(vec![s, c], vec![])).is_empty());
    }
}
