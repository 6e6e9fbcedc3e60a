//! Secrets Manager: metadata and rotation only (ListSecrets). Secret values are never read:
//! GetSecretValue is not on the allow-list.

use surveyor_model::Resource;

use crate::pages;
use crate::runtime::{b, datetime, n, obj, s, tags_of, CallError, Rc};
use crate::state_keys as k;

pub async fn collect(rc: &Rc<'_>) -> Result<Vec<Resource>, CallError> {
    let client = aws_sdk_secretsmanager::Client::new(&rc.config);
    let pages = pages!(rc, "secretsmanager", "ListSecrets", client.list_secrets())?;
    let mut out = Vec::new();
    for sec in pages.iter().flat_map(|p| p.secret_list()) {
        let Some(arn) = sec.arn() else { continue };
        let name = sec.name().unwrap_or_default();
        let mut r = rc.resource(
            "AWS::SecretsManager::Secret",
            Some(arn.to_string()),
            Some(arn.to_string()),
            Some(name.to_string()),
        );
        let a = &mut r.attributes;
        a.insert("Name".into(), s(name));
        if let Some(d) = sec.description().filter(|d| !d.is_empty()) {
            a.insert("Description".into(), s(d));
        }
        if let Some(key) = sec.kms_key_id() {
            a.insert("KmsKeyId".into(), s(key));
        }
        r.tags = tags_of(sec.tags().iter().map(|t| (t.key(), t.value())));
        r.state.insert(
            "RotationEnabled".into(),
            b(sec.rotation_enabled().unwrap_or(false)),
        );
        if let Some(l) = sec.rotation_lambda_arn() {
            r.state.insert("RotationLambdaARN".into(), s(l));
        }
        if let Some(rules) = sec.rotation_rules() {
            r.state.insert(
                "RotationRules".into(),
                obj([
                    (
                        "AutomaticallyAfterDays",
                        rules.automatically_after_days().map(n),
                    ),
                    ("ScheduleExpression", rules.schedule_expression().map(s)),
                    ("Duration", rules.duration().map(s)),
                ]),
            );
        }
        if let Some(t) = sec.last_rotated_date() {
            r.state.insert(k::LAST_ROTATED.into(), datetime(t));
        }
        if let Some(t) = sec.last_accessed_date() {
            r.state.insert(k::LAST_ACCESSED.into(), datetime(t));
        }
        if let Some(t) = sec.last_changed_date() {
            r.state.insert("LastChangedDate".into(), datetime(t));
        }
        out.push(r);
    }
    Ok(out)
}
