//! SSM Parameter Store: metadata only (DescribeParameters). Values are never read: GetParameter
//! and GetParameters are not on the allow-list, so SecureString values stay in the account.

use surveyor_model::Resource;

use crate::pages;
use crate::runtime::{datetime, n, s, CallError, Rc};
use crate::state_keys as k;

pub async fn collect(rc: &Rc<'_>) -> Result<Vec<Resource>, CallError> {
    let client = aws_sdk_ssm::Client::new(&rc.config);
    let pages = pages!(
        rc,
        "ssm",
        "DescribeParameters",
        client.describe_parameters()
    )?;
    let mut out = Vec::new();
    for p in pages.iter().flat_map(|p| p.parameters()) {
        let Some(name) = p.name() else { continue };
        let arn = p
            .arn()
            .map(str::to_string)
            .or_else(|| rc.arn_of("AWS::SSM::Parameter", name));
        let mut r = rc.resource(
            "AWS::SSM::Parameter",
            arn,
            Some(name.to_string()),
            Some(name.to_string()),
        );
        let a = &mut r.attributes;
        a.insert("Name".into(), s(name));
        if let Some(t) = p.r#type() {
            a.insert("Type".into(), s(t.as_str()));
        }
        if let Some(d) = p.description().filter(|d| !d.is_empty()) {
            a.insert("Description".into(), s(d));
        }
        if let Some(t) = p.tier() {
            a.insert("Tier".into(), s(t.as_str()));
        }
        if let Some(d) = p.data_type() {
            a.insert("DataType".into(), s(d));
        }
        r.state.insert("Version".into(), n(p.version()));
        if let Some(t) = p.last_modified_date() {
            r.state.insert(k::LAST_MODIFIED.into(), datetime(t));
        }
        out.push(r);
    }
    Ok(out)
}
