//! The names both sides agree on: the `state` keys live collectors write and rules read, and
//! the attributes and tags matching and default suppression look at. Collectors should use
//! these constants rather than string literals, so a rename breaks the build, not the report.
//!
//! `state` holds what code never declares (runtime facts). Values are plain JSON: numbers as
//! numbers, enums as the API spells them (`ALARM`, `ENABLED`).

// --- SQS queue (`GetQueueAttributes`)
/// Messages available to receive (`ApproximateNumberOfMessages`), a number.
pub const SQS_MESSAGES: &str = "ApproximateNumberOfMessages";
/// Messages in flight (`ApproximateNumberOfMessagesNotVisible`), a number.
pub const SQS_MESSAGES_IN_FLIGHT: &str = "ApproximateNumberOfMessagesNotVisible";

// --- CloudWatch alarm (`DescribeAlarms`)
/// `OK`, `ALARM` or `INSUFFICIENT_DATA`.
pub const ALARM_STATE: &str = "StateValue";
/// The alarm's own explanation of its state (`StateReason`).
pub const ALARM_REASON: &str = "StateReason";

// --- ECS service (`DescribeServices`)
pub const ECS_RUNNING: &str = "RunningCount";
pub const ECS_DESIRED: &str = "DesiredCount";
pub const ECS_PENDING: &str = "PendingCount";

// --- EventBridge rule / Scheduler schedule
/// `ENABLED` or `DISABLED`. Also the CloudFormation property `State`; collectors put the live
/// value in both, rules prefer `state`.
pub const SCHEDULE_STATE: &str = "State";

// --- Lambda function (CloudWatch metrics over the last 24 hours, sums)
pub const LAMBDA_INVOCATIONS_24H: &str = "Invocations24h";
pub const LAMBDA_ERRORS_24H: &str = "Errors24h";
pub const LAMBDA_THROTTLES_24H: &str = "Throttles24h";

// --- SNS topic (`GetTopicAttributes`), when a collector records the counts
pub const SNS_SUBSCRIPTIONS_CONFIRMED: &str = "SubscriptionsConfirmed";
pub const SNS_SUBSCRIPTIONS_PENDING: &str = "SubscriptionsPending";
/// On an `AWS::SNS::Subscription` (whose `TopicArn` names its topic): `true` while the
/// endpoint has not confirmed it — it delivers nothing yet.
pub const SNS_PENDING_CONFIRMATION: &str = "PendingConfirmation";

// --- WAF
/// On a load balancer, distribution or API stage: the ARN/id of the web ACL protecting it.
pub const WEB_ACL: &str = "WebACLArn";
/// On a web ACL: the ARNs of the resources it protects (a list, empty when none).
pub const WAF_PROTECTED: &str = "ProtectedResources";

// --- EC2 instance (`DescribeInstances`)
/// `running`, `stopped`, … (the same key as a schedule's state: the API's own word).
pub const INSTANCE_STATE: &str = "State";
/// The public IPv4 address, when the instance has one.
pub const PUBLIC_IP: &str = "PublicIpAddress";
/// RFC 3339 launch time.
pub const LAUNCH_TIME: &str = "LaunchTime";

// --- RDS
/// `true` when DescribeDBClusters/DescribeDBInstances reports the database spans AZs.
pub const MULTI_AZ: &str = "MultiAZ";
/// `available`, `stopped`, …
pub const DB_STATUS: &str = "Status";

// --- Secrets Manager (`DescribeSecret`)
pub const SECRET_ROTATION_ENABLED: &str = "RotationEnabled";

// --- KMS (`DescribeKey`)
/// `AWS` for AWS-managed keys, `CUSTOMER` otherwise.
pub const KMS_KEY_MANAGER: &str = "KeyManager";

// --- Default-resource flags (attributes or state, as the API spells them)
/// VPC and network ACL (`IsDefault`).
pub const IS_DEFAULT: &str = "IsDefault";
/// Subnet (`DefaultForAz`).
pub const DEFAULT_FOR_AZ: &str = "DefaultForAz";
/// Route table: `true` for the VPC's main route table.
pub const MAIN_ROUTE_TABLE: &str = "Main";

// --- Tags CloudFormation puts on the resources it creates (a fallback when `stack` is unset)
pub const TAG_STACK_NAME: &str = "aws:cloudformation:stack-name";
pub const TAG_LOGICAL_ID: &str = "aws:cloudformation:logical-id";
pub const TAG_NAME: &str = "Name";

/// Every `state` key above, for collectors' tests and the docs.
pub const ALL_STATE_KEYS: &[&str] = &[
    SQS_MESSAGES,
    SQS_MESSAGES_IN_FLIGHT,
    ALARM_STATE,
    ALARM_REASON,
    ECS_RUNNING,
    ECS_DESIRED,
    ECS_PENDING,
    SCHEDULE_STATE,
    LAMBDA_INVOCATIONS_24H,
    LAMBDA_ERRORS_24H,
    LAMBDA_THROTTLES_24H,
    SNS_SUBSCRIPTIONS_CONFIRMED,
    SNS_SUBSCRIPTIONS_PENDING,
    SNS_PENDING_CONFIRMATION,
    WEB_ACL,
    WAF_PROTECTED,
    INSTANCE_STATE,
    PUBLIC_IP,
    LAUNCH_TIME,
    MULTI_AZ,
    DB_STATUS,
    SECRET_ROTATION_ENABLED,
    KMS_KEY_MANAGER,
];
