//! # secret-no-rotation
//!
//! **What it fires on**: a Secrets Manager secret without rotation: live `RotationEnabled =
//! false`, or, without live facts, no `AWS::SecretsManager::RotationSchedule` for it in code.
//! Secrets RDS manages itself (`rds!…`) are not audited.
//!
//! **Why it matters**: a credential that never changes stays valid for anyone who ever saw
//! it — former staff, a leaked log line, a laptop backup.
//!
//! **What to do**: add a rotation schedule (a hosted rotation Lambda for RDS/Redshift/
//! DocumentDB credentials, or your own), or let RDS manage the master password
//! (`ManageMasterUserPassword`). Third-party API keys that cannot rotate automatically:
//! accept them in `.surveyorignore` and rotate by hand on a calendar.
//!
//! **Example**: `/v1-orcha/db-credentials` has no rotation schedule.

use surveyor_model::{FindingCategory, Resource, Severity, Value};

use crate::{state_keys as k, Ctx, Message, Meta};

pub(crate) static RULE: Meta = Meta {
    id: "secret-no-rotation",
    severity: Severity::Low,
    category: FindingCategory::Security,
    summary: "a secret has no rotation",
    source: include_str!("secret_no_rotation.rs"),
};

const WHY: &str = "A credential that never changes stays valid for anyone who ever saw it.";
const ACTION: &str = "Add a rotation schedule (hosted rotation for database credentials), or rotate third-party keys on a calendar and accept them here.";

pub(crate) struct Hit {
    live: bool,
}

pub(crate) fn check<'a>(ctx: &Ctx<'a>) -> Vec<(&'a Resource, Hit)> {
    ctx.of_type(&["AWS::SecretsManager::Secret"])
        .filter_map(|s| {
            if let Some(on) = s.state.get(k::SECRET_ROTATION_ENABLED).and_then(Value::as_bool) {
                return (!on).then_some((s, Hit { live: true }));
            }
            if !s.in_code {
                return None;
            }
            let scheduled = ctx
                .referrers(s)
                .into_iter()
                .any(|(r, p)| r.type_name == "AWS::SecretsManager::RotationSchedule" && p == "SecretId");
            (!scheduled).then_some((s, Hit { live: false }))
        })
        .collect()
}

pub(crate) fn message(r: &Resource, h: &Hit) -> Message {
    let evidence = if h.live {
        format!("{} = false", k::SECRET_ROTATION_ENABLED)
    } else {
        "no RotationSchedule refers to it".to_string()
    };
    Message::new(format!("Secret {} is never rotated", r.label()), evidence).why(WHY, ACTION)
}

#[cfg(test)]
mod tests {
    use crate::testkit::*;

    #[test]
    fn fires_without_rotation() {
        let a = code("AWS::SecretsManager::Secret", "db-creds", "{}");
        let b = live("AWS::SecretsManager::Secret", "oauth", "{}", r#"{"RotationEnabled":false}"#);
        assert_eq!(fired("secret-no-rotation", &map(vec![a, b], vec![])).len(), 2);
    }

    #[test]
    fn silent_with_a_schedule_or_live_rotation() {
        let a = code("AWS::SecretsManager::Secret", "db-creds", "{}");
        let sched = code("AWS::SecretsManager::RotationSchedule", "rot", r#"{"SecretId":{"ref":"AWS::SecretsManager::Secret::db-creds"},"RotationRules":{"AutomaticallyAfterDays":30}}"#);
        let b = live("AWS::SecretsManager::Secret", "other", "{}", r#"{"RotationEnabled":true}"#);
        let unknown = live("AWS::SecretsManager::Secret", "unknown", "{}", "{}");
        assert!(fired("secret-no-rotation", &map(vec![a, sched, b, unknown], vec![])).is_empty());
    }
}
