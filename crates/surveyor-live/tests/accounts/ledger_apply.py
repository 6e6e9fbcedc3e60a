"""`terraform apply` of examples/ledger-terraform, as the boto3 calls the AWS provider makes,
and the `terraform.tfstate` (v4) it would leave.

Every value below is what the HCL evaluates to with its `terraform.tfvars` (env = "prod",
region us-east-2) and the provider's `default_tags` (app, env) on every resource that takes
tags. The one input the account decides is the listener's certificate: it is requested from
ACM here and handed to surveyor as `certificate_arn` (the builder writes `e2e.auto.tfvars`
beside the state). The Lambda code lives in a bucket outside the configuration
(`ledger-artifacts`), as it would in a real account.

The state is the example's own `terraform.tfstate` with the ids, ARNs and generated values
that only an apply knows (VPC and subnet ids, load balancer suffixes, the database's resource
id, revisions, UUIDs) replaced by those this account returned: exactly what the provider
writes after a refresh.

usage: ledger_apply.py ACCOUNT_ID OUT_DIR"""

import json
import os
import re
import sys

from common import client, emit, lambda_zip, session

ACCOUNT, OUT = sys.argv[1], sys.argv[2]
REGION = "us-east-2"
NAME = "ledger-prod"
TAGS = {"app": "ledger", "env": "prod"}
EXAMPLE = os.path.join(os.path.dirname(__file__), "../../../../examples/ledger-terraform")

s, creds = session(ACCOUNT, REGION)
ec2, elb, waf = client(s, "ec2"), client(s, "elbv2"), client(s, "wafv2")
ecs, iam, logs = client(s, "ecs"), client(s, "iam"), client(s, "logs")
rds, sqs, s3 = client(s, "rds"), client(s, "sqs"), client(s, "s3")
lam, sns, sch = client(s, "lambda"), client(s, "sns"), client(s, "scheduler")
cw, acm = client(s, "cloudwatch"), client(s, "acm")
# fake value in the example's state -> the value this account gave
real = {}


def tag_list(extra=None, key="Key", value="Value"):
    return [{key: k, value: v} for k, v in {**TAGS, **(extra or {})}.items()]


def ec2_tags(kind, extra=None):
    return [{"ResourceType": kind, "Tags": tag_list(extra)}]


# --- module.vpc
vpc = ec2.create_vpc(CidrBlock="10.40.0.0/16", TagSpecifications=ec2_tags("vpc", {"Name": NAME}))["Vpc"]["VpcId"]
ec2.modify_vpc_attribute(VpcId=vpc, EnableDnsSupport={"Value": True})
ec2.modify_vpc_attribute(VpcId=vpc, EnableDnsHostnames={"Value": True})
real["vpc-0a1b2c3d4e5f60718"] = vpc
igw = ec2.create_internet_gateway(
    TagSpecifications=ec2_tags("internet-gateway", {"Name": NAME})
)["InternetGateway"]["InternetGatewayId"]
ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
real["igw-0f1e2d3c4b5a69788"] = igw
azs = [z["ZoneName"] for z in ec2.describe_availability_zones()["AvailabilityZones"]]
subnets = {}
for tier, base, fakes in (("public", 0, ["subnet-0aa1", "subnet-0aa2"]), ("private", 10, ["subnet-0bb1", "subnet-0bb2"])):
    for i in range(2):
        sid = ec2.create_subnet(
            VpcId=vpc, CidrBlock=f"10.40.{base + i}.0/24", AvailabilityZone=azs[i],
            TagSpecifications=ec2_tags("subnet", {"Name": f"{NAME}-{tier}-{i + 1}"}),
        )["Subnet"]["SubnetId"]
        if tier == "public":
            ec2.modify_subnet_attribute(SubnetId=sid, MapPublicIpOnLaunch={"Value": True})
        subnets.setdefault(tier, []).append(sid)
        real[fakes[i]] = sid

# --- security groups (alb.tf, ecs.tf, rds.tf)
def group(name, description, fake):
    gid = ec2.create_security_group(
        GroupName=name, Description=description, VpcId=vpc,
        TagSpecifications=ec2_tags("security-group"),
    )["GroupId"]
    # The provider removes the default allow-all egress of a group that declares none.
    ec2.revoke_security_group_egress(
        GroupId=gid, IpPermissions=[{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]
    )
    real[fake] = gid
    return gid


sg_alb = group(f"{NAME}-alb", "Public HTTPS into the ledger API", "sg-0alb000000000001")
ec2.authorize_security_group_ingress(GroupId=sg_alb, IpPermissions=[
    {"IpProtocol": "tcp", "FromPort": p, "ToPort": p, "IpRanges": [{"CidrIp": "0.0.0.0/0", "Description": f"web {p}"}]}
    for p in (80, 443)
])
ec2.authorize_security_group_egress(GroupId=sg_alb, IpPermissions=[
    {"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}
])
sg_api = group(f"{NAME}-api", "Ledger API tasks", "sg-0api000000000002")
ec2.authorize_security_group_ingress(GroupId=sg_api, IpPermissions=[
    {"IpProtocol": "tcp", "FromPort": 8080, "ToPort": 8080, "UserIdGroupPairs": [{"GroupId": sg_alb}]}
])
sg_db = group(f"{NAME}-db", "Postgres for the ledger", "sg-0db0000000000003")
ec2.authorize_security_group_ingress(GroupId=sg_db, IpPermissions=[
    {"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432,
     "UserIdGroupPairs": [{"GroupId": sg_api, "Description": "Postgres from the API"}]}
])

# --- alb.tf
cert = acm.request_certificate(DomainName="api.ledger.example.com", ValidationMethod="DNS")["CertificateArn"]
real["arn:aws:acm:us-east-2:123456789012:certificate/6f1c2a9e-ledger"] = cert
lb = elb.create_load_balancer(
    Name=f"{NAME}-api", Subnets=subnets["public"], SecurityGroups=[sg_alb],
    Scheme="internet-facing", Type="application", Tags=tag_list(),
)["LoadBalancers"][0]
lb_arn = lb["LoadBalancerArn"]
real["app/ledger-prod-api/5f2b1c0d9e8a7b6c"] = lb_arn.split(":loadbalancer/")[1]
real["ledger-prod-api-1234567890.us-east-2.elb.amazonaws.com"] = lb["DNSName"]
tg_arn = elb.create_target_group(
    Name=f"{NAME}-api", Protocol="HTTP", Port=8080, VpcId=vpc, TargetType="ip",
    HealthCheckPath="/api/health", Matcher={"HttpCode": "200"}, Tags=tag_list(),
)["TargetGroups"][0]["TargetGroupArn"]
real["targetgroup/ledger-prod-api/0a9b8c7d6e5f4a3b"] = tg_arn.split(":")[-1]
listener = elb.create_listener(
    LoadBalancerArn=lb_arn, Protocol="HTTPS", Port=443, Certificates=[{"CertificateArn": cert}],
    SslPolicy="ELBSecurityPolicy-2016-08",
    DefaultActions=[{"Type": "forward", "TargetGroupArn": tg_arn}], Tags=tag_list(),
)["Listeners"][0]["ListenerArn"]
real["app/ledger-prod-api/5f2b1c0d9e8a7b6c/9d8c7b6a5f4e3d2c"] = listener.split(":listener/")[1]
acl = waf.create_web_acl(
    Name=f"{NAME}-api", Scope="REGIONAL", DefaultAction={"Allow": {}}, Rules=[],
    VisibilityConfig={"SampledRequestsEnabled": True, "CloudWatchMetricsEnabled": True, "MetricName": f"{NAME}-api"},
    Tags=tag_list(),
)["Summary"]
real["2b3c4d5e-6f70-4a81-92a3-b4c5d6e7f809"] = acl["Id"]
waf.associate_web_acl(WebACLArn=acl["ARN"], ResourceArn=lb_arn)

# --- ecs.tf
ecs.create_cluster(clusterName=NAME, tags=tag_list(key="key", value="value"))
trust = lambda service: json.dumps({  # noqa: E731
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}],
})
roles = {}
for short, service, fake in (("task", "ecs-tasks.amazonaws.com", "AROATASK"),
                             ("worker", "lambda.amazonaws.com", "AROAWORKER"),
                             ("scheduler", "scheduler.amazonaws.com", "AROASCHEDULER")):
    role = iam.create_role(RoleName=f"{NAME}-{short}", AssumeRolePolicyDocument=trust(service), Tags=tag_list())["Role"]
    roles[short] = role["Arn"]
    real[fake] = role["RoleId"]
logs.create_log_group(logGroupName=f"/ecs/{NAME}-api", tags=TAGS)
logs.put_retention_policy(logGroupName=f"/ecs/{NAME}-api", retentionInDays=30)
containers = [{
    "name": "api",
    "image": "123456789012.dkr.ecr.us-east-2.amazonaws.com/ledger-api:1.14.2",
    "essential": True,
    "portMappings": [{"containerPort": 8080, "protocol": "tcp"}],
    "environment": [
        {"name": "DB_HOST", "value": "ledger-db.internal"},
        {"name": "INGEST_QUEUE", "value": f"{NAME}-ingest"},
    ],
    "logConfiguration": {"logDriver": "awslogs", "options": {
        "awslogs-group": f"/ecs/{NAME}-api", "awslogs-region": REGION, "awslogs-stream-prefix": "api"}},
}]
td = ecs.register_task_definition(
    family=f"{NAME}-api", requiresCompatibilities=["FARGATE"], networkMode="awsvpc", cpu="512", memory="1024",
    taskRoleArn=roles["task"], executionRoleArn=roles["task"], containerDefinitions=containers,
    tags=tag_list(key="key", value="value"),
)["taskDefinition"]
real["task-definition/ledger-prod-api:7"] = f"task-definition/{NAME}-api:{td['revision']}"
real['"revision": 7'] = f'"revision": {td["revision"]}'
ecs.create_service(
    cluster=NAME, serviceName=f"{NAME}-api", taskDefinition=td["taskDefinitionArn"], desiredCount=2,
    launchType="FARGATE",
    networkConfiguration={"awsvpcConfiguration": {
        "subnets": subnets["private"], "securityGroups": [sg_api], "assignPublicIp": "DISABLED"}},
    loadBalancers=[{"targetGroupArn": tg_arn, "containerName": "api", "containerPort": 8080}],
    deploymentConfiguration={"deploymentCircuitBreaker": {"enable": True, "rollback": True}},
    tags=tag_list(key="key", value="value"),
)

# --- rds.tf
rds.create_db_subnet_group(
    DBSubnetGroupName=f"{NAME}-db", DBSubnetGroupDescription="Managed by Terraform",
    SubnetIds=subnets["private"], Tags=tag_list(),
)
db = rds.create_db_instance(
    DBInstanceIdentifier=f"{NAME}-db", Engine="postgres", EngineVersion="16.3",
    DBInstanceClass="db.t4g.medium", AllocatedStorage=50, StorageEncrypted=True, MultiAZ=True,
    BackupRetentionPeriod=7, DeletionProtection=True, MasterUsername="ledger",
    MasterUserPassword="not-a-real-password", DBSubnetGroupName=f"{NAME}-db",
    VpcSecurityGroupIds=[sg_db], Tags=tag_list(),
)["DBInstance"]
real["db-ABCDEFGHIJKLMNOPQRSTUV"] = db["DbiResourceId"]
if db.get("KmsKeyId"):
    real["arn:aws:kms:us-east-2:123456789012:key/0d1e2f3a-4b5c-6d7e-8f90-a1b2c3d4e5f6"] = db["KmsKeyId"]
if db.get("Endpoint", {}).get("Address"):
    real["ledger-prod-db.c1x2y3z4.us-east-2.rds.amazonaws.com"] = db["Endpoint"]["Address"]

# --- queues.tf: module.queues["ingest"], module.queues["reports"]
queue_arn = {}
for key, visibility in (("ingest", 120), ("reports", 900)):
    dlq = sqs.create_queue(QueueName=f"{NAME}-{key}-dlq", tags=TAGS, Attributes={
        "MessageRetentionPeriod": "1209600", "SqsManagedSseEnabled": "true"})["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    q = sqs.create_queue(QueueName=f"{NAME}-{key}", tags=TAGS, Attributes={
        "VisibilityTimeout": str(visibility), "SqsManagedSseEnabled": "true",
        "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 5})})["QueueUrl"]
    queue_arn[key] = sqs.get_queue_attributes(QueueUrl=q, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
s3.create_bucket(Bucket=f"{NAME}-uploads", CreateBucketConfiguration={"LocationConstraint": REGION})
s3.put_bucket_tagging(Bucket=f"{NAME}-uploads", Tagging={"TagSet": tag_list()})
s3.put_bucket_versioning(Bucket=f"{NAME}-uploads", VersioningConfiguration={"Status": "Enabled"})
s3.put_public_access_block(Bucket=f"{NAME}-uploads", PublicAccessBlockConfiguration={
    "BlockPublicAcls": True, "BlockPublicPolicy": True, "IgnorePublicAcls": True, "RestrictPublicBuckets": True})
s3.put_bucket_notification_configuration(Bucket=f"{NAME}-uploads", NotificationConfiguration={
    "QueueConfigurations": [{
        "Id": "tf-s3-queue-20260301", "QueueArn": queue_arn["ingest"], "Events": ["s3:ObjectCreated:*"],
        "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": "incoming/"}]}},
    }]})

# --- worker.tf: the artifacts bucket is made elsewhere (CI), not by this configuration
s3.create_bucket(Bucket="ledger-artifacts", CreateBucketConfiguration={"LocationConstraint": REGION})
for key in ("ingest", "reports"):
    s3.put_object(Bucket="ledger-artifacts", Key=f"worker/{key}.zip", Body=lambda_zip())
fn_arn, esm = {}, {}
for n, key in enumerate(("ingest", "reports")):
    fn = lam.create_function(
        FunctionName=f"{NAME}-{key}-worker", Role=roles["worker"], Runtime="python3.12",
        Handler="worker.handler", Code={"S3Bucket": "ledger-artifacts", "S3Key": f"worker/{key}.zip"},
        Timeout=60, MemorySize=512,
        VpcConfig={"SubnetIds": subnets["private"], "SecurityGroupIds": [sg_api]},
        Environment={"Variables": {"STAGE": key.upper()}}, Tags=TAGS,
    )
    fn_arn[key] = fn["FunctionArn"]
    uuid = lam.create_event_source_mapping(
        EventSourceArn=queue_arn[key], FunctionName=fn["FunctionArn"], BatchSize=10)["UUID"]
    real[f"8f2c1d3e-0000-4000-8000-00000000000{n}"] = uuid
    esm[key] = uuid
try:
    iam.attach_role_policy(
        RoleName=f"{NAME}-worker", PolicyArn="arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole")
except iam.exceptions.NoSuchEntityException:
    # moto loads AWS managed policies only with MOTO_IAM_LOAD_MANAGED_POLICIES; the attachment
    # has no CloudFormation type of its own, so surveyor lists it as unmapped either way.
    pass

# --- sns.tf
topic = sns.create_topic(Name=f"{NAME}-alerts", Tags=tag_list())["TopicArn"]
sub = sns.subscribe(TopicArn=topic, Protocol="email", Endpoint="oncall@ledger.example.com",
                    ReturnSubscriptionArn=True)["SubscriptionArn"]
real["ledger-prod-alerts:1b2c3d4e-aaaa-bbbb-cccc-ddddeeeeffff"] = sub.split(":", 5)[5]

# --- schedules.tf (schedules.yaml); aws_scheduler_schedule takes no tags
for job, cron, queue, enabled in (("nightly-close", "cron(0 2 * * ? *)", "reports", True),
                                  ("hourly-reconcile", "rate(1 hour)", "ingest", True),
                                  ("monthly-statements", "cron(0 6 1 * ? *)", "reports", False)):
    sch.create_schedule(
        Name=f"{NAME}-{job}", ScheduleExpression=cron, State="ENABLED" if enabled else "DISABLED",
        FlexibleTimeWindow={"Mode": "OFF"},
        Target={"Arn": queue_arn[queue], "RoleArn": roles["scheduler"], "Input": json.dumps({"job": job})},
    )

# --- alarms.tf
for key in ("ingest", "reports"):
    cw.put_metric_alarm(
        AlarmName=f"{NAME}-{key}-dlq-not-empty", Namespace="AWS/SQS", MetricName="ApproximateNumberOfMessagesVisible",
        Statistic="Maximum", Period=300, EvaluationPeriods=1, Threshold=0,
        ComparisonOperator="GreaterThanThreshold", Dimensions=[{"Name": "QueueName", "Value": f"{NAME}-{key}-dlq"}],
        AlarmActions=[topic], Tags=tag_list(),
    )
cw.put_metric_alarm(
    AlarmName=f"{NAME}-api-5xx", Namespace="AWS/ApplicationELB", MetricName="HTTPCode_Target_5XX_Count",
    Statistic="Sum", Period=60, EvaluationPeriods=5, Threshold=10, ComparisonOperator="GreaterThanThreshold",
    Dimensions=[{"Name": "LoadBalancer", "Value": real["app/ledger-prod-api/5f2b1c0d9e8a7b6c"]}],
    AlarmActions=[topic], Tags=tag_list(),
)

# --- the state an apply leaves: the example's, with this account's ids
with open(os.path.join(EXAMPLE, "terraform.tfstate")) as f:
    text = f.read()
for fake in sorted(real, key=len, reverse=True):
    text = text.replace(fake, real[fake])
# The account: in ARNs and queue URLs (not in the image name, which is a literal of the code).
text = re.sub(r"(?<=:)123456789012(?=:)", ACCOUNT, text)
text = text.replace("/123456789012/", f"/{ACCOUNT}/").replace('"owner_id": "123456789012"', f'"owner_id": "{ACCOUNT}"')
state = json.loads(text)
state["serial"] = 1
os.makedirs(OUT, exist_ok=True)
with open(os.path.join(OUT, "terraform.tfstate"), "w") as f:
    json.dump(state, f, indent=2)
with open(os.path.join(OUT, "e2e.auto.tfvars"), "w") as f:
    f.write(f'certificate_arn = "{cert}"\n')

emit(creds, ACCOUNT, vpc=vpc, lb=lb_arn, acl=acl["ARN"], queue_arn=queue_arn, topic=topic,
     functions=fn_arn, mappings=esm, certificate=cert, subnets=subnets)
