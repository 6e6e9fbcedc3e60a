//! EventBridge Scheduler: schedule groups, and schedules (GetSchedule per schedule: the list
//! answer has neither the expression nor the target's details). Target `Input` is not kept.

use surveyor_model::Resource;

use super::each;
use crate::runtime::{n, obj, s, CallError, Rc};
use crate::{call, pages, state_keys as k};

/// Name, group, ARN, state and target ARN, from the list answer.
type Summary = (
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
);

pub async fn collect(rc: &Rc<'_>) -> Result<Vec<Resource>, CallError> {
    let client = aws_sdk_scheduler::Client::new(&rc.config);
    let mut out = Vec::new();
    match pages!(
        rc,
        "scheduler",
        "ListScheduleGroups",
        client.list_schedule_groups()
    ) {
        Ok(pages) => {
            for g in pages.iter().flat_map(|p| p.schedule_groups()) {
                let Some(name) = g.name() else { continue };
                let mut r = rc.resource(
                    "AWS::Scheduler::ScheduleGroup",
                    g.arn().map(str::to_string),
                    Some(name.to_string()),
                    Some(name.to_string()),
                );
                r.attributes.insert("Name".into(), s(name));
                if let Some(st) = g.state() {
                    r.state.insert(k::STATE.into(), s(st.as_str()));
                }
                out.push(r);
            }
        }
        Err(e) => rc.note_failed(&e),
    }
    let pages = pages!(rc, "scheduler", "ListSchedules", client.list_schedules())?;
    let summaries: Vec<Summary> = pages
        .iter()
        .flat_map(|p| p.schedules())
        .filter_map(|x| {
            Some((
                x.name()?.to_string(),
                x.group_name().unwrap_or("default").to_string(),
                x.arn().map(str::to_string),
                x.state().map(|st| st.as_str().to_string()),
                x.target().map(|t| t.arn().to_string()),
            ))
        })
        .collect();
    let schedules = each(&summaries, |(name, group, arn, state, target)| {
        let client = &client;
        async move {
            let mut r = rc.resource(
                "AWS::Scheduler::Schedule",
                arn.clone(),
                Some(name.clone()),
                Some(name.clone()),
            );
            let a = &mut r.attributes;
            a.insert("Name".into(), s(name));
            a.insert("GroupName".into(), s(group));
            if let Some(st) = state {
                a.insert("State".into(), s(st));
                r.state.insert(k::STATE.into(), s(st));
            }
            if let Some(t) = target {
                a.insert("Target".into(), obj([("Arn", Some(s(t)))]));
            }
            match call!(
                rc,
                "scheduler",
                "GetSchedule",
                client.get_schedule().name(name).group_name(group)
            ) {
                Ok(o) => {
                    let a = &mut r.attributes;
                    for (key, v) in [
                        ("ScheduleExpression", o.schedule_expression().map(s)),
                        (
                            "ScheduleExpressionTimezone",
                            o.schedule_expression_timezone().map(s),
                        ),
                        ("Description", o.description().map(s)),
                        ("KmsKeyArn", o.kms_key_arn().map(s)),
                        (
                            "FlexibleTimeWindow",
                            o.flexible_time_window().map(|w| {
                                obj([
                                    ("Mode", Some(s(w.mode().as_str()))),
                                    (
                                        "MaximumWindowInMinutes",
                                        w.maximum_window_in_minutes().map(n),
                                    ),
                                ])
                            }),
                        ),
                        (
                            "Target",
                            o.target().map(|t| {
                                obj([
                                    ("Arn", Some(s(t.arn()))),
                                    ("RoleArn", Some(s(t.role_arn()))),
                                    (
                                        "DeadLetterConfig",
                                        t.dead_letter_config()
                                            .and_then(|d| d.arn())
                                            .map(|d| obj([("Arn", Some(s(d)))])),
                                    ),
                                    (
                                        "RetryPolicy",
                                        t.retry_policy().map(|p| {
                                            obj([
                                                (
                                                    "MaximumRetryAttempts",
                                                    p.maximum_retry_attempts().map(n),
                                                ),
                                                (
                                                    "MaximumEventAgeInSeconds",
                                                    p.maximum_event_age_in_seconds().map(n),
                                                ),
                                            ])
                                        }),
                                    ),
                                ])
                            }),
                        ),
                    ] {
                        if let Some(v) = v {
                            a.insert(key.into(), v);
                        }
                    }
                }
                Err(e) => rc.note_failed(&e),
            }
            r
        }
    })
    .await;
    out.extend(schedules);
    Ok(out)
}
