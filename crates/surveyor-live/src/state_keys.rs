//! Names of the `state` entries live collectors write: runtime facts that code never declares.
//! The rules and reports read them by these names.

pub const SQS_VISIBLE: &str = "ApproximateNumberOfMessages";
pub const SQS_IN_FLIGHT: &str = "ApproximateNumberOfMessagesNotVisible";
pub const SQS_DELAYED: &str = "ApproximateNumberOfMessagesDelayed";
pub const ALARM_STATE: &str = "StateValue";
pub const ALARM_REASON: &str = "StateReason";
pub const ALARM_UPDATED: &str = "StateUpdatedTimestamp";
pub const DESIRED_COUNT: &str = "DesiredCount";
pub const RUNNING_COUNT: &str = "RunningCount";
pub const PENDING_COUNT: &str = "PendingCount";
pub const STATUS: &str = "Status";
/// Schedule and rule `ENABLED`/`DISABLED`; instance `running`/`stopped`/….
pub const STATE: &str = "State";
pub const PUBLIC_IP: &str = "PublicIpAddress";
pub const PRIVATE_IP: &str = "PrivateIpAddress";
pub const LAUNCH_TIME: &str = "LaunchTime";
pub const INVOCATIONS_24H: &str = "Invocations24h";
pub const ERRORS_24H: &str = "Errors24h";
pub const DB_INSTANCE_STATUS: &str = "DBInstanceStatus";
pub const TARGET_HEALTH: &str = "TargetHealth";
pub const STACK_STATUS: &str = "StackStatus";
pub const LAST_MODIFIED: &str = "LastModified";
pub const INSTANCES: &str = "Instances";
pub const WEB_ACL: &str = "WebACLArn";
pub const ITEM_COUNT: &str = "ItemCount";
pub const CERT_STATUS: &str = "CertificateStatus";
pub const NOT_AFTER: &str = "NotAfter";
pub const LAST_ROTATED: &str = "LastRotatedDate";
pub const LAST_ACCESSED: &str = "LastAccessedDate";
