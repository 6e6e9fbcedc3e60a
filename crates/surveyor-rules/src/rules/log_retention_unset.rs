//! # log-retention-unset
//!
//! **What it fires on**: a CloudWatch Logs log group without `RetentionInDays` — logs kept
//! forever. Log groups services create on their own (`/aws/lambda/…`) are included: they are
//! the usual culprits.
//!
//! **Why it matters**: log storage is billed per GB-month and never shrinks; a chatty function
//! accumulates years of logs nobody reads. Keeping personal data longer than needed is also a
//! compliance problem.
//!
//! **What to do**: set `RetentionInDays` (30–90 for application logs, longer only for audit
//! trails). For Lambda, declare the log group in code (or `logRetention` in CDK) so the
//! service does not create one without retention.
//!
//! **Example**: `/aws/lambda/rfq-scrape-mic` has no retention. (checkov: CKV_AWS_66.)

use surveyor_model::{FindingCategory, Resource, Severity, Value};

use crate::{Ctx, Message, Meta};

pub(crate) static RULE: Meta = Meta {
    id: "log-retention-unset",
    severity: Severity::Low,
    category: FindingCategory::Cost,
    summary: "a log group keeps logs forever",
    source: include_str!("log_retention_unset.rs"),
};

const WHY: &str = "Logs kept forever are billed forever and keep personal data longer than needed.";
const ACTION: &str = "Set RetentionInDays (30–90 for application logs); declare Lambda log groups in code so they get one.";

pub(crate) struct Hit;

pub(crate) fn check<'a>(ctx: &Ctx<'a>) -> Vec<(&'a Resource, Hit)> {
    // Every log group, AWS-created ones included (the rule's point).
    ctx.map
        .resources
        .iter()
        .filter(|r| r.type_name == "AWS::Logs::LogGroup")
        .filter(|r| {
            matches!(ctx.value(r, "RetentionInDays"), None | Some(Value::Null))
        })
        .map(|r| (r, Hit))
        .collect()
}

pub(crate) fn message(r: &Resource, _: &Hit) -> Message {
    Message::new(
        format!("Log group {} keeps logs forever", r.label()),
        "RetentionInDays not set (never expire)",
    )
    .why(WHY, ACTION)
}

#[cfg(test)]
mod tests {
    use crate::testkit::*;

    #[test]
    fn fires_without_retention_even_on_service_created_groups() {
        let a = code("AWS::Logs::LogGroup", "/app/api", "{}");
        let b = live("AWS::Logs::LogGroup", "/aws/lambda/scrape", "{}", "{}");
        assert_eq!(fired("log-retention-unset", &map(vec![a, b], vec![])).len(), 2);
    }

    #[test]
    fn silent_with_retention() {
        let a = code("AWS::Logs::LogGroup", "/app/api", r#"{"RetentionInDays":30}"#);
        let b = code("AWS::Logs::LogGroup", "/app/w", r#"{"RetentionInDays":{"unresolved":"var.days"}}"#);
        assert!(fired("log-retention-unset", &map(vec![a, b], vec![])).is_empty());
    }
}
