//! One test per matching path, drift kind, normalisation, default suppression, ignore pattern
//! and count drift.

use super::*;
use surveyor_model::{Provenance, SourceKind, StackRef};

fn j(s: &str) -> Value {
    serde_json::from_str(s).expect("test JSON")
}

fn code(ty: &str, address: &str, attrs: &str) -> Resource {
    let mut r = Resource::new(ResourceId::of(ty, address), ty);
    r.in_code = true;
    if let Value::Map(m) = j(attrs) {
        r.attributes = m;
    }
    r.code = Some(Provenance {
        file: "lib/stack.ts".into(),
        line: 12,
        address: Some(address.into()),
        source_kind: SourceKind::Cdk,
        ..Provenance::default()
    });
    r
}

fn in_stack(mut r: Resource, stack: &str, logical: &str) -> Resource {
    if let Some(c) = r.code.as_mut() {
        c.stack = Some(stack.into());
        c.logical_id = Some(logical.into());
    }
    r
}

fn live(ty: &str, name: &str, attrs: &str) -> Resource {
    let arn = format!("arn:aws:test:us-east-2:1:{name}");
    let mut r = Resource::new(ResourceId::new(arn.clone()), ty);
    r.in_live = true;
    r.name = Some(name.into());
    r.arn = Some(arn);
    r.region = Some("us-east-2".into());
    if let Value::Map(m) = j(attrs) {
        r.attributes = m;
    }
    r
}

fn queue_live(name: &str, attrs: &str) -> Resource {
    let mut r = live("AWS::SQS::Queue", name, attrs);
    r.arn = Some(format!("arn:aws:sqs:us-east-2:1:{name}"));
    r.id = ResourceId::new(r.arn.clone().unwrap_or_default());
    r.physical_id = Some(format!("https://sqs.us-east-2.amazonaws.com/1/{name}"));
    r
}

fn inv(rs: Vec<Resource>) -> Inventory {
    Inventory {
        resources: rs,
        ..Inventory::default()
    }
}

fn run(c: Vec<Resource>, l: Vec<Resource>) -> Reconciled {
    reconcile(inv(c), Some(inv(l)), &IgnoreRules::default())
}

fn kinds(r: &Reconciled, k: DriftKind) -> Vec<&Drift> {
    r.drift.iter().filter(|d| d.kind == k).collect()
}

#[test]
fn stack_and_logical_id_match_even_without_names() {
    let c = in_stack(
        code("AWS::SQS::Queue", "Worker/Jobs/Resource", "{}"),
        "Worker",
        "JobsQ1",
    );
    let mut l = queue_live("Worker-JobsQ1-AbC123", "{}");
    l.stack = Some(StackRef {
        name: "Worker".into(),
        logical_id: "JobsQ1".into(),
    });
    let r = run(vec![c], vec![l]);
    assert_eq!(r.resources.len(), 1, "one merged resource");
    let m = &r.resources[0];
    assert!(m.in_code && m.in_live);
    assert_eq!(m.name.as_deref(), Some("Worker-JobsQ1-AbC123"));
    assert_eq!(
        m.code.as_ref().map(|c| c.line),
        Some(12),
        "code provenance kept"
    );
    assert!(r.drift.is_empty(), "{:?}", r.drift);
    assert_eq!(r.coverage.as_ref().map(|c| c.percent), Some(100.0));
}

#[test]
fn cloudformation_tags_stand_in_for_a_missing_stack_ref() {
    let c = in_stack(
        code("AWS::SNS::Topic", "Ops/Alerts/Resource", "{}"),
        "Ops",
        "Alerts1",
    );
    let mut l = live("AWS::SNS::Topic", "Ops-Alerts1-XYZ", "{}");
    l.tags
        .insert(state_keys::TAG_STACK_NAME.into(), "Ops".into());
    l.tags
        .insert(state_keys::TAG_LOGICAL_ID.into(), "Alerts1".into());
    let r = run(vec![c], vec![l]);
    assert_eq!(r.resources.len(), 1);
    assert!(r.resources[0].in_live);
}

#[test]
fn terraform_state_id_matches() {
    let mut c = code("AWS::EC2::Instance", "aws_instance.box", "{}");
    c.physical_id = Some("i-0abc".into());
    let mut l = live("AWS::EC2::Instance", "i-0abc", "{}");
    l.physical_id = Some("i-0abc".into());
    let other = {
        let mut o = live("AWS::EC2::Instance", "i-0def", "{}");
        o.physical_id = Some("i-0def".into());
        o
    };
    let r = run(vec![c], vec![other, l]);
    let merged = r.resources.iter().find(|x| x.in_code).expect("merged");
    assert_eq!(merged.physical_id.as_deref(), Some("i-0abc"));
    assert!(merged.in_live);
    assert_eq!(kinds(&r, DriftKind::Unmanaged).len(), 1);
}

#[test]
fn arn_matches() {
    let mut c = code("AWS::SNS::Topic", "aws_sns_topic.t", "{}");
    c.arn = Some("arn:aws:sns:us-east-2:1:alerts".into());
    let mut l = live("AWS::SNS::Topic", "alerts", "{}");
    l.arn = Some("arn:aws:sns:us-east-2:1:alerts".into());
    let r = run(vec![c], vec![l]);
    assert_eq!(r.resources.len(), 1);
}

#[test]
fn physical_name_matches_through_the_queue_url() {
    let c = code(
        "AWS::SQS::Queue",
        "S/Jobs/Resource",
        r#"{"QueueName":"jobs"}"#,
    );
    let mut l = queue_live("jobs", "{}");
    // The collector named it by URL only: the registry still relates URL and name.
    l.name = None;
    let r = run(vec![c], vec![l]);
    assert_eq!(r.resources.len(), 1);
    assert!(r.resources[0].in_live);
}

#[test]
fn name_tag_matches_and_an_ambiguous_name_does_not() {
    let mut c = code("AWS::EC2::VPC", "Net/Vpc/Resource", "{}");
    c.tags.insert("Name".into(), "rfq-vpc-prod".into());
    let mut l = live("AWS::EC2::VPC", "vpc-1", "{}");
    l.tags.insert("Name".into(), "rfq-vpc-prod".into());
    let r = run(vec![c.clone()], vec![l.clone()]);
    assert_eq!(r.resources.len(), 1);

    let mut l2 = live("AWS::EC2::VPC", "vpc-2", "{}");
    l2.tags.insert("Name".into(), "rfq-vpc-prod".into());
    let r = run(vec![c], vec![l, l2]);
    assert_eq!(r.resources.len(), 3, "two candidates: no guess");
    assert!(r
        .notes
        .iter()
        .any(|n| n.message.contains("more than one live candidate")));
}

#[test]
fn unresolved_names_never_match() {
    let c = code(
        "AWS::SQS::Queue",
        "S/Q",
        r#"{"QueueName":{"unresolved":"var.name"}}"#,
    );
    let l = queue_live("jobs", "{}");
    let r = run(vec![c], vec![l]);
    assert_eq!(r.resources.len(), 2);
    assert_eq!(kinds(&r, DriftKind::Missing).len(), 1);
    assert_eq!(kinds(&r, DriftKind::Unmanaged).len(), 1);
}

#[test]
fn changed_drift_with_normalisation() {
    // Declared 600 as a string, live 600 as a number: same. Declared 17.5, live 17.7: drift.
    let c = code(
        "AWS::RDS::DBCluster",
        "Data/Aurora/Resource",
        r#"{"DBClusterIdentifier":"rfq-aurora-prod","EngineVersion":"17.5","BackupRetentionPeriod":"7","Engine":"aurora-postgresql"}"#,
    );
    let l = live(
        "AWS::RDS::DBCluster",
        "rfq-aurora-prod",
        r#"{"EngineVersion":"17.7","BackupRetentionPeriod":7,"Engine":"AURORA-POSTGRESQL","DeletionProtection":true}"#,
    );
    let r = run(vec![c], vec![l]);
    let ch = kinds(&r, DriftKind::Changed);
    assert_eq!(ch.len(), 1, "{ch:?}");
    assert_eq!(ch[0].attribute.as_deref(), Some("EngineVersion"));
    assert_eq!(ch[0].code, Some(Value::str("17.5")));
    assert_eq!(ch[0].live, Some(Value::str("17.7")));
    assert_eq!(
        ch[0].code_location.as_ref().map(|l| l.line),
        Some(12),
        "points at the code"
    );
    // Attributes: the code's declared values, plus live values for what it left out.
    let m = &r.resources[0];
    assert_eq!(m.attributes["EngineVersion"], Value::str("17.5"));
    assert_eq!(m.attributes["DeletionProtection"], Value::Bool(true));
}

#[test]
fn enums_compare_case_insensitively_and_defaults_left_out_are_not_drift() {
    let c = code(
        "AWS::Scheduler::Schedule",
        "W/S",
        r#"{"Name":"hourly","State":"Enabled","ScheduleExpression":"rate(1 hour)"}"#,
    );
    let l = live(
        "AWS::Scheduler::Schedule",
        "hourly",
        r#"{"State":"ENABLED","ScheduleExpression":"rate(1 hour)","ScheduleExpressionTimezone":"UTC"}"#,
    );
    let r = run(vec![c.clone()], vec![l]);
    assert!(r.drift.is_empty(), "{:?}", r.drift);

    let l = live(
        "AWS::Scheduler::Schedule",
        "hourly",
        r#"{"State":"DISABLED","ScheduleExpression":"rate(1 hour)"}"#,
    );
    let r = run(vec![c], vec![l]);
    assert_eq!(kinds(&r, DriftKind::Changed).len(), 1);
}

#[test]
fn a_ref_equals_the_live_arn_of_the_same_resource() {
    let dlq = code("AWS::SQS::Queue", "S/Dlq", r#"{"QueueName":"jobs-dlq"}"#);
    let other = code("AWS::SQS::Queue", "S/Other", r#"{"QueueName":"other-dlq"}"#);
    let jobs = |target: &str| {
        code(
            "AWS::SQS::Queue",
            "S/Jobs",
            &format!(
                r#"{{"QueueName":"jobs","RedrivePolicy":{{"deadLetterTargetArn":{{"ref":"{target}"}},"maxReceiveCount":6}}}}"#
            ),
        )
    };
    let live_jobs = queue_live(
        "jobs",
        r#"{"RedrivePolicy":{"deadLetterTargetArn":"arn:aws:sqs:us-east-2:1:jobs-dlq","maxReceiveCount":"6"}}"#,
    );
    let lives = vec![
        live_jobs,
        queue_live("jobs-dlq", "{}"),
        queue_live("other-dlq", "{}"),
    ];
    let same = run(
        vec![jobs("AWS::SQS::Queue::S/Dlq"), dlq.clone(), other.clone()],
        lives.clone(),
    );
    assert!(same.drift.is_empty(), "{:?}", same.drift);
    // The registry compares `RedrivePolicy.maxReceiveCount` only; the whole policy is compared
    // when declared as a drift path, so check the comparison itself through a changed count.
    let changed_count = run(
        vec![
            code(
                "AWS::SQS::Queue",
                "S/Jobs",
                r#"{"QueueName":"jobs","RedrivePolicy":{"deadLetterTargetArn":{"ref":"AWS::SQS::Queue::S/Other"},"maxReceiveCount":3}}"#,
            ),
            dlq,
            other,
        ],
        lives,
    );
    let ch = kinds(&changed_count, DriftKind::Changed);
    assert_eq!(ch.len(), 1, "{ch:?}");
    assert_eq!(
        ch[0].attribute.as_deref(),
        Some("RedrivePolicy.maxReceiveCount")
    );
}

#[test]
fn ref_comparison_uses_the_referenced_resources_live_identity() {
    // KmsMasterKeyId is a drift path for queues: a Ref to the key equals its live ARN.
    let key = in_stack(code("AWS::KMS::Key", "S/Key", "{}"), "S", "Key1");
    let q = code(
        "AWS::SQS::Queue",
        "S/Q",
        r#"{"QueueName":"q","KmsMasterKeyId":{"ref":"AWS::KMS::Key::S/Key"}}"#,
    );
    let mut live_key = live("AWS::KMS::Key", "k-1", "{}");
    live_key.arn = Some("arn:aws:kms:us-east-2:1:key/k-1".into());
    live_key.physical_id = Some("k-1".into());
    live_key.stack = Some(StackRef {
        name: "S".into(),
        logical_id: "Key1".into(),
    });
    let ok = run(
        vec![key.clone(), q.clone()],
        vec![
            live_key.clone(),
            queue_live(
                "q",
                r#"{"KmsMasterKeyId":"arn:aws:kms:us-east-2:1:key/k-1"}"#,
            ),
        ],
    );
    assert!(ok.drift.is_empty(), "{:?}", ok.drift);
    let bad = run(
        vec![key, q],
        vec![
            live_key,
            queue_live(
                "q",
                r#"{"KmsMasterKeyId":"arn:aws:kms:us-east-2:1:key/other"}"#,
            ),
        ],
    );
    assert_eq!(kinds(&bad, DriftKind::Changed).len(), 1);
}

#[test]
fn unresolved_code_values_are_never_drift_and_get_the_live_value() {
    let c = code(
        "AWS::Lambda::Function",
        "F",
        r#"{"FunctionName":"f","MemorySize":{"unresolved":"var.memory"},"Runtime":"nodejs22.x"}"#,
    );
    let l = live(
        "AWS::Lambda::Function",
        "f",
        r#"{"MemorySize":1024,"Runtime":"nodejs22.x"}"#,
    );
    let r = run(vec![c], vec![l]);
    assert!(r.drift.is_empty(), "{:?}", r.drift);
    assert_eq!(r.resources[0].attributes["MemorySize"], Value::int(1024));
}

#[test]
fn declared_tags_drift() {
    let mut c = code("AWS::SQS::Queue", "Q", r#"{"QueueName":"q"}"#);
    c.tags.insert("env".into(), "prod".into());
    let mut l = queue_live("q", "{}");
    l.tags.insert("env".into(), "staging".into());
    l.tags.insert("extra".into(), "x".into());
    let r = run(vec![c], vec![l]);
    let ch = kinds(&r, DriftKind::Changed);
    assert_eq!(ch.len(), 1);
    assert_eq!(ch[0].attribute.as_deref(), Some("Tags.env"));
}

#[test]
fn only_cloudformation_tags_live_say_nothing_about_the_users_tags() {
    // moto, and some real APIs, return only the `aws:cloudformation:*` tags of a resource.
    let mut c = code("AWS::SQS::Queue", "Q", r#"{"QueueName":"q"}"#);
    c.tags.insert("env".into(), "prod".into());
    let mut l = queue_live("q", "{}");
    l.tags
        .insert("aws:cloudformation:stack-name".into(), "S".into());
    let r = run(vec![c.clone()], vec![l.clone()]);
    assert!(kinds(&r, DriftKind::Changed).is_empty(), "{:?}", r.drift);
    // One user tag read is enough to compare them all.
    l.tags.insert("team".into(), "x".into());
    let r = run(vec![c], vec![l]);
    assert_eq!(kinds(&r, DriftKind::Changed).len(), 1);
}

#[test]
fn missing_only_for_types_the_live_read_covers() {
    let q = code("AWS::SQS::Queue", "Q", r#"{"QueueName":"gone"}"#);
    let perm = code("AWS::Lambda::Permission", "P", "{}");
    let r = run(vec![q, perm], vec![queue_live("other", "{}")]);
    let missing = kinds(&r, DriftKind::Missing);
    assert_eq!(missing.len(), 1);
    assert_eq!(missing[0].type_name, "AWS::SQS::Queue");
    assert!(r.notes.iter().any(|n| n.message.contains("not checked")));
    let cov = r.coverage.expect("coverage");
    assert_eq!((cov.managed, cov.unmanaged, cov.missing), (0, 1, 1));
}

#[test]
fn aws_defaults_are_not_unmanaged() {
    let c = code("AWS::SQS::Queue", "Q", r#"{"QueueName":"q"}"#);
    let mut vpc = live("AWS::EC2::VPC", "vpc-d", r#"{"IsDefault":true}"#);
    vpc.physical_id = Some("vpc-d".into());
    let sub = live("AWS::EC2::Subnet", "subnet-d", r#"{"VpcId":"vpc-d"}"#);
    let sg = live(
        "AWS::EC2::SecurityGroup",
        "sg-d",
        r#"{"GroupName":"default"}"#,
    );
    let alias = live("AWS::KMS::Alias", "alias/aws/sqs", "{}");
    let mut slr = live("AWS::IAM::Role", "AWSServiceRoleForRDS", "{}");
    slr.arn =
        Some("arn:aws:iam::1:role/aws-service-role/rds.amazonaws.com/AWSServiceRoleForRDS".into());
    let mut boot = live("AWS::S3::Bucket", "cdk-hnb659fds-assets-1-us-east-2", "{}");
    boot.stack = Some(StackRef {
        name: "CDKToolkit".into(),
        logical_id: "StagingBucket".into(),
    });
    let bus = live("AWS::Events::EventBus", "default", "{}");
    let group = live("AWS::Scheduler::ScheduleGroup", "default", "{}");
    let hand = live("AWS::EC2::Instance", "i-hand", "{}");
    let r = run(
        vec![c],
        vec![
            queue_live("q", "{}"),
            vpc,
            sub,
            sg,
            alias,
            slr,
            boot,
            bus,
            group,
            hand,
        ],
    );
    let un = kinds(&r, DriftKind::Unmanaged);
    assert_eq!(un.len(), 1, "{un:?}");
    assert_eq!(un[0].type_name, "AWS::EC2::Instance");
    assert!(r.notes.iter().any(|n| n
        .message
        .starts_with("8 AWS default resources are not drift")));
}

#[test]
fn ignore_patterns_remove_drift_and_say_so() {
    let c = code("AWS::SQS::Queue", "Q", r#"{"QueueName":"q"}"#);
    let mut hand = live("AWS::EC2::Instance", "rfq-verify-oneshot", "{}");
    hand.physical_id = Some("i-05152be67822f4cc5".into());
    let other = live("AWS::EC2::Instance", "kept", "{}");
    let ignore = IgnoreRules::parse(
        "# accepted\nAWS::EC2::Instance:i-05152be*\n",
        std::path::Path::new(".surveyorignore"),
    )
    .expect("parse");
    let r = reconcile(
        inv(vec![c]),
        Some(inv(vec![queue_live("q", "{}"), hand, other])),
        &ignore,
    );
    let un = kinds(&r, DriftKind::Unmanaged);
    assert_eq!(un.len(), 1);
    assert_eq!(un[0].name.as_deref(), Some("kept"));
    assert!(r
        .notes
        .iter()
        .any(|n| n.message.contains("1 drift item accepted")));
    assert_eq!(r.coverage.map(|c| c.unmanaged), Some(1));
}

#[test]
fn attribute_patterns_accept_one_property_of_a_resource() {
    let c = code(
        "AWS::RDS::DBCluster",
        "Data/Aurora/Resource",
        r#"{"DBClusterIdentifier":"rfq-aurora-prod","EngineVersion":"17.5","BackupRetentionPeriod":"7"}"#,
    );
    let l = live(
        "AWS::RDS::DBCluster",
        "rfq-aurora-prod",
        r#"{"EngineVersion":"17.7","BackupRetentionPeriod":1}"#,
    );
    let gone = code("AWS::SQS::Queue", "Q", r#"{"QueueName":"q"}"#);
    let ignore = IgnoreRules::parse(
        "AWS::RDS::DBCluster:rfq-aurora-prod:EngineVersion\nAWS::SQS::Queue:q:DelaySeconds\n",
        std::path::Path::new(".surveyorignore"),
    )
    .expect("parse");
    let mut live_inv = inv(vec![l]);
    live_inv.collected_types = vec!["AWS::SQS::Queue".into()];
    let r = reconcile(inv(vec![c, gone]), Some(live_inv), &ignore);
    let ch = kinds(&r, DriftKind::Changed);
    assert_eq!(ch.len(), 1, "{ch:?}");
    assert_eq!(ch[0].attribute.as_deref(), Some("BackupRetentionPeriod"));
    // An attribute pattern never accepts a missing resource.
    assert_eq!(kinds(&r, DriftKind::Missing).len(), 1);
    assert!(r
        .notes
        .iter()
        .any(|n| n.message.contains("1 drift item accepted")));
}

#[test]
fn count_drift_per_terraform_module() {
    // 12 schedules declared in module.jobs (two instances of the module), 10 of them live,
    // and 3 more outside the module (declared at the root, all live).
    let mut c = Vec::new();
    let mut l = Vec::new();
    for i in 0..15 {
        let name = format!("job-{i}");
        let mut r = code(
            "AWS::Scheduler::Schedule",
            &format!("aws_scheduler_schedule.s[{i}]"),
            &format!(r#"{{"Name":"{name}"}}"#),
        );
        if i < 12 {
            if let Some(p) = r.code.as_mut() {
                p.module = vec![format!("module.jobs[\"{}\"]", i % 2)];
            }
        }
        c.push(r);
        if !(10..12).contains(&i) {
            l.push(live("AWS::Scheduler::Schedule", &name, "{}"));
        }
    }
    let r = run(c, l);
    let counts: Vec<(Option<&str>, Option<&Value>, Option<&Value>)> = kinds(&r, DriftKind::Count)
        .iter()
        .map(|d| (d.scope.as_deref(), d.code.as_ref(), d.live.as_ref()))
        .collect();
    assert_eq!(
        counts,
        vec![
            (None, Some(&Value::int(15)), Some(&Value::int(13))),
            (
                Some("module.jobs"),
                Some(&Value::int(12)),
                Some(&Value::int(10))
            ),
        ]
    );
    assert_eq!(kinds(&r, DriftKind::Missing).len(), 2);
}

#[test]
fn count_drift_when_schedules_grew() {
    let mut c = Vec::new();
    let mut l = Vec::new();
    for i in 0..55 {
        let name = format!("rfq-cron-{i}");
        c.push(code(
            "AWS::Scheduler::Schedule",
            &format!("W/S{i}"),
            &format!(r#"{{"Name":"{name}"}}"#),
        ));
        l.push(live("AWS::Scheduler::Schedule", &name, "{}"));
    }
    for i in 55..74 {
        l.push(live(
            "AWS::Scheduler::Schedule",
            &format!("rfq-cron-{i}"),
            "{}",
        ));
    }
    let r = run(c, l);
    let counts = kinds(&r, DriftKind::Count);
    assert_eq!(counts.len(), 1, "{counts:?}");
    assert_eq!(counts[0].code, Some(Value::int(55)));
    assert_eq!(counts[0].live, Some(Value::int(74)));
    assert_eq!(kinds(&r, DriftKind::Unmanaged).len(), 19);
    assert_eq!(r.coverage.map(|c| c.percent), Some(74.3));
}

#[test]
fn small_count_differences_are_left_to_the_items() {
    let c = vec![code("AWS::SQS::Queue", "Q", r#"{"QueueName":"q"}"#)];
    let l = vec![queue_live("q", "{}"), queue_live("r", "{}")];
    let r = run(c, l);
    assert!(kinds(&r, DriftKind::Count).is_empty());
}

#[test]
fn matched_unchanged_resources_carry_no_drift() {
    let mut c = Vec::new();
    let mut l = Vec::new();
    for i in 0..20 {
        c.push(code(
            "AWS::SQS::Queue",
            &format!("S/Q{i}"),
            &format!(r#"{{"QueueName":"q{i}","VisibilityTimeout":600,"FifoQueue":false}}"#),
        ));
        l.push(queue_live(
            &format!("q{i}"),
            r#"{"VisibilityTimeout":"600","FifoQueue":"false","DelaySeconds":"0"}"#,
        ));
    }
    let r = run(c, l);
    assert!(r.drift.is_empty(), "{:?}", r.drift);
    assert_eq!(r.resources.len(), 20);
    assert!(r.resources.iter().all(|x| x.in_code && x.in_live));
}

#[test]
fn no_live_side_passes_code_through() {
    let r = reconcile(
        inv(vec![code("AWS::SQS::Queue", "Q", "{}")]),
        None,
        &IgnoreRules::default(),
    );
    assert_eq!(r.resources.len(), 1);
    assert!(r.coverage.is_none() && r.drift.is_empty());
}

#[test]
fn other_regions_are_not_candidates() {
    let mut c = code("AWS::SQS::Queue", "Q", r#"{"QueueName":"q"}"#);
    c.region = Some("eu-central-1".into());
    let r = run(vec![c], vec![queue_live("q", "{}")]);
    assert_eq!(r.resources.len(), 2);
}

#[test]
fn the_same_stack_in_two_regions_matches_by_region() {
    let mut c = in_stack(code("AWS::SQS::Queue", "W/Q", "{}"), "Worker", "Q1");
    c.region = Some("eu-west-1".into());
    let mk = |region: &str| {
        let mut l = queue_live(&format!("q-{region}"), "{}");
        l.region = Some(region.into());
        l.stack = Some(StackRef {
            name: "Worker".into(),
            logical_id: "Q1".into(),
        });
        l
    };
    let r = run(vec![c.clone()], vec![mk("us-east-2"), mk("eu-west-1")]);
    let merged = r
        .resources
        .iter()
        .find(|x| x.in_code)
        .expect("code resource");
    assert_eq!(merged.name.as_deref(), Some("q-eu-west-1"));
    // Without a region on the code side, two candidates are no match at all.
    c.region = None;
    let r = run(vec![c], vec![mk("us-east-2"), mk("eu-west-1")]);
    assert!(r.resources.iter().all(|x| !(x.in_code && x.in_live)));
}

fn live_in_stack(mut r: Resource, stack: &str, logical: &str) -> Resource {
    r.stack = Some(StackRef {
        name: stack.into(),
        logical_id: logical.into(),
    });
    r
}

#[test]
fn a_template_deployed_under_another_stack_name_matches_by_its_logical_ids() {
    let c = vec![
        in_stack(code("AWS::S3::Bucket", "edge/Site", "{}"), "edge", "Site"),
        in_stack(
            code("AWS::SNS::Topic", "edge/Alerts", "{}"),
            "edge",
            "Alerts",
        ),
    ];
    let l = vec![
        live_in_stack(
            live("AWS::S3::Bucket", "orders-site", "{}"),
            "orders-edge",
            "Site",
        ),
        live_in_stack(
            live("AWS::SNS::Topic", "orders-edge-Alerts-1X", "{}"),
            "orders-edge",
            "Alerts",
        ),
    ];
    let r = run(c, l);
    assert!(r.drift.is_empty(), "{:?}", r.drift);
    assert!(r
        .notes
        .iter()
        .any(|n| n.message.contains("`edge` is deployed as `orders-edge`")));
}

#[test]
fn a_live_stack_with_a_resource_the_template_lacks_is_not_the_template() {
    // Near miss: same logical id, but the live stack also holds one the code does not declare.
    let c = vec![in_stack(
        code("AWS::S3::Bucket", "edge/Site", "{}"),
        "edge",
        "Site",
    )];
    let l = vec![
        live_in_stack(live("AWS::S3::Bucket", "other-site", "{}"), "other", "Site"),
        live_in_stack(live("AWS::SNS::Topic", "other-t", "{}"), "other", "Topic"),
    ];
    let r = run(c, l);
    assert_eq!(kinds(&r, DriftKind::Missing).len(), 1, "{:?}", r.drift);
    assert_eq!(kinds(&r, DriftKind::Unmanaged).len(), 2, "{:?}", r.drift);
}

#[test]
fn two_templates_that_fit_one_live_stack_match_neither() {
    let c = vec![
        in_stack(code("AWS::S3::Bucket", "a/Site", "{}"), "a", "Site"),
        in_stack(code("AWS::S3::Bucket", "b/Site", "{}"), "b", "Site"),
    ];
    let l = vec![live_in_stack(
        live("AWS::S3::Bucket", "site", "{}"),
        "deployed",
        "Site",
    )];
    let r = run(c, l);
    assert_eq!(kinds(&r, DriftKind::Missing).len(), 2, "{:?}", r.drift);
}

#[test]
fn routes_match_through_the_route_table_they_belong_to() {
    let rt = in_stack(code("AWS::EC2::RouteTable", "net/Rt", "{}"), "net", "Rt");
    let route = code(
        "AWS::EC2::Route",
        "net/Default",
        r#"{"DestinationCidrBlock": "0.0.0.0/0"}"#,
    );
    let mut route = in_stack(route, "net", "DefaultRoute");
    route.attributes.insert(
        "RouteTableId".into(),
        Value::Ref(ResourceId::of("AWS::EC2::RouteTable", "net/Rt")),
    );
    let mut other = route.clone();
    other.id = ResourceId::of("AWS::EC2::Route", "net/Other");
    other
        .attributes
        .insert("DestinationCidrBlock".into(), Value::str("10.9.0.0/16"));
    if let Some(c) = other.code.as_mut() {
        c.logical_id = Some("OtherRoute".into());
    }
    let mut live_rt = live_in_stack(live("AWS::EC2::RouteTable", "rtb-1", "{}"), "net", "Rt");
    live_rt.physical_id = Some("rtb-1".into());
    // moto (and some real stacks) report a route's physical id in another form: no stack match.
    let mut live_route = live(
        "AWS::EC2::Route",
        "rtb-1|0.0.0.0/0",
        r#"{"RouteTableId": "rtb-1", "DestinationCidrBlock": "0.0.0.0/0"}"#,
    );
    live_route.physical_id = Some("rtb-1|0.0.0.0/0".into());
    let r = run(vec![rt, route, other], vec![live_rt, live_route]);
    let missing: Vec<_> = kinds(&r, DriftKind::Missing)
        .iter()
        .filter_map(|d| d.resource.clone())
        .collect();
    // The route to 10.9.0.0/16 has no live counterpart: the join does not match by table alone.
    assert_eq!(
        missing,
        vec![ResourceId::of("AWS::EC2::Route", "net/Other")],
        "{:?}",
        r.drift
    );
    assert!(kinds(&r, DriftKind::Unmanaged).is_empty(), "{:?}", r.drift);
}

#[test]
fn what_a_matched_resource_points_at_is_what_its_live_counterpart_points_at() {
    let group = in_stack(
        code("AWS::RDS::DBSubnetGroup", "Data/Group", "{}"),
        "Data",
        "Group",
    );
    let mut db = in_stack(
        code(
            "AWS::RDS::DBInstance",
            "Data/Db",
            r#"{"DBInstanceIdentifier": "orders-db"}"#,
        ),
        "Data",
        "Db",
    );
    db.attributes.insert(
        "DBSubnetGroupName".into(),
        Value::Ref(ResourceId::of("AWS::RDS::DBSubnetGroup", "Data/Group")),
    );
    let live_db = live(
        "AWS::RDS::DBInstance",
        "orders-db",
        r#"{"DBSubnetGroupName": "data-group-x1"}"#,
    );
    // The stack did not say which physical group it made (moto answers an empty id).
    let live_group = live("AWS::RDS::DBSubnetGroup", "data-group-x1", "{}");
    let other_group = live("AWS::RDS::DBSubnetGroup", "by-hand", "{}");
    let r = run(vec![group, db], vec![live_db, live_group, other_group]);
    let unmanaged: Vec<_> = kinds(&r, DriftKind::Unmanaged)
        .iter()
        .filter_map(|d| d.name.clone())
        .collect();
    assert_eq!(unmanaged, vec!["by-hand".to_string()], "{:?}", r.drift);
    assert!(kinds(&r, DriftKind::Missing).is_empty(), "{:?}", r.drift);
}

#[test]
fn a_collected_type_with_none_live_is_missing() {
    let c = vec![in_stack(
        code("AWS::WAFv2::WebACLAssociation", "Svc/Assoc", "{}"),
        "Svc",
        "Assoc",
    )];
    let mut l = inv(vec![live("AWS::SQS::Queue", "q", "{}")]);
    // Without the scan's word that it read associations, none seen says nothing...
    let r = reconcile(inv(c.clone()), Some(l.clone()), &IgnoreRules::default());
    assert!(kinds(&r, DriftKind::Missing).is_empty(), "{:?}", r.drift);
    // ...with it, the detached association is missing.
    l.collected_types = vec!["AWS::WAFv2::WebACLAssociation".into()];
    let r = reconcile(inv(c), Some(l), &IgnoreRules::default());
    assert_eq!(kinds(&r, DriftKind::Missing).len(), 1, "{:?}", r.drift);
}
