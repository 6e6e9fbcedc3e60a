//! Terraform types and attributes → CloudFormation types and properties, in one table.
//!
//! - The type name comes from the registry (`lookup_terraform`).
//! - [`PROPS`] lists, per Terraform type, the attributes whose CloudFormation name or shape
//!   differs from the default; every other attribute is PascalCased (`engine_version` →
//!   `EngineVersion`), nested blocks included, and `name` becomes the registry's name
//!   property. Extending the mapping is adding a row.
//! - [`FOLDS`] lists Terraform's split-out resources that CloudFormation keeps inside a
//!   parent (bucket notification/versioning/…, security group rules, SQS redrive policy,
//!   EventBridge targets, role policy attachments): they are merged into the parent's
//!   properties.
//! - Types with no CloudFormation equivalent are not resources of the map; they are listed in
//!   one note with counts (a `Terraform::…` pseudo-type would be reported missing from the
//!   account by reconciliation, and no live reader could ever match it).

use std::collections::HashMap;
use surveyor_model::{SortedMap, ValueMap};

use surveyor_model::registry::{self, TypeInfo};
use surveyor_model::{Note, Provenance, Resource, ResourceId, Value};

type Attrs = ValueMap;

/// How one Terraform attribute becomes a CloudFormation property.
#[derive(Clone, Copy)]
pub enum Conv {
    /// Value as is (keys of nested blocks PascalCased).
    Plain,
    /// A JSON document held as a string (`redrive_policy`, `policy`): decoded.
    Json,
    /// A JSON document whose keys are camelCase where CloudFormation uses PascalCase
    /// (`container_definitions`).
    JsonPascal,
    /// A single nested block (Terraform keeps a list of one): the object.
    One,
    /// A property that is not the resource's own configuration, or is secret: dropped.
    Skip,
    /// Anything else.
    With(fn(&Value) -> Value),
}

pub struct TypeMap {
    pub tf: &'static str,
    pub props: &'static [(&'static str, &'static str, Conv)],
    /// Properties made from several attributes, applied after the rest.
    pub post: Option<fn(&Attrs, &mut Attrs)>,
}

use Conv::*;

/// Attributes dropped for every type: identifiers reported elsewhere, provider bookkeeping.
const SKIP_ALWAYS: &[&str] = &[
    "id",
    "arn",
    "tags",
    "tags_all",
    "timeouts",
    "region",
    "force_destroy",
];

pub static PROPS: &[TypeMap] = &[
    TypeMap {
        tf: "aws_sqs_queue",
        props: &[
            ("visibility_timeout_seconds", "VisibilityTimeout", Plain),
            ("message_retention_seconds", "MessageRetentionPeriod", Plain),
            ("max_message_size", "MaximumMessageSize", Plain),
            (
                "receive_wait_time_seconds",
                "ReceiveMessageWaitTimeSeconds",
                Plain,
            ),
            ("redrive_policy", "RedrivePolicy", Json),
            ("redrive_allow_policy", "RedriveAllowPolicy", Json),
            ("policy", "", Skip),
            ("url", "", Skip),
            ("name_prefix", "", Skip),
        ],
        post: None,
    },
    TypeMap {
        tf: "aws_sqs_queue_policy",
        props: &[
            ("queue_url", "Queues", With(one_list)),
            ("policy", "PolicyDocument", Json),
        ],
        post: None,
    },
    TypeMap {
        tf: "aws_sns_topic",
        props: &[
            ("policy", "", Skip),
            ("delivery_policy", "DeliveryPolicy", Json),
        ],
        post: None,
    },
    TypeMap {
        tf: "aws_sns_topic_subscription",
        props: &[
            ("filter_policy", "FilterPolicy", Json),
            ("redrive_policy", "RedrivePolicy", Json),
        ],
        post: None,
    },
    TypeMap {
        tf: "aws_sns_topic_policy",
        props: &[
            ("arn", "Topics", With(one_list)),
            ("policy", "PolicyDocument", Json),
        ],
        post: None,
    },
    TypeMap {
        tf: "aws_s3_bucket",
        props: &[
            ("bucket", "BucketName", Plain),
            (
                "versioning",
                "VersioningConfiguration",
                With(s3_inline_versioning),
            ),
            (
                "server_side_encryption_configuration",
                "BucketEncryption",
                With(s3_encryption),
            ),
            (
                "lifecycle_rule",
                "LifecycleConfiguration",
                With(s3_lifecycle),
            ),
            ("policy", "", Skip),
            ("acl", "", Skip),
            ("bucket_prefix", "", Skip),
            ("bucket_domain_name", "", Skip),
            ("bucket_regional_domain_name", "", Skip),
            ("hosted_zone_id", "", Skip),
        ],
        post: None,
    },
    TypeMap {
        tf: "aws_s3_bucket_policy",
        props: &[("policy", "PolicyDocument", Json)],
        post: None,
    },
    TypeMap {
        tf: "aws_ecs_service",
        props: &[
            ("load_balancer", "LoadBalancers", Plain),
            (
                "network_configuration",
                "NetworkConfiguration",
                With(ecs_network),
            ),
            (
                "deployment_circuit_breaker",
                "DeploymentConfiguration.DeploymentCircuitBreaker",
                One,
            ),
            (
                "deployment_maximum_percent",
                "DeploymentConfiguration.MaximumPercent",
                Plain,
            ),
            (
                "deployment_minimum_healthy_percent",
                "DeploymentConfiguration.MinimumHealthyPercent",
                Plain,
            ),
            ("service_registries", "ServiceRegistries", Plain),
            ("iam_role", "Role", Plain),
            ("wait_for_steady_state", "", Skip),
            ("triggers", "", Skip),
        ],
        post: None,
    },
    TypeMap {
        tf: "aws_ecs_cluster",
        props: &[
            ("setting", "ClusterSettings", Plain),
            // Blocks CloudFormation holds as objects, not lists.
            (
                "configuration",
                "Configuration",
                With(ecs_cluster_configuration),
            ),
        ],
        post: None,
    },
    TypeMap {
        tf: "aws_ecs_task_definition",
        props: &[
            ("container_definitions", "ContainerDefinitions", JsonPascal),
            ("revision", "", Skip),
            ("arn_without_revision", "", Skip),
        ],
        post: None,
    },
    TypeMap {
        tf: "aws_lambda_function",
        props: &[
            ("role", "Role", Plain),
            ("environment", "Environment", One),
            ("vpc_config", "VpcConfig", With(lambda_vpc)),
            ("dead_letter_config", "DeadLetterConfig", One),
            ("tracing_config", "TracingConfig", One),
            ("image_uri", "Code.ImageUri", Plain),
            ("s3_bucket", "Code.S3Bucket", Plain),
            ("s3_key", "Code.S3Key", Plain),
            ("filename", "Code.ZipFile", Skip),
            ("source_code_hash", "", Skip),
            ("source_code_size", "", Skip),
            ("invoke_arn", "", Skip),
            ("qualified_arn", "", Skip),
            ("qualified_invoke_arn", "", Skip),
            ("last_modified", "", Skip),
            ("version", "", Skip),
            ("publish", "", Skip),
            // The provider writes -1 for "no reservation"; CloudFormation leaves it out.
            (
                "reserved_concurrent_executions",
                "ReservedConcurrentExecutions",
                With(|v| match v.as_i64() {
                    Some(-1) => Value::Null,
                    _ => v.clone(),
                }),
            ),
        ],
        post: None,
    },
    TypeMap {
        tf: "aws_lambda_event_source_mapping",
        props: &[
            ("scaling_config", "ScalingConfig", One),
            ("filter_criteria", "FilterCriteria", One),
            ("uuid", "", Skip),
            ("state", "", Skip),
        ],
        post: None,
    },
    TypeMap {
        tf: "aws_lb",
        props: &[
            ("load_balancer_type", "Type", Plain),
            ("internal", "Scheme", With(lb_scheme)),
            ("subnet_mapping", "SubnetMappings", Plain),
            ("access_logs", "", Skip),
            ("dns_name", "", Skip),
            ("zone_id", "", Skip),
            ("arn_suffix", "", Skip),
        ],
        post: None,
    },
    TypeMap {
        tf: "aws_lb_listener",
        props: &[
            ("default_action", "DefaultActions", With(lb_actions)),
            ("certificate_arn", "Certificates", With(certificates)),
        ],
        post: None,
    },
    TypeMap {
        tf: "aws_lb_listener_rule",
        props: &[
            ("action", "Actions", With(lb_actions)),
            ("condition", "Conditions", With(lb_conditions)),
        ],
        post: None,
    },
    TypeMap {
        tf: "aws_lb_target_group",
        props: &[
            ("health_check", "", With(|v| v.clone())),
            // `TargetGroupAttributes` (see `tg_health`).
            ("stickiness", "", Skip),
            ("deregistration_delay", "", Skip),
            ("arn_suffix", "", Skip),
            ("load_balancer_arns", "", Skip),
        ],
        post: Some(tg_health),
    },
    TypeMap {
        tf: "aws_security_group",
        props: &[
            ("description", "GroupDescription", Plain),
            (
                "ingress",
                "SecurityGroupIngress",
                With(|v| sg_rules(v, false)),
            ),
            ("egress", "SecurityGroupEgress", With(|v| sg_rules(v, true))),
            ("revoke_rules_on_delete", "", Skip),
            ("owner_id", "", Skip),
            ("name_prefix", "", Skip),
        ],
        post: None,
    },
    TypeMap {
        tf: "aws_db_instance",
        props: &[
            ("identifier", "DBInstanceIdentifier", Plain),
            ("instance_class", "DBInstanceClass", Plain),
            ("multi_az", "MultiAZ", Plain),
            ("db_subnet_group_name", "DBSubnetGroupName", Plain),
            ("vpc_security_group_ids", "VPCSecurityGroups", Plain),
            ("username", "MasterUsername", Plain),
            ("password", "", Skip),
            ("db_name", "DBName", Plain),
            ("parameter_group_name", "DBParameterGroupName", Plain),
            ("iops", "Iops", Plain),
            ("skip_final_snapshot", "", Skip),
            ("final_snapshot_identifier", "", Skip),
            ("apply_immediately", "", Skip),
            ("endpoint", "", Skip),
            ("address", "", Skip),
            ("hosted_zone_id", "", Skip),
            ("resource_id", "", Skip),
            ("status", "", Skip),
        ],
        post: None,
    },
    TypeMap {
        tf: "aws_rds_cluster",
        props: &[
            ("cluster_identifier", "DBClusterIdentifier", Plain),
            ("db_subnet_group_name", "DBSubnetGroupName", Plain),
            ("vpc_security_group_ids", "VpcSecurityGroupIds", Plain),
            ("master_password", "", Skip),
            (
                "db_cluster_parameter_group_name",
                "DBClusterParameterGroupName",
                Plain,
            ),
            (
                "serverlessv2_scaling_configuration",
                "ServerlessV2ScalingConfiguration",
                One,
            ),
            ("skip_final_snapshot", "", Skip),
            ("apply_immediately", "", Skip),
            ("endpoint", "", Skip),
            ("reader_endpoint", "", Skip),
            ("cluster_resource_id", "", Skip),
        ],
        post: None,
    },
    TypeMap {
        tf: "aws_db_subnet_group",
        props: &[("description", "DBSubnetGroupDescription", Plain)],
        post: None,
    },
    TypeMap {
        tf: "aws_wafv2_web_acl_association",
        props: &[("web_acl_arn", "WebACLArn", Plain)],
        post: None,
    },
    TypeMap {
        tf: "aws_wafv2_web_acl",
        props: &[
            ("rule", "Rules", Plain),
            ("capacity", "", Skip),
            ("lock_token", "", Skip),
        ],
        post: None,
    },
    TypeMap {
        tf: "aws_cloudwatch_metric_alarm",
        props: &[
            ("ok_actions", "OKActions", Plain),
            ("dimensions", "Dimensions", With(dimensions)),
        ],
        post: None,
    },
    TypeMap {
        tf: "aws_scheduler_schedule",
        props: &[
            ("flexible_time_window", "FlexibleTimeWindow", One),
            ("target", "Target", One),
        ],
        post: None,
    },
    TypeMap {
        tf: "aws_cloudwatch_event_rule",
        props: &[
            ("event_pattern", "EventPattern", Json),
            ("is_enabled", "State", With(enabled_state)),
            ("name_prefix", "", Skip),
        ],
        post: None,
    },
    TypeMap {
        tf: "aws_iam_role",
        props: &[
            ("assume_role_policy", "AssumeRolePolicyDocument", Json),
            ("inline_policy", "Policies", With(inline_policies)),
            ("unique_id", "", Skip),
            ("create_date", "", Skip),
            ("force_detach_policies", "", Skip),
            ("name_prefix", "", Skip),
        ],
        post: None,
    },
    TypeMap {
        tf: "aws_iam_role_policy",
        props: &[
            ("role", "Roles", With(one_list)),
            ("policy", "PolicyDocument", Json),
        ],
        post: None,
    },
    TypeMap {
        tf: "aws_iam_policy",
        props: &[
            ("policy", "PolicyDocument", Json),
            ("policy_id", "", Skip),
            ("attachment_count", "", Skip),
        ],
        post: None,
    },
    TypeMap {
        tf: "aws_kms_key",
        props: &[
            ("deletion_window_in_days", "PendingWindowInDays", Plain),
            ("policy", "KeyPolicy", Json),
            ("key_id", "", Skip),
        ],
        post: None,
    },
    TypeMap {
        tf: "aws_kms_alias",
        props: &[("name", "AliasName", Plain), ("target_key_arn", "", Skip)],
        post: None,
    },
    TypeMap {
        tf: "aws_ssm_parameter",
        props: &[("value", "", Skip), ("insecure_value", "Value", Plain)],
        post: Some(ssm_value),
    },
    TypeMap {
        tf: "aws_secretsmanager_secret",
        props: &[("policy", "", Skip), ("recovery_window_in_days", "", Skip)],
        post: None,
    },
    TypeMap {
        tf: "aws_ecr_repository",
        props: &[
            (
                "image_scanning_configuration",
                "ImageScanningConfiguration",
                One,
            ),
            ("encryption_configuration", "EncryptionConfiguration", One),
            ("registry_id", "", Skip),
            ("repository_url", "", Skip),
        ],
        post: None,
    },
    TypeMap {
        tf: "aws_eip",
        props: &[("vpc", "Domain", With(eip_domain))],
        post: None,
    },
    TypeMap {
        tf: "aws_vpn_gateway",
        props: &[
            // Not a property of AWS::EC2::VPNGateway; `Type` (ipsec.1) is implied.
            ("availability_zone", "", Skip),
        ],
        post: Some(|_, out| {
            out.entry("Type".to_string())
                .or_insert_with(|| Value::str("ipsec.1"));
        }),
    },
    TypeMap {
        tf: "aws_dynamodb_table",
        props: &[
            ("attribute", "AttributeDefinitions", With(ddb_attributes)),
            ("hash_key", "", Skip),
            ("range_key", "", Skip),
            ("server_side_encryption", "SSESpecification", With(ddb_sse)),
            (
                "point_in_time_recovery",
                "PointInTimeRecoverySpecification",
                With(ddb_pitr),
            ),
            ("stream_arn", "", Skip),
            ("stream_label", "", Skip),
            // `StreamSpecification`, made from both (see `ddb_keys`).
            ("stream_enabled", "", Skip),
            ("stream_view_type", "", Skip),
        ],
        post: Some(ddb_keys),
    },
    TypeMap {
        tf: "aws_route53_record",
        props: &[
            ("zone_id", "HostedZoneId", Plain),
            ("records", "ResourceRecords", Plain),
            ("ttl", "TTL", Plain),
            ("alias", "AliasTarget", With(r53_alias)),
            ("fqdn", "", Skip),
        ],
        post: None,
    },
    TypeMap {
        tf: "aws_route53_zone",
        props: &[("name_servers", "", Skip), ("zone_id", "", Skip)],
        post: None,
    },
    TypeMap {
        tf: "aws_instance",
        props: &[
            ("ami", "ImageId", Plain),
            ("vpc_security_group_ids", "SecurityGroupIds", Plain),
            ("metadata_options", "MetadataOptions", One),
            ("user_data", "", Skip),
            ("private_ip", "PrivateIpAddress", Plain),
            ("public_ip", "", Skip),
            ("public_dns", "", Skip),
            ("private_dns", "", Skip),
            ("instance_state", "", Skip),
            ("primary_network_interface_id", "", Skip),
        ],
        post: None,
    },
    TypeMap {
        tf: "aws_sfn_state_machine",
        props: &[
            ("definition", "Definition", Json),
            ("status", "", Skip),
            ("creation_date", "", Skip),
        ],
        post: None,
    },
    TypeMap {
        tf: "aws_cloudwatch_log_group",
        props: &[("name_prefix", "", Skip)],
        post: None,
    },
    TypeMap {
        tf: "aws_cloudfront_distribution",
        props: &[
            ("aliases", "DistributionConfig.Aliases", Plain),
            ("enabled", "DistributionConfig.Enabled", Plain),
            ("web_acl_id", "DistributionConfig.WebACLId", Plain),
            ("origin", "DistributionConfig.Origins", With(cf_origins)),
            (
                "default_root_object",
                "DistributionConfig.DefaultRootObject",
                Plain,
            ),
            ("price_class", "DistributionConfig.PriceClass", Plain),
            (
                "default_cache_behavior",
                "DistributionConfig.DefaultCacheBehavior",
                One,
            ),
            (
                "viewer_certificate",
                "DistributionConfig.ViewerCertificate",
                One,
            ),
            ("domain_name", "", Skip),
            ("etag", "", Skip),
            ("status", "", Skip),
            ("hosted_zone_id", "", Skip),
            ("caller_reference", "", Skip),
            ("in_progress_validation_batches", "", Skip),
            ("last_modified_time", "", Skip),
            ("trusted_signers", "", Skip),
            ("trusted_key_groups", "", Skip),
        ],
        post: None,
    },
    TypeMap {
        tf: "aws_apigatewayv2_api",
        props: &[("api_endpoint", "", Skip), ("execution_arn", "", Skip)],
        post: None,
    },
    TypeMap {
        tf: "aws_api_gateway_rest_api",
        props: &[
            ("root_resource_id", "", Skip),
            ("execution_arn", "", Skip),
            ("created_date", "", Skip),
        ],
        post: None,
    },
];

/// A split-out resource merged into its parent.
pub struct Fold {
    pub tf: &'static str,
    /// The attribute naming the parent (by reference, name, id or URL).
    pub parent_attr: &'static str,
    pub parent_tf: &'static [&'static str],
    pub apply: fn(&Attrs, &mut Attrs),
}

pub static FOLDS: &[Fold] = &[
    Fold {
        tf: "aws_s3_bucket_notification",
        parent_attr: "bucket",
        parent_tf: &["aws_s3_bucket"],
        apply: fold_s3_notification,
    },
    Fold {
        tf: "aws_s3_bucket_versioning",
        parent_attr: "bucket",
        parent_tf: &["aws_s3_bucket"],
        apply: fold_s3_versioning,
    },
    Fold {
        tf: "aws_s3_bucket_server_side_encryption_configuration",
        parent_attr: "bucket",
        parent_tf: &["aws_s3_bucket"],
        apply: fold_s3_encryption,
    },
    Fold {
        tf: "aws_s3_bucket_public_access_block",
        parent_attr: "bucket",
        parent_tf: &["aws_s3_bucket"],
        apply: fold_s3_pab,
    },
    Fold {
        tf: "aws_s3_bucket_lifecycle_configuration",
        parent_attr: "bucket",
        parent_tf: &["aws_s3_bucket"],
        apply: fold_s3_lifecycle,
    },
    Fold {
        tf: "aws_security_group_rule",
        parent_attr: "security_group_id",
        parent_tf: &["aws_security_group"],
        apply: fold_sg_rule,
    },
    Fold {
        tf: "aws_vpc_security_group_ingress_rule",
        parent_attr: "security_group_id",
        parent_tf: &["aws_security_group"],
        apply: |c, p| fold_vpc_sg_rule(c, p, false),
    },
    Fold {
        tf: "aws_vpc_security_group_egress_rule",
        parent_attr: "security_group_id",
        parent_tf: &["aws_security_group"],
        apply: |c, p| fold_vpc_sg_rule(c, p, true),
    },
    Fold {
        tf: "aws_sqs_queue_redrive_policy",
        parent_attr: "queue_url",
        parent_tf: &["aws_sqs_queue"],
        apply: |c, p| fold_json(c, p, "redrive_policy", "RedrivePolicy"),
    },
    Fold {
        tf: "aws_sqs_queue_redrive_allow_policy",
        parent_attr: "queue_url",
        parent_tf: &["aws_sqs_queue"],
        apply: |c, p| fold_json(c, p, "redrive_allow_policy", "RedriveAllowPolicy"),
    },
    Fold {
        tf: "aws_cloudwatch_event_target",
        parent_attr: "rule",
        parent_tf: &["aws_cloudwatch_event_rule"],
        apply: fold_event_target,
    },
    Fold {
        tf: "aws_s3_bucket_cors_configuration",
        parent_attr: "bucket",
        parent_tf: &["aws_s3_bucket"],
        apply: fold_s3_cors,
    },
    Fold {
        tf: "aws_s3_bucket_website_configuration",
        parent_attr: "bucket",
        parent_tf: &["aws_s3_bucket"],
        apply: fold_s3_website,
    },
    Fold {
        tf: "aws_s3_bucket_logging",
        parent_attr: "bucket",
        parent_tf: &["aws_s3_bucket"],
        apply: fold_s3_logging,
    },
    Fold {
        tf: "aws_s3_bucket_accelerate_configuration",
        parent_attr: "bucket",
        parent_tf: &["aws_s3_bucket"],
        apply: |c, p| {
            if let Some(st) = get(c, "status") {
                p.insert(
                    "AccelerateConfiguration".into(),
                    Value::Map(Attrs::from([("AccelerationStatus".into(), st.clone())])),
                );
            }
        },
    },
    Fold {
        tf: "aws_s3_bucket_ownership_controls",
        parent_attr: "bucket",
        parent_tf: &["aws_s3_bucket"],
        apply: fold_s3_ownership,
    },
    Fold {
        tf: "aws_s3_bucket_object_lock_configuration",
        parent_attr: "bucket",
        parent_tf: &["aws_s3_bucket"],
        apply: fold_s3_object_lock,
    },
    Fold {
        tf: "aws_s3_bucket_acl",
        parent_attr: "bucket",
        parent_tf: &["aws_s3_bucket"],
        apply: fold_s3_acl,
    },
    // CloudFormation lists a role's managed policies on the role (`ManagedPolicyArns`).
    Fold {
        tf: "aws_iam_role_policy_attachment",
        parent_attr: "role",
        parent_tf: &["aws_iam_role"],
        apply: fold_role_policy_attachment,
    },
];

fn props_index() -> &'static HashMap<&'static str, &'static TypeMap> {
    static I: std::sync::OnceLock<HashMap<&'static str, &'static TypeMap>> =
        std::sync::OnceLock::new();
    I.get_or_init(|| PROPS.iter().map(|t| (t.tf, t)).collect())
}

pub fn fold_of(tf: &str) -> Option<&'static Fold> {
    FOLDS.iter().find(|f| f.tf == tf)
}

/// Types of the registry whose Terraform resource has no `tags` argument: the provider's
/// `default_tags` are not applied to them (the live resource has none).
const UNTAGGED: &[&str] = &[
    "aws_api_gateway_deployment",
    "aws_api_gateway_method",
    "aws_api_gateway_resource",
    "aws_apigatewayv2_integration",
    "aws_apigatewayv2_route",
    "aws_cloudfront_origin_access_control",
    "aws_cloudfront_origin_access_identity",
    "aws_cloudwatch_dashboard",
    "aws_cloudwatch_log_metric_filter",
    "aws_cloudwatch_log_subscription_filter",
    "aws_dynamodb_global_table",
    "aws_iam_role_policy",
    "aws_internet_gateway_attachment",
    "aws_kms_alias",
    "aws_lambda_alias",
    "aws_lambda_function_url",
    "aws_lambda_layer_version",
    "aws_lambda_permission",
    "aws_lambda_version",
    "aws_launch_configuration",
    "aws_route",
    "aws_route53_record",
    "aws_route_table_association",
    "aws_s3_bucket_policy",
    "aws_scheduler_schedule",
    "aws_secretsmanager_secret_rotation",
    "aws_secretsmanager_secret_target_attachment",
    "aws_ses_configuration_set",
    "aws_ses_receipt_rule",
    "aws_ses_receipt_rule_set",
    "aws_sns_topic_policy",
    "aws_sns_topic_subscription",
    "aws_sqs_queue_policy",
    "aws_vpn_gateway_attachment",
    "aws_wafv2_web_acl_association",
];

/// Whether Terraform tags resources of type `tf` (and so merges `default_tags` into them).
pub fn takes_tags(tf: &str) -> bool {
    tf.starts_with("aws_") && fold_of(tf).is_none() && !UNTAGGED.contains(&tf)
}

/// The CloudFormation type a reference to `tf` points at: only types that become resources.
pub fn ref_type(tf: &str) -> Option<&'static str> {
    if fold_of(tf).is_some() {
        return None;
    }
    registry::lookup_terraform(tf).map(|t| t.cfn)
}

/// `visibility_timeout_seconds` → `VisibilityTimeoutSeconds`.
pub fn pascal(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    // Attribute names are ASCII: this runs for every key of every resource.
    if s.is_ascii() {
        let mut up = true;
        for b in s.bytes() {
            if b == b'_' {
                up = true;
            } else {
                out.push(if up { b.to_ascii_uppercase() } else { b } as char);
                up = false;
            }
        }
        return out;
    }
    for part in s.split('_') {
        let mut c = part.chars();
        if let Some(f) = c.next() {
            out.extend(f.to_uppercase());
            out.push_str(c.as_str());
        }
    }
    out
}

/// Nested blocks (lists of objects) get PascalCased keys; plain maps (user data such as
/// `environment.variables` or tags) keep theirs.
fn generic(v: &Value) -> Value {
    match v {
        Value::List(l) if l.iter().any(|x| matches!(x, Value::Map(_))) => Value::List(
            l.iter()
                .map(|x| match x {
                    Value::Map(m) => Value::Map(pascal_map(m)),
                    o => generic(o),
                })
                .collect(),
        ),
        other => other.clone(),
    }
}

fn pascal_map(m: &Attrs) -> Attrs {
    m.iter()
        .filter(|(_, v)| !v.is_null())
        .map(|(k, v)| (pascal(k), generic(v)))
        .collect()
}

fn first_block(v: &Value) -> Option<&Attrs> {
    match v {
        Value::List(l) => l.first().and_then(Value::as_map),
        Value::Map(m) => Some(m),
        _ => None,
    }
}

fn one(v: &Value) -> Value {
    match first_block(v) {
        Some(m) => Value::Map(pascal_map(m)),
        None => v.clone(),
    }
}

fn json(v: &Value) -> Value {
    match v {
        Value::String(s) if s.trim_start().starts_with(['{', '[']) => match serde_json::from_str(s)
        {
            Ok(j) => Value::from_json(j),
            Err(_) => v.clone(),
        },
        other => other.clone(),
    }
}

fn pascal_json(v: &Value, depth: u32) -> Value {
    fn up(k: &str) -> String {
        let mut c = k.chars();
        match c.next() {
            Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
            None => String::new(),
        }
    }
    if depth > 64 {
        return v.clone();
    }
    match v {
        Value::List(l) => Value::List(l.iter().map(|x| pascal_json(x, depth + 1)).collect()),
        Value::Map(m) => Value::Map(
            m.iter()
                .map(|(k, x)| {
                    // Driver options and labels are user keys.
                    let inner = if matches!(k.as_str(), "options" | "dockerLabels") {
                        x.clone()
                    } else {
                        pascal_json(x, depth + 1)
                    };
                    (up(k), inner)
                })
                .collect(),
        ),
        o => o.clone(),
    }
}

/// Insert at a dotted path, merging objects that are already there.
pub fn insert_path(out: &mut Attrs, path: &str, v: Value) {
    match path.split_once('.') {
        None => match out.entry(path.to_string()) {
            surveyor_model::sorted_map::Entry::Occupied(mut e) => match (e.get_mut(), v) {
                (Value::Map(old), Value::Map(new)) => old.extend(new),
                (old, v) => *old = v,
            },
            surveyor_model::sorted_map::Entry::Vacant(e) => {
                e.insert(v);
            }
        },
        Some((head, rest)) => {
            let e = out
                .entry(head.to_string())
                .or_insert_with(|| Value::Map(Attrs::new()));
            if !matches!(e, Value::Map(_)) {
                *e = Value::Map(Attrs::new());
            }
            if let Value::Map(m) = e {
                insert_path(m, rest, v);
            }
        }
    }
}

/// Map Terraform attributes of `tf` onto CloudFormation properties.
pub fn map_attrs(tf: &str, info: Option<&TypeInfo>, attrs: &Attrs) -> Attrs {
    map_attrs_owned(tf, info, attrs.clone())
}

/// [`map_attrs`], moving the values (states hold hundreds of thousands of them).
pub fn map_attrs_owned(tf: &str, info: Option<&TypeInfo>, attrs: Attrs) -> Attrs {
    let tm = props_index().get(tf);
    let raw = tm.and_then(|t| t.post).map(|_| attrs.clone());
    let mut out = Attrs::new();
    for (k, v) in attrs {
        if SKIP_ALWAYS.contains(&k.as_str()) || v.is_null() {
            continue;
        }
        let rule = tm.and_then(|t| t.props.iter().find(|(a, _, _)| *a == k));
        let (path, conv): (std::borrow::Cow<'static, str>, Conv) = match rule {
            Some((_, p, c)) => ((*p).into(), *c),
            None if k == "name" => match info.and_then(|i| i.name_property) {
                Some(p) => (p.into(), Plain),
                None => ("Name".into(), Plain),
            },
            None => (pascal(&k).into(), Plain),
        };
        let was_list = matches!(v, Value::List(_));
        let mapped = match conv {
            Skip => continue,
            Plain => generic_owned(v),
            Json => json(&v),
            JsonPascal => pascal_json(&json(&v), 0),
            One => one(&v),
            With(f) => f(&v),
        };
        if path.is_empty() || mapped.is_null() {
            continue;
        }
        if matches!(&mapped, Value::List(l) if l.is_empty()) && was_list && !matches!(conv, Plain) {
            continue;
        }
        insert_path(&mut out, &path, mapped);
    }
    if let (Some(post), Some(raw)) = (tm.and_then(|t| t.post), raw) {
        post(&raw, &mut out);
    }
    // The provider's schema makes `port = "443"` a number; CloudFormation's ports are too.
    for k in ["Port", "FromPort", "ToPort"] {
        if let Some(v) = out.get_mut(k) {
            if let Some(n) = v.as_str().and_then(|t| t.parse::<i64>().ok()) {
                *v = Value::int(n);
            }
        }
    }
    out
}

fn generic_owned(v: Value) -> Value {
    match v {
        Value::List(l) if l.iter().any(|x| matches!(x, Value::Map(_))) => Value::List(
            l.into_iter()
                .map(|x| match x {
                    Value::Map(m) => Value::Map(
                        m.into_iter()
                            .filter(|(_, v)| !v.is_null())
                            .map(|(k, v)| (pascal(&k), generic_owned(v)))
                            .collect(),
                    ),
                    o => generic_owned(o),
                })
                .collect(),
        ),
        other => other,
    }
}

/// Tags as strings (`tags`, else `tags_all`).
pub fn tags_of(attrs: &Attrs) -> SortedMap<String, String> {
    let t = attrs
        .get("tags")
        .filter(|t| !t.is_null())
        .or_else(|| attrs.get("tags_all"));
    t.and_then(Value::as_map)
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| super::eval::as_string(v).map(|s| (k.clone(), s)))
                .collect()
        })
        .unwrap_or_default()
}

/// A mapped resource before folding, with its Terraform type kept for the fold rules.
pub struct Mapped {
    pub tf_type: String,
    pub raw: Attrs,
    pub res: Resource,
}

/// One Terraform instance → a canonical resource, or `None` for a type the map does not hold.
/// The provider's older names of a type (`aws_alb` is `aws_lb`): mapped by the same rules.
pub fn canonical_tf(tf_type: &str) -> &str {
    match tf_type {
        "aws_alb" => "aws_lb",
        "aws_alb_listener" => "aws_lb_listener",
        "aws_alb_listener_rule" => "aws_lb_listener_rule",
        "aws_alb_target_group" => "aws_lb_target_group",
        "aws_alb_target_group_attachment" => "aws_lb_target_group_attachment",
        "aws_alb_listener_certificate" => "aws_lb_listener_certificate",
        other => other,
    }
}

pub fn map_resource(
    tf_type: &str,
    address: &str,
    attrs: Attrs,
    prov: Provenance,
) -> Option<Mapped> {
    let tf_type = canonical_tf(tf_type);
    let info = registry::lookup_terraform(tf_type);
    let cfn = match (info, fold_of(tf_type)) {
        (_, Some(_)) => "Terraform::Fold",
        (Some(i), None) => i.cfn,
        (None, None) => return None,
    };
    let mut res = Resource::new(ResourceId::of(cfn, address), cfn);
    res.tags = tags_of(&attrs);
    // Only split-out resources need their Terraform attributes later (to find the parent).
    let raw = if cfn == "Terraform::Fold" {
        attrs.clone()
    } else {
        Attrs::new()
    };
    res.attributes = map_attrs_owned(tf_type, info, attrs);
    res.name = info
        .and_then(|i| i.name_property)
        .and_then(|p| res.attributes.get(p))
        .and_then(Value::as_str)
        .map(str::to_string)
        .or_else(|| res.tags.get("Name").cloned());
    res.in_code = true;
    res.code = Some(prov);
    Some(Mapped {
        tf_type: tf_type.to_string(),
        raw,
        res,
    })
}

/// The opposite of folding: what one Terraform resource makes that CloudFormation declares
/// as a resource of its own. `aws_internet_gateway` with `vpc_id` attaches the gateway, which
/// CloudFormation (and the live read) hold as an `AWS::EC2::VPCGatewayAttachment`; without it
/// the live attachment would be unmanaged. Same `file:line` and address as the block.
pub fn implied(m: &Mapped) -> Option<Resource> {
    if m.tf_type != "aws_internet_gateway" {
        return None;
    }
    let vpc = m.res.attributes.get("VpcId")?;
    let ty = "AWS::EC2::VPCGatewayAttachment";
    let address = m.res.code.as_ref()?.address.clone()?;
    let mut r = Resource::new(ResourceId::of(ty, &address), ty);
    r.in_code = true;
    r.code = m.res.code.clone();
    r.region = m.res.region.clone();
    r.account = m.res.account.clone();
    r.attributes
        .insert("InternetGatewayId".into(), Value::Ref(m.res.id.clone()));
    r.attributes.insert("VpcId".into(), vpc.clone());
    Some(r)
}

/// Merge the split-out resources into their parents. Children whose parent is not among
/// `items` are returned in the note's list, not as resources.
pub fn fold_all(items: Vec<Mapped>, notes: &mut Vec<Note>) -> Vec<Mapped> {
    let mut groups = vec![items];
    fold_groups(&mut groups, notes);
    groups.pop().unwrap_or_default()
}

/// [`fold_all`] over resources kept in groups (one per root and document): the whole run's
/// resources are many, and gathering them into one list first would copy them all.
pub fn fold_groups(groups: &mut [Vec<Mapped>], notes: &mut Vec<Note>) {
    let is_child = |m: &Mapped| fold_of(&m.tf_type).is_some();
    if !groups.iter().any(|g| g.iter().any(is_child)) {
        return;
    }
    let mut children = Vec::new();
    for g in groups.iter_mut() {
        if g.iter().any(is_child) {
            let (c, p): (Vec<Mapped>, Vec<Mapped>) =
                std::mem::take(g).into_iter().partition(is_child);
            children.extend(c);
            *g = p;
        }
    }
    let mut by_key: HashMap<String, (usize, usize)> = HashMap::new();
    for (gi, g) in groups.iter().enumerate() {
        for (i, p) in g.iter().enumerate() {
            by_key.insert(format!("id\0{}", p.res.id), (gi, i));
            for k in [&p.res.physical_id, &p.res.arn, &p.res.name]
                .into_iter()
                .flatten()
            {
                by_key
                    .entry(format!("{}\0{}", p.tf_type, k))
                    .or_insert((gi, i));
            }
        }
    }
    let mut orphans = Vec::new();
    for c in children {
        let Some(f) = fold_of(&c.tf_type) else {
            continue;
        };
        let target = match c.raw.get(f.parent_attr) {
            Some(Value::Ref(id)) => by_key.get(&format!("id\0{id}")).copied().and_then(|at| {
                // `bucket = aws_s3_bucket_policy.this.id` names the bucket through another
                // resource of it (the policy's id is the bucket's name): go on to the parent
                // that resource refers to.
                let (gi, i) = at;
                let hop = &groups[gi][i];
                if f.parent_tf.contains(&hop.tf_type.as_str()) {
                    return Some(at);
                }
                hop.res.attributes.values().find_map(|v| match v {
                    Value::Ref(pid) => by_key
                        .get(&format!("id\0{pid}"))
                        .copied()
                        .filter(|(g, j)| f.parent_tf.contains(&groups[*g][*j].tf_type.as_str())),
                    _ => None,
                })
            }),
            Some(Value::String(s)) => f
                .parent_tf
                .iter()
                .find_map(|t| by_key.get(&format!("{t}\0{s}")).copied()),
            _ => None,
        };
        match target.and_then(|(gi, i)| groups.get_mut(gi).and_then(|g| g.get_mut(i))) {
            Some(p) => (f.apply)(&c.raw, &mut p.res.attributes),
            None => orphans.push(c.res.code.and_then(|p| p.address).unwrap_or_default()),
        }
    }
    if !orphans.is_empty() {
        let n = orphans.len();
        orphans.truncate(20);
        notes.push(Note::info(format!(
            "{n} Terraform resources that CloudFormation keeps inside a parent could not be merged into one (the parent is not in the inputs given): {}",
            orphans.join(", ")
        )));
    }
}

// --- conversions

fn one_list(v: &Value) -> Value {
    match v {
        Value::List(_) => v.clone(),
        o => Value::List(vec![o.clone()]),
    }
}

/// A Terraform bool that CloudFormation spells as one of two words; other values as given.
fn bool_as(v: &Value, yes: &str, no: &str) -> Value {
    match v.as_bool() {
        Some(true) => Value::str(yes),
        Some(false) => Value::str(no),
        None => v.clone(),
    }
}

fn lb_scheme(v: &Value) -> Value {
    bool_as(v, "internal", "internet-facing")
}

fn enabled_state(v: &Value) -> Value {
    bool_as(v, "ENABLED", "DISABLED")
}

fn blocks(v: &Value) -> Vec<&Attrs> {
    match v {
        Value::List(l) => l.iter().filter_map(Value::as_map).collect(),
        Value::Map(m) => vec![m],
        _ => Vec::new(),
    }
}

fn get<'a>(m: &'a Attrs, k: &str) -> Option<&'a Value> {
    m.get(k).filter(|v| !v.is_null())
}

fn put(out: &mut Attrs, k: &str, v: Option<&Value>) {
    if let Some(v) = v.filter(|v| !v.is_null() && v.as_str() != Some("")) {
        out.insert(k.to_string(), v.clone());
    }
}

fn ecs_network(v: &Value) -> Value {
    let Some(b) = first_block(v) else {
        return v.clone();
    };
    let mut aws = Attrs::new();
    put(&mut aws, "Subnets", get(b, "subnets"));
    put(&mut aws, "SecurityGroups", get(b, "security_groups"));
    if let Some(p) = get(b, "assign_public_ip") {
        aws.insert(
            "AssignPublicIp".into(),
            match p.as_bool() {
                Some(true) => Value::str("ENABLED"),
                Some(false) => Value::str("DISABLED"),
                None => p.clone(),
            },
        );
    }
    Value::Map(Attrs::from([(
        "AwsvpcConfiguration".to_string(),
        Value::Map(aws),
    )]))
}

fn lambda_vpc(v: &Value) -> Value {
    let Some(b) = first_block(v) else {
        return v.clone();
    };
    let mut out = Attrs::new();
    put(&mut out, "SubnetIds", get(b, "subnet_ids"));
    put(&mut out, "SecurityGroupIds", get(b, "security_group_ids"));
    put(
        &mut out,
        "Ipv6AllowedForDualStack",
        get(b, "ipv6_allowed_for_dual_stack"),
    );
    Value::Map(out)
}

fn lb_actions(v: &Value) -> Value {
    Value::List(
        blocks(v)
            .into_iter()
            .map(|a| {
                let mut o = Attrs::new();
                put(&mut o, "Type", get(a, "type"));
                put(&mut o, "TargetGroupArn", get(a, "target_group_arn"));
                put(&mut o, "Order", get(a, "order"));
                if let Some(f) = get(a, "forward").and_then(first_block) {
                    let tgs: Vec<Value> = get(f, "target_group")
                        .map(blocks)
                        .unwrap_or_default()
                        .into_iter()
                        .map(|t| {
                            let mut x = Attrs::new();
                            put(&mut x, "TargetGroupArn", get(t, "arn"));
                            put(&mut x, "Weight", get(t, "weight"));
                            Value::Map(x)
                        })
                        .collect();
                    o.insert(
                        "ForwardConfig".into(),
                        Value::Map(Attrs::from([(
                            "TargetGroups".to_string(),
                            Value::List(tgs),
                        )])),
                    );
                }
                for (tf, cfn) in [
                    ("redirect", "RedirectConfig"),
                    ("fixed_response", "FixedResponseConfig"),
                    ("authenticate_cognito", "AuthenticateCognitoConfig"),
                    ("authenticate_oidc", "AuthenticateOidcConfig"),
                ] {
                    if let Some(b) = get(a, tf).and_then(first_block) {
                        o.insert(cfn.into(), Value::Map(pascal_map(b)));
                    }
                }
                Value::Map(o)
            })
            .collect(),
    )
}

fn lb_conditions(v: &Value) -> Value {
    let mut out = Vec::new();
    for c in blocks(v) {
        for (tf, field, cfn) in [
            ("path_pattern", "path-pattern", "PathPatternConfig"),
            ("host_header", "host-header", "HostHeaderConfig"),
            (
                "http_request_method",
                "http-request-method",
                "HttpRequestMethodConfig",
            ),
            ("source_ip", "source-ip", "SourceIpConfig"),
            ("http_header", "http-header", "HttpHeaderConfig"),
            ("query_string", "query-string", "QueryStringConfig"),
        ] {
            if let Some(b) = get(c, tf).and_then(first_block) {
                out.push(Value::Map(Attrs::from([
                    ("Field".to_string(), Value::str(field)),
                    (cfn.to_string(), Value::Map(pascal_map(b))),
                ])));
            }
        }
    }
    Value::List(out)
}

fn certificates(v: &Value) -> Value {
    if v.is_null() || v.as_str() == Some("") {
        return Value::Null;
    }
    Value::List(vec![Value::Map(Attrs::from([(
        "CertificateArn".to_string(),
        v.clone(),
    )]))])
}

fn tg_health(raw: &Attrs, out: &mut Attrs) {
    out.remove("");
    // Settings Terraform gives as arguments and blocks are key/value attributes in
    // CloudFormation, all values strings.
    let text = |v: &Value| match v {
        Value::String(_) | Value::Ref(_) | Value::Unresolved(_) => v.clone(),
        other => Value::String(other.display()),
    };
    let mut attrs: Vec<(String, Value)> = Vec::new();
    if let Some(d) = get(raw, "deregistration_delay") {
        attrs.push(("deregistration_delay.timeout_seconds".into(), text(d)));
    }
    if let Some(st) = raw.get("stickiness").and_then(first_block) {
        put_attr(
            &mut attrs,
            "stickiness.enabled",
            get(st, "enabled").map(text),
        );
        let ty = get(st, "type")
            .and_then(Value::as_str)
            .unwrap_or("lb_cookie");
        put_attr(&mut attrs, "stickiness.type", get(st, "type").map(text));
        put_attr(
            &mut attrs,
            &format!("stickiness.{ty}.duration_seconds"),
            get(st, "cookie_duration").map(text),
        );
        put_attr(
            &mut attrs,
            "stickiness.app_cookie.cookie_name",
            get(st, "cookie_name").map(text),
        );
    }
    if !attrs.is_empty() {
        out.insert(
            "TargetGroupAttributes".into(),
            Value::List(
                attrs
                    .into_iter()
                    .map(|(k, v)| {
                        Value::Map(Attrs::from([
                            ("Key".into(), Value::String(k)),
                            ("Value".into(), v),
                        ]))
                    })
                    .collect(),
            ),
        );
    }
    let Some(h) = raw.get("health_check").and_then(first_block) else {
        return;
    };
    for (tf, cfn) in [
        ("path", "HealthCheckPath"),
        ("interval", "HealthCheckIntervalSeconds"),
        ("timeout", "HealthCheckTimeoutSeconds"),
        ("protocol", "HealthCheckProtocol"),
        ("port", "HealthCheckPort"),
        ("enabled", "HealthCheckEnabled"),
        ("healthy_threshold", "HealthyThresholdCount"),
        ("unhealthy_threshold", "UnhealthyThresholdCount"),
    ] {
        put(out, cfn, get(h, tf));
    }
    if let Some(m) = get(h, "matcher") {
        out.insert(
            "Matcher".into(),
            Value::Map(Attrs::from([("HttpCode".to_string(), m.clone())])),
        );
    }
}

fn put_attr(attrs: &mut Vec<(String, Value)>, key: &str, v: Option<Value>) {
    if let Some(v) = v {
        attrs.push((key.to_string(), v));
    }
}

/// Terraform's rule (several sources in one block) → one CloudFormation rule per source.
fn sg_rules(v: &Value, egress: bool) -> Value {
    let mut out = Vec::new();
    for r in blocks(v) {
        let mut common = Attrs::new();
        put(
            &mut common,
            "IpProtocol",
            get(r, "protocol").or_else(|| get(r, "ip_protocol")),
        );
        put(&mut common, "FromPort", get(r, "from_port"));
        put(&mut common, "ToPort", get(r, "to_port"));
        put(&mut common, "Description", get(r, "description"));
        let sg_key = if egress {
            "DestinationSecurityGroupId"
        } else {
            "SourceSecurityGroupId"
        };
        let mut any = false;
        let mut each = |k: &str, src: Option<&Value>| {
            let items: Vec<Value> = match src {
                Some(Value::List(l)) => l.clone(),
                Some(Value::Null) | None => Vec::new(),
                Some(o) => vec![o.clone()],
            };
            for it in items {
                let mut x = common.clone();
                x.insert(k.to_string(), it);
                out.push(Value::Map(x));
                any = true;
            }
        };
        each("CidrIp", get(r, "cidr_blocks"));
        each("CidrIpv6", get(r, "ipv6_cidr_blocks"));
        each(sg_key, get(r, "security_groups"));
        each("SourcePrefixListId", get(r, "prefix_list_ids"));
        if !any {
            out.push(Value::Map(common));
        }
    }
    Value::List(out)
}

fn dimensions(v: &Value) -> Value {
    match v {
        Value::Map(m) => Value::List(
            m.iter()
                .map(|(k, x)| {
                    Value::Map(Attrs::from([
                        ("Name".to_string(), Value::String(k.clone())),
                        ("Value".to_string(), x.clone()),
                    ]))
                })
                .collect(),
        ),
        o => o.clone(),
    }
}

fn inline_policies(v: &Value) -> Value {
    Value::List(
        blocks(v)
            .into_iter()
            .filter(|b| get(b, "name").is_some())
            .map(|b| {
                let mut o = Attrs::new();
                put(&mut o, "PolicyName", get(b, "name"));
                if let Some(p) = get(b, "policy") {
                    o.insert("PolicyDocument".into(), json(p));
                }
                Value::Map(o)
            })
            .collect(),
    )
}

fn ssm_value(raw: &Attrs, out: &mut Attrs) {
    // Only plainly non-secret values are kept.
    let secure = raw.get("type").and_then(Value::as_str) == Some("SecureString");
    if !secure {
        if let Some(v) = raw.get("value").filter(|v| !v.is_null()) {
            out.insert("Value".into(), v.clone());
        }
    }
}

fn ddb_attributes(v: &Value) -> Value {
    Value::List(
        blocks(v)
            .into_iter()
            .map(|b| {
                let mut o = Attrs::new();
                put(&mut o, "AttributeName", get(b, "name"));
                put(&mut o, "AttributeType", get(b, "type"));
                Value::Map(o)
            })
            .collect(),
    )
}

fn ddb_sse(v: &Value) -> Value {
    let Some(b) = first_block(v) else {
        return v.clone();
    };
    let mut o = Attrs::new();
    put(&mut o, "SSEEnabled", get(b, "enabled"));
    put(&mut o, "KMSMasterKeyId", get(b, "kms_key_arn"));
    Value::Map(o)
}

fn ddb_pitr(v: &Value) -> Value {
    let Some(b) = first_block(v) else {
        return v.clone();
    };
    let mut o = Attrs::new();
    put(&mut o, "PointInTimeRecoveryEnabled", get(b, "enabled"));
    Value::Map(o)
}

fn ddb_keys(raw: &Attrs, out: &mut Attrs) {
    let mut ks = Vec::new();
    for (k, t) in [("hash_key", "HASH"), ("range_key", "RANGE")] {
        if let Some(v) = get(raw, k).filter(|v| v.as_str() != Some("")) {
            ks.push(Value::Map(Attrs::from([
                ("AttributeName".to_string(), v.clone()),
                ("KeyType".to_string(), Value::str(t)),
            ])));
        }
    }
    if !ks.is_empty() {
        out.insert("KeySchema".into(), Value::List(ks));
    }
    // A stream is one property in CloudFormation, absent when the stream is off.
    if get(raw, "stream_enabled").and_then(Value::as_bool) == Some(true) {
        let mut spec = Attrs::new();
        put(&mut spec, "StreamViewType", get(raw, "stream_view_type"));
        out.insert("StreamSpecification".into(), Value::Map(spec));
    }
}

/// `vpc = true` (older providers) and `domain = "vpc"` are CloudFormation's `Domain`.
fn eip_domain(v: &Value) -> Value {
    bool_as(v, "vpc", "standard")
}

/// `configuration { execute_command_configuration { log_configuration { … } } }`: blocks
/// CloudFormation holds as objects at every level.
fn ecs_cluster_configuration(v: &Value) -> Value {
    fn objects(v: &Value, depth: u32) -> Value {
        match (first_block(v), depth < 8) {
            (Some(m), true) => Value::Map(
                m.iter()
                    .filter(|(_, x)| !x.is_null())
                    .map(|(k, x)| {
                        let x = match x {
                            Value::List(l) if l.len() == 1 && matches!(l[0], Value::Map(_)) => {
                                objects(x, depth + 1)
                            }
                            other => other.clone(),
                        };
                        (pascal(k), x)
                    })
                    .collect(),
            ),
            _ => v.clone(),
        }
    }
    objects(v, 0)
}

fn r53_alias(v: &Value) -> Value {
    let Some(b) = first_block(v) else {
        return v.clone();
    };
    let mut o = Attrs::new();
    put(&mut o, "DNSName", get(b, "name"));
    put(&mut o, "HostedZoneId", get(b, "zone_id"));
    put(
        &mut o,
        "EvaluateTargetHealth",
        get(b, "evaluate_target_health"),
    );
    Value::Map(o)
}

fn cf_origins(v: &Value) -> Value {
    Value::List(
        blocks(v)
            .into_iter()
            .map(|b| {
                let mut o = pascal_map(b);
                if let Some(id) = o.remove("OriginId") {
                    o.insert("Id".into(), id);
                }
                Value::Map(o)
            })
            .collect(),
    )
}

fn s3_inline_versioning(v: &Value) -> Value {
    let Some(b) = first_block(v) else {
        return Value::Null;
    };
    match get(b, "enabled").and_then(Value::as_bool) {
        Some(true) => Value::Map(Attrs::from([("Status".to_string(), Value::str("Enabled"))])),
        Some(false) => Value::Null,
        None => Value::Null,
    }
}

fn s3_encryption(v: &Value) -> Value {
    let Some(b) = first_block(v) else {
        return Value::Null;
    };
    let rules: Vec<Value> = get(b, "rule")
        .map(blocks)
        .unwrap_or_else(|| vec![b])
        .into_iter()
        .map(|r| {
            let mut o = Attrs::new();
            if let Some(d) = get(r, "apply_server_side_encryption_by_default").and_then(first_block)
            {
                let mut x = Attrs::new();
                put(&mut x, "SSEAlgorithm", get(d, "sse_algorithm"));
                put(&mut x, "KMSMasterKeyID", get(d, "kms_master_key_id"));
                o.insert("ServerSideEncryptionByDefault".into(), Value::Map(x));
            }
            put(&mut o, "BucketKeyEnabled", get(r, "bucket_key_enabled"));
            Value::Map(o)
        })
        .collect();
    if rules.is_empty() {
        return Value::Null;
    }
    Value::Map(Attrs::from([(
        "ServerSideEncryptionConfiguration".to_string(),
        Value::List(rules),
    )]))
}

fn s3_lifecycle(v: &Value) -> Value {
    let rules: Vec<Value> = blocks(v)
        .into_iter()
        .map(|r| {
            let mut o = Attrs::new();
            put(&mut o, "Id", get(r, "id"));
            let status = match get(r, "status").or_else(|| get(r, "enabled")) {
                Some(Value::Bool(true)) => Some(Value::str("Enabled")),
                Some(Value::Bool(false)) => Some(Value::str("Disabled")),
                other => other.cloned(),
            };
            put(&mut o, "Status", status.as_ref());
            put(&mut o, "Prefix", get(r, "prefix"));
            if let Some(f) = get(r, "filter").and_then(first_block) {
                // `filter { and { … } }` holds the same conditions, combined.
                let conds = get(f, "and").and_then(first_block).unwrap_or(f);
                put(
                    &mut o,
                    "Prefix",
                    get(conds, "prefix").or_else(|| get(f, "prefix")),
                );
                put(
                    &mut o,
                    "ObjectSizeGreaterThan",
                    get(conds, "object_size_greater_than"),
                );
                put(
                    &mut o,
                    "ObjectSizeLessThan",
                    get(conds, "object_size_less_than"),
                );
                let mut tags: Vec<Value> = Vec::new();
                if let Some(t) = get(f, "tag").and_then(first_block) {
                    tags.push(Value::Map(Attrs::from([
                        ("Key".into(), get(t, "key").cloned().unwrap_or_default()),
                        ("Value".into(), get(t, "value").cloned().unwrap_or_default()),
                    ])));
                }
                if let Some(Value::Map(m)) = get(conds, "tags") {
                    for (k, v) in m {
                        tags.push(Value::Map(Attrs::from([
                            ("Key".into(), Value::String(k.clone())),
                            ("Value".into(), v.clone()),
                        ])));
                    }
                }
                if !tags.is_empty() {
                    o.insert("TagFilters".into(), Value::List(tags));
                }
            }
            if let Some(e) = get(r, "expiration").and_then(first_block) {
                put(&mut o, "ExpirationInDays", get(e, "days"));
                put(&mut o, "ExpirationDate", get(e, "date"));
                put(
                    &mut o,
                    "ExpiredObjectDeleteMarker",
                    get(e, "expired_object_delete_marker"),
                );
            }
            if let Some(a) = get(r, "abort_incomplete_multipart_upload").and_then(first_block) {
                if let Some(d) = get(a, "days_after_initiation") {
                    o.insert(
                        "AbortIncompleteMultipartUpload".into(),
                        Value::Map(Attrs::from([("DaysAfterInitiation".into(), d.clone())])),
                    );
                }
            }
            if let Some(t) = get(r, "noncurrent_version_transition") {
                let ts: Vec<Value> = blocks(t)
                    .into_iter()
                    .map(|t| {
                        let mut x = Attrs::new();
                        put(&mut x, "StorageClass", get(t, "storage_class"));
                        put(
                            &mut x,
                            "TransitionInDays",
                            get(t, "noncurrent_days").or_else(|| get(t, "days")),
                        );
                        put(
                            &mut x,
                            "NewerNoncurrentVersions",
                            get(t, "newer_noncurrent_versions"),
                        );
                        Value::Map(x)
                    })
                    .collect();
                o.insert("NoncurrentVersionTransitions".into(), Value::List(ts));
            }
            if let Some(e) = get(r, "noncurrent_version_expiration").and_then(first_block) {
                put(
                    &mut o,
                    "NoncurrentVersionExpiration",
                    Some(&Value::Map(Attrs::from([(
                        "NoncurrentDays".to_string(),
                        get(e, "noncurrent_days")
                            .or_else(|| get(e, "days"))
                            .cloned()
                            .unwrap_or_default(),
                    )]))),
                );
            }
            if let Some(t) = get(r, "transition") {
                let ts: Vec<Value> = blocks(t)
                    .into_iter()
                    .map(|t| {
                        let mut x = Attrs::new();
                        put(&mut x, "StorageClass", get(t, "storage_class"));
                        put(&mut x, "TransitionInDays", get(t, "days"));
                        Value::Map(x)
                    })
                    .collect();
                o.insert("Transitions".into(), Value::List(ts));
            }
            Value::Map(o)
        })
        .collect();
    if rules.is_empty() {
        return Value::Null;
    }
    Value::Map(Attrs::from([("Rules".to_string(), Value::List(rules))]))
}

fn fold_s3_notification(c: &Attrs, p: &mut Attrs) {
    let mut nc = Attrs::new();
    for (tf, arn_key, cfn, target) in [
        ("queue", "queue_arn", "QueueConfigurations", "Queue"),
        ("topic", "topic_arn", "TopicConfigurations", "Topic"),
        (
            "lambda_function",
            "lambda_function_arn",
            "LambdaConfigurations",
            "Function",
        ),
    ] {
        let mut list = Vec::new();
        for b in c.get(tf).map(blocks).unwrap_or_default() {
            let events: Vec<Value> = match get(b, "events") {
                Some(Value::List(l)) => l.clone(),
                Some(o) => vec![o.clone()],
                None => Vec::new(),
            };
            let mut rules = Vec::new();
            for (k, name) in [("filter_prefix", "prefix"), ("filter_suffix", "suffix")] {
                if let Some(v) = get(b, k).filter(|v| v.as_str() != Some("")) {
                    rules.push(Value::Map(Attrs::from([
                        ("Name".to_string(), Value::str(name)),
                        ("Value".to_string(), v.clone()),
                    ])));
                }
            }
            for ev in events {
                let mut o = Attrs::new();
                put(&mut o, target, get(b, arn_key));
                o.insert("Event".into(), ev);
                if !rules.is_empty() {
                    o.insert(
                        "Filter".into(),
                        Value::Map(Attrs::from([(
                            "S3Key".to_string(),
                            Value::Map(Attrs::from([(
                                "Rules".to_string(),
                                Value::List(rules.clone()),
                            )])),
                        )])),
                    );
                }
                list.push(Value::Map(o));
            }
        }
        if !list.is_empty() {
            nc.insert(cfn.into(), Value::List(list));
        }
    }
    if get(c, "eventbridge").and_then(Value::as_bool) == Some(true) {
        nc.insert(
            "EventBridgeConfiguration".into(),
            Value::Map(Attrs::from([(
                "EventBridgeEnabled".to_string(),
                Value::Bool(true),
            )])),
        );
    }
    insert_path(p, "NotificationConfiguration", Value::Map(nc));
}

fn fold_s3_versioning(c: &Attrs, p: &mut Attrs) {
    if let Some(b) = c.get("versioning_configuration").and_then(first_block) {
        let mut o = Attrs::new();
        put(&mut o, "Status", get(b, "status"));
        p.insert("VersioningConfiguration".into(), Value::Map(o));
    }
}

fn fold_s3_encryption(c: &Attrs, p: &mut Attrs) {
    let v = s3_encryption(&Value::List(vec![Value::Map(c.clone())]));
    if !v.is_null() {
        p.insert("BucketEncryption".into(), v);
    }
}

fn fold_s3_pab(c: &Attrs, p: &mut Attrs) {
    let mut o = Attrs::new();
    for (tf, cfn) in [
        ("block_public_acls", "BlockPublicAcls"),
        ("block_public_policy", "BlockPublicPolicy"),
        ("ignore_public_acls", "IgnorePublicAcls"),
        ("restrict_public_buckets", "RestrictPublicBuckets"),
    ] {
        put(&mut o, cfn, get(c, tf));
    }
    p.insert("PublicAccessBlockConfiguration".into(), Value::Map(o));
}

fn fold_s3_cors(c: &Attrs, p: &mut Attrs) {
    let rules: Vec<Value> = blocks(c.get("cors_rule").unwrap_or(&Value::Null))
        .into_iter()
        .map(|r| {
            let mut o = Attrs::new();
            for (tf, cfn) in [
                ("allowed_headers", "AllowedHeaders"),
                ("allowed_methods", "AllowedMethods"),
                ("allowed_origins", "AllowedOrigins"),
                ("expose_headers", "ExposedHeaders"),
                ("max_age_seconds", "MaxAge"),
                ("id", "Id"),
            ] {
                put(&mut o, cfn, get(r, tf));
            }
            Value::Map(o)
        })
        .collect();
    if !rules.is_empty() {
        p.insert(
            "CorsConfiguration".into(),
            Value::Map(Attrs::from([("CorsRules".into(), Value::List(rules))])),
        );
    }
}

fn fold_s3_website(c: &Attrs, p: &mut Attrs) {
    let mut o = Attrs::new();
    let first = |k: &str| c.get(k).and_then(first_block);
    put(
        &mut o,
        "IndexDocument",
        first("index_document").and_then(|b| get(b, "suffix")),
    );
    put(
        &mut o,
        "ErrorDocument",
        first("error_document").and_then(|b| get(b, "key")),
    );
    if let Some(r) = first("redirect_all_requests_to") {
        let mut to = Attrs::new();
        put(&mut to, "HostName", get(r, "host_name"));
        put(&mut to, "Protocol", get(r, "protocol"));
        o.insert("RedirectAllRequestsTo".into(), Value::Map(to));
    }
    if !o.is_empty() {
        p.insert("WebsiteConfiguration".into(), Value::Map(o));
    }
}

fn fold_s3_logging(c: &Attrs, p: &mut Attrs) {
    let mut o = Attrs::new();
    put(&mut o, "DestinationBucketName", get(c, "target_bucket"));
    put(&mut o, "LogFilePrefix", get(c, "target_prefix"));
    p.insert("LoggingConfiguration".into(), Value::Map(o));
}

fn fold_s3_ownership(c: &Attrs, p: &mut Attrs) {
    let rules: Vec<Value> = blocks(c.get("rule").unwrap_or(&Value::Null))
        .into_iter()
        .filter_map(|r| get(r, "object_ownership"))
        .map(|o| Value::Map(Attrs::from([("ObjectOwnership".into(), o.clone())])))
        .collect();
    if !rules.is_empty() {
        p.insert(
            "OwnershipControls".into(),
            Value::Map(Attrs::from([("Rules".into(), Value::List(rules))])),
        );
    }
}

fn fold_s3_object_lock(c: &Attrs, p: &mut Attrs) {
    p.insert("ObjectLockEnabled".into(), Value::Bool(true));
    let mut o = Attrs::from([("ObjectLockEnabled".into(), Value::str("Enabled"))]);
    if let Some(r) = c
        .get("rule")
        .and_then(first_block)
        .and_then(|r| r.get("default_retention"))
        .and_then(first_block)
    {
        let mut d = Attrs::new();
        put(&mut d, "Mode", get(r, "mode"));
        put(&mut d, "Days", get(r, "days"));
        put(&mut d, "Years", get(r, "years"));
        o.insert(
            "Rule".into(),
            Value::Map(Attrs::from([("DefaultRetention".into(), Value::Map(d))])),
        );
    }
    p.insert("ObjectLockConfiguration".into(), Value::Map(o));
}

/// A canned ACL (`public-read`) as CloudFormation's `AccessControl` (`PublicRead`).
fn fold_s3_acl(c: &Attrs, p: &mut Attrs) {
    let Some(acl) = get(c, "acl").and_then(Value::as_str) else {
        return;
    };
    let canned: String = acl
        .split('-')
        .map(|w| {
            let mut ch = w.chars();
            ch.next()
                .map(|f| f.to_ascii_uppercase().to_string() + ch.as_str())
                .unwrap_or_default()
        })
        .collect();
    p.insert("AccessControl".into(), Value::String(canned));
}

fn fold_s3_lifecycle(c: &Attrs, p: &mut Attrs) {
    let v = s3_lifecycle(c.get("rule").unwrap_or(&Value::Null));
    if !v.is_null() {
        p.insert("LifecycleConfiguration".into(), v);
    }
}

/// Append folded entries. An entry the state already lists (the same rule, with the id the
/// code refers to by reference) is replaced, so a rule is not counted twice after the join.
fn append(p: &mut Attrs, key: &str, items: Vec<Value>) {
    match p
        .entry(key.to_string())
        .or_insert_with(|| Value::List(Vec::new()))
    {
        Value::List(l) => {
            for it in items {
                l.retain(|old| !same_entry(old, &it));
                l.push(it);
            }
        }
        other => *other = Value::List(items),
    }
}

fn same_entry(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Map(x), Value::Map(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| same_entry(v, w)))
        }
        (Value::Ref(_), Value::String(_)) | (Value::String(_), Value::Ref(_)) => true,
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (x, y) => x == y || (x.as_f64().is_some() && x.as_f64() == y.as_f64()),
    }
}

fn fold_sg_rule(c: &Attrs, p: &mut Attrs) {
    let egress = c.get("type").and_then(Value::as_str) == Some("egress");
    let mut r = c.clone();
    if get(c, "self").and_then(Value::as_bool) == Some(true) {
        if let Some(id) = get(c, "security_group_id") {
            r.insert("security_groups".into(), Value::List(vec![id.clone()]));
        }
    }
    if let Some(s) = get(c, "source_security_group_id") {
        r.insert("security_groups".into(), Value::List(vec![s.clone()]));
    }
    let rules = sg_rules(&Value::List(vec![Value::Map(r)]), egress);
    let key = if egress {
        "SecurityGroupEgress"
    } else {
        "SecurityGroupIngress"
    };
    append(
        p,
        key,
        rules.as_list().map(<[Value]>::to_vec).unwrap_or_default(),
    );
}

fn fold_vpc_sg_rule(c: &Attrs, p: &mut Attrs, egress: bool) {
    let mut o = Attrs::new();
    put(&mut o, "IpProtocol", get(c, "ip_protocol"));
    put(&mut o, "FromPort", get(c, "from_port"));
    put(&mut o, "ToPort", get(c, "to_port"));
    put(&mut o, "Description", get(c, "description"));
    put(&mut o, "CidrIp", get(c, "cidr_ipv4"));
    put(&mut o, "CidrIpv6", get(c, "cidr_ipv6"));
    put(&mut o, "SourcePrefixListId", get(c, "prefix_list_id"));
    let sg_key = if egress {
        "DestinationSecurityGroupId"
    } else {
        "SourceSecurityGroupId"
    };
    put(&mut o, sg_key, get(c, "referenced_security_group_id"));
    let key = if egress {
        "SecurityGroupEgress"
    } else {
        "SecurityGroupIngress"
    };
    append(p, key, vec![Value::Map(o)]);
}

fn fold_json(c: &Attrs, p: &mut Attrs, tf: &str, cfn: &str) {
    if let Some(v) = get(c, tf) {
        p.insert(cfn.into(), json(v));
    }
}

fn fold_role_policy_attachment(c: &Attrs, p: &mut Attrs) {
    let Some(arn) = get(c, "policy_arn") else {
        return;
    };
    match p
        .entry("ManagedPolicyArns".to_string())
        .or_insert_with(|| Value::List(Vec::new()))
    {
        // The role's own `managed_policy_arns` may already name it.
        Value::List(l) if !l.contains(arn) => l.push(arn.clone()),
        Value::List(_) => {}
        other => *other = Value::List(vec![other.clone(), arn.clone()]),
    }
}

fn fold_event_target(c: &Attrs, p: &mut Attrs) {
    let mut o = Attrs::new();
    put(&mut o, "Arn", get(c, "arn"));
    put(&mut o, "Id", get(c, "target_id"));
    put(&mut o, "RoleArn", get(c, "role_arn"));
    put(&mut o, "Input", get(c, "input"));
    put(&mut o, "InputPath", get(c, "input_path"));
    for (tf, cfn) in [
        ("sqs_target", "SqsParameters"),
        ("ecs_target", "EcsParameters"),
        ("dead_letter_config", "DeadLetterConfig"),
        ("retry_policy", "RetryPolicy"),
        ("input_transformer", "InputTransformer"),
        ("kinesis_target", "KinesisParameters"),
    ] {
        if let Some(b) = get(c, tf).and_then(first_block) {
            o.insert(cfn.into(), Value::Map(pascal_map(b)));
        }
    }
    append(p, "Targets", vec![Value::Map(o)]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pascal_cases_snake_names() {
        assert_eq!(
            pascal("visibility_timeout_seconds"),
            "VisibilityTimeoutSeconds"
        );
        assert_eq!(pascal("vpc_id"), "VpcId");
        assert_eq!(pascal("__a_1b"), "A1b");
        assert_eq!(pascal("élan_vital"), "ÉlanVital");
    }

    #[test]
    fn every_table_row_names_a_registered_or_folded_type() {
        for t in PROPS {
            assert!(
                registry::lookup_terraform(t.tf).is_some(),
                "{} not in the registry",
                t.tf
            );
        }
        for f in FOLDS {
            for p in f.parent_tf {
                assert!(registry::lookup_terraform(p).is_some(), "{p}");
            }
        }
    }

    #[test]
    fn queue_attributes_and_json_redrive_map_to_cloudformation() {
        let attrs = Attrs::from([
            ("name".to_string(), Value::str("jobs")),
            ("visibility_timeout_seconds".to_string(), Value::int(600)),
            (
                "redrive_policy".to_string(),
                Value::str(
                    r#"{"deadLetterTargetArn":"arn:aws:sqs:us-east-2:1:dlq","maxReceiveCount":5}"#,
                ),
            ),
        ]);
        let out = map_attrs(
            "aws_sqs_queue",
            registry::lookup_terraform("aws_sqs_queue"),
            &attrs,
        );
        assert_eq!(out["QueueName"], Value::str("jobs"));
        assert_eq!(out["VisibilityTimeout"], Value::int(600));
        assert_eq!(
            out["RedrivePolicy"]
                .pointer("maxReceiveCount")
                .and_then(Value::as_i64),
            Some(5)
        );
    }

    #[test]
    fn one_ingress_block_with_two_sources_is_two_rules() {
        let block = Value::List(vec![Value::Map(Attrs::from([
            ("from_port".to_string(), Value::int(443)),
            ("to_port".to_string(), Value::int(443)),
            ("protocol".to_string(), Value::str("tcp")),
            (
                "cidr_blocks".to_string(),
                Value::List(vec![Value::str("0.0.0.0/0")]),
            ),
            (
                "security_groups".to_string(),
                Value::List(vec![Value::str("sg-1")]),
            ),
        ]))]);
        let rules = sg_rules(&block, false);
        let l = rules.as_list().unwrap();
        assert_eq!(l.len(), 2);
        assert_eq!(
            l[0].pointer("CidrIp").and_then(Value::as_str),
            Some("0.0.0.0/0")
        );
        assert_eq!(
            l[1].pointer("SourceSecurityGroupId")
                .and_then(Value::as_str),
            Some("sg-1")
        );
    }
}
