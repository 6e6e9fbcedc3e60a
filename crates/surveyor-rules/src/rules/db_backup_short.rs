//! # db-backup-short
//!
//! **What it fires on**: an RDS/Neptune cluster, or an RDS instance outside a cluster (not a
//! read replica), whose `BackupRetentionPeriod` is under 7 days — including when it is not
//! set (CloudFormation's default is 1 day).
//!
//! **Why it matters**: point-in-time recovery only reaches back as far as the retention.
//! Data corruption found on Monday from a Friday deploy cannot be undone with one day.
//!
//! **What to do**: set `BackupRetentionPeriod` to at least 7 (14–35 for production data).
//! The storage cost is usually small next to the database itself.
//!
//! **Example**: `aws_db_instance.main` has `backup_retention_period = 1`.

use surveyor_model::{FindingCategory, Resource, Severity, Value};

use crate::{Ctx, Message, Meta};

pub(crate) static RULE: Meta = Meta {
    id: "db-backup-short",
    severity: Severity::Medium,
    category: FindingCategory::Reliability,
    summary: "backup retention under 7 days",
    source: include_str!("db_backup_short.rs"),
};

const WHY: &str = "Point-in-time recovery reaches back only as far as the retention; corruption found late cannot be undone.";
const ACTION: &str = "Set BackupRetentionPeriod to at least 7 days (14–35 for production data).";
const MIN_DAYS: i64 = 7;

pub(crate) struct Hit {
    days: Option<i64>,
}

pub(crate) fn check<'a>(ctx: &Ctx<'a>) -> Vec<(&'a Resource, Hit)> {
    ctx.of_type(&["AWS::RDS::DBInstance", "AWS::RDS::DBCluster", "AWS::Neptune::DBCluster"])
        .filter(|r| r.type_name != "AWS::RDS::DBInstance" || !(ctx.cluster_member(r) || ctx.read_replica(r)))
        .filter_map(|r| match ctx.value(r, "BackupRetentionPeriod") {
            None | Some(Value::Null) if Ctx::absent_means_default(r) => {
                Some((r, Hit { days: None }))
            }
            None | Some(Value::Null) => None,
            Some(v) => {
                let days = v.as_i64()?;
                (days < MIN_DAYS).then_some((r, Hit { days: Some(days) }))
            }
        })
        .collect()
}

pub(crate) fn message(r: &Resource, h: &Hit) -> Message {
    let evidence = match h.days {
        Some(d) => format!("BackupRetentionPeriod = {d}"),
        None => "BackupRetentionPeriod not set (default 1 day)".to_string(),
    };
    Message::new(format!("Database {} keeps backups under {MIN_DAYS} days", r.label()), evidence).why(WHY, ACTION)
}

#[cfg(test)]
mod tests {
    use crate::testkit::*;

    #[test]
    fn fires_on_short_or_default_retention() {
        let a = code("AWS::RDS::DBInstance", "a", r#"{"BackupRetentionPeriod":"1"}"#);
        let b = code("AWS::RDS::DBCluster", "b", "{}");
        let found = run("db-backup-short", &map(vec![a, b], vec![]));
        assert_eq!(found.len(), 2);
        assert!(found.iter().any(|f| f.evidence == "BackupRetentionPeriod = 1"));
    }

    #[test]
    fn silent_at_seven_days_or_unresolved() {
        let a = code("AWS::RDS::DBInstance", "a", r#"{"BackupRetentionPeriod":7}"#);
        let b = code("AWS::RDS::DBCluster", "b", r#"{"BackupRetentionPeriod":{"unresolved":"var.days"}}"#);
        let c = code("AWS::RDS::DBInstance", "c", r#"{"BackupRetentionPeriod":14}"#);
        assert!(fired("db-backup-short", &map(vec![a, b, c], vec![])).is_empty());
    }
}
