//! The read-only allow-list: every AWS operation surveyor may call, with the IAM action that
//! grants it. Every SDK call in this crate goes through [`crate::call!`] or [`crate::pages!`],
//! which refuse any operation not listed here; a test scans the source to prove no call
//! bypasses them and that nothing here mutates or reveals a secret.

/// `(SDK service, operation, IAM action)`. The operation is the API's own name (what the SDK's
/// fluent method is the snake case of).
pub const ALLOWED: &[(&str, &str, &str)] = &[
    ("sts", "GetCallerIdentity", "sts:GetCallerIdentity"),
    ("ec2", "DescribeRegions", "ec2:DescribeRegions"),
    ("ec2", "DescribeVpcs", "ec2:DescribeVpcs"),
    ("ec2", "DescribeSubnets", "ec2:DescribeSubnets"),
    ("ec2", "DescribeRouteTables", "ec2:DescribeRouteTables"),
    (
        "ec2",
        "DescribeInternetGateways",
        "ec2:DescribeInternetGateways",
    ),
    ("ec2", "DescribeNatGateways", "ec2:DescribeNatGateways"),
    ("ec2", "DescribeAddresses", "ec2:DescribeAddresses"),
    (
        "ec2",
        "DescribeSecurityGroups",
        "ec2:DescribeSecurityGroups",
    ),
    ("ec2", "DescribeVpcEndpoints", "ec2:DescribeVpcEndpoints"),
    (
        "ec2",
        "DescribeNetworkInterfaces",
        "ec2:DescribeNetworkInterfaces",
    ),
    ("ec2", "DescribeInstances", "ec2:DescribeInstances"),
    (
        "autoscaling",
        "DescribeAutoScalingGroups",
        "autoscaling:DescribeAutoScalingGroups",
    ),
    (
        "elasticloadbalancingv2",
        "DescribeLoadBalancers",
        "elasticloadbalancing:DescribeLoadBalancers",
    ),
    (
        "elasticloadbalancingv2",
        "DescribeListeners",
        "elasticloadbalancing:DescribeListeners",
    ),
    (
        "elasticloadbalancingv2",
        "DescribeRules",
        "elasticloadbalancing:DescribeRules",
    ),
    (
        "elasticloadbalancingv2",
        "DescribeTargetGroups",
        "elasticloadbalancing:DescribeTargetGroups",
    ),
    (
        "elasticloadbalancingv2",
        "DescribeTargetHealth",
        "elasticloadbalancing:DescribeTargetHealth",
    ),
    ("ecs", "ListClusters", "ecs:ListClusters"),
    ("ecs", "DescribeClusters", "ecs:DescribeClusters"),
    ("ecs", "ListServices", "ecs:ListServices"),
    ("ecs", "DescribeServices", "ecs:DescribeServices"),
    (
        "ecs",
        "DescribeTaskDefinition",
        "ecs:DescribeTaskDefinition",
    ),
    ("lambda", "ListFunctions", "lambda:ListFunctions"),
    (
        "lambda",
        "ListEventSourceMappings",
        "lambda:ListEventSourceMappings",
    ),
    ("lambda", "ListAliases", "lambda:ListAliases"),
    ("rds", "DescribeDBInstances", "rds:DescribeDBInstances"),
    ("rds", "DescribeDBClusters", "rds:DescribeDBClusters"),
    (
        "rds",
        "DescribeDBSubnetGroups",
        "rds:DescribeDBSubnetGroups",
    ),
    ("rds", "DescribeDBProxies", "rds:DescribeDBProxies"),
    ("dynamodb", "ListTables", "dynamodb:ListTables"),
    ("dynamodb", "DescribeTable", "dynamodb:DescribeTable"),
    (
        "elasticache",
        "DescribeReplicationGroups",
        "elasticache:DescribeReplicationGroups",
    ),
    (
        "elasticache",
        "DescribeCacheClusters",
        "elasticache:DescribeCacheClusters",
    ),
    ("s3", "ListBuckets", "s3:ListAllMyBuckets"),
    ("s3", "GetBucketLocation", "s3:GetBucketLocation"),
    (
        "s3",
        "GetBucketNotificationConfiguration",
        "s3:GetBucketNotification",
    ),
    ("s3", "GetBucketEncryption", "s3:GetEncryptionConfiguration"),
    (
        "s3",
        "GetPublicAccessBlock",
        "s3:GetBucketPublicAccessBlock",
    ),
    ("s3", "GetBucketVersioning", "s3:GetBucketVersioning"),
    (
        "s3",
        "GetBucketLifecycleConfiguration",
        "s3:GetLifecycleConfiguration",
    ),
    ("sqs", "ListQueues", "sqs:ListQueues"),
    ("sqs", "GetQueueAttributes", "sqs:GetQueueAttributes"),
    ("sns", "ListTopics", "sns:ListTopics"),
    ("sns", "GetTopicAttributes", "sns:GetTopicAttributes"),
    ("sns", "ListSubscriptions", "sns:ListSubscriptions"),
    ("eventbridge", "ListRules", "events:ListRules"),
    (
        "eventbridge",
        "ListTargetsByRule",
        "events:ListTargetsByRule",
    ),
    (
        "scheduler",
        "ListScheduleGroups",
        "scheduler:ListScheduleGroups",
    ),
    ("scheduler", "ListSchedules", "scheduler:ListSchedules"),
    ("scheduler", "GetSchedule", "scheduler:GetSchedule"),
    ("sfn", "ListStateMachines", "states:ListStateMachines"),
    ("sfn", "DescribeStateMachine", "states:DescribeStateMachine"),
    ("cloudwatch", "DescribeAlarms", "cloudwatch:DescribeAlarms"),
    ("cloudwatch", "GetMetricData", "cloudwatch:GetMetricData"),
    (
        "cloudwatchlogs",
        "DescribeLogGroups",
        "logs:DescribeLogGroups",
    ),
    ("kms", "ListKeys", "kms:ListKeys"),
    ("kms", "DescribeKey", "kms:DescribeKey"),
    ("kms", "ListAliases", "kms:ListAliases"),
    (
        "secretsmanager",
        "ListSecrets",
        "secretsmanager:ListSecrets",
    ),
    ("ssm", "DescribeParameters", "ssm:DescribeParameters"),
    ("ecr", "DescribeRepositories", "ecr:DescribeRepositories"),
    ("route53", "ListHostedZones", "route53:ListHostedZones"),
    (
        "route53",
        "ListResourceRecordSets",
        "route53:ListResourceRecordSets",
    ),
    ("acm", "ListCertificates", "acm:ListCertificates"),
    (
        "cloudfront",
        "ListDistributions",
        "cloudfront:ListDistributions",
    ),
    ("wafv2", "ListWebAcls", "wafv2:ListWebACLs"),
    (
        "wafv2",
        "ListResourcesForWebAcl",
        "wafv2:ListResourcesForWebACL",
    ),
    (
        "wafv2",
        "GetWebAclForResource",
        "wafv2:GetWebACLForResource",
    ),
    ("apigateway", "GetRestApis", "apigateway:GET"),
    ("apigateway", "GetStages", "apigateway:GET"),
    ("apigatewayv2", "GetApis", "apigateway:GET"),
    ("apigatewayv2", "GetStages", "apigateway:GET"),
    ("iam", "ListRoles", "iam:ListRoles"),
    (
        "cloudformation",
        "DescribeStacks",
        "cloudformation:DescribeStacks",
    ),
    (
        "cloudformation",
        "ListStackResources",
        "cloudformation:ListStackResources",
    ),
];

/// Operations that must never be reachable, whatever the list above grows into.
pub const FORBIDDEN: &[&str] = &[
    "GetSecretValue",
    "BatchGetSecretValue",
    "GetParameter",
    "GetParameters",
    "GetParametersByPath",
    "GetParameterHistory",
    "Decrypt",
    "GenerateDataKey",
    "GetObject",
    "ReceiveMessage",
    "GetPasswordData",
    "GetFunction",
    "GetAuthorizationToken",
];

/// Whether `service`/`operation` is on the allow-list.
pub fn is_allowed(service: &str, operation: &str) -> bool {
    ALLOWED
        .iter()
        .any(|(s, o, _)| *s == service && *o == operation)
}

/// The least-privilege IAM policy for a scan, generated from [`ALLOWED`].
pub fn iam_policy() -> serde_json::Value {
    let mut actions: Vec<&str> = ALLOWED.iter().map(|(_, _, a)| *a).collect();
    actions.sort_unstable();
    actions.dedup();
    serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "SurveyorReadOnly",
            "Effect": "Allow",
            "Action": actions,
            "Resource": "*"
        }]
    })
}
