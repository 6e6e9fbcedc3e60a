//! RDS: DB instances, clusters, subnet groups and proxies. Master credentials are never read
//! (only the user name CloudFormation declares).

use surveyor_model::{Resource, Value};

use crate::pages;
use crate::runtime::{b, n, s, strs, CallError, Rc};
use crate::state_keys as k;

fn put(r: &mut Resource, key: &str, v: Option<Value>) {
    if let Some(v) = v {
        r.attributes.insert(key.to_string(), v);
    }
}

pub async fn collect(rc: &Rc<'_>) -> Result<Vec<Resource>, CallError> {
    let client = aws_sdk_rds::Client::new(&rc.config);
    let c = &client;
    let (instances, clusters, groups, proxies) = tokio::join!(
        async { pages!(rc, "rds", "DescribeDBInstances", c.describe_db_instances()) },
        async { pages!(rc, "rds", "DescribeDBClusters", c.describe_db_clusters()) },
        async {
            pages!(
                rc,
                "rds",
                "DescribeDBSubnetGroups",
                c.describe_db_subnet_groups()
            )
        },
        async { pages!(rc, "rds", "DescribeDBProxies", c.describe_db_proxies()) },
    );
    let instances = instances?;
    let mut out = Vec::new();
    for i in instances.iter().flat_map(|p| p.db_instances()) {
        let Some(id) = i.db_instance_identifier() else {
            continue;
        };
        let arn = i
            .db_instance_arn()
            .map(str::to_string)
            .or_else(|| rc.arn_of("AWS::RDS::DBInstance", id));
        let mut r = rc.resource(
            "AWS::RDS::DBInstance",
            arn,
            Some(id.to_string()),
            Some(id.to_string()),
        );
        put(&mut r, "DBInstanceIdentifier", Some(s(id)));
        put(&mut r, "DBInstanceClass", i.db_instance_class().map(s));
        put(&mut r, "Engine", i.engine().map(s));
        put(&mut r, "EngineVersion", i.engine_version().map(s));
        put(
            &mut r,
            "DBClusterIdentifier",
            i.db_cluster_identifier().map(s),
        );
        put(&mut r, "MultiAZ", i.multi_az().map(b));
        put(&mut r, "PubliclyAccessible", i.publicly_accessible().map(b));
        put(&mut r, "StorageEncrypted", i.storage_encrypted().map(b));
        put(&mut r, "KmsKeyId", i.kms_key_id().map(s));
        put(&mut r, "DeletionProtection", i.deletion_protection().map(b));
        put(
            &mut r,
            "BackupRetentionPeriod",
            i.backup_retention_period().map(n),
        );
        put(
            &mut r,
            "AllocatedStorage",
            i.allocated_storage().map(|a| s(a.to_string())),
        );
        put(&mut r, "StorageType", i.storage_type().map(s));
        put(&mut r, "DBName", i.db_name().map(s));
        put(&mut r, "MasterUsername", i.master_username().map(s));
        put(
            &mut r,
            "DBSubnetGroupName",
            i.db_subnet_group()
                .and_then(|g| g.db_subnet_group_name())
                .map(s),
        );
        put(
            &mut r,
            "VPCSecurityGroups",
            Some(Value::List(
                i.vpc_security_groups()
                    .iter()
                    .filter_map(|g| g.vpc_security_group_id().map(s))
                    .collect(),
            )),
        );
        if let Some(st) = i.db_instance_status() {
            r.state.insert(k::DB_INSTANCE_STATUS.into(), s(st));
        }
        if let Some(e) = i.endpoint() {
            if let Some(addr) = e.address() {
                r.state.insert("Endpoint.Address".into(), s(addr));
            }
            if let Some(p) = e.port() {
                r.state.insert("Endpoint.Port".into(), n(p));
            }
        }
        out.push(r);
    }
    match clusters {
        Ok(pages) => {
            for cl in pages.iter().flat_map(|p| p.db_clusters()) {
                let Some(id) = cl.db_cluster_identifier() else {
                    continue;
                };
                let arn = cl
                    .db_cluster_arn()
                    .map(str::to_string)
                    .or_else(|| rc.arn_of("AWS::RDS::DBCluster", id));
                let mut r = rc.resource(
                    "AWS::RDS::DBCluster",
                    arn,
                    Some(id.to_string()),
                    Some(id.to_string()),
                );
                put(&mut r, "DBClusterIdentifier", Some(s(id)));
                put(&mut r, "Engine", cl.engine().map(s));
                put(&mut r, "EngineVersion", cl.engine_version().map(s));
                put(&mut r, "EngineMode", cl.engine_mode().map(s));
                put(&mut r, "DatabaseName", cl.database_name().map(s));
                put(&mut r, "Port", cl.port().map(n));
                put(&mut r, "StorageEncrypted", cl.storage_encrypted().map(b));
                put(&mut r, "KmsKeyId", cl.kms_key_id().map(s));
                put(
                    &mut r,
                    "DeletionProtection",
                    cl.deletion_protection().map(b),
                );
                put(
                    &mut r,
                    "BackupRetentionPeriod",
                    cl.backup_retention_period().map(n),
                );
                put(&mut r, "DBSubnetGroupName", cl.db_subnet_group().map(s));
                put(&mut r, "MasterUsername", cl.master_username().map(s));
                put(
                    &mut r,
                    "VpcSecurityGroupIds",
                    Some(Value::List(
                        cl.vpc_security_groups()
                            .iter()
                            .filter_map(|g| g.vpc_security_group_id().map(s))
                            .collect(),
                    )),
                );
                if let Some(sc) = cl.serverless_v2_scaling_configuration() {
                    let mut m = surveyor_model::ValueMap::new();
                    if let Some(x) = sc.min_capacity() {
                        m.insert("MinCapacity".to_string(), crate::runtime::f(x));
                    }
                    if let Some(x) = sc.max_capacity() {
                        m.insert("MaxCapacity".to_string(), crate::runtime::f(x));
                    }
                    put(
                        &mut r,
                        "ServerlessV2ScalingConfiguration",
                        Some(Value::Map(m)),
                    );
                }
                if let Some(st) = cl.status() {
                    r.state.insert(k::STATUS.into(), s(st));
                }
                let members: Vec<String> = cl
                    .db_cluster_members()
                    .iter()
                    .filter_map(|m| m.db_instance_identifier().map(str::to_string))
                    .collect();
                r.state.insert("Members".into(), strs(&members));
                if let Some(e) = cl.endpoint() {
                    r.state.insert("Endpoint.Address".into(), s(e));
                }
                out.push(r);
            }
        }
        Err(e) => rc.note_failed(&e),
    }
    match groups {
        Ok(pages) => {
            for g in pages.iter().flat_map(|p| p.db_subnet_groups()) {
                let Some(name) = g.db_subnet_group_name() else {
                    continue;
                };
                let arn = g
                    .db_subnet_group_arn()
                    .map(str::to_string)
                    .or_else(|| rc.arn_of("AWS::RDS::DBSubnetGroup", name));
                let mut r = rc.resource(
                    "AWS::RDS::DBSubnetGroup",
                    arn,
                    Some(name.to_string()),
                    Some(name.to_string()),
                );
                put(&mut r, "DBSubnetGroupName", Some(s(name)));
                put(
                    &mut r,
                    "DBSubnetGroupDescription",
                    g.db_subnet_group_description().map(s),
                );
                put(
                    &mut r,
                    "SubnetIds",
                    Some(Value::List(
                        g.subnets()
                            .iter()
                            .filter_map(|x| x.subnet_identifier().map(s))
                            .collect(),
                    )),
                );
                if let Some(v) = g.vpc_id() {
                    r.state.insert("VpcId".into(), s(v));
                }
                out.push(r);
            }
        }
        Err(e) => rc.note_failed(&e),
    }
    match proxies {
        Ok(pages) => {
            for p in pages.iter().flat_map(|p| p.db_proxies()) {
                let Some(name) = p.db_proxy_name() else {
                    continue;
                };
                let mut r = rc.resource(
                    "AWS::RDS::DBProxy",
                    p.db_proxy_arn().map(str::to_string),
                    Some(name.to_string()),
                    Some(name.to_string()),
                );
                put(&mut r, "DBProxyName", Some(s(name)));
                put(&mut r, "EngineFamily", p.engine_family().map(s));
                put(&mut r, "RoleArn", p.role_arn().map(s));
                put(&mut r, "RequireTLS", p.require_tls().map(b));
                put(&mut r, "VpcSubnetIds", Some(strs(p.vpc_subnet_ids())));
                put(
                    &mut r,
                    "VpcSecurityGroupIds",
                    Some(strs(p.vpc_security_group_ids())),
                );
                put(
                    &mut r,
                    "Auth",
                    Some(Value::List(
                        p.auth()
                            .iter()
                            .map(|a| {
                                crate::runtime::obj([
                                    ("AuthScheme", a.auth_scheme().map(|x| s(x.as_str()))),
                                    ("SecretArn", a.secret_arn().map(s)),
                                    ("IAMAuth", a.iam_auth().map(|x| s(x.as_str()))),
                                ])
                            })
                            .collect(),
                    )),
                );
                if let Some(st) = p.status() {
                    r.state.insert(k::STATUS.into(), s(st.as_str()));
                }
                if let Some(e) = p.endpoint() {
                    r.state.insert("Endpoint".into(), s(e));
                }
                out.push(r);
            }
        }
        Err(e) => rc.note_failed(&e),
    }
    Ok(out)
}
