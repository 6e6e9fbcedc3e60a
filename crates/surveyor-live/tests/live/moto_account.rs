//! End to end against a real AWS API (moto on loopback): build a realistic account with boto3,
//! scan it, and check resources, CloudFormation properties, runtime state, stack membership,
//! redaction, and the cost of the scan.

use crate::support;

use support::{build, endpoint, find, options};
use surveyor_live::state_keys as k;
use surveyor_model::Value;

fn int(v: Option<&Value>) -> Option<i64> {
    v.and_then(Value::as_i64)
}

#[test]
fn scans_a_realistic_account() {
    let Some(ep) = endpoint() else { return };
    let acct = build("basic.py", &support::fresh_account("210987"), &ep);
    let cpu_before = support::cpu_seconds();
    let scan = surveyor_live::collect_blocking(&options(&acct, &ep)).expect("scan");
    let cpu = support::cpu_seconds() - cpu_before;
    let snap = &scan.snapshot;
    let res = &snap.resources;
    println!(
        // The process's CPU: the scan's own when this test runs alone
        // (`--test live moto_account -- --test-threads=1`).
        "scanned {} resources in {:.2?} ({cpu:.2} s CPU in this test process) with {} API calls; notes: {}",
        res.len(),
        scan.elapsed,
        scan.api_calls,
        snap.notes.len()
    );
    for (op, n) in &scan.calls_by_operation {
        println!("  {op:<55} {n}");
    }
    for n in &snap.notes {
        println!("  note: {:?} {:?} {}", n.service, n.region, n.message);
    }
    assert_eq!(snap.account.as_deref(), Some(acct.id.as_str()));
    assert!(res.len() >= 60, "only {} resources", res.len());
    assert!(res.iter().all(|r| r.in_live));

    // Queues: CloudFormation properties, parsed redrive policy, depth as state.
    let jobs = find(res, "AWS::SQS::Queue", &acct.fact("jobs_url"));
    assert_eq!(jobs.arn.as_deref(), Some(acct.fact("jobs_arn").as_str()));
    assert_eq!(jobs.id.as_str(), acct.fact("jobs_arn"));
    assert_eq!(int(jobs.attr("VisibilityTimeout")), Some(600));
    assert_eq!(
        jobs.attr_str("RedrivePolicy.deadLetterTargetArn"),
        Some(acct.fact("dlq_arn").as_str())
    );
    assert_eq!(int(jobs.attr("RedrivePolicy.maxReceiveCount")), Some(5));
    let dlq = find(res, "AWS::SQS::Queue", &acct.fact("dlq_url"));
    assert_eq!(int(dlq.state.get(k::SQS_VISIBLE)), Some(3));

    // Topic and its subscription to the queue.
    find(res, "AWS::SNS::Topic", &acct.fact("topic"));
    let sub = find(res, "AWS::SNS::Subscription", &acct.fact("subscription"));
    assert_eq!(
        sub.attr_str("Endpoint"),
        Some(acct.fact("jobs_arn").as_str())
    );
    assert_eq!(sub.attr_str("Protocol"), Some("sqs"));

    // Bucket configuration, each from its own call.
    let bucket = find(res, "AWS::S3::Bucket", &acct.fact("bucket"));
    assert_eq!(
        bucket.attr_str("NotificationConfiguration.QueueConfigurations.0.Queue"),
        Some(acct.fact("jobs_arn").as_str())
    );
    assert_eq!(
        bucket.attr_str("BucketEncryption.ServerSideEncryptionConfiguration.0.ServerSideEncryptionByDefault.SSEAlgorithm"),
        Some("aws:kms")
    );
    assert_eq!(
        bucket.attr_str("VersioningConfiguration.Status"),
        Some("Enabled")
    );
    assert_eq!(
        bucket
            .attr("PublicAccessBlockConfiguration.BlockPublicAcls")
            .and_then(Value::as_bool),
        Some(true)
    );
    assert_eq!(
        int(bucket.attr("LifecycleConfiguration.Rules.0.ExpirationInDays")),
        Some(7)
    );
    let plain = find(res, "AWS::S3::Bucket", &acct.fact("plain_bucket"));
    assert!(plain.attr("LifecycleConfiguration").is_none());
    assert!(plain.attr("NotificationConfiguration").is_none());

    // Function: properties, redacted environment, metrics as state.
    let f = find(res, "AWS::Lambda::Function", "worker");
    assert_eq!(f.attr_str("Runtime"), Some("python3.12"));
    assert_eq!(int(f.attr("MemorySize")), Some(512));
    assert_eq!(int(f.attr("Timeout")), Some(30));
    assert_eq!(
        f.attr_str("Environment.Variables.API_TOKEN"),
        Some("<redacted>")
    );
    assert_eq!(f.attr_str("Environment.Variables.LOG_LEVEL"), Some("info"));
    assert_eq!(
        f.attr_str("VpcConfig.SubnetIds.0"),
        Some(acct.fact("subnet_private").as_str())
    );
    let metrics_read = !snap
        .notes
        .iter()
        .any(|n| n.message.starts_with("GetMetricData"));
    assert_eq!(
        f.state.contains_key(k::INVOCATIONS_24H) && f.state.contains_key(k::ERRORS_24H),
        metrics_read
    );
    let esm = res
        .iter()
        .find(|r| r.type_name == "AWS::Lambda::EventSourceMapping")
        .expect("event source mapping");
    assert_eq!(
        esm.attr_str("EventSourceArn"),
        Some(acct.fact("jobs_arn").as_str())
    );
    assert!(res
        .iter()
        .any(|r| r.type_name == "AWS::Lambda::Alias" && r.attr_str("Name") == Some("live")));

    // Network: instance made by hand with a public address, rules as CloudFormation shapes.
    let inst = find(res, "AWS::EC2::Instance", &acct.fact("instance"));
    assert_eq!(inst.name.as_deref(), Some("bastion"));
    assert!(
        inst.state
            .get(k::PUBLIC_IP)
            .and_then(Value::as_str)
            .is_some(),
        "{:?}",
        inst.state
    );
    assert_eq!(
        inst.state.get(k::STATE).and_then(Value::as_str),
        Some("running")
    );
    let app_sg = find(res, "AWS::EC2::SecurityGroup", &acct.fact("app_sg"));
    let ingress = app_sg
        .attr("SecurityGroupIngress")
        .and_then(Value::as_list)
        .unwrap_or_default();
    assert!(ingress
        .iter()
        .any(
            |r| r.pointer("CidrIp").and_then(Value::as_str) == Some("0.0.0.0/0")
                && int(r.pointer("FromPort")) == Some(22)
        ));
    assert!(ingress.iter().any(
        |r| r.pointer("SourceSecurityGroupId").and_then(Value::as_str)
            == Some(acct.fact("lb_sg").as_str())
    ));
    let vpc = find(res, "AWS::EC2::VPC", &acct.fact("vpc"));
    assert_eq!(vpc.attr_str("CidrBlock"), Some("10.20.0.0/16"));
    let route = res
        .iter()
        .find(|r| {
            r.type_name == "AWS::EC2::Route"
                && r.attr_str("GatewayId") == Some(acct.fact("igw").as_str())
        })
        .expect("default route to the internet gateway");
    assert_eq!(route.attr_str("DestinationCidrBlock"), Some("0.0.0.0/0"));
    find(res, "AWS::EC2::NatGateway", &acct.fact("nat"));
    find(res, "AWS::EC2::EIP", &acct.fact("eip"));

    // Alarms, rules and schedules with their state. CloudWatch's SDK speaks rpcv2Cbor, which
    // moto does not: there the alarms are a note, as any unreadable service is.
    let cloudwatch_readable = !snap
        .notes
        .iter()
        .any(|n| n.service.as_deref() == Some("cloudwatch"));
    if cloudwatch_readable {
        let alarm = find(res, "AWS::CloudWatch::Alarm", "dlq-not-empty");
        assert_eq!(
            alarm.state.get(k::ALARM_STATE).and_then(Value::as_str),
            Some("ALARM")
        );
        assert_eq!(
            alarm.state.get(k::ALARM_REASON).and_then(Value::as_str),
            Some(acct.fact("alarm_reason").as_str())
        );
        assert_eq!(
            alarm.attr_str("AlarmActions.0"),
            Some(acct.fact("topic").as_str())
        );
    } else {
        eprintln!("cloudwatch not readable on this endpoint: alarm and metric checks skipped");
    }
    let old = find(res, "AWS::Events::Rule", "old-sync");
    assert_eq!(
        old.state.get(k::STATE).and_then(Value::as_str),
        Some("DISABLED")
    );
    let nightly = find(res, "AWS::Events::Rule", "nightly");
    assert_eq!(
        nightly.attr_str("Targets.0.Arn"),
        Some(acct.fact("function").as_str())
    );
    let sched = find(res, "AWS::Scheduler::Schedule", "weekly-report");
    assert_eq!(
        sched.state.get(k::STATE).and_then(Value::as_str),
        Some("DISABLED")
    );
    assert_eq!(sched.attr_str("ScheduleExpression"), Some("rate(7 days)"));
    assert_eq!(
        sched.attr_str("Target.Arn"),
        Some(acct.fact("function").as_str())
    );
    let logs = find(res, "AWS::Logs::LogGroup", "/aws/lambda/worker");
    assert_eq!(int(logs.attr("RetentionInDays")), Some(14));
    assert!(find(res, "AWS::Logs::LogGroup", "/app/forever")
        .attr("RetentionInDays")
        .is_none());

    // Containers behind the load balancer.
    let svc = find(res, "AWS::ECS::Service", &acct.fact("service"));
    assert_eq!(int(svc.state.get(k::DESIRED_COUNT)), Some(2));
    assert!(svc.state.contains_key(k::RUNNING_COUNT));
    assert_eq!(
        svc.attr_str("LoadBalancers.0.TargetGroupArn"),
        Some(acct.fact("target_group").as_str())
    );
    assert_eq!(
        svc.attr_str("NetworkConfiguration.AwsvpcConfiguration.Subnets.0"),
        Some(acct.fact("subnet_private").as_str())
    );
    let td = find(
        res,
        "AWS::ECS::TaskDefinition",
        &acct.fact("task_definition"),
    );
    let env = td
        .attr("ContainerDefinitions.0.Environment")
        .and_then(Value::as_list)
        .unwrap_or_default();
    assert!(env.iter().any(
        |e| e.pointer("Name").and_then(Value::as_str) == Some("DB_PASSWORD")
            && e.pointer("Value").and_then(Value::as_str) == Some("<redacted>")
    ));
    let lb = find(
        res,
        "AWS::ElasticLoadBalancingV2::LoadBalancer",
        &acct.fact("lb"),
    );
    assert_eq!(lb.attr_str("Scheme"), Some("internet-facing"));
    let listener = find(
        res,
        "AWS::ElasticLoadBalancingV2::Listener",
        &acct.fact("listener"),
    );
    assert_eq!(
        listener.attr_str("DefaultActions.0.TargetGroupArn"),
        Some(acct.fact("target_group").as_str())
    );
    assert!(res.iter().any(
        |r| r.type_name == "AWS::ElasticLoadBalancingV2::ListenerRule"
            && r.attr_str("Conditions.0.Values.0") == Some("/api/*")
    ));

    // WAF: moto has no ListResourcesForWebACL, so this proves the per-resource fallback.
    let acl = find(res, "AWS::WAFv2::WebACL", &acct.fact("web_acl"));
    let protected = acl
        .state
        .get("ProtectedResources")
        .and_then(Value::as_list)
        .unwrap_or_default();
    assert!(
        protected
            .iter()
            .any(|p| p.as_str() == Some(acct.fact("lb").as_str())),
        "{:?}",
        acl.state
    );
    assert_eq!(
        lb.state.get(k::WEB_ACL).and_then(Value::as_str),
        Some(acct.fact("web_acl").as_str())
    );

    // Data stores, secrets metadata, the rest.
    let db = find(res, "AWS::RDS::DBInstance", "orders-db");
    assert_eq!(db.attr_str("EngineVersion"), Some("16.3"));
    assert!(db.state.contains_key(k::DB_INSTANCE_STATUS));
    find(res, "AWS::DynamoDB::Table", "orders");
    find(res, "AWS::SecretsManager::Secret", "app/db");
    find(res, "AWS::Route53::HostedZone", &acct.fact("zone"));
    assert!(res.iter().any(|r| r.type_name == "AWS::Route53::RecordSet"
        && r.attr_str("Name") == Some("api.example.test.")));
    {
        find(res, "AWS::ElastiCache::CacheCluster", "sessions");
        let param = find(res, "AWS::SSM::Parameter", "/app/api-key");
        assert_eq!(param.attr_str("Type"), Some("SecureString"));
        find(res, "AWS::KMS::Alias", "alias/app");
        let repo = find(res, "AWS::ECR::Repository", "app");
        let scan_on_push = repo.attr("ImageScanningConfiguration.ScanOnPush");
        assert_eq!(scan_on_push.and_then(Value::as_bool), Some(false));
        find(
            res,
            "AWS::CertificateManager::Certificate",
            &acct.fact("cert"),
        );
        find(res, "AWS::ApiGateway::RestApi", &acct.fact("rest_api"));
        find(res, "AWS::ApiGatewayV2::Api", &acct.fact("http_api"));
        let dist = find(
            res,
            "AWS::CloudFront::Distribution",
            &acct.fact("distribution"),
        );
        assert!(dist.region.is_none(), "CloudFront is global");
        assert_eq!(
            dist.attr_str("DistributionConfig.Origins.0.CustomOriginConfig.OriginProtocolPolicy"),
            Some("https-only"),
            "{:?}",
            dist.attributes
        );
    }
    find(
        res,
        "AWS::StepFunctions::StateMachine",
        &acct.fact("state_machine"),
    );
    let role = find(res, "AWS::IAM::Role", "worker-fn");
    assert_eq!(
        role.attr_str("AssumeRolePolicyDocument.Statement.0.Principal.Service"),
        Some("lambda.amazonaws.com")
    );
    assert!(role.region.is_none(), "IAM is global");
    let asg = find(res, "AWS::AutoScaling::AutoScalingGroup", "workers");
    assert_eq!(asg.attr_str("MaxSize"), Some("3"));

    // Stack membership from ListStackResources, matched by physical id.
    let stack_queue = res
        .iter()
        .find(|r| r.type_name == "AWS::SQS::Queue" && r.name.as_deref() == Some("stack-events"))
        .expect("stack queue");
    let st = stack_queue
        .stack
        .as_ref()
        .expect("stack-events is managed by a stack");
    assert_eq!(
        (st.name.as_str(), st.logical_id.as_str()),
        ("platform", "EventsQueue")
    );
    assert_eq!(int(stack_queue.attr("VisibilityTimeout")), Some(45));
    let topic = find(res, "AWS::SNS::Topic", "stack-alerts");
    assert_eq!(
        topic.stack.as_ref().map(|s| s.logical_id.as_str()),
        Some("Alerts")
    );
    assert_eq!(
        find(res, "AWS::DynamoDB::Table", "stack-table")
            .stack
            .as_ref()
            .map(|s| s.logical_id.as_str()),
        Some("Table")
    );
    assert!(jobs.stack.is_none(), "a queue made by hand has no stack");
    find(res, "AWS::CloudFormation::Stack", &acct.fact("stack"));

    // Secret-free: no secret value the builder set appears anywhere in the snapshot.
    let text = serde_json::to_string(snap).expect("json");
    for key in ["secret_value", "param_value", "secret_env", "db_password"] {
        assert!(
            !text.contains(&acct.fact(key)),
            "{key} leaked into the snapshot"
        );
    }

    // Cheap: bounded calls (no per-item calls where a batch exists).
    let per_op = |op: &str| scan.calls_by_operation.get(op).copied().unwrap_or(0);
    assert_eq!(per_op("cloudwatch:GetMetricData"), 1, "metrics are batched");
    assert_eq!(per_op("cloudwatch:DescribeAlarms"), 1);
    assert!(scan.api_calls < 200, "{} calls", scan.api_calls);
    assert!(
        scan.elapsed.as_secs_f64() < 20.0,
        "scan took {:.2?}",
        scan.elapsed
    );
}

#[test]
fn snapshots_round_trip_atomically() {
    let Some(ep) = endpoint() else { return };
    let acct = build("small.py", &support::fresh_account("210988"), &ep);
    let scan = surveyor_live::collect_blocking(&options(&acct, &ep)).expect("scan");
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("nested/snap.json");
    surveyor_live::write_snapshot(&path, &scan.snapshot).expect("write");
    let back = surveyor_live::read_snapshot(&path).expect("read");
    assert_eq!(back, scan.snapshot);
    let leftovers: Vec<_> = std::fs::read_dir(path.parent().expect("dir"))
        .expect("ls")
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temp files left behind");
    // A second scan of the same account is the same snapshot.
    let again = surveyor_live::collect_blocking(&options(&acct, &ep)).expect("scan");
    assert_eq!(again.snapshot.resources, scan.snapshot.resources);
}
