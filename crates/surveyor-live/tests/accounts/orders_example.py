"""Deploys the bundled example (examples/orders) into moto and makes the out-of-band changes
its map should reveal. The recorded snapshot examples/orders/snapshot.json is a scan of this
account (re-record: SURVEYOR_RECORD=1 cargo test -p surveyor-live --test live orders_example).

CDK templates are deployed as synthesized, less what needs the CDK bootstrap or a Lambda
runtime: the `CheckBootstrapVersion` rule and `BootstrapVersion` parameter, `Custom::*`
resources (their effect, the bucket notification, is applied afterwards as the handler
would), and `AWS::CDK::Metadata`. Asset code is uploaded as a placeholder zip to the asset
bucket the templates name. The hand-written CloudFormation/SAM templates are deployed where
moto can; what it cannot is reported on stderr.

usage: orders_example.py [ACCOUNT_ID]   (default 111111111111, the example's CDK env)"""

import glob
import json
import os
import secrets
import sys
import time

import yaml

from common import client, emit, lambda_zip, session

ACCOUNT = sys.argv[1] if len(sys.argv) > 1 else "111111111111"
REGION = "us-east-2"
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "../../../../examples/orders"))
s, creds = session(ACCOUNT, REGION)
cfn = client(s, "cloudformation")
s3 = client(s, "s3")


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def cfn_yaml(text):
    """CloudFormation YAML with its short-form tags (`!Ref`, `!Sub`, ...) as JSON intrinsics."""
    class Loader(yaml.SafeLoader):
        pass

    def tag(loader, suffix, node):
        if isinstance(node, yaml.ScalarNode):
            value = loader.construct_scalar(node)
        elif isinstance(node, yaml.SequenceNode):
            value = loader.construct_sequence(node, deep=True)
        else:
            value = loader.construct_mapping(node, deep=True)
        if suffix == "Ref":
            return {"Ref": value}
        if suffix == "GetAtt" and isinstance(value, str):
            value = value.split(".", 1)
        return {"Fn::" + suffix: value}

    Loader.add_multi_constructor("!", tag)
    return yaml.load(text, Loader=Loader)


def moto_types():
    from moto.cloudformation.parsing import get_model_map

    return set(get_model_map())


try:
    SUPPORTED = moto_types()
except Exception:  # the builder may run with a boto3 that has no moto beside it
    SUPPORTED = None


def placeholders(node, dropped):
    """A Ref or GetAtt of a resource moto cannot create becomes a plain string."""
    if isinstance(node, dict):
        if set(node) == {"Ref"} and node["Ref"] in dropped:
            return REPLACE.get(node["Ref"], f"{node['Ref']}-not-in-moto")
        if set(node) == {"Fn::GetAtt"} and node["Fn::GetAtt"][0] in dropped:
            return f"{node['Fn::GetAtt'][0]}-not-in-moto"
        return {k: placeholders(v, dropped) for k, v in node.items()}
    if isinstance(node, list):
        return [placeholders(v, dropped) for v in node]
    return node


def prepare(t):
    t.pop("Rules", None)
    # moto quirk: KMS keys created from a template expect TagKey/TagValue.
    for r in t["Resources"].values():
        if r["Type"] == "AWS::KMS::Key" and "Tags" in r.get("Properties", {}):
            r["Properties"]["Tags"] = [{"TagKey": x["Key"], "TagValue": x["Value"]} for x in r["Properties"]["Tags"]]
        # moto quirk: SSM parameters' Tags are a map in CloudFormation, a list in the API.
        if r["Type"] == "AWS::SSM::Parameter" and isinstance(r.get("Properties", {}).get("Tags"), dict):
            r["Properties"]["Tags"] = [{"Key": k, "Value": v} for k, v in r["Properties"]["Tags"].items()]
        # moto quirk: an alias record without EvaluateTargetHealth is stored as such and
        # answered in XML the SDK rejects; AWS always records it (default false).
        alias = r.get("Properties", {}).get("AliasTarget") if r["Type"] == "AWS::Route53::RecordSet" else None
        if isinstance(alias, dict):
            # A string: moto echoes a template's JSON boolean as Python's `False`.
            alias["EvaluateTargetHealth"] = str(alias.get("EvaluateTargetHealth", False)).lower()
        # moto quirk: a key policy given as a JSON object breaks its DescribeKey later.
        if r["Type"] == "AWS::KMS::Key" and isinstance(r.get("Properties", {}).get("KeyPolicy"), dict):
            r["Properties"]["KeyPolicy"] = json.dumps(r["Properties"]["KeyPolicy"])
    t.get("Parameters", {}).pop("BootstrapVersion", None)
    res = t["Resources"]
    drop = {k for k, r in res.items() if r["Type"].startswith("Custom::") or r["Type"] == "AWS::CDK::Metadata"}
    customs = {k: res[k] for k in drop if res[k]["Type"].startswith("Custom::")}
    unsupported = {k for k, r in res.items() if SUPPORTED is not None and r["Type"] not in SUPPORTED and k not in drop}
    for k in sorted(unsupported):
        r = res[k]
        DROPPED[k] = r
        if r["Type"] == "AWS::CertificateManager::Certificate" and isinstance(r["Properties"].get("DomainName"), str):
            # Listeners need a certificate that exists: request it through ACM instead.
            acm = client(s, "acm")
            REPLACE[k] = acm.request_certificate(DomainName=r["Properties"]["DomainName"])["CertificateArn"]
            log(f"  {k} ({r['Type']}): requested through ACM instead")
        else:
            log(f"  {k} ({r['Type']}): moto cannot create it from a template; left out")
    drop |= unsupported
    for k in drop:
        del res[k]
    for r in res.values():
        dep = r.get("DependsOn")
        if isinstance(dep, list):
            r["DependsOn"] = [d for d in dep if d not in drop]
        elif isinstance(dep, str) and dep in drop:
            del r["DependsOn"]
    outputs = t.get("Outputs", {})
    for k in [k for k, o in outputs.items() if any(f'"{d}"' in json.dumps(o) for d in drop)]:
        del outputs[k]
    if not t.get("Parameters"):
        t.pop("Parameters", None)
    t["Resources"] = placeholders(res, drop)
    return t, customs


def upload_assets(t):
    for r in t["Resources"].values():
        code = r.get("Properties", {}).get("Code", {})
        bucket, key = code.get("S3Bucket"), code.get("S3Key")
        if isinstance(bucket, dict) and "Fn::Sub" in bucket:
            bucket = bucket["Fn::Sub"].replace("${AWS::AccountId}", ACCOUNT).replace("${AWS::Region}", REGION)
        if isinstance(bucket, str) and isinstance(key, str):
            try:
                s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})
            except Exception:
                pass
            s3.put_object(Bucket=bucket, Key=key, Body=lambda_zip())


def deploy(name, body):
    try:
        cfn.create_stack(StackName=name, TemplateBody=body, Capabilities=["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND"])
    except Exception as e:
        log(f"{name}: not deployed: {e}")
        return False
    for _ in range(120):
        st = cfn.describe_stacks(StackName=name)["Stacks"][0]["StackStatus"]
        if not st.endswith("IN_PROGRESS"):
            break
        time.sleep(0.5)
    if st != "CREATE_COMPLETE":
        events = cfn.describe_stack_events(StackName=name)["StackEvents"]
        reasons = [e.get("ResourceStatusReason") for e in events if "FAILED" in e.get("ResourceStatus", "")]
        log(f"{name}: {st}: {reasons[:3]}")
        return False
    log(f"{name}: {st}")
    return True


manifest = json.load(open(os.path.join(ROOT, "cdk/cdk.out/manifest.json")))
stacks = {k: v for k, v in manifest["artifacts"].items() if v.get("type") == "aws:cloudformation:stack"}
order = []
while len(order) < len(stacks):
    for k, v in stacks.items():
        if k not in order and all(d in order or d not in stacks for d in v.get("dependencies", [])):
            order.append(k)
def imports_resolved(node, exports):
    """moto cannot create some types (a secret's attachment, alarms), so some exports never
    appear: an import of one becomes a placeholder with the export's name."""
    if isinstance(node, dict):
        if set(node) == {"Fn::ImportValue"} and isinstance(node["Fn::ImportValue"], str):
            name = node["Fn::ImportValue"]
            if name in exports:
                return node
            if "Secret" in name:
                return f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:{name.split(':')[-1]}"
            return name
        return {k: imports_resolved(v, exports) for k, v in node.items()}
    if isinstance(node, list):
        return [imports_resolved(v, exports) for v in node]
    return node


DROPPED = {}
REPLACE = {}
customs_all = {}
for name in order:
    t = json.load(open(os.path.join(ROOT, "cdk/cdk.out", f"{name}.template.json")))
    t, customs = prepare(t)
    customs_all[name] = customs
    upload_assets(t)
    exports = {e["Name"] for e in cfn.list_exports().get("Exports", [])}
    t = imports_resolved(t, exports)
    deploy(name, json.dumps(t))

for path in sorted(glob.glob(os.path.join(ROOT, "cloudformation/*.yaml"))):
    name = "orders-" + os.path.basename(path).rsplit(".", 1)[0]
    t = cfn_yaml(open(path).read())
    if "Transform" in t:
        log(f"{name}: not deployed: moto does not run the SAM transform")
        continue
    # moto validates outputs against the types it implements; outputs are not needed here.
    t.pop("Outputs", None)
    t, _ = prepare(t)
    exports = {e["Name"] for e in cfn.list_exports().get("Exports", [])}
    deploy(name, json.dumps(imports_resolved(t, exports)))


def physical(stack, logical):
    try:
        return cfn.describe_stack_resource(StackName=stack, LogicalResourceId=logical)["StackResourceDetail"]["PhysicalResourceId"]
    except Exception:
        return None


def resources(stack):
    try:
        return cfn.list_stack_resources(StackName=stack)["StackResourceSummaries"]
    except Exception:
        return []


sqs = client(s, "sqs")
# What CDK's bucket-notifications handler would have done.
for stack, customs in customs_all.items():
    for k, r in customs.items():
        if r["Type"] != "Custom::S3BucketNotifications":
            continue
        props = r["Properties"]
        bucket = physical(stack, props["BucketName"]["Ref"])
        cfg = json.loads(json.dumps(props["NotificationConfiguration"]))
        if not bucket:
            continue
        for q in cfg.get("QueueConfigurations", []):
            arn = q.get("QueueArn")
            if isinstance(arn, dict) and "Fn::GetAtt" in arn:
                url = physical(stack, arn["Fn::GetAtt"][0])
                if not url:
                    continue
                q["QueueArn"] = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        if bucket:
            s3.put_bucket_notification_configuration(Bucket=bucket, NotificationConfiguration=cfg)

ALL_RESOURCES = {}
for st in cfn.describe_stacks()["Stacks"]:
    for r in resources(st["StackName"]):
        ALL_RESOURCES[r["LogicalResourceId"]] = r
EXPORTS = {e["Name"]: e["Value"] for e in cfn.list_exports().get("Exports", [])}


def resolve(v):
    """Template values of the left-out resources, resolved against what was deployed."""
    if isinstance(v, str):
        return v
    if isinstance(v, list):
        return [resolve(x) for x in v]
    if isinstance(v, dict):
        if "Fn::ImportValue" in v:
            return EXPORTS.get(resolve(v["Fn::ImportValue"]), "unresolved")
        if "Ref" in v:
            if v["Ref"] == "AWS::Region":
                return REGION
            if v["Ref"] == "AWS::AccountId":
                return ACCOUNT
            r = ALL_RESOURCES.get(v["Ref"])
            return r["PhysicalResourceId"] if r else REPLACE.get(v["Ref"], "unresolved")
        if "Fn::GetAtt" in v:
            logical, attr = v["Fn::GetAtt"][0], v["Fn::GetAtt"][1]
            r = ALL_RESOURCES.get(logical)
            if not r:
                return "unresolved"
            pid = r["PhysicalResourceId"]
            if attr == "QueueName":
                return pid.rsplit("/", 1)[-1]
            if attr == "Arn" and r["ResourceType"] == "AWS::SQS::Queue":
                return client(s, "sqs").get_queue_attributes(QueueUrl=pid, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
            if attr == "Arn" and r["ResourceType"] == "AWS::Lambda::Function":
                return f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{pid}"
            if attr == "Arn" and r["ResourceType"] == "AWS::IAM::Role":
                return f"arn:aws:iam::{ACCOUNT}:role/{pid}"
            if attr == "LoadBalancerFullName":
                return pid.split(":loadbalancer/", 1)[-1]
            return pid
        if "Fn::Join" in v:
            sep, parts = v["Fn::Join"]
            return sep.join(str(resolve(p)) for p in parts)
        return {k: resolve(x) for k, x in v.items()}
    return v


def strip(props, keep):
    return {k: resolve(props[k]) for k in keep if k in props}


for logical, r in DROPPED.items():
    props = r.get("Properties", {})
    try:
        if r["Type"] == "AWS::CloudWatch::Alarm":
            a = strip(props, ["AlarmName", "AlarmDescription", "MetricName", "Namespace", "Statistic", "Period",
                              "EvaluationPeriods", "DatapointsToAlarm", "Threshold", "ComparisonOperator",
                              "TreatMissingData", "Dimensions", "AlarmActions", "OKActions"])
            a.setdefault("AlarmName", logical)
            for key in ("Period", "EvaluationPeriods", "DatapointsToAlarm"):
                if key in a:
                    a[key] = int(a[key])
            if "Threshold" in a:
                a["Threshold"] = float(a["Threshold"])
            client(s, "cloudwatch").put_metric_alarm(**a)
        elif r["Type"] == "AWS::Scheduler::Schedule":
            a = strip(props, ["Name", "GroupName", "ScheduleExpression", "ScheduleExpressionTimezone", "State", "FlexibleTimeWindow", "Target", "Description"])
            a.setdefault("Name", logical)
            a.get("Target", {}).pop("Input", None)
            client(s, "scheduler").create_schedule(**a)
        elif r["Type"] == "AWS::SNS::Subscription":
            a = strip(props, ["TopicArn", "Protocol", "Endpoint"])
            attrs = {"RawMessageDelivery": "true"} if props.get("RawMessageDelivery") else {}
            client(s, "sns").subscribe(ReturnSubscriptionArn=True, Attributes=attrs, **a)
        elif r["Type"] == "AWS::SecretsManager::Secret":
            a = strip(props, ["Name"])
            a.setdefault("Name", logical)
            # What GenerateSecretString would store; surveyor never reads secret values.
            client(s, "secretsmanager").create_secret(SecretString=secrets.token_hex(16), **a)
        elif r["Type"] == "AWS::WAFv2::WebACL":
            a = strip(props, ["Name", "Scope", "DefaultAction", "VisibilityConfig", "Description"])
            a.setdefault("Name", logical)
            REPLACE[logical] = client(s, "wafv2").create_web_acl(Rules=[], **a)["Summary"]["ARN"]
        else:
            continue
        log(f"  {logical} ({r['Type']}): created through its own API (moto's templates lack it)")
    except Exception as e:
        log(f"  {logical} ({r['Type']}): could not be created: {e}")
for logical, r in DROPPED.items():
    if r["Type"] == "AWS::WAFv2::WebACLAssociation":
        props = r["Properties"]
        acl = REPLACE.get(props.get("WebACLArn", {}).get("Fn::GetAtt", [""])[0])
        target = resolve(props.get("ResourceArn"))
        if acl and isinstance(target, str) and target.startswith("arn:"):
            client(s, "wafv2").associate_web_acl(WebACLArn=acl, ResourceArn=target)
            log(f"  {logical}: associated through the WAF API")

ec2 = client(s, "ec2")
# moto quirk: a template's subnet route table associations complete without associating.
for name in order:
    t = json.load(open(os.path.join(ROOT, "cdk/cdk.out", f"{name}.template.json")))
    for logical, r in t["Resources"].items():
        if r["Type"] != "AWS::EC2::SubnetRouteTableAssociation":
            continue
        subnet, table = resolve(r["Properties"]["SubnetId"]), resolve(r["Properties"]["RouteTableId"])
        tables = ec2.describe_route_tables(RouteTableIds=[table])["RouteTables"]
        if tables and not any(a.get("SubnetId") == subnet for a in tables[0].get("Associations", [])):
            ec2.associate_route_table(SubnetId=subnet, RouteTableId=table)
    log(f"{name}: subnet route table associations applied")

facts = {}
# Out of band 1: an instance made by hand, with a public IP, in a public subnet.
public = [r["PhysicalResourceId"] for r in resources("OrdersNetwork")
          if r["ResourceType"] == "AWS::EC2::Subnet" and "public" in r["LogicalResourceId"].lower()]
sgs = [r["PhysicalResourceId"] for r in resources("OrdersNetwork") if r["ResourceType"] == "AWS::EC2::SecurityGroup"]
if public:
    inst = ec2.run_instances(
        ImageId="ami-12c6146b", MinCount=1, MaxCount=1, InstanceType="t3.micro",
        NetworkInterfaces=[{"DeviceIndex": 0, "SubnetId": public[0], "AssociatePublicIpAddress": True, "Groups": sgs[:1]}],
        TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": "debug-box"}]}],
    )["Instances"][0]["InstanceId"]
    facts["instance"] = inst

# Out of band 2: messages in the dead-letter queue.
for url in sqs.list_queues().get("QueueUrls", []):
    if "dlq" in url.lower() or "deadletter" in url.lower():
        for i in range(7):
            sqs.send_message(QueueUrl=url, MessageBody=json.dumps({"order": 1000 + i, "error": "payment timeout"}))
        facts.setdefault("dlqs", []).append(url)
        break

# Out of band 3: an alarm in ALARM.
cw = client(s, "cloudwatch")
alarms = sorted(cw.describe_alarms()["MetricAlarms"], key=lambda a: "dlq" not in a["AlarmName"].lower())
if alarms:
    name = alarms[0]["AlarmName"]
    cw.set_alarm_state(AlarmName=name, StateValue="ALARM", StateReason="Threshold Crossed: 7 datapoints were greater than the threshold (0.0)")
    facts["alarm"] = name

# Out of band 4: a log group's retention changed by hand.
logs = client(s, "logs")
groups = [g for g in logs.describe_log_groups()["logGroups"] if "${" not in g["logGroupName"]]
if groups:
    logs.put_retention_policy(logGroupName=groups[0]["logGroupName"], retentionInDays=1)
    facts["log_group"] = groups[0]["logGroupName"]

# Out of band 5: a schedule or rule disabled by hand.
sch = client(s, "scheduler")
scheds = sch.list_schedules().get("Schedules", [])
if scheds:
    full = sch.get_schedule(Name=scheds[0]["Name"], GroupName=scheds[0].get("GroupName", "default"))
    sch.update_schedule(
        Name=full["Name"], GroupName=full["GroupName"], ScheduleExpression=full["ScheduleExpression"],
        FlexibleTimeWindow=full["FlexibleTimeWindow"], Target=full["Target"], State="DISABLED",
    )
    facts["schedule"] = full["Name"]
ev = client(s, "events")
rules = [r for r in ev.list_rules().get("Rules", []) if r.get("State") == "ENABLED"]
if rules:
    ev.disable_rule(Name=rules[0]["Name"])
    facts["rule"] = rules[0]["Name"]

facts["stacks"] = [st["StackName"] for st in cfn.describe_stacks()["Stacks"]]
emit(creds, ACCOUNT, **facts)
