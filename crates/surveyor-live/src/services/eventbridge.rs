//! EventBridge rules (on every bus the account lists rules for) and their targets.
//! Target `Input` is not kept: it is free-form payload that may carry data.

use surveyor_model::{Resource, Value};

use super::each;
use crate::runtime::{json_value, n, obj, s, CallError, Rc};
use crate::{state_keys as k, token_pages};

pub async fn collect(rc: &Rc<'_>) -> Result<Vec<Resource>, CallError> {
    let client = aws_sdk_eventbridge::Client::new(&rc.config);
    let pages = token_pages!(
        rc,
        "eventbridge",
        "ListRules",
        |tok| client.list_rules().set_next_token(tok.clone()),
        |o| o.next_token()
    )?;
    let rules: Vec<aws_sdk_eventbridge::types::Rule> = pages
        .iter()
        .flat_map(|p| p.rules().iter().cloned())
        .collect();
    let out = each(&rules, |rule| {
        let client = &client;
        async move {
            let name = rule.name().unwrap_or_default();
            let arn = rule
                .arn()
                .map(str::to_string)
                .or_else(|| rc.arn_of("AWS::Events::Rule", name));
            let bus = rule.event_bus_name().unwrap_or("default");
            // CloudFormation's Ref of a rule on a custom bus is `bus|name`.
            let pid = if bus == "default" {
                name.to_string()
            } else {
                format!("{bus}|{name}")
            };
            let mut r = rc.resource("AWS::Events::Rule", arn, Some(pid), Some(name.to_string()));
            let a = &mut r.attributes;
            a.insert("Name".into(), s(name));
            if bus != "default" {
                a.insert("EventBusName".into(), s(bus));
            }
            for (key, v) in [
                ("Description", rule.description().map(s)),
                ("ScheduleExpression", rule.schedule_expression().map(s)),
                ("EventPattern", rule.event_pattern().map(json_value)),
                ("RoleArn", rule.role_arn().map(s)),
                ("State", rule.state().map(|x| s(x.as_str()))),
            ] {
                if let Some(v) = v {
                    a.insert(key.into(), v);
                }
            }
            if let Some(st) = rule.state() {
                r.state.insert(k::STATE.into(), s(st.as_str()));
            }
            if let Some(m) = rule.managed_by() {
                r.state.insert("ManagedBy".into(), s(m));
            }
            match token_pages!(
                rc,
                "eventbridge",
                "ListTargetsByRule",
                |tok| client
                    .list_targets_by_rule()
                    .rule(name)
                    .event_bus_name(bus)
                    .set_next_token(tok.clone()),
                |o| o.next_token()
            ) {
                Ok(pages) => {
                    let targets: Vec<Value> = pages
                        .iter()
                        .flat_map(|p| p.targets())
                        .map(|t| {
                            obj([
                                ("Id", Some(s(t.id()))),
                                ("Arn", Some(s(t.arn()))),
                                ("RoleArn", t.role_arn().map(s)),
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
                                (
                                    "EcsParameters",
                                    t.ecs_parameters().map(|e| {
                                        obj([
                                            ("TaskDefinitionArn", Some(s(e.task_definition_arn()))),
                                            ("TaskCount", e.task_count().map(n)),
                                        ])
                                    }),
                                ),
                            ])
                        })
                        .collect();
                    r.attributes.insert("Targets".into(), Value::List(targets));
                }
                Err(e) => rc.note_failed(&e),
            }
            r
        }
    })
    .await;
    Ok(out)
}
