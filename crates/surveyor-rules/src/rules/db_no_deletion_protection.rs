//! # db-no-deletion-protection
//!
//! **What it fires on**: an RDS or Neptune cluster, or an RDS instance that is not part of a
//! cluster, without `DeletionProtection: true` (CloudFormation's default is false).
//!
//! **Why it matters**: one mistaken `terraform destroy`, a stack deletion, or a rename that
//! forces replacement deletes the database. Snapshots may save the data; the outage and the
//! restore are still yours.
//!
//! **What to do**: set `DeletionProtection: true` (and in CloudFormation/CDK a `Retain` or
//! `Snapshot` deletion policy). Turning it off becomes a deliberate, reviewable change.
//!
//! **Example**: `rfq-aurora-prod` declares no `deletionProtection`.

use surveyor_model::{FindingCategory, Resource, Severity};

use crate::{Ctx, Message, Meta};

pub(crate) static RULE: Meta = Meta {
    id: "db-no-deletion-protection",
    severity: Severity::Medium,
    category: FindingCategory::Reliability,
    summary: "a database can be deleted without turning protection off first",
    source: include_str!("db_no_deletion_protection.rs"),
};

const WHY: &str = "A mistaken destroy, stack deletion or replacement deletes the database outright.";
const ACTION: &str = "Set DeletionProtection to true (and a Retain/Snapshot deletion policy in CloudFormation).";

pub(crate) struct Hit {
    explicit: bool,
}

pub(crate) fn check<'a>(ctx: &Ctx<'a>) -> Vec<(&'a Resource, Hit)> {
    ctx.of_type(&["AWS::RDS::DBInstance", "AWS::RDS::DBCluster", "AWS::Neptune::DBCluster"])
        .filter(|r| r.type_name != "AWS::RDS::DBInstance" || !(ctx.cluster_member(r) || ctx.read_replica(r)))
        .filter_map(|r| match ctx.flag(r, "DeletionProtection") {
            Some(true) => None,
            Some(false) => Some((r, Hit { explicit: true })),
            None if Ctx::absent_means_default(r) => Some((r, Hit { explicit: false })),
            None => None,
        })
        .collect()
}

pub(crate) fn message(r: &Resource, h: &Hit) -> Message {
    let evidence = if h.explicit {
        "DeletionProtection = false"
    } else {
        "DeletionProtection not set (default false)"
    };
    Message::new(format!("Database {} has no deletion protection", r.label()), evidence).why(WHY, ACTION)
}

#[cfg(test)]
mod tests {
    use crate::testkit::*;

    #[test]
    fn fires_when_unset_or_false() {
        let a = code("AWS::RDS::DBCluster", "aurora", "{}");
        let b = code("AWS::RDS::DBInstance", "pg", r#"{"DeletionProtection":"false"}"#);
        assert_eq!(fired("db-no-deletion-protection", &map(vec![a, b], vec![])).len(), 2);
    }

    #[test]
    fn silent_when_protected_or_judged_on_the_cluster() {
        let a = code("AWS::RDS::DBCluster", "aurora", r#"{"DeletionProtection":true}"#);
        let w = code("AWS::RDS::DBInstance", "w", r#"{"DBClusterIdentifier":{"ref":"AWS::RDS::DBCluster::aurora"}}"#);
        assert!(fired("db-no-deletion-protection", &map(vec![a, w], vec![])).is_empty());
    }
}
