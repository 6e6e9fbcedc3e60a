"""Out-of-band changes to the ledger account that ledger_apply.py built (run it first, with the
same account id): what a week of console fixes and one-off jobs leaves behind.

  - an instance made by hand in a public subnet, with a public IP;
  - the API's log retention cut from 30 days to 7;
  - the database's engine upgraded by hand (code: 16.3);
  - the reports queue's visibility timeout raised (code: 900);
  - one schedule disabled, and two one-off schedules made by hand;
  - messages stuck in the ingest dead-letter queue, and its alarm in ALARM;
  - the web ACL detached from the load balancer.

usage: ledger_drift.py ACCOUNT_ID"""

import sys

from common import client, emit, session

ACCOUNT = sys.argv[1]
NAME = "ledger-prod"
s, creds = session(ACCOUNT, "us-east-2")
ec2, logs, rds = client(s, "ec2"), client(s, "logs"), client(s, "rds")
sqs, sch, cw = client(s, "sqs"), client(s, "scheduler"), client(s, "cloudwatch")
waf, elb = client(s, "wafv2"), client(s, "elbv2")
facts = {}

subnet = ec2.describe_subnets(Filters=[{"Name": "tag:Name", "Values": [f"{NAME}-public-1"]}])["Subnets"][0]
image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
inst = ec2.run_instances(
    ImageId=image, InstanceType="t3.micro", MinCount=1, MaxCount=1,
    NetworkInterfaces=[{"DeviceIndex": 0, "SubnetId": subnet["SubnetId"], "AssociatePublicIpAddress": True}],
    TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": "ledger-hotfix"}]}],
)["Instances"][0]
facts["instance"] = inst["InstanceId"]

logs.put_retention_policy(logGroupName=f"/ecs/{NAME}-api", retentionInDays=7)

rds.modify_db_instance(DBInstanceIdentifier=f"{NAME}-db", EngineVersion="16.4", ApplyImmediately=True)
facts["engine"] = rds.describe_db_instances(DBInstanceIdentifier=f"{NAME}-db")["DBInstances"][0]["EngineVersion"]

reports = sqs.get_queue_url(QueueName=f"{NAME}-reports")["QueueUrl"]
sqs.set_queue_attributes(QueueUrl=reports, Attributes={"VisibilityTimeout": "1800"})

nightly = sch.get_schedule(Name=f"{NAME}-nightly-close")
sch.update_schedule(
    Name=nightly["Name"], ScheduleExpression=nightly["ScheduleExpression"], State="DISABLED",
    FlexibleTimeWindow=nightly["FlexibleTimeWindow"], Target=nightly["Target"],
)
ingest_arn = sqs.get_queue_attributes(
    QueueUrl=sqs.get_queue_url(QueueName=f"{NAME}-ingest")["QueueUrl"], AttributeNames=["QueueArn"]
)["Attributes"]["QueueArn"]
for name in ("replay-2026-11-30", "replay-2026-12-01"):
    sch.create_schedule(
        Name=name, ScheduleExpression="at(2026-12-03T04:00:00)", FlexibleTimeWindow={"Mode": "OFF"},
        Target={"Arn": ingest_arn, "RoleArn": f"arn:aws:iam::{ACCOUNT}:role/{NAME}-scheduler"},
    )

dlq = sqs.get_queue_url(QueueName=f"{NAME}-ingest-dlq")["QueueUrl"]
for n in range(3):
    sqs.send_message(QueueUrl=dlq, MessageBody=f'{{"upload": "incoming/{n}.csv"}}')
cw.set_alarm_state(
    AlarmName=f"{NAME}-ingest-dlq-not-empty", StateValue="ALARM",
    StateReason="Threshold Crossed: 1 datapoint [3.0] was greater than the threshold (0.0).",
)

lb = elb.describe_load_balancers(Names=[f"{NAME}-api"])["LoadBalancers"][0]["LoadBalancerArn"]
waf.disassociate_web_acl(ResourceArn=lb)
facts["waf_attached"] = bool(waf.get_web_acl_for_resource(ResourceArn=lb).get("WebACL"))

emit(creds, ACCOUNT, **facts)
