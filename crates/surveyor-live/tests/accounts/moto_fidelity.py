"""Correct, in a recorded snapshot of the orders example, the values moto's CloudFormation
emulation does not apply from the templates, so the example's drift is the drift the
recording script made on purpose (a changed retention, a disabled rule, a hand-made
instance, …) and not moto's gaps. Run after re-recording:

    python3 crates/surveyor-live/tests/accounts/moto_fidelity.py examples/orders/snapshot.json

Each fix names the template value CloudFormation itself would have deployed.
"""
import json
import sys

# (type, CloudFormation logical id or name) → attributes as the template declares them.
FIXES = {
    # moto creates every subnet with MapPublicIpOnLaunch false; CDK's public subnets set it.
    ("AWS::EC2::Subnet", "VpcpublicSubnet1Subnet2BB74ED7"): {"MapPublicIpOnLaunch": True},
    ("AWS::EC2::Subnet", "VpcpublicSubnet2SubnetE34B022A"): {"MapPublicIpOnLaunch": True},
    # moto ignores LaunchType/NetworkMode of stack-made ECS resources (defaults EC2/bridge).
    ("AWS::ECS::Service", "ApiServiceC9037CF0"): {"LaunchType": "FARGATE"},
    ("AWS::ECS::Service", "WorkerService99815FA9"): {"LaunchType": "FARGATE"},
    ("AWS::ECS::TaskDefinition", "ApiTask011D0955"): {"NetworkMode": "awsvpc"},
    ("AWS::ECS::TaskDefinition", "WorkerTaskCBB1FEE3"): {"NetworkMode": "awsvpc"},
    # moto drops a function's Architectures; the template asks for arm64.
    ("AWS::Lambda::Function", "EventsFunctionDE45FBEF"): {"Architectures": ["arm64"]},
    # moto's stack-made repositories ignore ImageScanningConfiguration.
    ("AWS::ECR::Repository", "ApiRepoEFA7BA97"): {"ImageScanningConfiguration": {"ScanOnPush": True}},
    # The schedule was made through the Scheduler API with CDK's time zone spelling.
    ("AWS::Scheduler::Schedule", "orders-weekly-reconcile"): {"ScheduleExpressionTimezone": "Etc/UTC"},
}


def main(path):
    with open(path, encoding="utf-8") as f:
        snap = json.load(f)
    fixed = 0
    for r in snap["resources"]:
        key = (r["stack"] or {}).get("logical_id") if r.get("stack") else r.get("name")
        fix = FIXES.get((r["type"], key))
        if fix:
            r.setdefault("attributes", {}).update(fix)
            fixed += 1
    with open(path, "w", encoding="utf-8") as f:
        json.dump(snap, f, indent=2, ensure_ascii=False)
        f.write("\n")
    print(f"moto_fidelity: {fixed} resources corrected (of {len(FIXES)} known)")
    return 0 if fixed == len(FIXES) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
