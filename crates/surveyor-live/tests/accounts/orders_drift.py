"""More out-of-band changes to the orders account that orders_example.py built (run it first,
with the same account id): what the drift and findings must reveal beyond that script's own.

  - the database's engine upgraded by hand (code: 16.9);
  - two schedules made by hand in the default group;
  - an SSM parameter the code declares deleted;
  - the web ACL detached from the load balancer.

usage: orders_drift.py ACCOUNT_ID"""

import sys

from common import client, emit, session

ACCOUNT = sys.argv[1]
s, creds = session(ACCOUNT, "us-east-2")
facts = {}

rds = client(s, "rds")
rds.modify_db_instance(DBInstanceIdentifier="orders-db", EngineVersion="16.10", ApplyImmediately=True)
facts["engine"] = rds.describe_db_instances(DBInstanceIdentifier="orders-db")["DBInstances"][0]["EngineVersion"]

sch = client(s, "scheduler")
lam_arn = f"arn:aws:lambda:us-east-2:{ACCOUNT}:function:orders-events-handler"
role = f"arn:aws:iam::{ACCOUNT}:role/adhoc"
for name in ("adhoc-backfill-1", "adhoc-backfill-2"):
    sch.create_schedule(
        Name=name, ScheduleExpression="rate(1 hour)", FlexibleTimeWindow={"Mode": "OFF"},
        Target={"Arn": lam_arn, "RoleArn": role},
    )
facts["schedules"] = ["adhoc-backfill-1", "adhoc-backfill-2"]

ssm = client(s, "ssm")
ssm.delete_parameter(Name="/orders/api/url")
facts["parameter"] = "/orders/api/url"

waf = client(s, "wafv2")
elb = client(s, "elbv2")
lb = elb.describe_load_balancers(Names=["orders-alb"])["LoadBalancers"][0]["LoadBalancerArn"]
acl = waf.get_web_acl_for_resource(ResourceArn=lb).get("WebACL")
if acl:
    waf.disassociate_web_acl(ResourceArn=lb)
    facts["web_acl"] = acl["ARN"]
facts["lb"] = lb

emit(creds, ACCOUNT, **facts)
