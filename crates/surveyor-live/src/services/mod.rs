//! One collector per AWS service. Each has the same shape: list (paginated), hydrate where the
//! list answer is thin, and transform into canonical resources; per-item failures become notes
//! and the resource stays with what could be read.

use surveyor_model::Resource;

use crate::runtime::{CallError, Rc};

pub mod acm;
pub mod apigateway;
pub mod autoscaling;
pub mod cloudformation;
pub mod cloudfront;
pub mod cloudwatch;
pub mod dynamodb;
pub mod ec2;
pub mod ecr;
pub mod ecs;
pub mod elasticache;
pub mod elbv2;
pub mod eventbridge;
pub mod iam;
pub mod kms;
pub mod lambda;
pub mod logs;
pub mod rds;
pub mod route53;
pub mod s3;
pub mod scheduler;
pub mod secretsmanager;
pub mod sfn;
pub mod sns;
pub mod sqs;
pub mod ssm;
pub mod sts;
pub mod wafv2;

/// A resource a CloudFormation stack says it manages.
#[derive(Debug, Clone)]
pub struct StackMember {
    pub stack: String,
    pub logical_id: String,
    pub type_name: String,
    pub physical_id: String,
}

#[derive(Debug, Default)]
pub struct Collected {
    pub resources: Vec<Resource>,
    pub members: Vec<StackMember>,
}

impl From<Vec<Resource>> for Collected {
    fn from(resources: Vec<Resource>) -> Self {
        Collected {
            resources,
            members: Vec::new(),
        }
    }
}

/// Collectors run once per region.
pub const REGIONAL: &[&str] = &[
    "ec2",
    "autoscaling",
    "elbv2",
    "ecs",
    "lambda",
    "rds",
    "dynamodb",
    "elasticache",
    "sqs",
    "sns",
    "eventbridge",
    "scheduler",
    "sfn",
    "cloudwatch",
    "logs",
    "kms",
    "secretsmanager",
    "ssm",
    "ecr",
    "acm",
    "wafv2",
    "apigateway",
    "cloudformation",
];

/// Collectors of global services, run once from us-east-1.
pub const GLOBAL: &[&str] = &["iam", "cloudfront", "route53", "s3"];

/// The resource types each collector reads (what `missing` may be judged on when the
/// service answered). A test checks every type a scan produced is listed here.
pub fn types(service: &str) -> &'static [&'static str] {
    match service {
        "acm" => &["AWS::CertificateManager::Certificate"],
        "apigateway" => &[
            "AWS::ApiGateway::RestApi",
            "AWS::ApiGateway::Stage",
            "AWS::ApiGatewayV2::Api",
            "AWS::ApiGatewayV2::Stage",
        ],
        "autoscaling" => &["AWS::AutoScaling::AutoScalingGroup"],
        "cloudformation" => &["AWS::CloudFormation::Stack"],
        "cloudfront" => &["AWS::CloudFront::Distribution"],
        "cloudwatch" => &["AWS::CloudWatch::Alarm", "AWS::CloudWatch::CompositeAlarm"],
        "dynamodb" => &["AWS::DynamoDB::Table"],
        "ec2" => &[
            "AWS::EC2::EIP",
            "AWS::EC2::Instance",
            "AWS::EC2::InternetGateway",
            "AWS::EC2::NatGateway",
            "AWS::EC2::NetworkInterface",
            "AWS::EC2::Route",
            "AWS::EC2::RouteTable",
            "AWS::EC2::SecurityGroup",
            "AWS::EC2::Subnet",
            "AWS::EC2::SubnetRouteTableAssociation",
            "AWS::EC2::VPC",
            "AWS::EC2::VPCEndpoint",
            "AWS::EC2::VPCGatewayAttachment",
        ],
        "ecr" => &["AWS::ECR::Repository"],
        "ecs" => &[
            "AWS::ECS::Cluster",
            "AWS::ECS::Service",
            "AWS::ECS::TaskDefinition",
        ],
        "elasticache" => &[
            "AWS::ElastiCache::CacheCluster",
            "AWS::ElastiCache::ReplicationGroup",
        ],
        "elbv2" => &[
            "AWS::ElasticLoadBalancingV2::Listener",
            "AWS::ElasticLoadBalancingV2::ListenerRule",
            "AWS::ElasticLoadBalancingV2::LoadBalancer",
            "AWS::ElasticLoadBalancingV2::TargetGroup",
        ],
        "eventbridge" => &["AWS::Events::Rule"],
        "iam" => &["AWS::IAM::Role"],
        "kms" => &["AWS::KMS::Alias", "AWS::KMS::Key"],
        "lambda" => &[
            "AWS::Lambda::Alias",
            "AWS::Lambda::EventSourceMapping",
            "AWS::Lambda::Function",
        ],
        "logs" => &["AWS::Logs::LogGroup"],
        "rds" => &[
            "AWS::RDS::DBCluster",
            "AWS::RDS::DBInstance",
            "AWS::RDS::DBProxy",
            "AWS::RDS::DBSubnetGroup",
        ],
        "route53" => &["AWS::Route53::HostedZone", "AWS::Route53::RecordSet"],
        "s3" => &["AWS::S3::Bucket"],
        "scheduler" => &["AWS::Scheduler::Schedule", "AWS::Scheduler::ScheduleGroup"],
        "secretsmanager" => &["AWS::SecretsManager::Secret"],
        "sfn" => &["AWS::StepFunctions::StateMachine"],
        "sns" => &["AWS::SNS::Subscription", "AWS::SNS::Topic"],
        "sqs" => &["AWS::SQS::Queue"],
        "ssm" => &["AWS::SSM::Parameter"],
        "wafv2" => &["AWS::WAFv2::WebACL", "AWS::WAFv2::WebACLAssociation"],
        _ => &[],
    }
}

pub async fn run(service: &str, rc: &Rc<'_>) -> Result<Collected, CallError> {
    Ok(match service {
        "ec2" => Box::pin(ec2::collect(rc)).await?.into(),
        "autoscaling" => Box::pin(autoscaling::collect(rc)).await?.into(),
        "elbv2" => Box::pin(elbv2::collect(rc)).await?.into(),
        "ecs" => Box::pin(ecs::collect(rc)).await?.into(),
        "lambda" => Box::pin(lambda::collect(rc)).await?.into(),
        "rds" => Box::pin(rds::collect(rc)).await?.into(),
        "dynamodb" => Box::pin(dynamodb::collect(rc)).await?.into(),
        "elasticache" => Box::pin(elasticache::collect(rc)).await?.into(),
        "s3" => Box::pin(s3::collect(rc)).await?.into(),
        "sqs" => Box::pin(sqs::collect(rc)).await?.into(),
        "sns" => Box::pin(sns::collect(rc)).await?.into(),
        "eventbridge" => Box::pin(eventbridge::collect(rc)).await?.into(),
        "scheduler" => Box::pin(scheduler::collect(rc)).await?.into(),
        "sfn" => Box::pin(sfn::collect(rc)).await?.into(),
        "cloudwatch" => Box::pin(cloudwatch::collect(rc)).await?.into(),
        "logs" => Box::pin(logs::collect(rc)).await?.into(),
        "kms" => Box::pin(kms::collect(rc)).await?.into(),
        "secretsmanager" => Box::pin(secretsmanager::collect(rc)).await?.into(),
        "ssm" => Box::pin(ssm::collect(rc)).await?.into(),
        "ecr" => Box::pin(ecr::collect(rc)).await?.into(),
        "acm" => Box::pin(acm::collect(rc)).await?.into(),
        "wafv2" => Box::pin(wafv2::collect(rc)).await?.into(),
        "apigateway" => Box::pin(apigateway::collect(rc)).await?.into(),
        "cloudformation" => Box::pin(cloudformation::collect(rc)).await?,
        "iam" => Box::pin(iam::collect(rc)).await?.into(),
        "cloudfront" => Box::pin(cloudfront::collect(rc)).await?.into(),
        "route53" => Box::pin(route53::collect(rc)).await?.into(),
        _ => Collected::default(),
    })
}

/// Runs `f` over `items` concurrently; the shared semaphore bounds requests in flight.
pub async fn each<'a, T, F, Fut, O>(items: &'a [T], f: F) -> Vec<O>
where
    F: Fn(&'a T) -> Fut,
    Fut: std::future::Future<Output = O>,
{
    futures_util::future::join_all(items.iter().map(f)).await
}
