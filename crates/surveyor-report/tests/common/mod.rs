//! A realistic hand-built map shared by the renderer tests: a VPC with public / private /
//! isolated subnets and security groups, ALB → target group → Fargate service, RDS, bucket →
//! queue → DLQ → worker, topic → email, schedule → function, alarm → topic, with live state,
//! drift, findings, flows, a probe and notes.
#![allow(dead_code)]

use surveyor_model::ValueMap;

use surveyor_model::{
    Coverage, Drift, DriftKind, Edge, EdgeKind, Finding, FindingCategory, Flow, Location, Map,
    Note, NoteLevel, Origin, Probe, Provenance, Resource, ResourceId, Severity, Source, SourceKind,
    Stack, Value, MAP_SCHEMA,
};

pub const ACCOUNT: &str = "111111111111";
pub const REGION: &str = "us-east-2";

pub fn id(ty: &str, name: &str) -> ResourceId {
    ResourceId::of(ty, name)
}

pub fn rid(ty: &str, name: &str) -> Value {
    Value::Ref(id(ty, name))
}

pub struct B {
    pub map: Map,
}

pub fn json(s: &str) -> Value {
    serde_json::from_str(s).expect("fixture JSON")
}

impl B {
    pub fn new() -> B {
        B {
            map: Map {
                schema: MAP_SCHEMA.into(),
                generated_at: "2026-11-22T12:00:00Z".into(),
                account: Some(ACCOUNT.into()),
                regions: vec![REGION.into()],
                ..Map::default()
            },
        }
    }

    /// A resource declared at `file:line` in `stack`, found live too.
    pub fn res(
        &mut self,
        ty: &str,
        name: &str,
        stack: &str,
        file: &str,
        line: u32,
        attrs: &[(&str, Value)],
    ) -> &mut Resource {
        let mut r = Resource::new(id(ty, name), ty);
        r.name = Some(name.into());
        r.region = Some(REGION.into());
        r.in_code = true;
        r.in_live = true;
        r.code = Some(Provenance {
            file: file.into(),
            line,
            address: Some(format!("{stack}/{}/Resource", pascal(name))),
            stack: Some(stack.into()),
            source_kind: SourceKind::Cdk,
            ..Provenance::default()
        });
        r.attributes = attrs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect::<ValueMap>();
        self.map.resources.push(r);
        self.map.resources.last_mut().expect("just pushed")
    }

    pub fn edge(&mut self, from: ResourceId, to: ResourceId, kind: EdgeKind, label: Option<&str>) {
        let mut e = Edge::new(from, to, kind, Origin::Both);
        e.label = label.map(str::to_string);
        self.map.edges.push(e);
    }
}

fn pascal(s: &str) -> String {
    s.split(['-', '/', '.'])
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect::<String>())
                .unwrap_or_default()
        })
        .collect()
}

const NET: &str = "lib/network-stack.ts";
const DATA: &str = "lib/data-stack.ts";
const SVC: &str = "lib/service-stack.ts";
const OPS: &str = "lib/ops-stack.ts";

pub fn orders() -> Map {
    let mut b = B::new();
    let vpc = "AWS::EC2::VPC";
    let subnet = "AWS::EC2::Subnet";
    let sg = "AWS::EC2::SecurityGroup";
    b.res(
        vpc,
        "orders-vpc",
        "OrdersNetwork",
        NET,
        16,
        &[
            ("CidrBlock", "10.40.0.0/16".into()),
            ("EnableDnsHostnames", true.into()),
        ],
    );
    for (name, tier, cidr, az) in [
        ("public-a", "Public", "10.40.0.0/24", "us-east-2a"),
        ("public-b", "Public", "10.40.1.0/24", "us-east-2b"),
        ("app-a", "Private", "10.40.4.0/22", "us-east-2a"),
        ("app-b", "Private", "10.40.8.0/22", "us-east-2b"),
        ("data-a", "Isolated", "10.40.12.0/26", "us-east-2a"),
        ("data-b", "Isolated", "10.40.12.64/26", "us-east-2b"),
    ] {
        let r = b.res(
            subnet,
            name,
            "OrdersNetwork",
            NET,
            16,
            &[
                ("CidrBlock", cidr.into()),
                ("AvailabilityZone", az.into()),
                ("VpcId", rid(vpc, "orders-vpc")),
                ("MapPublicIpOnLaunch", (tier == "Public").into()),
            ],
        );
        r.tags.insert("aws-cdk:subnet-type".into(), tier.into());
    }
    b.res(sg, "orders-alb", "OrdersNetwork", NET, 28, &[
        ("GroupDescription", "ALB | public".into()),
        ("VpcId", rid(vpc, "orders-vpc")),
        ("SecurityGroupIngress", json(r#"[{"IpProtocol":"tcp","FromPort":443,"ToPort":443,"CidrIp":"0.0.0.0/0"},{"IpProtocol":"tcp","FromPort":80,"ToPort":80,"CidrIp":"0.0.0.0/0"}]"#)),
    ]);
    b.res(
        sg,
        "orders-api",
        "OrdersNetwork",
        NET,
        40,
        &[
            ("GroupDescription", "API tasks".into()),
            ("VpcId", rid(vpc, "orders-vpc")),
        ],
    );
    b.res(
        sg,
        "orders-db",
        "OrdersNetwork",
        NET,
        52,
        &[
            ("GroupDescription", "Postgres".into()),
            ("VpcId", rid(vpc, "orders-vpc")),
        ],
    );
    b.res(
        "AWS::EC2::SecurityGroupIngress",
        "api-from-alb",
        "OrdersNetwork",
        NET,
        44,
        &[
            ("GroupId", rid(sg, "orders-api")),
            ("IpProtocol", "tcp".into()),
            ("FromPort", Value::int(8080)),
            ("ToPort", Value::int(8080)),
            ("SourceSecurityGroupId", rid(sg, "orders-alb")),
        ],
    );
    b.res("AWS::IAM::Role", "orders-api-task-role", "OrdersService", SVC, 70, &[
        ("AssumeRolePolicyDocument", json(r#"{"Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"}}]}"#)),
    ]);

    // Data.
    b.res(
        "AWS::KMS::Key",
        "orders-data",
        "OrdersData",
        DATA,
        26,
        &[("EnableKeyRotation", true.into())],
    );
    b.res(
        "AWS::RDS::DBSubnetGroup",
        "orders-db-subnets",
        "OrdersData",
        DATA,
        33,
        &[(
            "SubnetIds",
            Value::List(vec![rid(subnet, "data-a"), rid(subnet, "data-b")]),
        )],
    );
    let db = b.res(
        "AWS::RDS::DBInstance",
        "orders-db",
        "OrdersData",
        DATA,
        33,
        &[
            ("Engine", "postgres".into()),
            ("EngineVersion", "16.9".into()),
            ("DBInstanceClass", "db.t4g.micro".into()),
            ("MultiAZ", false.into()),
            ("BackupRetentionPeriod", Value::int(3)),
            ("StorageEncrypted", true.into()),
            ("KmsKeyId", rid("AWS::KMS::Key", "orders-data")),
            (
                "DBSubnetGroupName",
                rid("AWS::RDS::DBSubnetGroup", "orders-db-subnets"),
            ),
            ("VPCSecurityGroups", Value::List(vec![rid(sg, "orders-db")])),
        ],
    );
    db.state.insert("EngineVersion".into(), "16.10".into());
    db.state
        .insert("DBInstanceStatus".into(), "available".into());
    b.res(
        "AWS::SecretsManager::Secret",
        "orders/db/admin",
        "OrdersData",
        DATA,
        33,
        &[("GenerateSecretString", json(r#"{"PasswordLength":30}"#))],
    );
    let dlq = b.res(
        "AWS::SQS::Queue",
        "orders-ingest-dlq",
        "OrdersData",
        DATA,
        51,
        &[("MessageRetentionPeriod", Value::int(1_209_600))],
    );
    dlq.state
        .insert("ApproximateNumberOfMessages".into(), Value::int(3396));
    let q = b.res(
        "AWS::SQS::Queue",
        "orders-ingest",
        "OrdersData",
        DATA,
        56,
        &[
            ("VisibilityTimeout", Value::int(600)),
            (
                "RedrivePolicy",
                Value::Map(ValueMap::from([
                    (
                        "deadLetterTargetArn".to_string(),
                        rid("AWS::SQS::Queue", "orders-ingest-dlq"),
                    ),
                    ("maxReceiveCount".to_string(), Value::int(5)),
                ])),
            ),
        ],
    );
    q.state
        .insert("ApproximateNumberOfMessages".into(), Value::int(0));
    b.res("AWS::S3::Bucket", "orders-uploads", "OrdersData", DATA, 62, &[
        ("BucketEncryption", json(r#"{"ServerSideEncryptionConfiguration":[{"ServerSideEncryptionByDefault":{"SSEAlgorithm":"aws:kms"}}]}"#)),
        ("VersioningConfiguration", json(r#"{"Status":"Enabled"}"#)),
        ("PublicAccessBlockConfiguration", json(r#"{"BlockPublicAcls":true,"BlockPublicPolicy":true,"IgnorePublicAcls":true,"RestrictPublicBuckets":true}"#)),
    ]);
    b.res("AWS::DynamoDB::Table", "orders", "OrdersData", DATA, 77, &[
        ("KeySchema", json(r#"[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}]"#)),
        ("BillingMode", "PAY_PER_REQUEST".into()),
    ]);

    // Service.
    b.res(
        "AWS::Route53::RecordSet",
        "api.orders.example.com",
        "OrdersService",
        SVC,
        123,
        &[("Type", "A".into())],
    );
    b.res(
        "AWS::ElasticLoadBalancingV2::LoadBalancer",
        "orders-alb",
        "OrdersService",
        SVC,
        95,
        &[
            ("Scheme", "internet-facing".into()),
            ("Type", "application".into()),
            (
                "Subnets",
                Value::List(vec![rid(subnet, "public-a"), rid(subnet, "public-b")]),
            ),
            ("SecurityGroups", Value::List(vec![rid(sg, "orders-alb")])),
        ],
    );
    b.res(
        "AWS::ElasticLoadBalancingV2::Listener",
        "orders-alb-https",
        "OrdersService",
        SVC,
        115,
        &[
            (
                "LoadBalancerArn",
                rid("AWS::ElasticLoadBalancingV2::LoadBalancer", "orders-alb"),
            ),
            ("Port", Value::int(443)),
            ("Protocol", "HTTPS".into()),
            ("DefaultActions", json(r#"[{"Type":"forward"}]"#)),
        ],
    );
    b.res(
        "AWS::ElasticLoadBalancingV2::TargetGroup",
        "orders-api-tg",
        "OrdersService",
        SVC,
        107,
        &[
            ("Port", Value::int(8080)),
            ("Protocol", "HTTP".into()),
            ("TargetType", "ip".into()),
            ("HealthCheckPath", "/health".into()),
        ],
    );
    b.res(
        "AWS::ECS::TaskDefinition",
        "orders-api-task",
        "OrdersService",
        SVC,
        75,
        &[
            ("Cpu", "512".into()),
            ("Memory", "1024".into()),
            (
                "RequiresCompatibilities",
                Value::List(vec!["FARGATE".into()]),
            ),
            (
                "ContainerDefinitions",
                json(r#"[{"Name":"api","Image":"orders-api:v1.8.2"}]"#),
            ),
            ("TaskRoleArn", rid("AWS::IAM::Role", "orders-api-task-role")),
        ],
    );
    let api = b.res(
        "AWS::ECS::Service",
        "orders-api",
        "OrdersService",
        SVC,
        85,
        &[
            ("LaunchType", "FARGATE".into()),
            ("DesiredCount", Value::int(2)),
            (
                "TaskDefinition",
                rid("AWS::ECS::TaskDefinition", "orders-api-task"),
            ),
            (
                "NetworkConfiguration",
                Value::Map(ValueMap::from([(
                    "AwsvpcConfiguration".to_string(),
                    Value::Map(ValueMap::from([
                        (
                            "Subnets".to_string(),
                            Value::List(vec![rid(subnet, "app-a"), rid(subnet, "app-b")]),
                        ),
                        (
                            "SecurityGroups".to_string(),
                            Value::List(vec![rid(sg, "orders-api")]),
                        ),
                    ])),
                )])),
            ),
        ],
    );
    api.state.insert("RunningCount".into(), Value::int(1));
    api.state.insert("DesiredCount".into(), Value::int(2));
    let worker = b.res(
        "AWS::ECS::Service",
        "orders-worker",
        "OrdersService",
        SVC,
        172,
        &[
            ("LaunchType", "FARGATE".into()),
            ("DesiredCount", Value::int(1)),
            (
                "NetworkConfiguration",
                Value::Map(ValueMap::from([(
                    "AwsvpcConfiguration".to_string(),
                    Value::Map(ValueMap::from([
                        (
                            "Subnets".to_string(),
                            Value::List(vec![rid(subnet, "app-a"), rid(subnet, "app-b")]),
                        ),
                        (
                            "SecurityGroups".to_string(),
                            Value::List(vec![rid(sg, "orders-api")]),
                        ),
                    ])),
                )])),
            ),
        ],
    );
    worker.state.insert("RunningCount".into(), Value::int(1));
    b.res("AWS::WAFv2::WebACL", "orders-api", "OrdersService", SVC, 129, &[
        ("Scope", "REGIONAL".into()),
        ("Rules", json(r#"[{"Name":"common","Statement":{"ManagedRuleGroupStatement":{"VendorName":"AWS","Name":"AWSManagedRulesCommonRuleSet"}}}]"#)),
    ]);
    b.res(
        "AWS::SNS::Topic",
        "orders-notifications",
        "OrdersService",
        SVC,
        187,
        &[],
    );
    let f = b.res(
        "AWS::Lambda::Function",
        "orders-events-handler",
        "OrdersService",
        SVC,
        193,
        &[
            ("Runtime", "python3.12".into()),
            ("Architectures", Value::List(vec!["arm64".into()])),
            ("MemorySize", Value::int(512)),
            ("Timeout", Value::int(60)),
            ("Handler", "index.handler".into()),
        ],
    );
    f.state.insert("Errors24h".into(), Value::int(0));
    f.state.insert("Invocations24h".into(), Value::int(26));
    let sch = b.res(
        "AWS::Scheduler::Schedule",
        "orders-weekly-reconcile",
        "OrdersService",
        SVC,
        220,
        &[
            ("ScheduleExpression", "cron(0 4 ? * MON *)".into()),
            ("State", "DISABLED".into()),
        ],
    );
    sch.state.insert("State".into(), "DISABLED".into());
    b.res(
        "AWS::SSM::Parameter",
        "/orders/api/url",
        "OrdersService",
        SVC,
        228,
        &[
            ("Type", "String".into()),
            (
                "Value",
                Value::Unresolved("Fn::Join [https://, Alb.DNSName]".into()),
            ),
        ],
    );
    b.res(
        "AWS::Logs::LogGroup",
        "/orders/worker",
        "OrdersService",
        SVC,
        148,
        &[],
    );

    // Ops.
    b.res(
        "AWS::SNS::Topic",
        "orders-ops-alerts",
        "OrdersOps",
        OPS,
        21,
        &[],
    );
    let alarm = b.res(
        "AWS::CloudWatch::Alarm",
        "orders-ingest-dlq-not-empty",
        "OrdersOps",
        OPS,
        23,
        &[
            ("Namespace", "AWS/SQS".into()),
            ("MetricName", "ApproximateNumberOfMessagesVisible".into()),
            ("ComparisonOperator", "GreaterThanOrEqualToThreshold".into()),
            ("Threshold", Value::int(1)),
            ("EvaluationPeriods", Value::int(1)),
            ("Period", Value::int(300)),
            (
                "AlarmActions",
                Value::List(vec![rid("AWS::SNS::Topic", "orders-ops-alerts")]),
            ),
        ],
    );
    alarm.state.insert("StateValue".into(), "ALARM".into());

    // Live only: an instance made by hand, and pseudo-nodes.
    let mut ec2 = Resource::new(
        ResourceId::new("arn:aws:ec2:us-east-2:111111111111:instance/i-05152be67822f4cc5"),
        "AWS::EC2::Instance",
    );
    ec2.name = Some("orders-verify-oneshot".into());
    ec2.in_live = true;
    ec2.physical_id = Some("i-05152be67822f4cc5".into());
    ec2.attributes
        .insert("InstanceType".into(), "t4g.nano".into());
    ec2.attributes
        .insert("SubnetId".into(), rid(subnet, "public-a"));
    ec2.state.insert("State".into(), "running".into());
    ec2.state
        .insert("PublicIpAddress".into(), "3.38.198.6".into());
    let ec2_id = ec2.id.clone();
    b.map.resources.push(ec2);
    let mut internet = Resource::new(ResourceId::new("internet"), "Surveyor::Internet");
    internet.name = Some("internet".into());
    b.map.resources.push(internet);
    let mut email = Resource::new(
        ResourceId::new("Surveyor::External::mailto:orders-team@example.com"),
        "Surveyor::External",
    );
    email.name = Some("orders-team@example.com".into());
    let email_id = email.id.clone();
    b.map.resources.push(email);

    // Edges.
    let lb = id("AWS::ElasticLoadBalancingV2::LoadBalancer", "orders-alb");
    let tg = id("AWS::ElasticLoadBalancingV2::TargetGroup", "orders-api-tg");
    let svc = id("AWS::ECS::Service", "orders-api");
    let wrk = id("AWS::ECS::Service", "orders-worker");
    let rec = id("AWS::Route53::RecordSet", "api.orders.example.com");
    let bucket = id("AWS::S3::Bucket", "orders-uploads");
    let ingest = id("AWS::SQS::Queue", "orders-ingest");
    let ingest_dlq = id("AWS::SQS::Queue", "orders-ingest-dlq");
    let topic = id("AWS::SNS::Topic", "orders-notifications");
    let ops = id("AWS::SNS::Topic", "orders-ops-alerts");
    let func = id("AWS::Lambda::Function", "orders-events-handler");
    let sched = id("AWS::Scheduler::Schedule", "orders-weekly-reconcile");
    let alarm = id("AWS::CloudWatch::Alarm", "orders-ingest-dlq-not-empty");
    let waf = id("AWS::WAFv2::WebACL", "orders-api");
    let internet = ResourceId::new("internet");
    b.edge(
        internet.clone(),
        id(sg, "orders-alb"),
        EdgeKind::Allows,
        Some("tcp/443"),
    );
    b.edge(
        id(sg, "orders-alb"),
        id(sg, "orders-api"),
        EdgeKind::Allows,
        Some("tcp/8080"),
    );
    b.edge(
        id(sg, "orders-api"),
        id(sg, "orders-db"),
        EdgeKind::Allows,
        Some("tcp/5432"),
    );
    b.edge(rec.clone(), lb.clone(), EdgeKind::Routes, None);
    b.edge(lb.clone(), tg.clone(), EdgeKind::Routes, Some(":443"));
    b.edge(tg.clone(), svc.clone(), EdgeKind::Routes, Some(":8080"));
    b.edge(waf, lb, EdgeKind::Protects, None);
    b.edge(
        bucket.clone(),
        ingest.clone(),
        EdgeKind::Notifies,
        Some("s3:ObjectCreated:* incoming/"),
    );
    b.edge(
        ingest.clone(),
        ingest_dlq.clone(),
        EdgeKind::Redrives,
        Some("after 5"),
    );
    b.edge(ingest.clone(), wrk.clone(), EdgeKind::Triggers, None);
    b.edge(topic.clone(), email_id, EdgeKind::Delivers, Some("email"));
    b.edge(topic.clone(), func.clone(), EdgeKind::Delivers, None);
    b.edge(sched.clone(), func.clone(), EdgeKind::Invokes, None);
    b.edge(alarm.clone(), ops.clone(), EdgeKind::Notifies, None);
    b.edge(
        svc.clone(),
        id("AWS::DynamoDB::Table", "orders"),
        EdgeKind::Depends,
        None,
    );
    b.edge(
        svc.clone(),
        id("AWS::SecretsManager::Secret", "orders/db/admin"),
        EdgeKind::Uses,
        None,
    );
    b.edge(
        id("AWS::RDS::DBInstance", "orders-db"),
        id("AWS::KMS::Key", "orders-data"),
        EdgeKind::Uses,
        None,
    );
    b.edge(
        id(subnet, "public-a"),
        ec2_id.clone(),
        EdgeKind::Contains,
        None,
    );

    b.map.flows = vec![
        Flow {
            name: "api.orders.example.com".into(),
            steps: vec![
                rec,
                id("AWS::ElasticLoadBalancingV2::LoadBalancer", "orders-alb"),
                tg,
                svc.clone(),
            ],
            kind: Some("request".into()),
        },
        Flow {
            name: "uploads ingest".into(),
            steps: vec![bucket, ingest.clone(), wrk],
            kind: Some("async".into()),
        },
    ];
    b.map.stacks = vec![
        stack("OrdersNetwork", &[], 14, "bin/app.ts", 10),
        stack("OrdersData", &["OrdersNetwork"], 9, "bin/app.ts", 18),
        stack("OrdersOps", &["OrdersService"], 2, "bin/app.ts", 30),
        stack(
            "OrdersService",
            &["OrdersNetwork", "OrdersData"],
            16,
            "bin/app.ts",
            22,
        ),
    ];
    b.map.sources = vec![
        Source {
            kind: SourceKind::Cdk,
            path: "examples/orders/cdk/cdk.out".into(),
            resources: 41,
        },
        Source {
            kind: SourceKind::Snapshot,
            path: "snapshot.json".into(),
            resources: 44,
        },
    ];
    b.map.drift = vec![
        Drift {
            kind: DriftKind::Unmanaged,
            resource: Some(ec2_id.clone()),
            type_name: "AWS::EC2::Instance".into(),
            name: Some("orders-verify-oneshot".into()),
            attribute: None,
            code: None,
            live: None,
            code_location: None,
            scope: None,
        },
        Drift {
            kind: DriftKind::Changed,
            resource: Some(id("AWS::RDS::DBInstance", "orders-db")),
            type_name: "AWS::RDS::DBInstance".into(),
            name: Some("orders-db".into()),
            attribute: Some("EngineVersion".into()),
            code: Some("16.9".into()),
            live: Some("16.10".into()),
            code_location: Some(Location {
                file: DATA.into(),
                line: 33,
            }),
            scope: None,
        },
        Drift {
            kind: DriftKind::Count,
            resource: None,
            type_name: "AWS::Scheduler::Schedule".into(),
            name: None,
            attribute: None,
            code: Some(Value::int(1)),
            live: Some(Value::int(3)),
            code_location: None,
            scope: Some("OrdersService".into()),
        },
    ];
    b.map.findings = vec![
        finding(
            "dlq-has-messages",
            Severity::High,
            FindingCategory::Reliability,
            ingest_dlq,
            "DLQ orders-ingest-dlq holds 3396 messages",
            "ApproximateNumberOfMessages = 3396",
            Some((DATA, 51)),
        ),
        finding(
            "public-compute",
            Severity::High,
            FindingCategory::Security,
            ec2_id,
            "Instance orders-verify-oneshot has a public IP in a public subnet",
            "PublicIpAddress = 3.38.198.6",
            None,
        ),
        finding(
            "db-single-az",
            Severity::Medium,
            FindingCategory::Reliability,
            id("AWS::RDS::DBInstance", "orders-db"),
            "Database orders-db runs in one availability zone",
            "MultiAZ = false",
            Some((DATA, 33)),
        ),
        finding(
            "schedule-disabled",
            Severity::Low,
            FindingCategory::Operations,
            sched,
            "Schedule orders-weekly-reconcile is disabled",
            "State = DISABLED",
            Some((SVC, 220)),
        ),
        finding(
            "alarm-firing",
            Severity::High,
            FindingCategory::Operations,
            alarm,
            "Alarm orders-ingest-dlq-not-empty is in ALARM",
            "StateValue = ALARM",
            Some((OPS, 23)),
        ),
    ];
    b.map.coverage = Some(Coverage::new(40, 1, 0));
    b.map.probes = vec![Probe {
        url: "https://api.orders.example.com/health".into(),
        status: Some(200),
        ms: Some(41),
        summary: "ok:true db:ok".into(),
    }];
    b.map.notes = vec![
        Note {
            level: NoteLevel::Warning,
            service: Some("wafv2".into()),
            region: Some(REGION.into()),
            file: None,
            line: None,
            message: "AccessDenied: wafv2:ListWebACLs".into(),
        },
        Note::info("Custom::S3BucketNotifications is read as bucket notifications").at(
            "examples/orders/cdk/cdk.out/OrdersData.template.json",
            Some(210),
        ),
    ];
    b.map
}

fn stack(name: &str, deps: &[&str], n: usize, file: &str, line: u32) -> Stack {
    Stack {
        name: name.into(),
        source_kind: SourceKind::Cdk,
        path: format!("cdk.out/{name}.template.json"),
        depends_on: deps.iter().map(|d| d.to_string()).collect(),
        location: Some(Location {
            file: file.into(),
            line,
        }),
        resources: n,
        ..Stack::default()
    }
}

fn finding(
    rule: &str,
    severity: Severity,
    category: FindingCategory,
    resource: ResourceId,
    title: &str,
    evidence: &str,
    at: Option<(&str, u32)>,
) -> Finding {
    Finding {
        rule: rule.into(),
        severity,
        category,
        resource,
        title: title.into(),
        why: format!("why {rule} matters"),
        action: format!("what to do about {rule}"),
        evidence: evidence.into(),
        code_location: at.map(|(f, l)| Location {
            file: f.into(),
            line: l,
        }),
    }
}

/// A large account: `n` resources in 20 stacks, most of them schedules → functions → queues
/// (the shape of a scraper fleet), with SGs, subnets, alarms, roles and log groups between.
pub fn big(n: usize) -> Map {
    big_in(n, 20)
}

/// [`big`] spread over `stacks` stacks.
pub fn big_in(n: usize, stacks: usize) -> Map {
    let stacks = stacks.max(1);
    let mut b = B::new();
    let per = 8;
    let units = n / per;
    for i in 0..units {
        let stack = format!("Stack{}", i % stacks);
        let f = format!("fn-{i}");
        let q = format!("queue-{i}");
        let s = format!("sched-{i}");
        let file = format!("lib/stack-{}.ts", i % stacks);
        b.res(
            "AWS::Lambda::Function",
            &f,
            &stack,
            &file,
            10 + i as u32,
            &[
                ("Runtime", "nodejs22.x".into()),
                ("Architectures", Value::List(vec!["arm64".into()])),
                ("MemorySize", Value::int(1024)),
                ("Timeout", Value::int(600)),
                ("Role", rid("AWS::IAM::Role", &format!("role-{i}"))),
            ],
        );
        b.res(
            "AWS::IAM::Role",
            &format!("role-{i}"),
            &stack,
            &file,
            11,
            &[],
        );
        b.res(
            "AWS::Logs::LogGroup",
            &format!("/aws/lambda/{f}"),
            &stack,
            &file,
            12,
            &[("RetentionInDays", Value::int(30))],
        );
        let sch = b.res(
            "AWS::Scheduler::Schedule",
            &s,
            &stack,
            &file,
            13,
            &[
                ("ScheduleExpression", "rate(1 hour)".into()),
                (
                    "State",
                    if i % 37 == 0 { "DISABLED" } else { "ENABLED" }.into(),
                ),
            ],
        );
        sch.state.insert("State".into(), "ENABLED".into());
        b.res(
            "AWS::SQS::Queue",
            &q,
            &stack,
            &file,
            14,
            &[(
                "RedrivePolicy",
                Value::Map(ValueMap::from([
                    (
                        "deadLetterTargetArn".to_string(),
                        rid("AWS::SQS::Queue", &format!("dlq-{}", i % 20)),
                    ),
                    ("maxReceiveCount".to_string(), Value::int(3)),
                ])),
            )],
        );
        b.res(
            "AWS::Lambda::Permission",
            &format!("perm-{i}"),
            &stack,
            &file,
            15,
            &[],
        );
        b.res(
            "AWS::CloudWatch::Alarm",
            &format!("alarm-{i}"),
            &stack,
            &file,
            16,
            &[
                ("MetricName", "Errors".into()),
                ("Threshold", Value::int(1)),
            ],
        );
        b.res(
            "AWS::EC2::SecurityGroup",
            &format!("sg-{i}"),
            &stack,
            &file,
            17,
            &[],
        );
        b.edge(
            id("AWS::Scheduler::Schedule", &s),
            id("AWS::Lambda::Function", &f),
            EdgeKind::Invokes,
            None,
        );
        b.edge(
            id("AWS::Lambda::Function", &f),
            id("AWS::SQS::Queue", &q),
            EdgeKind::Depends,
            None,
        );
        b.edge(
            id("AWS::SQS::Queue", &q),
            id("AWS::SQS::Queue", &format!("dlq-{}", i % 20)),
            EdgeKind::Redrives,
            None,
        );
        b.edge(
            id("AWS::Lambda::Function", &f),
            id("AWS::IAM::Role", &format!("role-{i}")),
            EdgeKind::Uses,
            None,
        );
        b.edge(
            id("AWS::Lambda::Function", &f),
            id("AWS::Logs::LogGroup", &format!("/aws/lambda/{f}")),
            EdgeKind::Uses,
            None,
        );
    }
    for d in 0..20 {
        b.res(
            "AWS::SQS::Queue",
            &format!("dlq-{d}"),
            &format!("Stack{d}"),
            "lib/dlq.ts",
            3,
            &[],
        );
    }
    b.map.stacks = (0..stacks)
        .map(|i| {
            stack(
                &format!("Stack{i}"),
                &[],
                n / stacks,
                "bin/app.ts",
                i as u32 + 1,
            )
        })
        .collect();
    b.map
}
