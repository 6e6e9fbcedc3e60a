//! # function-failing
//!
//! **What it fires on**: a Lambda function with at least 3 invocations in the last 24 hours
//! (live `Invocations24h`) of which half or more failed (`Errors24h`).
//!
//! **Why it matters**: a function that mostly fails is a feature that is down — and for
//! asynchronous or scheduled functions nobody sees an error page; the failures pile up in a
//! dead-letter queue or vanish.
//!
//! **What to do**: read the function's recent errors in its log group
//! (`aws logs tail /aws/lambda/NAME --since 1h`), fix the cause, and alarm on `Errors`.
//!
//! **Example**: `rfq-qwen-clean` failed 36 of 36 invocations in 24 h: `column "created_at"
//! does not exist`.

use surveyor_model::{FindingCategory, Resource, Severity};

use crate::{state_keys as k, Ctx, Message, Meta};

pub(crate) static RULE: Meta = Meta {
    id: "function-failing",
    severity: Severity::High,
    category: FindingCategory::Reliability,
    summary: "a Lambda function's recent invocations mostly fail",
    source: include_str!("function_failing.rs"),
};

const WHY: &str = "The feature behind the function is effectively down; for async and scheduled work nobody sees the errors.";
const ACTION: &str = "Read the recent errors in the function's log group, fix the cause, and alarm on its Errors metric.";

/// Fewer invocations than this say too little to call a function failing.
const MIN_INVOCATIONS: f64 = 3.0;
const FAILING_RATIO: f64 = 0.5;

pub(crate) struct Hit {
    invocations: f64,
    errors: f64,
}

pub(crate) fn check<'a>(ctx: &Ctx<'a>) -> Vec<(&'a Resource, Hit)> {
    ctx.of_type(&["AWS::Lambda::Function"])
        .filter_map(|f| {
            let invocations = Ctx::state_num(f, k::LAMBDA_INVOCATIONS_24H)?;
            let errors = Ctx::state_num(f, k::LAMBDA_ERRORS_24H)?;
            (invocations >= MIN_INVOCATIONS && errors / invocations >= FAILING_RATIO)
                .then_some((f, Hit { invocations, errors }))
        })
        .collect()
}

pub(crate) fn message(r: &Resource, h: &Hit) -> Message {
    let pct = (h.errors / h.invocations * 100.0).min(100.0).round();
    Message::new(
        format!("Function {} is failing", r.label()),
        format!("{} errors in {} invocations over 24 h ({pct}%)", h.errors, h.invocations),
    )
    .why(WHY, ACTION)
}

#[cfg(test)]
mod tests {
    use crate::testkit::*;

    #[test]
    fn fires_when_most_invocations_fail() {
        let f = live("AWS::Lambda::Function", "qwen-clean", "{}", r#"{"Invocations24h":36,"Errors24h":36}"#);
        let found = run("function-failing", &map(vec![f], vec![]));
        assert_eq!(found.len(), 1);
        assert!(found[0].evidence.contains("100%"), "{}", found[0].evidence);
    }

    #[test]
    fn silent_on_rare_errors_few_calls_or_no_metrics() {
        let ok = live("AWS::Lambda::Function", "api", "{}", r#"{"Invocations24h":1000,"Errors24h":3}"#);
        let rare = live("AWS::Lambda::Function", "monthly", "{}", r#"{"Invocations24h":1,"Errors24h":1}"#);
        let none = code("AWS::Lambda::Function", "c", "{}");
        assert!(fired("function-failing", &map(vec![ok, rare, none], vec![])).is_empty());
    }
}
