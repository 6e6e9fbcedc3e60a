//! ACM certificates: domains, status and expiry.

use surveyor_model::Resource;

use crate::pages;
use crate::runtime::{b, datetime, s, strs, CallError, Rc};
use crate::state_keys as k;

pub async fn collect(rc: &Rc<'_>) -> Result<Vec<Resource>, CallError> {
    let client = aws_sdk_acm::Client::new(&rc.config);
    let pages = pages!(rc, "acm", "ListCertificates", client.list_certificates())?;
    let mut out = Vec::new();
    for c in pages.iter().flat_map(|p| p.certificate_summary_list()) {
        let Some(arn) = c.certificate_arn() else {
            continue;
        };
        let mut r = rc.resource(
            "AWS::CertificateManager::Certificate",
            Some(arn.to_string()),
            Some(arn.to_string()),
            c.domain_name().map(str::to_string),
        );
        if let Some(d) = c.domain_name() {
            r.attributes.insert("DomainName".into(), s(d));
        }
        let sans: Vec<String> = c
            .subject_alternative_name_summaries()
            .iter()
            .filter(|x| Some(x.as_str()) != c.domain_name())
            .cloned()
            .collect();
        if !sans.is_empty() {
            r.attributes
                .insert("SubjectAlternativeNames".into(), strs(&sans));
        }
        if let Some(st) = c.status() {
            r.state.insert(k::CERT_STATUS.into(), s(st.as_str()));
        }
        if let Some(t) = c.not_after() {
            r.state.insert(k::NOT_AFTER.into(), datetime(t));
        }
        if let Some(u) = c.in_use() {
            r.state.insert("InUse".into(), b(u));
        }
        out.push(r);
    }
    Ok(out)
}
