//! CloudWatch alarms (metric and composite, with state and reason), and the last 24 hours of
//! Lambda invocations and errors: one GetMetricData call per 250 functions, never one per
//! function.

use std::time::{SystemTime, UNIX_EPOCH};

use aws_sdk_cloudwatch::types::{AlarmType, Dimension, Metric, MetricDataQuery, MetricStat};
use aws_smithy_types::DateTime;
use surveyor_model::{Resource, Value};

use crate::runtime::{b, datetime, f, list, n, obj, s, strs, CallError, Rc};
use crate::{pages, state_keys as k};

pub async fn collect(rc: &Rc<'_>) -> Result<Vec<Resource>, CallError> {
    let client = aws_sdk_cloudwatch::Client::new(&rc.config);
    let pages = pages!(
        rc,
        "cloudwatch",
        "DescribeAlarms",
        client
            .describe_alarms()
            .alarm_types(AlarmType::MetricAlarm)
            .alarm_types(AlarmType::CompositeAlarm)
    )?;
    let mut out = Vec::new();
    for a in pages.iter().flat_map(|p| p.metric_alarms()) {
        let Some(name) = a.alarm_name() else { continue };
        let arn = a
            .alarm_arn()
            .map(str::to_string)
            .or_else(|| rc.arn_of("AWS::CloudWatch::Alarm", name));
        let mut r = rc.resource(
            "AWS::CloudWatch::Alarm",
            arn,
            Some(name.to_string()),
            Some(name.to_string()),
        );
        let dims: Vec<Value> = a
            .dimensions()
            .iter()
            .map(|d| obj([("Name", d.name().map(s)), ("Value", d.value().map(s))]))
            .collect();
        for (key, v) in [
            ("AlarmName", Some(s(name))),
            ("AlarmDescription", a.alarm_description().map(s)),
            ("MetricName", a.metric_name().map(s)),
            ("Namespace", a.namespace().map(s)),
            ("Statistic", a.statistic().map(|x| s(x.as_str()))),
            ("ExtendedStatistic", a.extended_statistic().map(s)),
            (
                "Dimensions",
                (!dims.is_empty()).then_some(Value::List(dims)),
            ),
            ("Period", a.period().map(n)),
            ("EvaluationPeriods", a.evaluation_periods().map(n)),
            ("DatapointsToAlarm", a.datapoints_to_alarm().map(n)),
            ("Threshold", a.threshold().map(f)),
            (
                "ComparisonOperator",
                a.comparison_operator().map(|x| s(x.as_str())),
            ),
            ("TreatMissingData", a.treat_missing_data().map(s)),
            ("ActionsEnabled", a.actions_enabled().map(b)),
            (
                "AlarmActions",
                (!a.alarm_actions().is_empty()).then(|| strs(a.alarm_actions())),
            ),
            (
                "OKActions",
                (!a.ok_actions().is_empty()).then(|| strs(a.ok_actions())),
            ),
            (
                "InsufficientDataActions",
                (!a.insufficient_data_actions().is_empty())
                    .then(|| strs(a.insufficient_data_actions())),
            ),
            (
                "Metrics",
                (!a.metrics().is_empty()).then(|| {
                    list(
                        a.metrics()
                            .iter()
                            .map(|m| {
                                obj([
                                    ("Id", m.id().map(s)),
                                    ("Expression", m.expression().map(s)),
                                    ("ReturnData", m.return_data().map(b)),
                                ])
                            })
                            .collect::<Vec<_>>(),
                    )
                }),
            ),
        ] {
            if let Some(v) = v {
                r.attributes.insert(key.into(), v);
            }
        }
        alarm_state(
            &mut r,
            a.state_value().map(|x| x.as_str()),
            a.state_reason(),
            a.state_updated_timestamp(),
        );
        out.push(r);
    }
    for a in pages.iter().flat_map(|p| p.composite_alarms()) {
        let Some(name) = a.alarm_name() else { continue };
        let arn = a
            .alarm_arn()
            .map(str::to_string)
            .or_else(|| rc.arn_of("AWS::CloudWatch::CompositeAlarm", name));
        let mut r = rc.resource(
            "AWS::CloudWatch::CompositeAlarm",
            arn,
            Some(name.to_string()),
            Some(name.to_string()),
        );
        for (key, v) in [
            ("AlarmName", Some(s(name))),
            ("AlarmDescription", a.alarm_description().map(s)),
            ("AlarmRule", a.alarm_rule().map(s)),
            ("ActionsEnabled", a.actions_enabled().map(b)),
            (
                "AlarmActions",
                (!a.alarm_actions().is_empty()).then(|| strs(a.alarm_actions())),
            ),
            (
                "OKActions",
                (!a.ok_actions().is_empty()).then(|| strs(a.ok_actions())),
            ),
        ] {
            if let Some(v) = v {
                r.attributes.insert(key.into(), v);
            }
        }
        alarm_state(
            &mut r,
            a.state_value().map(|x| x.as_str()),
            a.state_reason(),
            a.state_updated_timestamp(),
        );
        out.push(r);
    }
    Ok(out)
}

fn alarm_state(r: &mut Resource, value: Option<&str>, reason: Option<&str>, at: Option<&DateTime>) {
    if let Some(v) = value {
        r.state.insert(k::ALARM_STATE.into(), s(v));
    }
    if let Some(v) = reason {
        r.state.insert(k::ALARM_REASON.into(), s(v));
    }
    if let Some(t) = at {
        r.state.insert(k::ALARM_UPDATED.into(), datetime(t));
    }
}

/// Fills `Invocations24h` and `Errors24h` on this region's functions. Two queries a function,
/// 500 queries a call (the API's limit).
pub async fn lambda_metrics(rc: &Rc<'_>, resources: &mut [Resource]) {
    let names: Vec<(usize, String)> = resources
        .iter()
        .enumerate()
        .filter(|(_, r)| r.type_name == "AWS::Lambda::Function")
        .filter_map(|(i, r)| r.physical_id.clone().map(|n| (i, n)))
        .collect();
    if names.is_empty() {
        return;
    }
    let client = aws_sdk_cloudwatch::Client::new(&rc.config);
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    // Whole hours, so repeated scans ask the same question.
    let end = now - now.rem_euclid(3600);
    let start = end - 86_400;
    for chunk in names.chunks(250) {
        let mut queries = Vec::with_capacity(chunk.len() * 2);
        for (j, (_, name)) in chunk.iter().enumerate() {
            for (prefix, metric) in [("i", "Invocations"), ("e", "Errors")] {
                let stat = MetricStat::builder()
                    .metric(
                        Metric::builder()
                            .namespace("AWS/Lambda")
                            .metric_name(metric)
                            .dimensions(
                                Dimension::builder()
                                    .name("FunctionName")
                                    .value(name)
                                    .build(),
                            )
                            .build(),
                    )
                    .period(86_400)
                    .stat("Sum")
                    .build();
                queries.push(
                    MetricDataQuery::builder()
                        .id(format!("{prefix}{j}"))
                        .metric_stat(stat)
                        .return_data(true)
                        .build(),
                );
            }
        }
        let result = pages!(
            rc,
            "cloudwatch",
            "GetMetricData",
            client
                .get_metric_data()
                .set_metric_data_queries(Some(queries))
                .start_time(DateTime::from_secs(start))
                .end_time(DateTime::from_secs(end))
        );
        match result {
            Ok(pages) => {
                let mut sums: std::collections::HashMap<String, f64> = Default::default();
                for res in pages.iter().flat_map(|p| p.metric_data_results()) {
                    if let Some(id) = res.id() {
                        *sums.entry(id.to_string()).or_default() +=
                            res.values().iter().sum::<f64>();
                    }
                }
                for (j, (i, _)) in chunk.iter().enumerate() {
                    if let Some(r) = resources.get_mut(*i) {
                        let inv = sums.get(&format!("i{j}")).copied().unwrap_or(0.0);
                        let err = sums.get(&format!("e{j}")).copied().unwrap_or(0.0);
                        r.state
                            .insert(k::INVOCATIONS_24H.into(), n(inv.round() as i64));
                        r.state.insert(k::ERRORS_24H.into(), n(err.round() as i64));
                    }
                }
            }
            Err(e) => rc.note_failed(&e),
        }
    }
}
