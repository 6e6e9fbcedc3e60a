//! The type registry: one entry per resource type surveyor knows. Adding a type starts here.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::Category;

/// What CloudFormation's `Ref` returns for a type, which is also the physical id a stack
/// resource carries and what the service's own APIs use to name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhysicalId {
    /// The resource's name (bucket, table, log group, role, …).
    Name,
    /// Its ARN (topic, load balancer, state machine, …).
    Arn,
    /// A URL (SQS queue URL).
    Url,
    /// A service-generated id (`vpc-…`, `sg-…`, `i-…`, key id, zone id).
    Id,
}

#[derive(Debug, Clone, Copy)]
pub struct TypeInfo {
    /// CloudFormation type name, the canonical key.
    pub cfn: &'static str,
    /// Terraform resource types that declare it (the first is the main one).
    pub terraform: &'static [&'static str],
    pub category: Category,
    /// What people call it, for tables and diagrams.
    pub display: &'static str,
    /// The AWS service prefix (as in ARNs and IAM actions).
    pub service: &'static str,
    /// The CloudFormation property that holds the physical name, where one can be set.
    pub name_property: Option<&'static str>,
    pub physical_id: PhysicalId,
    /// ARN template with `{partition}`, `{region}`, `{account}` and `{name}`.
    pub arn: Option<&'static str>,
    /// Properties compared for drift (dotted paths), when the code declares them.
    pub drift: &'static [&'static str],
    /// Global services are read once, not per region.
    pub global: bool,
}

impl TypeInfo {
    /// The ARN of a resource of this type with the given name, when the template allows it.
    pub fn arn_for(
        &self,
        name: &str,
        partition: &str,
        region: &str,
        account: &str,
    ) -> Option<String> {
        let t = self.arn?;
        let name = if self.cfn == "AWS::SSM::Parameter" {
            name.trim_start_matches('/')
        } else {
            name
        };
        Some(
            t.replace("{partition}", partition)
                .replace("{region}", region)
                .replace("{account}", account)
                .replace("{name}", name),
        )
    }

    /// The name inside an ARN of this type (the inverse of [`TypeInfo::arn_for`]).
    pub fn name_from_arn(&self, arn: &str) -> Option<String> {
        let t = self.arn?;
        let prefix_len = t.find("{name}")?;
        let fixed_colons = t[..prefix_len].matches(':').count();
        let slash_tail = t[..prefix_len].rsplit(':').next().unwrap_or("");
        // Skip `fixed_colons` colon-separated fields, then the literal tail (`table/`, …).
        let mut rest = arn;
        for _ in 0..fixed_colons {
            rest = rest.split_once(':')?.1;
        }
        let rest = rest.strip_prefix(slash_tail)?;
        let name = rest.trim_end_matches(":*");
        if self.cfn == "AWS::SSM::Parameter" {
            return Some(format!("/{name}"));
        }
        Some(name.to_string())
    }
}

macro_rules! t {
    ($cfn:literal, [$($tf:literal),*], $cat:ident, $display:literal, $svc:literal, $name:expr, $pid:ident, $arn:expr, [$($d:literal),*]) => {
        TypeInfo {
            cfn: $cfn,
            terraform: &[$($tf),*],
            category: Category::$cat,
            display: $display,
            service: $svc,
            name_property: $name,
            physical_id: PhysicalId::$pid,
            arn: $arn,
            drift: &[$($d),*],
            global: false,
        }
    };
}

const fn global(mut t: TypeInfo) -> TypeInfo {
    t.global = true;
    t
}

/// Every known type. Order is the order tables list them in.
pub static TYPES: &[TypeInfo] = &[
    // --- network
    t!(
        "AWS::EC2::VPC",
        ["aws_vpc"],
        Network,
        "VPC",
        "ec2",
        None,
        Id,
        None,
        [
            "CidrBlock",
            "EnableDnsHostnames",
            "EnableDnsSupport",
            "InstanceTenancy"
        ]
    ),
    t!(
        "AWS::EC2::Subnet",
        ["aws_subnet"],
        Network,
        "Subnet",
        "ec2",
        None,
        Id,
        None,
        [
            "CidrBlock",
            "AvailabilityZone",
            "MapPublicIpOnLaunch",
            "VpcId"
        ]
    ),
    t!(
        "AWS::EC2::RouteTable",
        ["aws_route_table"],
        Network,
        "Route table",
        "ec2",
        None,
        Id,
        None,
        ["VpcId"]
    ),
    t!(
        "AWS::EC2::Route",
        ["aws_route"],
        Network,
        "Route",
        "ec2",
        None,
        Id,
        None,
        ["DestinationCidrBlock", "GatewayId", "NatGatewayId"]
    ),
    t!(
        "AWS::EC2::SubnetRouteTableAssociation",
        ["aws_route_table_association"],
        Network,
        "Route table association",
        "ec2",
        None,
        Id,
        None,
        []
    ),
    t!(
        "AWS::EC2::InternetGateway",
        ["aws_internet_gateway"],
        Network,
        "Internet gateway",
        "ec2",
        None,
        Id,
        None,
        []
    ),
    t!(
        "AWS::EC2::VPCGatewayAttachment",
        [
            "aws_internet_gateway_attachment",
            "aws_vpn_gateway_attachment"
        ],
        Network,
        "Gateway attachment",
        "ec2",
        None,
        Id,
        None,
        []
    ),
    t!(
        "AWS::EC2::NatGateway",
        ["aws_nat_gateway"],
        Network,
        "NAT gateway",
        "ec2",
        None,
        Id,
        None,
        ["ConnectivityType", "SubnetId"]
    ),
    t!(
        "AWS::EC2::VPNGateway",
        ["aws_vpn_gateway"],
        Network,
        "VPN gateway",
        "ec2",
        None,
        Id,
        None,
        []
    ),
    t!(
        "AWS::EC2::CustomerGateway",
        ["aws_customer_gateway"],
        Network,
        "Customer gateway",
        "ec2",
        None,
        Id,
        None,
        ["BgpAsn", "IpAddress"]
    ),
    t!(
        "AWS::EC2::VPNConnection",
        ["aws_vpn_connection"],
        Network,
        "VPN connection",
        "ec2",
        None,
        Id,
        None,
        []
    ),
    t!(
        "AWS::EC2::DHCPOptions",
        ["aws_vpc_dhcp_options"],
        Network,
        "DHCP options",
        "ec2",
        None,
        Id,
        None,
        ["DomainName", "DomainNameServers"]
    ),
    t!(
        "AWS::EC2::VPCDHCPOptionsAssociation",
        ["aws_vpc_dhcp_options_association"],
        Network,
        "DHCP options association",
        "ec2",
        None,
        Id,
        None,
        []
    ),
    t!(
        "AWS::EC2::EIP",
        ["aws_eip"],
        Network,
        "Elastic IP",
        "ec2",
        None,
        Id,
        None,
        ["Domain"]
    ),
    t!(
        "AWS::EC2::SecurityGroup",
        ["aws_security_group"],
        Network,
        "Security group",
        "ec2",
        Some("GroupName"),
        Id,
        None,
        ["GroupDescription", "SecurityGroupIngress", "VpcId"]
    ),
    t!(
        "AWS::EC2::SecurityGroupIngress",
        ["aws_vpc_security_group_ingress_rule"],
        Network,
        "Security group ingress rule",
        "ec2",
        None,
        Id,
        None,
        ["IpProtocol", "FromPort", "ToPort", "CidrIp"]
    ),
    t!(
        "AWS::EC2::SecurityGroupEgress",
        ["aws_vpc_security_group_egress_rule"],
        Network,
        "Security group egress rule",
        "ec2",
        None,
        Id,
        None,
        ["IpProtocol", "FromPort", "ToPort", "CidrIp"]
    ),
    t!(
        "AWS::EC2::VPCEndpoint",
        ["aws_vpc_endpoint"],
        Network,
        "VPC endpoint",
        "ec2",
        None,
        Id,
        None,
        ["ServiceName", "VpcEndpointType"]
    ),
    t!(
        "AWS::EC2::NetworkInterface",
        ["aws_network_interface"],
        Network,
        "Network interface",
        "ec2",
        None,
        Id,
        None,
        []
    ),
    t!(
        "AWS::EC2::NetworkAcl",
        ["aws_network_acl"],
        Network,
        "Network ACL",
        "ec2",
        None,
        Id,
        None,
        []
    ),
    t!(
        "AWS::EC2::FlowLog",
        ["aws_flow_log"],
        Observability,
        "VPC flow log",
        "ec2",
        None,
        Id,
        None,
        ["TrafficType"]
    ),
    t!(
        "AWS::ElasticLoadBalancingV2::LoadBalancer",
        ["aws_lb", "aws_alb"],
        Network,
        "Load balancer",
        "elasticloadbalancing",
        Some("Name"),
        Arn,
        None,
        ["Scheme", "Type", "IpAddressType"]
    ),
    t!(
        "AWS::ElasticLoadBalancingV2::Listener",
        ["aws_lb_listener", "aws_alb_listener"],
        Network,
        "Listener",
        "elasticloadbalancing",
        None,
        Arn,
        None,
        ["Port", "Protocol", "SslPolicy"]
    ),
    t!(
        "AWS::ElasticLoadBalancingV2::ListenerRule",
        ["aws_lb_listener_rule", "aws_alb_listener_rule"],
        Network,
        "Listener rule",
        "elasticloadbalancing",
        None,
        Arn,
        None,
        ["Priority"]
    ),
    t!(
        "AWS::ElasticLoadBalancingV2::TargetGroup",
        ["aws_lb_target_group", "aws_alb_target_group"],
        Network,
        "Target group",
        "elasticloadbalancing",
        Some("Name"),
        Arn,
        None,
        ["Port", "Protocol", "TargetType", "HealthCheckPath"]
    ),
    t!(
        "AWS::ElasticLoadBalancing::LoadBalancer",
        ["aws_elb"],
        Network,
        "Classic load balancer",
        "elasticloadbalancing",
        Some("LoadBalancerName"),
        Name,
        None,
        ["Scheme"]
    ),
    // --- compute
    t!(
        "AWS::EC2::Instance",
        ["aws_instance"],
        Compute,
        "EC2 instance",
        "ec2",
        None,
        Id,
        None,
        [
            "InstanceType",
            "ImageId",
            "SubnetId",
            "MetadataOptions.HttpTokens"
        ]
    ),
    t!(
        "AWS::EC2::LaunchTemplate",
        ["aws_launch_template"],
        Compute,
        "Launch template",
        "ec2",
        Some("LaunchTemplateName"),
        Id,
        None,
        []
    ),
    t!(
        "AWS::AutoScaling::AutoScalingGroup",
        ["aws_autoscaling_group"],
        Compute,
        "Auto Scaling group",
        "autoscaling",
        Some("AutoScalingGroupName"),
        Name,
        None,
        ["MinSize", "MaxSize", "DesiredCapacity"]
    ),
    t!(
        "AWS::AutoScaling::LaunchConfiguration",
        ["aws_launch_configuration"],
        Compute,
        "Launch configuration",
        "autoscaling",
        Some("LaunchConfigurationName"),
        Name,
        None,
        ["InstanceType"]
    ),
    t!(
        "AWS::ECS::Cluster",
        ["aws_ecs_cluster"],
        Compute,
        "ECS cluster",
        "ecs",
        Some("ClusterName"),
        Name,
        Some("arn:{partition}:ecs:{region}:{account}:cluster/{name}"),
        []
    ),
    t!(
        "AWS::ECS::Service",
        ["aws_ecs_service"],
        Compute,
        "ECS service",
        "ecs",
        Some("ServiceName"),
        Arn,
        None,
        ["DesiredCount", "LaunchType", "TaskDefinition"]
    ),
    t!(
        "AWS::ECS::TaskDefinition",
        ["aws_ecs_task_definition"],
        Compute,
        "ECS task definition",
        "ecs",
        Some("Family"),
        Arn,
        None,
        [
            "Cpu",
            "Memory",
            "NetworkMode",
            "RequiresCompatibilities",
            "RuntimePlatform.CpuArchitecture"
        ]
    ),
    t!(
        "AWS::Lambda::Function",
        ["aws_lambda_function"],
        Compute,
        "Lambda function",
        "lambda",
        Some("FunctionName"),
        Name,
        Some("arn:{partition}:lambda:{region}:{account}:function:{name}"),
        [
            "Runtime",
            "MemorySize",
            "Timeout",
            "Architectures",
            "PackageType",
            "Handler"
        ]
    ),
    t!(
        "AWS::Lambda::Alias",
        ["aws_lambda_alias"],
        Compute,
        "Lambda alias",
        "lambda",
        Some("Name"),
        Arn,
        None,
        ["FunctionVersion"]
    ),
    t!(
        "AWS::Lambda::Version",
        ["aws_lambda_version"],
        Compute,
        "Lambda version",
        "lambda",
        None,
        Arn,
        None,
        []
    ),
    t!(
        "AWS::Lambda::LayerVersion",
        ["aws_lambda_layer_version"],
        Compute,
        "Lambda layer",
        "lambda",
        Some("LayerName"),
        Arn,
        None,
        []
    ),
    t!(
        "AWS::Lambda::EventSourceMapping",
        ["aws_lambda_event_source_mapping"],
        Compute,
        "Event source mapping",
        "lambda",
        None,
        Id,
        None,
        ["BatchSize", "Enabled"]
    ),
    t!(
        "AWS::Lambda::Permission",
        ["aws_lambda_permission"],
        Security,
        "Lambda permission",
        "lambda",
        None,
        Id,
        None,
        []
    ),
    t!(
        "AWS::Lambda::Url",
        ["aws_lambda_function_url"],
        Edge,
        "Lambda function URL",
        "lambda",
        None,
        Arn,
        None,
        ["AuthType"]
    ),
    t!(
        "AWS::Batch::JobQueue",
        ["aws_batch_job_queue"],
        Compute,
        "Batch job queue",
        "batch",
        Some("JobQueueName"),
        Arn,
        None,
        []
    ),
    t!(
        "AWS::AppRunner::Service",
        ["aws_apprunner_service"],
        Compute,
        "App Runner service",
        "apprunner",
        Some("ServiceName"),
        Arn,
        None,
        []
    ),
    t!(
        "AWS::EKS::Cluster",
        ["aws_eks_cluster"],
        Compute,
        "EKS cluster",
        "eks",
        Some("Name"),
        Name,
        Some("arn:{partition}:eks:{region}:{account}:cluster/{name}"),
        ["Version"]
    ),
    // --- orchestration
    t!(
        "AWS::StepFunctions::StateMachine",
        ["aws_sfn_state_machine"],
        Orchestration,
        "State machine",
        "states",
        Some("StateMachineName"),
        Arn,
        Some("arn:{partition}:states:{region}:{account}:stateMachine:{name}"),
        ["StateMachineType"]
    ),
    t!(
        "AWS::Events::Rule",
        ["aws_cloudwatch_event_rule"],
        Orchestration,
        "EventBridge rule",
        "events",
        Some("Name"),
        Name,
        Some("arn:{partition}:events:{region}:{account}:rule/{name}"),
        ["ScheduleExpression", "State", "EventPattern"]
    ),
    t!(
        "AWS::Events::EventBus",
        ["aws_cloudwatch_event_bus"],
        Orchestration,
        "Event bus",
        "events",
        Some("Name"),
        Name,
        Some("arn:{partition}:events:{region}:{account}:event-bus/{name}"),
        []
    ),
    t!(
        "AWS::Scheduler::Schedule",
        ["aws_scheduler_schedule"],
        Orchestration,
        "Schedule",
        "scheduler",
        Some("Name"),
        Name,
        None,
        ["ScheduleExpression", "State", "ScheduleExpressionTimezone"]
    ),
    t!(
        "AWS::Scheduler::ScheduleGroup",
        ["aws_scheduler_schedule_group"],
        Orchestration,
        "Schedule group",
        "scheduler",
        Some("Name"),
        Name,
        Some("arn:{partition}:scheduler:{region}:{account}:schedule-group/{name}"),
        []
    ),
    // --- messaging
    t!(
        "AWS::SQS::Queue",
        ["aws_sqs_queue"],
        Messaging,
        "SQS queue",
        "sqs",
        Some("QueueName"),
        Url,
        Some("arn:{partition}:sqs:{region}:{account}:{name}"),
        [
            "VisibilityTimeout",
            "MessageRetentionPeriod",
            "FifoQueue",
            "RedrivePolicy.maxReceiveCount",
            "KmsMasterKeyId",
            "SqsManagedSseEnabled",
            "DelaySeconds"
        ]
    ),
    t!(
        "AWS::SQS::QueuePolicy",
        ["aws_sqs_queue_policy"],
        Security,
        "Queue policy",
        "sqs",
        None,
        Id,
        None,
        []
    ),
    t!(
        "AWS::SNS::Topic",
        ["aws_sns_topic"],
        Messaging,
        "SNS topic",
        "sns",
        Some("TopicName"),
        Arn,
        Some("arn:{partition}:sns:{region}:{account}:{name}"),
        ["FifoTopic", "KmsMasterKeyId"]
    ),
    t!(
        "AWS::SNS::Subscription",
        ["aws_sns_topic_subscription"],
        Messaging,
        "SNS subscription",
        "sns",
        None,
        Arn,
        None,
        ["Protocol", "Endpoint", "RawMessageDelivery"]
    ),
    t!(
        "AWS::SNS::TopicPolicy",
        ["aws_sns_topic_policy"],
        Security,
        "Topic policy",
        "sns",
        None,
        Id,
        None,
        []
    ),
    t!(
        "AWS::Kinesis::Stream",
        ["aws_kinesis_stream"],
        Messaging,
        "Kinesis stream",
        "kinesis",
        Some("Name"),
        Name,
        Some("arn:{partition}:kinesis:{region}:{account}:stream/{name}"),
        ["ShardCount", "RetentionPeriodHours"]
    ),
    t!(
        "AWS::SES::ReceiptRuleSet",
        ["aws_ses_receipt_rule_set"],
        Messaging,
        "SES receipt rule set",
        "ses",
        Some("RuleSetName"),
        Name,
        None,
        []
    ),
    t!(
        "AWS::SES::ReceiptRule",
        ["aws_ses_receipt_rule"],
        Messaging,
        "SES receipt rule",
        "ses",
        None,
        Name,
        None,
        ["Rule.Enabled"]
    ),
    t!(
        "AWS::SES::ConfigurationSet",
        ["aws_ses_configuration_set", "aws_sesv2_configuration_set"],
        Messaging,
        "SES configuration set",
        "ses",
        Some("Name"),
        Name,
        None,
        []
    ),
    // --- data
    t!(
        "AWS::S3::Bucket",
        ["aws_s3_bucket"],
        Data,
        "S3 bucket",
        "s3",
        Some("BucketName"),
        Name,
        Some("arn:{partition}:s3:::{name}"),
        [
            "VersioningConfiguration.Status",
            "BucketEncryption",
            "PublicAccessBlockConfiguration",
            "LifecycleConfiguration"
        ]
    ),
    t!(
        "AWS::S3::BucketPolicy",
        ["aws_s3_bucket_policy"],
        Security,
        "Bucket policy",
        "s3",
        None,
        Id,
        None,
        []
    ),
    t!(
        "AWS::DynamoDB::Table",
        ["aws_dynamodb_table"],
        Data,
        "DynamoDB table",
        "dynamodb",
        Some("TableName"),
        Name,
        Some("arn:{partition}:dynamodb:{region}:{account}:table/{name}"),
        [
            "BillingMode",
            "KeySchema",
            "PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled",
            "SSESpecification.SSEEnabled",
            "StreamSpecification.StreamViewType"
        ]
    ),
    t!(
        "AWS::DynamoDB::GlobalTable",
        ["aws_dynamodb_global_table"],
        Data,
        "DynamoDB global table",
        "dynamodb",
        Some("TableName"),
        Name,
        Some("arn:{partition}:dynamodb:{region}:{account}:table/{name}"),
        ["BillingMode"]
    ),
    t!(
        "AWS::RDS::DBInstance",
        ["aws_db_instance"],
        Data,
        "RDS instance",
        "rds",
        Some("DBInstanceIdentifier"),
        Name,
        Some("arn:{partition}:rds:{region}:{account}:db:{name}"),
        [
            "Engine",
            "EngineVersion",
            "DBInstanceClass",
            "AllocatedStorage",
            "MultiAZ",
            "PubliclyAccessible",
            "StorageEncrypted",
            "BackupRetentionPeriod",
            "DeletionProtection"
        ]
    ),
    t!(
        "AWS::RDS::DBCluster",
        ["aws_rds_cluster"],
        Data,
        "RDS cluster",
        "rds",
        Some("DBClusterIdentifier"),
        Name,
        Some("arn:{partition}:rds:{region}:{account}:cluster:{name}"),
        [
            "Engine",
            "EngineVersion",
            "EngineMode",
            "StorageEncrypted",
            "BackupRetentionPeriod",
            "DeletionProtection",
            "ServerlessV2ScalingConfiguration.MinCapacity",
            "ServerlessV2ScalingConfiguration.MaxCapacity"
        ]
    ),
    t!(
        "AWS::Redshift::Cluster",
        ["aws_redshift_cluster"],
        Data,
        "Redshift cluster",
        "redshift",
        Some("ClusterIdentifier"),
        Name,
        Some("arn:{partition}:redshift:{region}:{account}:cluster:{name}"),
        [
            "NodeType",
            "NumberOfNodes",
            "Encrypted",
            "PubliclyAccessible"
        ]
    ),
    t!(
        "AWS::Redshift::ClusterSubnetGroup",
        ["aws_redshift_subnet_group"],
        Data,
        "Redshift subnet group",
        "redshift",
        None,
        Name,
        Some("arn:{partition}:redshift:{region}:{account}:subnetgroup:{name}"),
        []
    ),
    t!(
        "AWS::RDS::DBSubnetGroup",
        ["aws_db_subnet_group"],
        Data,
        "DB subnet group",
        "rds",
        Some("DBSubnetGroupName"),
        Name,
        Some("arn:{partition}:rds:{region}:{account}:subgrp:{name}"),
        []
    ),
    t!(
        "AWS::RDS::DBParameterGroup",
        ["aws_db_parameter_group"],
        Data,
        "DB parameter group",
        "rds",
        Some("DBParameterGroupName"),
        Name,
        None,
        ["Family"]
    ),
    t!(
        "AWS::RDS::DBClusterParameterGroup",
        ["aws_rds_cluster_parameter_group"],
        Data,
        "DB cluster parameter group",
        "rds",
        Some("DBClusterParameterGroupName"),
        Name,
        None,
        ["Family"]
    ),
    t!(
        "AWS::RDS::DBProxy",
        ["aws_db_proxy"],
        Data,
        "RDS proxy",
        "rds",
        Some("DBProxyName"),
        Name,
        None,
        ["EngineFamily", "RequireTLS"]
    ),
    t!(
        "AWS::ElastiCache::ReplicationGroup",
        ["aws_elasticache_replication_group"],
        Data,
        "ElastiCache replication group",
        "elasticache",
        Some("ReplicationGroupId"),
        Name,
        Some("arn:{partition}:elasticache:{region}:{account}:replicationgroup:{name}"),
        [
            "Engine",
            "EngineVersion",
            "CacheNodeType",
            "AtRestEncryptionEnabled",
            "TransitEncryptionEnabled",
            "AutomaticFailoverEnabled"
        ]
    ),
    t!(
        "AWS::ElastiCache::CacheCluster",
        ["aws_elasticache_cluster"],
        Data,
        "ElastiCache cluster",
        "elasticache",
        Some("ClusterName"),
        Name,
        Some("arn:{partition}:elasticache:{region}:{account}:cluster:{name}"),
        ["Engine", "EngineVersion", "CacheNodeType", "NumCacheNodes"]
    ),
    t!(
        "AWS::ElastiCache::SubnetGroup",
        ["aws_elasticache_subnet_group"],
        Data,
        "Cache subnet group",
        "elasticache",
        Some("CacheSubnetGroupName"),
        Name,
        None,
        []
    ),
    t!(
        "AWS::Neptune::DBCluster",
        ["aws_neptune_cluster"],
        Data,
        "Neptune cluster",
        "rds",
        Some("DBClusterIdentifier"),
        Name,
        Some("arn:{partition}:rds:{region}:{account}:cluster:{name}"),
        [
            "EngineVersion",
            "StorageEncrypted",
            "DeletionProtection",
            "BackupRetentionPeriod"
        ]
    ),
    t!(
        "AWS::Neptune::DBInstance",
        ["aws_neptune_cluster_instance"],
        Data,
        "Neptune instance",
        "rds",
        Some("DBInstanceIdentifier"),
        Name,
        Some("arn:{partition}:rds:{region}:{account}:db:{name}"),
        ["DBInstanceClass"]
    ),
    t!(
        "AWS::OpenSearchService::Domain",
        ["aws_opensearch_domain", "aws_elasticsearch_domain"],
        Data,
        "OpenSearch domain",
        "es",
        Some("DomainName"),
        Name,
        Some("arn:{partition}:es:{region}:{account}:domain/{name}"),
        ["EngineVersion", "EncryptionAtRestOptions.Enabled"]
    ),
    t!(
        "AWS::OpenSearchServerless::Collection",
        ["aws_opensearchserverless_collection"],
        Data,
        "OpenSearch Serverless collection",
        "aoss",
        Some("Name"),
        Id,
        None,
        ["Type"]
    ),
    t!(
        "AWS::EFS::FileSystem",
        ["aws_efs_file_system"],
        Data,
        "EFS file system",
        "elasticfilesystem",
        None,
        Id,
        None,
        ["Encrypted", "PerformanceMode"]
    ),
    // --- edge
    t!(
        "AWS::ApiGateway::RestApi",
        ["aws_api_gateway_rest_api"],
        Edge,
        "REST API",
        "apigateway",
        Some("Name"),
        Id,
        None,
        ["EndpointConfiguration"]
    ),
    t!(
        "AWS::ApiGateway::Stage",
        ["aws_api_gateway_stage"],
        Edge,
        "REST API stage",
        "apigateway",
        Some("StageName"),
        Name,
        None,
        ["TracingEnabled"]
    ),
    t!(
        "AWS::ApiGateway::Deployment",
        ["aws_api_gateway_deployment"],
        Edge,
        "REST API deployment",
        "apigateway",
        None,
        Id,
        None,
        []
    ),
    t!(
        "AWS::ApiGateway::Resource",
        ["aws_api_gateway_resource"],
        Edge,
        "REST API resource",
        "apigateway",
        None,
        Id,
        None,
        ["PathPart"]
    ),
    t!(
        "AWS::ApiGateway::Method",
        ["aws_api_gateway_method"],
        Edge,
        "REST API method",
        "apigateway",
        None,
        Id,
        None,
        ["HttpMethod", "AuthorizationType"]
    ),
    t!(
        "AWS::ApiGatewayV2::Api",
        ["aws_apigatewayv2_api"],
        Edge,
        "HTTP API",
        "apigateway",
        Some("Name"),
        Id,
        None,
        ["ProtocolType"]
    ),
    t!(
        "AWS::ApiGatewayV2::Stage",
        ["aws_apigatewayv2_stage"],
        Edge,
        "HTTP API stage",
        "apigateway",
        Some("StageName"),
        Name,
        None,
        ["AutoDeploy"]
    ),
    t!(
        "AWS::ApiGatewayV2::Integration",
        ["aws_apigatewayv2_integration"],
        Edge,
        "HTTP API integration",
        "apigateway",
        None,
        Id,
        None,
        ["IntegrationType"]
    ),
    t!(
        "AWS::ApiGatewayV2::Route",
        ["aws_apigatewayv2_route"],
        Edge,
        "HTTP API route",
        "apigateway",
        None,
        Id,
        None,
        ["RouteKey"]
    ),
    global(t!(
        "AWS::CloudFront::Distribution",
        ["aws_cloudfront_distribution"],
        Edge,
        "CloudFront distribution",
        "cloudfront",
        None,
        Id,
        None,
        [
            "DistributionConfig.Enabled",
            "DistributionConfig.PriceClass",
            "DistributionConfig.WebACLId"
        ]
    )),
    global(t!(
        "AWS::CloudFront::OriginAccessControl",
        ["aws_cloudfront_origin_access_control"],
        Edge,
        "Origin access control",
        "cloudfront",
        None,
        Id,
        None,
        []
    )),
    global(t!(
        "AWS::CloudFront::CloudFrontOriginAccessIdentity",
        ["aws_cloudfront_origin_access_identity"],
        Edge,
        "Origin access identity",
        "cloudfront",
        None,
        Id,
        None,
        []
    )),
    t!(
        "AWS::WAFv2::WebACL",
        ["aws_wafv2_web_acl"],
        Edge,
        "WAF web ACL",
        "wafv2",
        Some("Name"),
        Arn,
        None,
        ["Scope", "DefaultAction"]
    ),
    t!(
        "AWS::WAFv2::WebACLAssociation",
        ["aws_wafv2_web_acl_association"],
        Edge,
        "WAF association",
        "wafv2",
        None,
        Id,
        None,
        []
    ),
    global(t!(
        "AWS::Route53::HostedZone",
        ["aws_route53_zone"],
        Edge,
        "Hosted zone",
        "route53",
        Some("Name"),
        Id,
        None,
        []
    )),
    global(t!(
        "AWS::Route53::RecordSet",
        ["aws_route53_record"],
        Edge,
        "DNS record",
        "route53",
        Some("Name"),
        Name,
        None,
        ["Type", "TTL", "ResourceRecords", "AliasTarget.DNSName"]
    )),
    t!(
        "AWS::CertificateManager::Certificate",
        ["aws_acm_certificate"],
        Edge,
        "ACM certificate",
        "acm",
        None,
        Arn,
        None,
        ["DomainName", "ValidationMethod"]
    ),
    // --- security
    t!(
        "AWS::KMS::Key",
        ["aws_kms_key"],
        Security,
        "KMS key",
        "kms",
        None,
        Id,
        None,
        ["EnableKeyRotation", "KeySpec", "KeyUsage", "Enabled"]
    ),
    t!(
        "AWS::KMS::Alias",
        ["aws_kms_alias"],
        Security,
        "KMS alias",
        "kms",
        Some("AliasName"),
        Name,
        Some("arn:{partition}:kms:{region}:{account}:{name}"),
        []
    ),
    t!(
        "AWS::SecretsManager::Secret",
        ["aws_secretsmanager_secret"],
        Security,
        "Secret",
        "secretsmanager",
        Some("Name"),
        Arn,
        None,
        ["KmsKeyId"]
    ),
    t!(
        "AWS::SecretsManager::RotationSchedule",
        ["aws_secretsmanager_secret_rotation"],
        Security,
        "Secret rotation",
        "secretsmanager",
        None,
        Id,
        None,
        [
            "RotationRules.AutomaticallyAfterDays",
            "RotationRules.ScheduleExpression"
        ]
    ),
    t!(
        "AWS::SecretsManager::SecretTargetAttachment",
        ["aws_secretsmanager_secret_target_attachment"],
        Security,
        "Secret attachment",
        "secretsmanager",
        None,
        Id,
        None,
        []
    ),
    t!(
        "AWS::SSM::Parameter",
        ["aws_ssm_parameter"],
        Security,
        "SSM parameter",
        "ssm",
        Some("Name"),
        Name,
        Some("arn:{partition}:ssm:{region}:{account}:parameter/{name}"),
        ["Type", "Tier"]
    ),
    global(t!(
        "AWS::IAM::Role",
        ["aws_iam_role"],
        Security,
        "IAM role",
        "iam",
        Some("RoleName"),
        Name,
        Some("arn:{partition}:iam::{account}:role/{name}"),
        ["AssumeRolePolicyDocument", "MaxSessionDuration"]
    )),
    global(t!(
        "AWS::IAM::Policy",
        ["aws_iam_role_policy"],
        Security,
        "IAM inline policy",
        "iam",
        Some("PolicyName"),
        Id,
        None,
        []
    )),
    global(t!(
        "AWS::IAM::ManagedPolicy",
        ["aws_iam_policy"],
        Security,
        "IAM managed policy",
        "iam",
        Some("ManagedPolicyName"),
        Arn,
        Some("arn:{partition}:iam::{account}:policy/{name}"),
        []
    )),
    global(t!(
        "AWS::IAM::InstanceProfile",
        ["aws_iam_instance_profile"],
        Security,
        "Instance profile",
        "iam",
        Some("InstanceProfileName"),
        Name,
        Some("arn:{partition}:iam::{account}:instance-profile/{name}"),
        []
    )),
    global(t!(
        "AWS::IAM::User",
        ["aws_iam_user"],
        Security,
        "IAM user",
        "iam",
        Some("UserName"),
        Name,
        Some("arn:{partition}:iam::{account}:user/{name}"),
        []
    )),
    global(t!(
        "AWS::IAM::OIDCProvider",
        ["aws_iam_openid_connect_provider"],
        Security,
        "OIDC provider",
        "iam",
        None,
        Arn,
        None,
        ["Url"]
    )),
    t!(
        "AWS::Cognito::UserPool",
        ["aws_cognito_user_pool"],
        Security,
        "Cognito user pool",
        "cognito-idp",
        Some("UserPoolName"),
        Id,
        None,
        []
    ),
    // --- observability
    t!(
        "AWS::CloudWatch::Alarm",
        ["aws_cloudwatch_metric_alarm"],
        Observability,
        "CloudWatch alarm",
        "cloudwatch",
        Some("AlarmName"),
        Name,
        Some("arn:{partition}:cloudwatch:{region}:{account}:alarm:{name}"),
        [
            "MetricName",
            "Namespace",
            "Threshold",
            "ComparisonOperator",
            "EvaluationPeriods",
            "Period",
            "Statistic"
        ]
    ),
    t!(
        "AWS::CloudWatch::CompositeAlarm",
        ["aws_cloudwatch_composite_alarm"],
        Observability,
        "Composite alarm",
        "cloudwatch",
        Some("AlarmName"),
        Name,
        Some("arn:{partition}:cloudwatch:{region}:{account}:alarm:{name}"),
        ["AlarmRule"]
    ),
    t!(
        "AWS::CloudWatch::Dashboard",
        ["aws_cloudwatch_dashboard"],
        Observability,
        "Dashboard",
        "cloudwatch",
        Some("DashboardName"),
        Name,
        None,
        []
    ),
    t!(
        "AWS::Logs::LogGroup",
        ["aws_cloudwatch_log_group"],
        Observability,
        "Log group",
        "logs",
        Some("LogGroupName"),
        Name,
        Some("arn:{partition}:logs:{region}:{account}:log-group:{name}"),
        ["RetentionInDays", "KmsKeyId"]
    ),
    t!(
        "AWS::Logs::MetricFilter",
        ["aws_cloudwatch_log_metric_filter"],
        Observability,
        "Metric filter",
        "logs",
        Some("FilterName"),
        Name,
        None,
        ["FilterPattern"]
    ),
    t!(
        "AWS::Logs::SubscriptionFilter",
        ["aws_cloudwatch_log_subscription_filter"],
        Observability,
        "Subscription filter",
        "logs",
        Some("FilterName"),
        Name,
        None,
        []
    ),
    global(t!(
        "AWS::Budgets::Budget",
        ["aws_budgets_budget"],
        Observability,
        "Budget",
        "budgets",
        None,
        Name,
        None,
        []
    )),
    // --- delivery
    t!(
        "AWS::ECR::Repository",
        ["aws_ecr_repository"],
        Delivery,
        "ECR repository",
        "ecr",
        Some("RepositoryName"),
        Name,
        Some("arn:{partition}:ecr:{region}:{account}:repository/{name}"),
        [
            "ImageScanningConfiguration.ScanOnPush",
            "ImageTagMutability",
            "EncryptionConfiguration.EncryptionType"
        ]
    ),
    t!(
        "AWS::CodePipeline::Pipeline",
        ["aws_codepipeline"],
        Delivery,
        "CodePipeline",
        "codepipeline",
        Some("Name"),
        Name,
        Some("arn:{partition}:codepipeline:{region}:{account}:{name}"),
        []
    ),
    t!(
        "AWS::CodeBuild::Project",
        ["aws_codebuild_project"],
        Delivery,
        "CodeBuild project",
        "codebuild",
        Some("Name"),
        Name,
        Some("arn:{partition}:codebuild:{region}:{account}:project/{name}"),
        ["Environment.Image", "Environment.ComputeType"]
    ),
    t!(
        "AWS::CodeDeploy::Application",
        ["aws_codedeploy_app"],
        Delivery,
        "CodeDeploy application",
        "codedeploy",
        Some("ApplicationName"),
        Name,
        None,
        ["ComputePlatform"]
    ),
    t!(
        "AWS::CodeDeploy::DeploymentGroup",
        ["aws_codedeploy_deployment_group"],
        Delivery,
        "CodeDeploy deployment group",
        "codedeploy",
        Some("DeploymentGroupName"),
        Name,
        None,
        ["DeploymentConfigName"]
    ),
    t!(
        "AWS::CodeStarConnections::Connection",
        ["aws_codestarconnections_connection"],
        Delivery,
        "CodeStar connection",
        "codestar-connections",
        Some("ConnectionName"),
        Arn,
        None,
        []
    ),
    // --- other
    t!(
        "AWS::CloudFormation::Stack",
        ["aws_cloudformation_stack"],
        Other,
        "Nested stack",
        "cloudformation",
        None,
        Arn,
        None,
        []
    ),
    t!(
        "AWS::CDK::Metadata",
        [],
        Other,
        "CDK metadata",
        "cloudformation",
        None,
        Id,
        None,
        []
    ),
];

fn by_cfn() -> &'static HashMap<&'static str, &'static TypeInfo> {
    static M: OnceLock<HashMap<&'static str, &'static TypeInfo>> = OnceLock::new();
    M.get_or_init(|| TYPES.iter().map(|t| (t.cfn, t)).collect())
}

fn by_tf() -> &'static HashMap<&'static str, &'static TypeInfo> {
    static M: OnceLock<HashMap<&'static str, &'static TypeInfo>> = OnceLock::new();
    M.get_or_init(|| {
        TYPES
            .iter()
            .flat_map(|t| t.terraform.iter().map(move |tf| (*tf, t)))
            .collect()
    })
}

/// The registry entry of a CloudFormation type.
pub fn lookup(cfn_type: &str) -> Option<&'static TypeInfo> {
    by_cfn().get(cfn_type).copied()
}

/// The registry entry a Terraform resource type maps onto.
pub fn lookup_terraform(tf_type: &str) -> Option<&'static TypeInfo> {
    by_tf().get(tf_type).copied()
}

/// Types that have no name of their own: their identity is the identities of what they join,
/// in this order, joined by `|` — which is also how the live collectors write their physical
/// id (`rtb-…|0.0.0.0/0`). A part that names another resource is compared by the last part
/// of its identity (the id in an ARN); a `Ref` in code is resolved through the live resource
/// it matched.
pub static COMPOSITE_IDENTITY: &[(&str, &[&str])] = &[
    ("AWS::EC2::Route", &["RouteTableId", "DestinationCidrBlock"]),
    (
        "AWS::EC2::VPCGatewayAttachment",
        &["InternetGatewayId", "VpcId"],
    ),
    (
        "AWS::WAFv2::WebACLAssociation",
        &["ResourceArn", "WebACLArn"],
    ),
    (
        "AWS::EC2::SubnetRouteTableAssociation",
        &["SubnetId", "RouteTableId"],
    ),
    (
        "AWS::SNS::Subscription",
        &["TopicArn", "Protocol", "Endpoint"],
    ),
];

/// The properties that together identify a resource of `cfn_type`, when it has no name.
pub fn composite_identity(cfn_type: &str) -> Option<&'static [&'static str]> {
    COMPOSITE_IDENTITY
        .iter()
        .find(|(t, _)| *t == cfn_type)
        .map(|(_, parts)| *parts)
}

/// Whether the service treats its identifiers as case-insensitive (RDS stores them lowercased:
/// a stack's `OrdersData-PostgresSubnetGroup…` is the live `ordersdata-postgressubnetgroup…`).
pub fn case_insensitive_ids(cfn_type: &str) -> bool {
    cfn_type.starts_with("AWS::RDS::") || cfn_type.starts_with("AWS::ElastiCache::")
}

/// The category of any type; unknown and custom types are `Other`.
pub fn category_of(cfn_type: &str) -> Category {
    lookup(cfn_type)
        .map(|t| t.category)
        .unwrap_or(Category::Other)
}

/// A readable name for any type, known or not (`AWS::Foo::Bar` → `Foo Bar`).
pub fn display_of(cfn_type: &str) -> String {
    match lookup(cfn_type) {
        Some(t) => t.display.to_string(),
        None => cfn_type.trim_start_matches("AWS::").replace("::", " "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cfn_and_terraform_names_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for t in TYPES {
            assert!(seen.insert(t.cfn), "duplicate {}", t.cfn);
        }
        let mut tf = std::collections::HashSet::new();
        for t in TYPES.iter().flat_map(|t| t.terraform.iter()) {
            assert!(tf.insert(*t), "duplicate {t}");
        }
    }

    #[test]
    fn seed_types_are_registered() {
        for ty in [
            "AWS::EC2::VPC",
            "AWS::EC2::Subnet",
            "AWS::EC2::RouteTable",
            "AWS::EC2::InternetGateway",
            "AWS::EC2::NatGateway",
            "AWS::EC2::EIP",
            "AWS::EC2::SecurityGroup",
            "AWS::EC2::SecurityGroupIngress",
            "AWS::EC2::SecurityGroupEgress",
            "AWS::EC2::VPCEndpoint",
            "AWS::EC2::Instance",
            "AWS::EC2::LaunchTemplate",
            "AWS::AutoScaling::AutoScalingGroup",
            "AWS::ElasticLoadBalancingV2::LoadBalancer",
            "AWS::ElasticLoadBalancingV2::Listener",
            "AWS::ElasticLoadBalancingV2::ListenerRule",
            "AWS::ElasticLoadBalancingV2::TargetGroup",
            "AWS::ECS::Cluster",
            "AWS::ECS::Service",
            "AWS::ECS::TaskDefinition",
            "AWS::Lambda::Function",
            "AWS::Lambda::Alias",
            "AWS::Lambda::EventSourceMapping",
            "AWS::Lambda::Permission",
            "AWS::StepFunctions::StateMachine",
            "AWS::Events::Rule",
            "AWS::Scheduler::Schedule",
            "AWS::Scheduler::ScheduleGroup",
            "AWS::SQS::Queue",
            "AWS::SQS::QueuePolicy",
            "AWS::SNS::Topic",
            "AWS::SNS::Subscription",
            "AWS::S3::Bucket",
            "AWS::S3::BucketPolicy",
            "AWS::DynamoDB::Table",
            "AWS::RDS::DBInstance",
            "AWS::RDS::DBCluster",
            "AWS::RDS::DBSubnetGroup",
            "AWS::RDS::DBProxy",
            "AWS::ElastiCache::ReplicationGroup",
            "AWS::ElastiCache::CacheCluster",
            "AWS::Neptune::DBCluster",
            "AWS::OpenSearchService::Domain",
            "AWS::OpenSearchServerless::Collection",
            "AWS::ApiGateway::RestApi",
            "AWS::ApiGateway::Stage",
            "AWS::ApiGatewayV2::Api",
            "AWS::ApiGatewayV2::Stage",
            "AWS::CloudFront::Distribution",
            "AWS::WAFv2::WebACL",
            "AWS::WAFv2::WebACLAssociation",
            "AWS::Route53::HostedZone",
            "AWS::Route53::RecordSet",
            "AWS::CertificateManager::Certificate",
            "AWS::KMS::Key",
            "AWS::KMS::Alias",
            "AWS::SecretsManager::Secret",
            "AWS::SecretsManager::RotationSchedule",
            "AWS::SSM::Parameter",
            "AWS::ECR::Repository",
            "AWS::CloudWatch::Alarm",
            "AWS::Logs::LogGroup",
            "AWS::SES::ReceiptRuleSet",
            "AWS::SES::ReceiptRule",
            "AWS::IAM::Role",
            "AWS::IAM::Policy",
            "AWS::Budgets::Budget",
            "AWS::CodePipeline::Pipeline",
            "AWS::CodeBuild::Project",
            "AWS::CodeDeploy::Application",
            "AWS::CodeDeploy::DeploymentGroup",
        ] {
            assert!(lookup(ty).is_some(), "{ty} missing from the registry");
        }
        assert_eq!(
            lookup_terraform("aws_sqs_queue").unwrap().cfn,
            "AWS::SQS::Queue"
        );
        assert_eq!(
            lookup_terraform("aws_alb").unwrap().cfn,
            "AWS::ElasticLoadBalancingV2::LoadBalancer"
        );
    }

    #[test]
    fn arns_are_built_and_read_back() {
        let q = lookup("AWS::SQS::Queue").unwrap();
        let arn = q
            .arn_for("jobs", "aws", "us-east-2", "123456789012")
            .unwrap();
        assert_eq!(arn, "arn:aws:sqs:us-east-2:123456789012:jobs");
        assert_eq!(q.name_from_arn(&arn).as_deref(), Some("jobs"));
        let t = lookup("AWS::DynamoDB::Table").unwrap();
        assert_eq!(
            t.name_from_arn("arn:aws:dynamodb:us-east-2:1:table/orders")
                .as_deref(),
            Some("orders")
        );
        let l = lookup("AWS::Logs::LogGroup").unwrap();
        assert_eq!(
            l.name_from_arn("arn:aws:logs:us-east-2:1:log-group:/ecs/api:*")
                .as_deref(),
            Some("/ecs/api")
        );
        let p = lookup("AWS::SSM::Parameter").unwrap();
        let parn = p
            .arn_for("/orders/prod/url", "aws", "us-east-2", "1")
            .unwrap();
        assert_eq!(parn, "arn:aws:ssm:us-east-2:1:parameter/orders/prod/url");
        assert_eq!(p.name_from_arn(&parn).as_deref(), Some("/orders/prod/url"));
        let b = lookup("AWS::S3::Bucket").unwrap();
        assert_eq!(
            b.name_from_arn("arn:aws:s3:::uploads").as_deref(),
            Some("uploads")
        );
        let r = lookup("AWS::IAM::Role").unwrap();
        assert_eq!(
            r.arn_for("svc", "aws", "", "1").unwrap(),
            "arn:aws:iam::1:role/svc"
        );
    }
}
