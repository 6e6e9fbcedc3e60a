//! CloudWatch Logs groups and their retention.

use surveyor_model::Resource;

use crate::pages;
use crate::runtime::{n, s, CallError, Rc};

pub async fn collect(rc: &Rc<'_>) -> Result<Vec<Resource>, CallError> {
    let client = aws_sdk_cloudwatchlogs::Client::new(&rc.config);
    let pages = pages!(
        rc,
        "cloudwatchlogs",
        "DescribeLogGroups",
        client.describe_log_groups()
    )?;
    let mut out = Vec::new();
    for g in pages.iter().flat_map(|p| p.log_groups()) {
        let Some(name) = g.log_group_name() else {
            continue;
        };
        let arn = g
            .log_group_arn()
            .map(str::to_string)
            .or_else(|| g.arn().map(|a| a.trim_end_matches(":*").to_string()))
            .or_else(|| rc.arn_of("AWS::Logs::LogGroup", name));
        let mut r = rc.resource(
            "AWS::Logs::LogGroup",
            arn,
            Some(name.to_string()),
            Some(name.to_string()),
        );
        r.attributes.insert("LogGroupName".into(), s(name));
        if let Some(d) = g.retention_in_days() {
            r.attributes.insert("RetentionInDays".into(), n(d));
        }
        if let Some(key) = g.kms_key_id() {
            r.attributes.insert("KmsKeyId".into(), s(key));
        }
        if let Some(c) = g.log_group_class() {
            r.attributes.insert("LogGroupClass".into(), s(c.as_str()));
        }
        if let Some(b) = g.stored_bytes() {
            r.state.insert("StoredBytes".into(), n(b));
        }
        out.push(r);
    }
    Ok(out)
}
