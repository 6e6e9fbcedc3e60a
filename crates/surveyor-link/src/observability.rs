//! Observability: alarms `notify` their actions (`AlarmActions`, `OKActions`,
//! `InsufficientDataActions`; labelled with the state for the last two) and `depend` on the
//! resources their metric dimensions name (labelled with the metric); log subscription
//! filters `notify` their destination from the log group.

use surveyor_model::EdgeKind;

use crate::{items, origin_of, scalar, Graph, Out};

pub(crate) fn derive(g: &Graph, out: &mut Out) {
    for r in g.of_type(&["AWS::CloudWatch::Alarm", "AWS::CloudWatch::CompositeAlarm"]) {
        let o = origin_of(r);
        for (key, label) in [
            ("AlarmActions", None),
            ("OKActions", Some("OK")),
            ("InsufficientDataActions", Some("INSUFFICIENT_DATA")),
        ] {
            for to in g.refs(r.attr(key), &r.id) {
                out.add(&r.id, to, EdgeKind::Notifies, o, label.map(str::to_string));
            }
        }
        let metric = scalar(r.attr("MetricName"));
        let mut dims: Vec<&surveyor_model::Value> = items(r.attr("Dimensions")).iter().collect();
        // Metric-math alarms keep their dimensions under `Metrics[].MetricStat.Metric`.
        for m in items(r.attr("Metrics")) {
            dims.extend(items(m.pointer("MetricStat.Metric.Dimensions")));
        }
        for d in dims {
            for to in g.refs(d.pointer("Value"), &r.id) {
                out.add(&r.id, to, EdgeKind::Depends, o, metric.clone());
            }
        }
    }
    for r in g.of_type(&["AWS::Logs::SubscriptionFilter"]) {
        let o = origin_of(r);
        let groups = g.refs(r.attr("LogGroupName"), &r.id);
        for dest in g.refs(r.attr("DestinationArn"), &r.id) {
            for lg in &groups {
                out.add(
                    lg,
                    dest,
                    EdgeKind::Notifies,
                    o,
                    Some("subscription filter".into()),
                );
            }
            out.claim(&r.id, dest);
        }
    }
}
