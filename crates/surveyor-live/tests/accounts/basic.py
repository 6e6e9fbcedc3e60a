"""A realistic small account (~100 resources) built through the real API: a VPC with public
and private subnets, an internet-facing load balancer in front of an ECS service, a queue
pipeline with a dead-letter queue holding messages, a bucket notifying a queue, a function
consuming the queue, alarms, schedules, data stores, secrets, DNS, WAF, an API, and a
CloudFormation stack managing part of it. Prints credentials and facts as JSON.

usage: basic.py ACCOUNT_ID"""

import json
import sys

from common import client, emit, lambda_zip, session

ACCOUNT = sys.argv[1] if len(sys.argv) > 1 else "210987654321"
REGION = "us-east-1"
s, creds = session(ACCOUNT, REGION)
ec2 = client(s, "ec2")
facts = {}

vpc = ec2.create_vpc(CidrBlock="10.20.0.0/16")["Vpc"]["VpcId"]
ec2.create_tags(Resources=[vpc], Tags=[{"Key": "Name", "Value": "main"}])
pub_a = ec2.create_subnet(VpcId=vpc, CidrBlock="10.20.1.0/24", AvailabilityZone="us-east-1a")["Subnet"]["SubnetId"]
pub_b = ec2.create_subnet(VpcId=vpc, CidrBlock="10.20.2.0/24", AvailabilityZone="us-east-1b")["Subnet"]["SubnetId"]
priv_a = ec2.create_subnet(VpcId=vpc, CidrBlock="10.20.11.0/24", AvailabilityZone="us-east-1a")["Subnet"]["SubnetId"]
ec2.modify_subnet_attribute(SubnetId=pub_a, MapPublicIpOnLaunch={"Value": True})
igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
rt = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
ec2.create_route(RouteTableId=rt, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
ec2.associate_route_table(RouteTableId=rt, SubnetId=pub_a)
ec2.associate_route_table(RouteTableId=rt, SubnetId=pub_b)
eip = ec2.allocate_address(Domain="vpc")
nat = ec2.create_nat_gateway(SubnetId=pub_a, AllocationId=eip["AllocationId"])["NatGateway"]["NatGatewayId"]

lb_sg = ec2.create_security_group(GroupName="lb", Description="load balancer", VpcId=vpc)["GroupId"]
ec2.authorize_security_group_ingress(
    GroupId=lb_sg,
    IpPermissions=[{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}],
)
app_sg = ec2.create_security_group(GroupName="app", Description="service", VpcId=vpc)["GroupId"]
ec2.authorize_security_group_ingress(
    GroupId=app_sg,
    IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 8080, "ToPort": 8080, "UserIdGroupPairs": [{"GroupId": lb_sg}]},
        {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0", "Description": "ssh"}]},
    ],
)
facts.update(vpc=vpc, subnet_public=pub_a, subnet_private=priv_a, igw=igw, nat=nat, route_table=rt,
             lb_sg=lb_sg, app_sg=app_sg, eip=eip["PublicIp"])

# An instance made by hand, with a public address.
inst = ec2.run_instances(
    ImageId="ami-12c6146b", MinCount=1, MaxCount=1, InstanceType="t3.micro",
    NetworkInterfaces=[{"DeviceIndex": 0, "SubnetId": pub_a, "AssociatePublicIpAddress": True, "Groups": [app_sg]}],
    TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": "bastion"}]}],
)["Instances"][0]["InstanceId"]
facts["instance"] = inst
lt = ec2.create_launch_template(LaunchTemplateName="workers", LaunchTemplateData={"ImageId": "ami-12c6146b", "InstanceType": "t3.small"})
asg = client(s, "autoscaling")
asg.create_auto_scaling_group(
    AutoScalingGroupName="workers", MinSize=1, MaxSize=3, DesiredCapacity=2,
    LaunchTemplate={"LaunchTemplateName": "workers", "Version": "$Latest"}, VPCZoneIdentifier=f"{priv_a}",
)

iam = client(s, "iam")
trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
role = iam.create_role(RoleName="worker-fn", AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
facts["role"] = role

sqs = client(s, "sqs")
dlq = sqs.create_queue(QueueName="jobs-dlq")["QueueUrl"]
dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
jobs = sqs.create_queue(
    QueueName="jobs",
    Attributes={"VisibilityTimeout": "600", "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 5})},
)["QueueUrl"]
jobs_arn = sqs.get_queue_attributes(QueueUrl=jobs, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
for i in range(3):
    sqs.send_message(QueueUrl=dlq, MessageBody=f"failed job {i}")
facts.update(dlq_url=dlq, dlq_arn=dlq_arn, jobs_url=jobs, jobs_arn=jobs_arn, dlq_depth=3)

sns = client(s, "sns")
topic = sns.create_topic(Name="orders-events")["TopicArn"]
sub = sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=jobs_arn)["SubscriptionArn"]
facts.update(topic=topic, subscription=sub)

s3 = client(s, "s3")
bucket = f"uploads-{ACCOUNT}"
s3.create_bucket(Bucket=bucket)
s3.put_bucket_notification_configuration(
    Bucket=bucket,
    NotificationConfiguration={"QueueConfigurations": [{"QueueArn": jobs_arn, "Events": ["s3:ObjectCreated:*"]}]},
)
s3.put_bucket_encryption(
    Bucket=bucket,
    ServerSideEncryptionConfiguration={"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"}}]},
)
s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
s3.put_public_access_block(
    Bucket=bucket,
    PublicAccessBlockConfiguration={"BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True},
)
s3.put_bucket_lifecycle_configuration(
    Bucket=bucket,
    LifecycleConfiguration={"Rules": [{"ID": "expire", "Status": "Enabled", "Filter": {"Prefix": "tmp/"}, "Expiration": {"Days": 7}}]},
)
plain_bucket = f"plain-{ACCOUNT}"
s3.create_bucket(Bucket=plain_bucket)
facts.update(bucket=bucket, plain_bucket=plain_bucket)

lam = client(s, "lambda")
fn = lam.create_function(
    FunctionName="worker", Runtime="python3.12", Role=role, Handler="index.handler",
    Code={"ZipFile": lambda_zip()}, Timeout=30, MemorySize=512,
    Environment={"Variables": {"QUEUE_URL": jobs, "LOG_LEVEL": "info", "API_TOKEN": "tok-9f8e7d6c5b4a"}},
    VpcConfig={"SubnetIds": [priv_a], "SecurityGroupIds": [app_sg]},
)["FunctionArn"]
lam.create_event_source_mapping(EventSourceArn=jobs_arn, FunctionName="worker", BatchSize=10)
ver = lam.publish_version(FunctionName="worker")["Version"]
lam.create_alias(FunctionName="worker", Name="live", FunctionVersion=ver)
facts.update(function=fn, secret_env="tok-9f8e7d6c5b4a")

logs = client(s, "logs")
logs.create_log_group(logGroupName="/aws/lambda/worker")
logs.put_retention_policy(logGroupName="/aws/lambda/worker", retentionInDays=14)
logs.create_log_group(logGroupName="/app/forever")

cw = client(s, "cloudwatch")
cw.put_metric_alarm(
    AlarmName="dlq-not-empty", Namespace="AWS/SQS", MetricName="ApproximateNumberOfMessagesVisible",
    Dimensions=[{"Name": "QueueName", "Value": "jobs-dlq"}], Statistic="Maximum", Period=60,
    EvaluationPeriods=1, Threshold=0, ComparisonOperator="GreaterThanThreshold", AlarmActions=[topic],
)
cw.set_alarm_state(AlarmName="dlq-not-empty", StateValue="ALARM", StateReason="3 messages in the DLQ")
facts["alarm_reason"] = "3 messages in the DLQ"

ev = client(s, "events")
ev.put_rule(Name="nightly", ScheduleExpression="cron(0 3 * * ? *)")
ev.put_targets(Rule="nightly", Targets=[{"Id": "fn", "Arn": fn}])
ev.put_rule(Name="old-sync", ScheduleExpression="rate(1 hour)")
ev.disable_rule(Name="old-sync")

sch = client(s, "scheduler")
sch.create_schedule_group(Name="reports")
sch.create_schedule(
    Name="weekly-report", GroupName="reports", ScheduleExpression="rate(7 days)", State="DISABLED",
    FlexibleTimeWindow={"Mode": "OFF"}, Target={"Arn": fn, "RoleArn": role},
)

sfn = client(s, "stepfunctions")
definition = {"StartAt": "Work", "States": {"Work": {"Type": "Task", "Resource": fn, "End": True}}}
sm = sfn.create_state_machine(name="order-flow", definition=json.dumps(definition), roleArn=role)["stateMachineArn"]
facts["state_machine"] = sm

ddb = client(s, "dynamodb")
ddb.create_table(
    TableName="orders", KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
    AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}], BillingMode="PAY_PER_REQUEST",
)

rds = client(s, "rds")
rds.create_db_subnet_group(DBSubnetGroupName="data", DBSubnetGroupDescription="data", SubnetIds=[priv_a, pub_b])
rds.create_db_instance(
    DBInstanceIdentifier="orders-db", DBInstanceClass="db.t3.micro", Engine="postgres", EngineVersion="16.3",
    MasterUsername="app", MasterUserPassword="db-password-123", AllocatedStorage=20, DBSubnetGroupName="data",
)
facts["db_password"] = "db-password-123"

ec = client(s, "elasticache")
ec.create_cache_cluster(CacheClusterId="sessions", Engine="redis", CacheNodeType="cache.t3.micro", NumCacheNodes=1)

kms = client(s, "kms")
key = kms.create_key(Description="app data")["KeyMetadata"]["KeyId"]
kms.create_alias(AliasName="alias/app", TargetKeyId=key)

sm_client = client(s, "secretsmanager")
sm_client.create_secret(Name="app/db", SecretString="hunter2-very-secret")
ssm = client(s, "ssm")
ssm.put_parameter(Name="/app/api-key", Value="param-s3cr3t-value", Type="SecureString")
ssm.put_parameter(Name="/app/feature", Value="on", Type="String")
facts.update(secret_value="hunter2-very-secret", param_value="param-s3cr3t-value")

ecr = client(s, "ecr")
ecr.create_repository(repositoryName="app", imageScanningConfiguration={"scanOnPush": False})

r53 = client(s, "route53")
zone = r53.create_hosted_zone(Name="example.test", CallerReference="surveyor")["HostedZone"]["Id"].split("/")[-1]

acm = client(s, "acm")
cert = acm.request_certificate(DomainName="api.example.test")["CertificateArn"]

elb = client(s, "elbv2")
lb = elb.create_load_balancer(Name="public", Subnets=[pub_a, pub_b], SecurityGroups=[lb_sg], Scheme="internet-facing", Type="application")["LoadBalancers"][0]
tg = elb.create_target_group(Name="app", Protocol="HTTP", Port=8080, VpcId=vpc, TargetType="ip", HealthCheckPath="/health")["TargetGroups"][0]["TargetGroupArn"]
listener = elb.create_listener(
    LoadBalancerArn=lb["LoadBalancerArn"], Protocol="HTTP", Port=80,
    DefaultActions=[{"Type": "forward", "TargetGroupArn": tg}],
)["Listeners"][0]["ListenerArn"]
elb.create_rule(
    ListenerArn=listener, Priority=10,
    Conditions=[{"Field": "path-pattern", "Values": ["/api/*"]}],
    Actions=[{"Type": "forward", "TargetGroupArn": tg}],
)
r53.change_resource_record_sets(
    HostedZoneId=zone,
    ChangeBatch={"Changes": [{"Action": "CREATE", "ResourceRecordSet": {
        "Name": "api.example.test", "Type": "A",
        "AliasTarget": {"HostedZoneId": lb["CanonicalHostedZoneId"], "DNSName": lb["DNSName"], "EvaluateTargetHealth": False}}}]},
)
facts.update(lb=lb["LoadBalancerArn"], target_group=tg, listener=listener, zone=zone, cert=cert)

ecs = client(s, "ecs")
cluster = ecs.create_cluster(clusterName="apps")["cluster"]["clusterArn"]
td = ecs.register_task_definition(
    family="api", networkMode="awsvpc", requiresCompatibilities=["FARGATE"], cpu="256", memory="512",
    containerDefinitions=[{"name": "api", "image": "nginx", "portMappings": [{"containerPort": 8080}],
                           "environment": [{"name": "NODE_ENV", "value": "production"}, {"name": "DB_PASSWORD", "value": "db-password-123"}]}],
)["taskDefinition"]["taskDefinitionArn"]
svc = ecs.create_service(
    cluster="apps", serviceName="api", taskDefinition=td, desiredCount=2, launchType="FARGATE",
    loadBalancers=[{"targetGroupArn": tg, "containerName": "api", "containerPort": 8080}],
    networkConfiguration={"awsvpcConfiguration": {"subnets": [priv_a], "securityGroups": [app_sg], "assignPublicIp": "DISABLED"}},
)["service"]["serviceArn"]
facts.update(cluster=cluster, task_definition=td, service=svc)

waf = client(s, "wafv2")
acl = waf.create_web_acl(
    Name="edge", Scope="REGIONAL", DefaultAction={"Allow": {}}, Rules=[],
    VisibilityConfig={"SampledRequestsEnabled": False, "CloudWatchMetricsEnabled": False, "MetricName": "edge"},
)["Summary"]["ARN"]
waf.associate_web_acl(WebACLArn=acl, ResourceArn=lb["LoadBalancerArn"])
facts["web_acl"] = acl

apigw = client(s, "apigateway")
api = apigw.create_rest_api(name="orders-api")["id"]
root = [r for r in apigw.get_resources(restApiId=api)["items"] if r["path"] == "/"][0]["id"]
apigw.put_method(restApiId=api, resourceId=root, httpMethod="GET", authorizationType="NONE")
apigw.put_integration(restApiId=api, resourceId=root, httpMethod="GET", type="MOCK")
apigw.create_deployment(restApiId=api, stageName="prod")
facts["rest_api"] = api
http = client(s, "apigatewayv2").create_api(Name="webhooks", ProtocolType="HTTP")["ApiId"]
facts["http_api"] = http

# CloudFront (global): a distribution in front of the load balancer. moto quirk: booleans
# left to its defaults are answered as Python's `True`/`False`, which the SDK rightly
# rejects; given explicitly they are echoed as `true`/`false`.
cf = client(s, "cloudfront")
dist = cf.create_distribution(DistributionConfig={
    "CallerReference": "surveyor-edge", "Comment": "edge", "Enabled": True,
    "Logging": {"Enabled": False, "IncludeCookies": False, "Bucket": "", "Prefix": ""},
    "Origins": {"Quantity": 1, "Items": [{
        "Id": "alb", "DomainName": lb["DNSName"],
        "CustomOriginConfig": {"HTTPPort": 80, "HTTPSPort": 443, "OriginProtocolPolicy": "https-only"},
    }]},
    "DefaultCacheBehavior": {"TargetOriginId": "alb", "ViewerProtocolPolicy": "redirect-to-https",
                             "MinTTL": 0, "SmoothStreaming": False, "ForwardedValues": {"QueryString": False, "Cookies": {"Forward": "none"}}},
})["Distribution"]
facts["distribution"] = dist["Id"]

cfn = client(s, "cloudformation")
template = {
    "Resources": {
        "EventsQueue": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": "stack-events", "VisibilityTimeout": 45}},
        "Alerts": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": "stack-alerts"}},
        "Table": {"Type": "AWS::DynamoDB::Table", "Properties": {
            "TableName": "stack-table", "BillingMode": "PAY_PER_REQUEST",
            "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}]}},
    }
}
stack = cfn.create_stack(StackName="platform", TemplateBody=json.dumps(template))["StackId"]
facts["stack"] = stack

emit(creds, ACCOUNT, **facts)
