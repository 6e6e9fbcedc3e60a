//! Agreement with checkov on the checks both tools make, with fixtures in the style of
//! checkov's own test resources (one passing and one failing resource per case, CloudFormation
//! property shapes — checkov's Terraform cases map onto them one to one). Where surveyor
//! deliberately judges differently, the difference is asserted too, so it stays a decision.

use crate::testkit::{code, fired, map};

struct Case {
    check: &'static str,
    rule: &'static str,
    ty: &'static str,
    attributes: &'static str,
    checkov_passes: bool,
}

const fn case(
    check: &'static str,
    rule: &'static str,
    ty: &'static str,
    attributes: &'static str,
    checkov_passes: bool,
) -> Case {
    Case {
        check,
        rule,
        ty,
        attributes,
        checkov_passes,
    }
}

const RDS: &str = "AWS::RDS::DBInstance";
const ECR: &str = "AWS::ECR::Repository";
const SG: &str = "AWS::EC2::SecurityGroup";

const AGREE: &[Case] = &[
    // CKV_AWS_17: RDS instance not publicly accessible.
    case(
        "CKV_AWS_17",
        "db-public",
        RDS,
        r#"{"PubliclyAccessible":true}"#,
        false,
    ),
    case(
        "CKV_AWS_17",
        "db-public",
        RDS,
        r#"{"PubliclyAccessible":false}"#,
        true,
    ),
    case("CKV_AWS_17", "db-public", RDS, r#"{}"#, true),
    // CKV_AWS_16: RDS storage encrypted.
    case(
        "CKV_AWS_16",
        "storage-unencrypted",
        RDS,
        r#"{"StorageEncrypted":true}"#,
        true,
    ),
    case(
        "CKV_AWS_16",
        "storage-unencrypted",
        RDS,
        r#"{"StorageEncrypted":false}"#,
        false,
    ),
    case(
        "CKV_AWS_16",
        "storage-unencrypted",
        RDS,
        r#"{"Engine":"postgres"}"#,
        false,
    ),
    // CKV_AWS_157: RDS Multi-AZ (Aurora instances exempt: the cluster spans AZs).
    case(
        "CKV_AWS_157",
        "db-single-az",
        RDS,
        r#"{"MultiAZ":true}"#,
        true,
    ),
    case(
        "CKV_AWS_157",
        "db-single-az",
        RDS,
        r#"{"MultiAZ":false}"#,
        false,
    ),
    case(
        "CKV_AWS_157",
        "db-single-az",
        RDS,
        r#"{"Engine":"mysql"}"#,
        false,
    ),
    case(
        "CKV_AWS_157",
        "db-single-az",
        RDS,
        r#"{"Engine":"aurora-mysql"}"#,
        true,
    ),
    // CKV_AWS_163: ECR image scanning on push.
    case(
        "CKV_AWS_163",
        "image-scan-disabled",
        ECR,
        r#"{"ImageScanningConfiguration":{"ScanOnPush":true}}"#,
        true,
    ),
    case(
        "CKV_AWS_163",
        "image-scan-disabled",
        ECR,
        r#"{"ImageScanningConfiguration":{"ScanOnPush":false}}"#,
        false,
    ),
    case("CKV_AWS_163", "image-scan-disabled", ECR, r#"{}"#, false),
    // CKV_AWS_51: ECR tags immutable.
    case(
        "CKV_AWS_51",
        "ecr-mutable-tags",
        ECR,
        r#"{"ImageTagMutability":"IMMUTABLE"}"#,
        true,
    ),
    case(
        "CKV_AWS_51",
        "ecr-mutable-tags",
        ECR,
        r#"{"ImageTagMutability":"MUTABLE"}"#,
        false,
    ),
    case("CKV_AWS_51", "ecr-mutable-tags", ECR, r#"{}"#, false),
    // CKV_AWS_66: log group specifies retention (any value).
    case(
        "CKV_AWS_66",
        "log-retention-unset",
        "AWS::Logs::LogGroup",
        r#"{"RetentionInDays":7}"#,
        true,
    ),
    case(
        "CKV_AWS_66",
        "log-retention-unset",
        "AWS::Logs::LogGroup",
        r#"{"LogGroupName":"/app"}"#,
        false,
    ),
    // CKV2_AWS_6: S3 bucket has a public access block.
    case(
        "CKV2_AWS_6",
        "bucket-public-access",
        "AWS::S3::Bucket",
        r#"{"PublicAccessBlockConfiguration":{"BlockPublicAcls":true,"BlockPublicPolicy":true,"IgnorePublicAcls":true,"RestrictPublicBuckets":true}}"#,
        true,
    ),
    case(
        "CKV2_AWS_6",
        "bucket-public-access",
        "AWS::S3::Bucket",
        r#"{"PublicAccessBlockConfiguration":{"BlockPublicAcls":true,"BlockPublicPolicy":false,"IgnorePublicAcls":true,"RestrictPublicBuckets":true}}"#,
        false,
    ),
    case(
        "CKV2_AWS_6",
        "bucket-public-access",
        "AWS::S3::Bucket",
        r#"{}"#,
        false,
    ),
    // CKV_AWS_79: IMDSv1 disabled (tokens required, or the endpoint off).
    case(
        "CKV_AWS_79",
        "instance-imdsv1",
        "AWS::EC2::Instance",
        r#"{"MetadataOptions":{"HttpTokens":"required"}}"#,
        true,
    ),
    case(
        "CKV_AWS_79",
        "instance-imdsv1",
        "AWS::EC2::Instance",
        r#"{"MetadataOptions":{"HttpEndpoint":"disabled"}}"#,
        true,
    ),
    case(
        "CKV_AWS_79",
        "instance-imdsv1",
        "AWS::EC2::Instance",
        r#"{"MetadataOptions":{"HttpTokens":"optional"}}"#,
        false,
    ),
    case(
        "CKV_AWS_79",
        "instance-imdsv1",
        "AWS::EC2::Instance",
        r#"{"InstanceType":"t3.micro"}"#,
        false,
    ),
    case(
        "CKV_AWS_79",
        "instance-imdsv1",
        "AWS::EC2::LaunchTemplate",
        r#"{"LaunchTemplateData":{"MetadataOptions":{"HttpTokens":"required"}}}"#,
        true,
    ),
    // CKV_AWS_24: no ingress from 0.0.0.0/0 to port 22.
    case(
        "CKV_AWS_24",
        "sg-open-to-world",
        SG,
        r#"{"SecurityGroupIngress":[{"IpProtocol":"tcp","FromPort":22,"ToPort":22,"CidrIp":"0.0.0.0/0"}]}"#,
        false,
    ),
    case(
        "CKV_AWS_24",
        "sg-open-to-world",
        SG,
        r#"{"SecurityGroupIngress":[{"IpProtocol":"tcp","FromPort":0,"ToPort":65535,"CidrIp":"0.0.0.0/0"}]}"#,
        false,
    ),
    case(
        "CKV_AWS_24",
        "sg-open-to-world",
        SG,
        r#"{"SecurityGroupIngress":[{"IpProtocol":"tcp","FromPort":22,"ToPort":22,"CidrIp":"10.0.0.0/16"}]}"#,
        true,
    ),
    case(
        "CKV_AWS_24",
        "sg-open-to-world",
        "AWS::EC2::SecurityGroupIngress",
        r#"{"IpProtocol":"tcp","FromPort":22,"ToPort":22,"CidrIpv6":"::/0"}"#,
        false,
    ),
    // CKV_AWS_25: no ingress from 0.0.0.0/0 to port 3389.
    case(
        "CKV_AWS_25",
        "sg-open-to-world",
        SG,
        r#"{"SecurityGroupIngress":[{"IpProtocol":"tcp","FromPort":3389,"ToPort":3389,"CidrIp":"0.0.0.0/0"}]}"#,
        false,
    ),
    case(
        "CKV_AWS_25",
        "sg-open-to-world",
        SG,
        r#"{"SecurityGroupIngress":[{"IpProtocol":"tcp","FromPort":3389,"ToPort":3389,"CidrIp":"192.168.0.0/24"}]}"#,
        true,
    ),
    // CKV_AWS_7: KMS key rotation enabled.
    case(
        "CKV_AWS_7",
        "kms-rotation-disabled",
        "AWS::KMS::Key",
        r#"{"EnableKeyRotation":true}"#,
        true,
    ),
    case(
        "CKV_AWS_7",
        "kms-rotation-disabled",
        "AWS::KMS::Key",
        r#"{}"#,
        false,
    ),
    // CKV_AWS_27: SQS encrypted — where both tools agree.
    case(
        "CKV_AWS_27",
        "storage-unencrypted",
        "AWS::SQS::Queue",
        r#"{"KmsMasterKeyId":"alias/aws/sqs"}"#,
        true,
    ),
    case(
        "CKV_AWS_27",
        "storage-unencrypted",
        "AWS::SQS::Queue",
        r#"{"SqsManagedSseEnabled":true}"#,
        true,
    ),
    case(
        "CKV_AWS_27",
        "storage-unencrypted",
        "AWS::SQS::Queue",
        r#"{"SqsManagedSseEnabled":false}"#,
        false,
    ),
];

/// Deliberate differences: checkov fails these, surveyor does not (see each rule's doc).
const DIFFER: &[Case] = &[
    // Port 80 to the world is the contract's allowed web port (ALBs redirecting to 443).
    case(
        "CKV_AWS_260",
        "sg-open-to-world",
        SG,
        r#"{"SecurityGroupIngress":[{"IpProtocol":"tcp","FromPort":80,"ToPort":80,"CidrIp":"0.0.0.0/0"}]}"#,
        false,
    ),
    // SQS encrypts new queues with SSE-SQS by default since 2022.
    case(
        "CKV_AWS_27",
        "storage-unencrypted",
        "AWS::SQS::Queue",
        r#"{}"#,
        false,
    ),
    // S3 encrypts every bucket with SSE-S3 by default since January 2023.
    case(
        "CKV_AWS_19",
        "storage-unencrypted",
        "AWS::S3::Bucket",
        r#"{}"#,
        false,
    ),
];

fn surveyor_passes(c: &Case) -> bool {
    let r = code(c.ty, "fixture", c.attributes);
    fired(c.rule, &map(vec![r], vec![])).is_empty()
}

#[test]
fn surveyor_agrees_with_checkov_on_shared_checks() {
    let mut disagreements = Vec::new();
    for c in AGREE {
        if surveyor_passes(c) != c.checkov_passes {
            disagreements.push(format!(
                "{} / {} on {} {}: checkov {}, surveyor {}",
                c.check,
                c.rule,
                c.ty,
                c.attributes,
                if c.checkov_passes { "passes" } else { "fails" },
                if c.checkov_passes { "fails" } else { "passes" },
            ));
        }
    }
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
}

#[test]
fn deliberate_differences_stay_deliberate() {
    for c in DIFFER {
        assert_ne!(
            surveyor_passes(c),
            c.checkov_passes,
            "{} / {} now agrees with checkov: update the rule's doc and move the case",
            c.check,
            c.rule
        );
    }
}
