//! # db-public
//!
//! **What it fires on**: an RDS instance or cluster with `PubliclyAccessible: true` — as
//! declared, or as the account reports it. Code alone is conclusive.
//!
//! **Why it matters**: the database gets a public DNS name resolving to a public IP; only its
//! security group stands between it and every password-guessing bot on the internet.
//!
//! **What to do**: set `PubliclyAccessible: false`, place it in private subnets, and reach it
//! from outside through a bastion/SSM tunnel or an RDS Proxy inside the VPC.
//!
//! **Example**: `aws_db_instance.main` sets `publicly_accessible = true`.
//! (checkov: CKV_AWS_17.)

use surveyor_model::{FindingCategory, Resource, Severity};

use crate::{Ctx, Message, Meta};

pub(crate) static RULE: Meta = Meta {
    id: "db-public",
    severity: Severity::High,
    category: FindingCategory::Security,
    summary: "a database is publicly accessible",
    source: include_str!("db_public.rs"),
};

const WHY: &str = "The database has a public address; only its security group stands between it and the internet.";
const ACTION: &str = "Set PubliclyAccessible to false, keep it in private subnets, and connect through a tunnel or proxy inside the VPC.";

pub(crate) struct Hit;

pub(crate) fn check<'a>(ctx: &Ctx<'a>) -> Vec<(&'a Resource, Hit)> {
    ctx.of_type(&["AWS::RDS::DBInstance", "AWS::RDS::DBCluster"])
        .filter(|r| ctx.flag(r, "PubliclyAccessible") == Some(true))
        .map(|r| (r, Hit))
        .collect()
}

pub(crate) fn message(r: &Resource, _: &Hit) -> Message {
    Message::new(
        format!("Database {} is publicly accessible", r.label()),
        "PubliclyAccessible = true",
    )
    .why(WHY, ACTION)
}

#[cfg(test)]
mod tests {
    use crate::testkit::*;

    #[test]
    fn fires_on_publicly_accessible() {
        let db = code("AWS::RDS::DBInstance", "main", r#"{"PubliclyAccessible":true}"#);
        let found = run("db-public", &map(vec![db], vec![]));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].evidence, "PubliclyAccessible = true");
    }

    #[test]
    fn silent_when_private_or_unset() {
        let a = code("AWS::RDS::DBInstance", "a", r#"{"PubliclyAccessible":false}"#);
        let b = code("AWS::RDS::DBInstance", "b", "{}");
        assert!(fired("db-public", &map(vec![a, b], vec![])).is_empty());
    }
}
