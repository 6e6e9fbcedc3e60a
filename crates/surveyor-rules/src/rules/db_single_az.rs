//! # db-single-az
//!
//! **What it fires on**: an RDS instance without `MultiAZ: true` (not part of a cluster, not
//! a read replica), or an Aurora/Neptune cluster with fewer than two instances (or live
//! `MultiAZ = false`). Aurora Serverless v1 is exempt: AWS places it.
//!
//! **Why it matters**: when the one Availability Zone fails — or during maintenance and
//! instance replacement — the database is down until AWS recovers it, often tens of minutes.
//!
//! **What to do**: set `MultiAZ: true` for instances; add a reader instance in another AZ to
//! an Aurora cluster (a Serverless v2 reader can scale to the minimum). Accept it in
//! `.surveyorignore` where the downtime is an explicit cost choice.
//!
//! **Example**: `v1-orcha-db` (db.t4g.medium) runs with `MultiAZ: false`. (checkov: CKV_AWS_157.)

use surveyor_model::{FindingCategory, Resource, Severity, Value};

use crate::{state_keys as k, Ctx, Message, Meta};

pub(crate) static RULE: Meta = Meta {
    id: "db-single-az",
    severity: Severity::Medium,
    category: FindingCategory::Reliability,
    summary: "a database runs in one availability zone",
    source: include_str!("db_single_az.rs"),
};

const WHY: &str = "An Availability Zone outage or maintenance takes the database down until AWS recovers it.";
const ACTION: &str = "Enable MultiAZ on the instance, or add a reader in another AZ to the cluster.";

pub(crate) enum Hit {
    Instance(Option<bool>),
    Cluster(usize),
    ClusterLive,
}

pub(crate) fn check<'a>(ctx: &Ctx<'a>) -> Vec<(&'a Resource, Hit)> {
    let mut out = Vec::new();
    for r in ctx.of_type(&["AWS::RDS::DBInstance", "AWS::RDS::DBCluster", "AWS::Neptune::DBCluster"]) {
        if r.type_name == "AWS::RDS::DBInstance" {
            if ctx.cluster_member(r) || ctx.read_replica(r) {
                continue;
            }
            let multi = r.state.get(k::MULTI_AZ).and_then(Value::as_bool).or(ctx.flag(r, "MultiAZ"));
            if multi != Some(true) && (multi.is_some() || Ctx::absent_means_default(r)) {
                out.push((r, Hit::Instance(multi)));
            }
            continue;
        }
        if ctx
            .value(r, "EngineMode")
            .and_then(Value::as_str)
            .is_some_and(|m| m.eq_ignore_ascii_case("serverless"))
        {
            continue;
        }
        if let Some(multi) = r.state.get(k::MULTI_AZ).and_then(Value::as_bool) {
            if !multi {
                out.push((r, Hit::ClusterLive));
            }
            continue;
        }
        let members = ctx
            .referrers(r)
            .into_iter()
            .filter(|(i, p)| i.type_name.ends_with("::DBInstance") && *p == "DBClusterIdentifier")
            .count();
        // A live cluster whose instances were not collected says nothing.
        if members < 2 && (r.in_code || members > 0) {
            out.push((r, Hit::Cluster(members)));
        }
    }
    out
}

pub(crate) fn message(r: &Resource, h: &Hit) -> Message {
    let evidence = match h {
        Hit::Instance(Some(_)) => "MultiAZ = false".to_string(),
        Hit::Instance(None) => "MultiAZ not set (default false)".to_string(),
        Hit::Cluster(n) => format!("{n} instance(s) in the cluster"),
        Hit::ClusterLive => format!("{} = false", k::MULTI_AZ),
    };
    Message::new(format!("Database {} runs in one AZ", r.label()), evidence).why(WHY, ACTION)
}

#[cfg(test)]
mod tests {
    use crate::testkit::*;

    #[test]
    fn fires_on_single_az_instances_and_one_instance_clusters() {
        let db = code("AWS::RDS::DBInstance", "v1-orcha-db", r#"{"Engine":"postgres"}"#);
        let cluster = code("AWS::RDS::DBCluster", "aurora", r#"{"Engine":"aurora-postgresql"}"#);
        let writer = code("AWS::RDS::DBInstance", "writer", r#"{"Engine":"aurora-postgresql","DBClusterIdentifier":{"ref":"AWS::RDS::DBCluster::aurora"}}"#);
        let found = run("db-single-az", &map(vec![db, cluster, writer], vec![]));
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found.iter().any(|f| f.evidence == "1 instance(s) in the cluster"));
    }

    #[test]
    fn silent_on_multi_az_members_replicas_and_serverless_v1() {
        let db = code("AWS::RDS::DBInstance", "ha", r#"{"MultiAZ":true}"#);
        let replica = code("AWS::RDS::DBInstance", "r", r#"{"SourceDBInstanceIdentifier":"ha"}"#);
        let v1 = code("AWS::RDS::DBCluster", "v1", r#"{"EngineMode":"serverless"}"#);
        let cluster = code("AWS::RDS::DBCluster", "aurora", "{}");
        let w = code("AWS::RDS::DBInstance", "w", r#"{"DBClusterIdentifier":{"ref":"AWS::RDS::DBCluster::aurora"}}"#);
        let rd = code("AWS::RDS::DBInstance", "rd", r#"{"DBClusterIdentifier":{"ref":"AWS::RDS::DBCluster::aurora"}}"#);
        let live_cluster = live("AWS::RDS::DBCluster", "other", "{}", r#"{"MultiAZ":true}"#);
        let m = map(vec![db, replica, v1, cluster, w, rd, live_cluster], vec![]);
        assert!(fired("db-single-az", &m).is_empty());
    }
}
