//! ElastiCache replication groups and cache clusters.

use surveyor_model::{Resource, Value};

use crate::pages;
use crate::runtime::{b, n, s, strs, CallError, Rc};
use crate::state_keys as k;

pub async fn collect(rc: &Rc<'_>) -> Result<Vec<Resource>, CallError> {
    let client = aws_sdk_elasticache::Client::new(&rc.config);
    let c = &client;
    let (groups, clusters) = tokio::join!(
        async {
            pages!(
                rc,
                "elasticache",
                "DescribeReplicationGroups",
                c.describe_replication_groups()
            )
        },
        async {
            pages!(
                rc,
                "elasticache",
                "DescribeCacheClusters",
                c.describe_cache_clusters()
            )
        },
    );
    let mut out = Vec::new();
    // Both lists failing is the service failing; one of them is a note.
    let groups = match (groups, &clusters) {
        (Err(e), Err(_)) => return Err(e),
        (Err(e), Ok(_)) => {
            rc.note_failed(&e);
            Vec::new()
        }
        (Ok(g), _) => g,
    };
    for g in groups.iter().flat_map(|p| p.replication_groups()) {
        let Some(id) = g.replication_group_id() else {
            continue;
        };
        let arn = g
            .arn()
            .map(str::to_string)
            .or_else(|| rc.arn_of("AWS::ElastiCache::ReplicationGroup", id));
        let mut r = rc.resource(
            "AWS::ElastiCache::ReplicationGroup",
            arn,
            Some(id.to_string()),
            Some(id.to_string()),
        );
        let a = &mut r.attributes;
        a.insert("ReplicationGroupId".into(), s(id));
        for (key, v) in [
            ("ReplicationGroupDescription", g.description().map(s)),
            ("CacheNodeType", g.cache_node_type().map(s)),
            ("Engine", g.engine().map(s)),
            (
                "TransitEncryptionEnabled",
                g.transit_encryption_enabled().map(b),
            ),
            (
                "AtRestEncryptionEnabled",
                g.at_rest_encryption_enabled().map(b),
            ),
            ("KmsKeyId", g.kms_key_id().map(s)),
            (
                "SnapshotRetentionLimit",
                g.snapshot_retention_limit().map(n),
            ),
            (
                "AutomaticFailoverEnabled",
                g.automatic_failover().map(|x| b(x.as_str() == "enabled")),
            ),
            (
                "MultiAZEnabled",
                g.multi_az().map(|x| b(x.as_str() == "enabled")),
            ),
        ] {
            if let Some(v) = v {
                a.insert(key.into(), v);
            }
        }
        if let Some(st) = g.status() {
            r.state.insert(k::STATUS.into(), s(st));
        }
        r.state
            .insert("MemberClusters".into(), strs(g.member_clusters()));
        out.push(r);
    }
    match clusters {
        Ok(pages) => {
            for cl in pages.iter().flat_map(|p| p.cache_clusters()) {
                let Some(id) = cl.cache_cluster_id() else {
                    continue;
                };
                let arn = cl
                    .arn()
                    .map(str::to_string)
                    .or_else(|| rc.arn_of("AWS::ElastiCache::CacheCluster", id));
                let mut r = rc.resource(
                    "AWS::ElastiCache::CacheCluster",
                    arn,
                    Some(id.to_string()),
                    Some(id.to_string()),
                );
                let a = &mut r.attributes;
                a.insert("ClusterName".into(), s(id));
                for (key, v) in [
                    ("CacheNodeType", cl.cache_node_type().map(s)),
                    ("Engine", cl.engine().map(s)),
                    ("EngineVersion", cl.engine_version().map(s)),
                    ("NumCacheNodes", cl.num_cache_nodes().map(n)),
                    ("CacheSubnetGroupName", cl.cache_subnet_group_name().map(s)),
                    (
                        "VpcSecurityGroupIds",
                        Some(Value::List(
                            cl.security_groups()
                                .iter()
                                .filter_map(|g| g.security_group_id().map(s))
                                .collect(),
                        )),
                    ),
                ] {
                    if let Some(v) = v {
                        a.insert(key.into(), v);
                    }
                }
                if let Some(g) = cl.replication_group_id() {
                    r.state.insert("ReplicationGroupId".into(), s(g));
                }
                if let Some(st) = cl.cache_cluster_status() {
                    r.state.insert(k::STATUS.into(), s(st));
                }
                out.push(r);
            }
        }
        Err(e) => rc.note_failed(&e),
    }
    Ok(out)
}
