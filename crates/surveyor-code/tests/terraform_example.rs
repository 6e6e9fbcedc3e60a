//! The bundled modular Terraform example (`examples/ledger-terraform`): HCL with local modules,
//! `for_each`/`count`, `dynamic` blocks, a YAML-driven schedule list, split-out S3 and security
//! group resources, joined with the state such an apply leaves.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use surveyor_code::{read_paths, CodeOptions};
use surveyor_model::{Inventory, Resource, SourceKind, Value};

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/ledger-terraform")
}

/// Resources by Terraform address; the block's own resource, not what it implies (an internet
/// gateway's attachment shares its address and comes after it).
fn by_address(inv: &Inventory) -> HashMap<String, &Resource> {
    let mut by = HashMap::new();
    for r in &inv.resources {
        if let Some(a) = r.code.as_ref().and_then(|c| c.address.clone()) {
            by.entry(a).or_insert(r);
        }
    }
    by
}

/// The 1-based line of the first line of `file` that starts with `needle`.
fn line_of(file: &str, needle: &str) -> u32 {
    let text = std::fs::read_to_string(example().join(file)).unwrap();
    text.lines()
        .position(|l| l.starts_with(needle))
        .expect(needle) as u32
        + 1
}

fn ref_to(v: Option<&Value>) -> &str {
    match v {
        Some(Value::Ref(id)) => id.as_str(),
        other => panic!("not a reference: {other:?}"),
    }
}

fn read_example() -> Inventory {
    read_paths(&[example()], &CodeOptions::default()).unwrap()
}

#[test]
fn every_instance_is_mapped_with_its_address_file_and_line() {
    let inv = read_example();
    let by = by_address(&inv);
    assert_eq!(
        inv.resources.len(),
        41,
        "{:#?}",
        by.keys().collect::<BTreeSet<_>>()
    );
    // `aws_internet_gateway` with `vpc_id` is also the attachment CloudFormation declares on
    // its own, at the gateway's block.
    let igw = by["module.vpc.aws_internet_gateway.this"];
    assert_eq!(igw.type_name, "AWS::EC2::InternetGateway");
    let att = inv
        .resources
        .iter()
        .find(|r| r.type_name == "AWS::EC2::VPCGatewayAttachment")
        .expect("attachment");
    assert_eq!(ref_to(att.attr("InternetGatewayId")), igw.id.as_str());
    assert_eq!(
        ref_to(att.attr("VpcId")),
        by["module.vpc.aws_vpc.this"].id.as_str()
    );
    assert_eq!(
        att.code.as_ref().map(|c| c.line),
        igw.code.as_ref().map(|c| c.line)
    );
    let expect = [
        (
            "aws_ecs_service.api",
            "AWS::ECS::Service",
            "ecs.tf",
            "resource \"aws_ecs_service\" \"api\"",
        ),
        (
            "aws_lb.api",
            "AWS::ElasticLoadBalancingV2::LoadBalancer",
            "alb.tf",
            "resource \"aws_lb\" \"api\"",
        ),
        (
            "aws_db_instance.main",
            "AWS::RDS::DBInstance",
            "rds.tf",
            "resource \"aws_db_instance\"",
        ),
        (
            "module.queues[\"ingest\"].aws_sqs_queue.this",
            "AWS::SQS::Queue",
            "modules/queue/main.tf",
            "resource \"aws_sqs_queue\" \"this\"",
        ),
        (
            "module.queues[\"reports\"].aws_sqs_queue.dlq",
            "AWS::SQS::Queue",
            "modules/queue/main.tf",
            "resource \"aws_sqs_queue\" \"dlq\"",
        ),
        (
            "module.vpc.aws_subnet.private[1]",
            "AWS::EC2::Subnet",
            "modules/vpc/main.tf",
            "resource \"aws_subnet\" \"private\"",
        ),
        (
            "aws_scheduler_schedule.job[\"monthly-statements\"]",
            "AWS::Scheduler::Schedule",
            "schedules.tf",
            "resource \"aws_scheduler_schedule\"",
        ),
        (
            "aws_lambda_function.worker[\"reports\"]",
            "AWS::Lambda::Function",
            "worker.tf",
            "resource \"aws_lambda_function\"",
        ),
        (
            "aws_cloudwatch_metric_alarm.dlq_depth[\"ingest\"]",
            "AWS::CloudWatch::Alarm",
            "alarms.tf",
            "resource \"aws_cloudwatch_metric_alarm\" \"dlq_depth\"",
        ),
        (
            "aws_wafv2_web_acl_association.api",
            "AWS::WAFv2::WebACLAssociation",
            "alb.tf",
            "resource \"aws_wafv2_web_acl_association\"",
        ),
    ];
    for (addr, ty, file, needle) in expect {
        let r = by.get(addr).unwrap_or_else(|| panic!("{addr} missing"));
        assert_eq!(r.type_name, ty, "{addr}");
        let c = r.code.as_ref().unwrap();
        assert_eq!(c.file, file, "{addr}");
        assert_eq!(c.line, line_of(file, needle), "{addr}");
        assert_eq!(c.source_kind, SourceKind::Terraform);
        assert!(r.in_code);
    }
    let q = by["module.queues[\"ingest\"].aws_sqs_queue.this"];
    assert_eq!(
        q.code.as_ref().unwrap().module,
        vec!["module.queues[\"ingest\"]".to_string()]
    );
    assert_eq!(q.name.as_deref(), Some("ledger-prod-ingest"));
    assert_eq!(
        q.attr("VisibilityTimeout").and_then(Value::as_i64),
        Some(120)
    );
    assert_eq!(
        by["module.queues[\"reports\"].aws_sqs_queue.this"]
            .attr("VisibilityTimeout")
            .and_then(Value::as_i64),
        Some(900)
    );
    // Split-out resources are folded, unmapped types are noted, not listed.
    assert!(!by
        .keys()
        .any(|a| a.starts_with("aws_s3_bucket_notification")));
    assert!(!by.keys().any(|a| a.starts_with("aws_security_group_rule")));
    // Three schedules from schedules.yaml, one disabled.
    let states: Vec<_> = inv
        .resources
        .iter()
        .filter(|r| r.type_name == "AWS::Scheduler::Schedule")
        .map(|r| r.attr_str("State").unwrap())
        .collect();
    assert_eq!(states.len(), 3);
    assert_eq!(states.iter().filter(|s| **s == "DISABLED").count(), 1);
    assert_eq!(
        by["module.vpc.aws_subnet.private[1]"].attr_str("CidrBlock"),
        Some("10.40.11.0/24")
    );
}

#[test]
fn link_relevant_properties_are_references_to_resources_in_the_map() {
    let inv = read_example();
    let by = by_address(&inv);
    let id = |a: &str| by[a].id.as_str().to_string();
    let q = by["module.queues[\"ingest\"].aws_sqs_queue.this"];
    assert_eq!(
        ref_to(q.attr("RedrivePolicy.deadLetterTargetArn")),
        id("module.queues[\"ingest\"].aws_sqs_queue.dlq")
    );
    assert_eq!(
        q.attr("RedrivePolicy.maxReceiveCount")
            .and_then(Value::as_i64),
        Some(5)
    );
    let b = by["aws_s3_bucket.uploads"];
    assert_eq!(
        ref_to(b.attr("NotificationConfiguration.QueueConfigurations.0.Queue")),
        q.id.as_str()
    );
    assert_eq!(
        b.attr_str("VersioningConfiguration.Status"),
        Some("Enabled")
    );
    assert_eq!(
        b.attr("PublicAccessBlockConfiguration.BlockPublicAcls"),
        Some(&Value::Bool(true))
    );
    let svc = by["aws_ecs_service.api"];
    assert_eq!(
        ref_to(svc.attr("LoadBalancers.0.TargetGroupArn")),
        id("aws_lb_target_group.api")
    );
    assert_eq!(
        ref_to(svc.attr("NetworkConfiguration.AwsvpcConfiguration.Subnets.1")),
        id("module.vpc.aws_subnet.private[1]")
    );
    assert_eq!(
        ref_to(svc.attr("NetworkConfiguration.AwsvpcConfiguration.SecurityGroups.0")),
        id("aws_security_group.api")
    );
    let sg = by["aws_security_group.api"];
    let ingress = sg
        .attr("SecurityGroupIngress")
        .and_then(Value::as_list)
        .unwrap();
    assert_eq!(
        ingress.len(),
        1,
        "the rule from the state and the rule resource are one: {ingress:?}"
    );
    assert_eq!(
        ref_to(ingress[0].pointer("SourceSecurityGroupId")),
        id("aws_security_group.alb")
    );
    assert_eq!(
        ingress[0].pointer("FromPort").and_then(Value::as_i64),
        Some(8080)
    );
    let alb_sg = by["aws_security_group.alb"];
    let open: Vec<_> = alb_sg
        .attr("SecurityGroupIngress")
        .and_then(Value::as_list)
        .unwrap()
        .iter()
        .map(|r| {
            (
                r.pointer("CidrIp").and_then(Value::as_str).unwrap(),
                r.pointer("ToPort").and_then(Value::as_i64).unwrap(),
            )
        })
        .collect();
    assert_eq!(
        open,
        vec![("0.0.0.0/0", 80), ("0.0.0.0/0", 443)],
        "dynamic ingress blocks"
    );
    let l = by["aws_lb_listener.https"];
    assert_eq!(
        ref_to(l.attr("DefaultActions.0.TargetGroupArn")),
        id("aws_lb_target_group.api")
    );
    assert_eq!(ref_to(l.attr("LoadBalancerArn")), id("aws_lb.api"));
    let w = by["aws_wafv2_web_acl_association.api"];
    assert_eq!(ref_to(w.attr("WebACLArn")), id("aws_wafv2_web_acl.api"));
    assert_eq!(ref_to(w.attr("ResourceArn")), id("aws_lb.api"));
    let a = by["aws_cloudwatch_metric_alarm.dlq_depth[\"reports\"]"];
    assert_eq!(ref_to(a.attr("AlarmActions.0")), id("aws_sns_topic.alerts"));
    assert_eq!(
        a.attr_str("Dimensions.0.Value"),
        Some("ledger-prod-reports-dlq")
    );
    let s = by["aws_sns_topic_subscription.oncall"];
    assert_eq!(ref_to(s.attr("TopicArn")), id("aws_sns_topic.alerts"));
    assert_eq!(s.attr_str("Endpoint"), Some("oncall@ledger.example.com"));
    assert_eq!(s.attr_str("Protocol"), Some("email"));
    let sch = by["aws_scheduler_schedule.job[\"nightly-close\"]"];
    assert_eq!(
        ref_to(sch.attr("Target.Arn")),
        id("module.queues[\"reports\"].aws_sqs_queue.this")
    );
    let esm = by["aws_lambda_event_source_mapping.worker[\"reports\"]"];
    assert_eq!(
        ref_to(esm.attr("EventSourceArn")),
        id("module.queues[\"reports\"].aws_sqs_queue.this")
    );
    assert_eq!(
        ref_to(esm.attr("FunctionName")),
        id("aws_lambda_function.worker[\"reports\"]")
    );
    let f = by["aws_lambda_function.worker[\"ingest\"]"];
    assert_eq!(ref_to(f.attr("Role")), id("aws_iam_role.worker"));
    assert_eq!(
        ref_to(f.attr("VpcConfig.SubnetIds.0")),
        id("module.vpc.aws_subnet.private[0]")
    );
    assert_eq!(f.attr_str("Environment.Variables.STAGE"), Some("INGEST"));
    let db = by["aws_db_instance.main"];
    assert_eq!(db.attr("MultiAZ"), Some(&Value::Bool(true)));
    assert!(
        db.attr("Password").is_none() && db.attr("MasterUserPassword").is_none(),
        "no secrets"
    );
    // Every reference points at a resource of the map.
    let ids: BTreeSet<&str> = inv.resources.iter().map(|r| r.id.as_str()).collect();
    for r in &inv.resources {
        for (prop, target) in r.references() {
            assert!(
                ids.contains(target.as_str()),
                "{}.{prop} → {target} is not in the map",
                r.id
            );
        }
    }
}

#[test]
fn the_state_joins_onto_the_code_by_address() {
    let inv = read_example();
    let by = by_address(&inv);
    let q = by["module.queues[\"ingest\"].aws_sqs_queue.this"];
    assert_eq!(
        q.arn.as_deref(),
        Some("arn:aws:sqs:us-east-2:123456789012:ledger-prod-ingest")
    );
    assert_eq!(
        q.physical_id.as_deref(),
        Some("https://sqs.us-east-2.amazonaws.com/123456789012/ledger-prod-ingest")
    );
    assert_eq!(
        q.code.as_ref().unwrap().source_kind,
        SourceKind::Terraform,
        "one resource, declared in HCL"
    );
    // State-only facts fill what the code leaves to AWS; code references win over ids.
    assert_eq!(
        q.attr("MessageRetentionPeriod").and_then(Value::as_i64),
        Some(345600)
    );
    assert_eq!(inv.account.as_deref(), Some("123456789012"));
    assert_eq!(inv.regions, vec!["us-east-2".to_string()]);
    let kinds: Vec<_> = inv.sources.iter().map(|s| (s.kind, s.resources)).collect();
    assert_eq!(
        kinds,
        vec![(SourceKind::Terraform, 40), (SourceKind::Tfstate, 40)]
    );
    // A role policy attachment is folded onto its role, as CloudFormation holds it, from
    // the block and its state instance alike: once, and not a type left unmapped.
    let worker_role = inv
        .resources
        .iter()
        .find(|r| {
            r.type_name == "AWS::IAM::Role" && r.name.as_deref() == Some("ledger-prod-worker")
        })
        .expect("the worker role");
    assert_eq!(
        worker_role.attr("ManagedPolicyArns"),
        Some(&Value::List(vec![Value::str(
            "arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole"
        )]))
    );
    assert!(
        !inv.notes
            .iter()
            .any(|n| n.message.contains("aws_iam_role_policy_attachment")),
        "{:?}",
        inv.notes
    );
    // The data source in the state is not a resource.
    assert!(!inv.resources.iter().any(|r| r
        .code
        .as_ref()
        .unwrap()
        .address
        .as_deref()
        .unwrap()
        .contains("data.")));
}

fn copy_example(to: &Path, with_state: bool, with_code: bool) {
    for entry in walk(&example()) {
        let rel = entry.strip_prefix(example()).unwrap();
        let is_state = rel.to_string_lossy().ends_with(".tfstate");
        if (is_state && !with_state) || (!is_state && !with_code) {
            continue;
        }
        let dest = to.join(rel);
        std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
        std::fs::copy(&entry, dest).unwrap();
    }
}

fn walk(d: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(d).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn code_alone_has_references_but_no_ids() {
    let dir = tempfile::tempdir().unwrap();
    copy_example(dir.path(), false, true);
    let inv = read_paths(&[dir.path().to_path_buf()], &CodeOptions::default()).unwrap();
    assert_eq!(inv.resources.len(), 41);
    assert!(inv
        .resources
        .iter()
        .all(|r| r.physical_id.is_none() && r.arn.is_none()));
    let by = by_address(&inv);
    let sg = by["aws_security_group.api"];
    assert_eq!(
        sg.attr("SecurityGroupIngress")
            .and_then(Value::as_list)
            .map(|l| l.len()),
        Some(1)
    );
    assert!(
        inv.notes.iter().any(|n| n.message.contains("backend `s3`")),
        "{:?}",
        inv.notes
    );
}

#[test]
fn state_alone_gives_code_resources_at_their_state_lines() {
    let dir = tempfile::tempdir().unwrap();
    copy_example(dir.path(), true, false);
    let inv = read_paths(&[dir.path().to_path_buf()], &CodeOptions::default()).unwrap();
    assert_eq!(inv.resources.len(), 41);
    let text = std::fs::read_to_string(dir.path().join("terraform.tfstate")).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    for r in &inv.resources {
        let c = r.code.as_ref().unwrap();
        assert_eq!(c.source_kind, SourceKind::Tfstate);
        assert_eq!(c.file, "terraform.tfstate");
        assert!(c.line > 0, "{:?}", c.address);
        // The line opens the resource's entry, whose type follows shortly.
        let tf_type = c
            .address
            .as_deref()
            .unwrap()
            .rsplit_once(".aws_")
            .map(|(_, t)| t)
            .unwrap_or_else(|| c.address.as_deref().unwrap());
        let tf_type = format!(
            "aws_{}",
            tf_type
                .trim_start_matches("aws_")
                .split('.')
                .next()
                .unwrap()
        );
        let window = lines[c.line as usize - 1..(c.line as usize + 4).min(lines.len())].join("\n");
        assert!(
            window.contains(&format!("\"type\": \"{tf_type}\"")),
            "{tf_type} not at line {}: {window}",
            c.line
        );
    }
    let by = by_address(&inv);
    let b = by["aws_s3_bucket.uploads"];
    assert_eq!(
        b.attr("NotificationConfiguration.QueueConfigurations.0.Queue")
            .and_then(Value::as_str),
        Some("arn:aws:sqs:us-east-2:123456789012:ledger-prod-ingest")
    );
    assert_eq!(
        by["module.queues[\"ingest\"].aws_sqs_queue.this"]
            .attr_str("RedrivePolicy.deadLetterTargetArn"),
        Some("arn:aws:sqs:us-east-2:123456789012:ledger-prod-ingest-dlq")
    );
}

#[test]
fn inventory_snapshot() {
    let mut inv = read_example();
    inv.resources.sort_by(|a, b| a.id.cmp(&b.id));
    insta::assert_json_snapshot!("ledger_terraform_inventory", inv);
}
