//! # storage-unencrypted
//!
//! **What it fires on**: data at rest without encryption:
//!
//! - RDS instances (outside clusters) and RDS/Neptune clusters without `StorageEncrypted: true`
//!   (the default is false; Aurora Serverless v1 is always encrypted);
//! - EFS file systems without `Encrypted: true`; ElastiCache replication groups without
//!   `AtRestEncryptionEnabled: true`; OpenSearch domains without
//!   `EncryptionAtRestOptions.Enabled: true`; Kinesis streams without `StreamEncryption`;
//!   EBS volumes (and instance block devices) with `Encrypted: false`;
//! - SNS topics without `KmsMasterKeyId` (SNS has no default encryption);
//! - SQS queues with `SqsManagedSseEnabled: false` and no `KmsMasterKeyId`.
//!
//! Not reported: S3 buckets and SQS queues that leave encryption unset — since 2023 S3
//! encrypts every bucket (SSE-S3) and SQS every new queue (SSE-SQS) by default. checkov's
//! CKV_AWS_19/CKV_AWS_27 still flag those; this rule reports what is actually unencrypted.
//!
//! **Why it matters**: unencrypted storage exposes data through snapshots, backups, disks
//! and shares that leave the account, and fails most compliance baselines. Encryption of an
//! existing RDS or EFS store cannot be switched on in place: it takes a copy and a cut-over.
//!
//! **What to do**: enable encryption (a KMS customer managed key where you need to control
//! access and audit use). For existing databases: snapshot, copy the snapshot encrypted,
//! restore, switch over.
//!
//! **Example**: `aws_db_instance.legacy` has no `storage_encrypted`. (checkov: CKV_AWS_16.)

use surveyor_model::{FindingCategory, Resource, Severity, Value};

use crate::{Ctx, Message, Meta};

pub(crate) static RULE: Meta = Meta {
    id: "storage-unencrypted",
    severity: Severity::Medium,
    category: FindingCategory::Security,
    summary: "a database, bucket, queue, topic or volume is not encrypted at rest",
    source: include_str!("storage_unencrypted.rs"),
};

const WHY: &str = "Unencrypted data leaks through snapshots, backups and disks that leave the account, and fails compliance baselines.";
const ACTION: &str = "Enable encryption at rest (a customer managed KMS key where access must be controlled); existing RDS/EFS stores need a copy and cut-over.";

pub(crate) struct Hit {
    evidence: String,
}

fn not_true(ctx: &Ctx, r: &Resource, path: &str) -> Option<String> {
    match ctx.flag(r, path) {
        Some(true) => None,
        Some(false) => Some(format!("{path} = false")),
        None if matches!(ctx.value(r, path), Some(Value::Unresolved(_))) => None,
        None if !Ctx::absent_means_default(r) => None,
        None => Some(format!("{path} not set (default false)")),
    }
}

fn absent(ctx: &Ctx, r: &Resource, path: &str) -> bool {
    ctx.value(r, path).is_none_or(|v| v.is_null() || v.as_str() == Some(""))
}

fn judge(ctx: &Ctx, r: &Resource) -> Option<String> {
    match r.type_name.as_str() {
        "AWS::RDS::DBInstance" if !ctx.cluster_member(r) && !ctx.read_replica(r) => {
            not_true(ctx, r, "StorageEncrypted")
        }
        "AWS::RDS::DBCluster" | "AWS::Neptune::DBCluster" => {
            let v1 = ctx
                .value(r, "EngineMode")
                .and_then(Value::as_str)
                .is_some_and(|m| m.eq_ignore_ascii_case("serverless"));
            if v1 {
                None
            } else {
                not_true(ctx, r, "StorageEncrypted")
            }
        }
        "AWS::EFS::FileSystem" => not_true(ctx, r, "Encrypted"),
        "AWS::ElastiCache::ReplicationGroup" => not_true(ctx, r, "AtRestEncryptionEnabled"),
        "AWS::OpenSearchService::Domain" => not_true(ctx, r, "EncryptionAtRestOptions.Enabled"),
        "AWS::Kinesis::Stream" => (absent(ctx, r, "StreamEncryption") && Ctx::absent_means_default(r))
            .then(|| "StreamEncryption not set".to_string()),
        "AWS::EC2::Volume" => (ctx.flag(r, "Encrypted") == Some(false)).then(|| "Encrypted = false".to_string()),
        "AWS::EC2::Instance" => {
            let bdm = ctx.value(r, "BlockDeviceMappings").and_then(Value::as_list)?;
            bdm.iter()
                .any(|b| b.pointer("Ebs.Encrypted").and_then(Value::as_bool) == Some(false))
                .then(|| "BlockDeviceMappings.Ebs.Encrypted = false".to_string())
        }
        "AWS::SNS::Topic" => absent(ctx, r, "KmsMasterKeyId").then(|| "KmsMasterKeyId not set".to_string()),
        "AWS::SQS::Queue" => (ctx.flag(r, "SqsManagedSseEnabled") == Some(false)
            && absent(ctx, r, "KmsMasterKeyId"))
        .then(|| "SqsManagedSseEnabled = false and no KmsMasterKeyId".to_string()),
        _ => None,
    }
}

pub(crate) fn check<'a>(ctx: &Ctx<'a>) -> Vec<(&'a Resource, Hit)> {
    ctx.of_type(&[
        "AWS::RDS::DBInstance",
        "AWS::RDS::DBCluster",
        "AWS::Neptune::DBCluster",
        "AWS::EFS::FileSystem",
        "AWS::ElastiCache::ReplicationGroup",
        "AWS::OpenSearchService::Domain",
        "AWS::Kinesis::Stream",
        "AWS::EC2::Volume",
        "AWS::EC2::Instance",
        "AWS::SNS::Topic",
        "AWS::SQS::Queue",
    ])
    .filter_map(|r| judge(ctx, r).map(|evidence| (r, Hit { evidence })))
    .collect()
}

pub(crate) fn message(r: &Resource, h: &Hit) -> Message {
    let m = Message::new(format!("{} is not encrypted at rest", r.label()), h.evidence.clone()).why(WHY, ACTION);
    // A topic carries messages in transit through it, not a store of data.
    if r.type_name == "AWS::SNS::Topic" {
        m.severity(Severity::Low)
    } else {
        m
    }
}

#[cfg(test)]
mod tests {
    use crate::testkit::*;

    #[test]
    fn fires_on_unencrypted_stores() {
        let rds = code("AWS::RDS::DBInstance", "legacy", "{}");
        let efs = code("AWS::EFS::FileSystem", "fs", r#"{"Encrypted":false}"#);
        let topic = code("AWS::SNS::Topic", "t", "{}");
        let q = code("AWS::SQS::Queue", "q", r#"{"SqsManagedSseEnabled":false}"#);
        let found = run("storage-unencrypted", &map(vec![rds, efs, topic, q], vec![]));
        assert_eq!(found.len(), 4, "{found:?}");
    }

    #[test]
    fn silent_on_encrypted_and_default_encrypted_stores() {
        let rds = code("AWS::RDS::DBInstance", "pg", r#"{"StorageEncrypted":true}"#);
        let member = code("AWS::RDS::DBInstance", "w", r#"{"Engine":"aurora-postgresql"}"#);
        let bucket = code("AWS::S3::Bucket", "b", "{}");
        let q = code("AWS::SQS::Queue", "q", "{}");
        let kq = code("AWS::SQS::Queue", "kq", r#"{"SqsManagedSseEnabled":false,"KmsMasterKeyId":"alias/app"}"#);
        let topic = code("AWS::SNS::Topic", "t", r#"{"KmsMasterKeyId":"alias/aws/sns"}"#);
        let m = map(vec![rds, member, bucket, q, kq, topic], vec![]);
        assert!(fired("storage-unencrypted", &m).is_empty());
    }
}
