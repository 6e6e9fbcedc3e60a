//! Each family on small canonical resources, code-style (`{"ref": …}`) and live-style (ARN,
//! URL and id strings), with the exact edges expected; pseudo-nodes; flows; speed.

use serde_json::json;
use surveyor_model::{Edge, EdgeKind, Origin, Resource, ResourceId, Value};

use crate::{flows, link};

const ACCT: &str = "111111111111";
const REGION: &str = "us-east-2";

fn attrs(r: &mut Resource, a: serde_json::Value) {
    if let Value::Map(m) = Value::from_json(a) {
        r.attributes = m;
    }
}

/// A resource read from code: its id is what `assign_stable_ids` gives (`TYPE::name`).
fn code(ty: &str, name: &str, a: serde_json::Value) -> Resource {
    let mut r = Resource::new(ResourceId::of(ty, name), ty);
    r.name = Some(name.to_string());
    r.in_code = true;
    attrs(&mut r, a);
    r
}

/// A resource read from the account: its id is its ARN.
fn live(ty: &str, name: &str, arn: &str, a: serde_json::Value) -> Resource {
    let mut r = Resource::new(ResourceId::new(arn), ty);
    r.name = Some(name.to_string());
    r.arn = Some(arn.to_string());
    r.region = Some(REGION.into());
    r.account = Some(ACCT.into());
    r.in_live = true;
    attrs(&mut r, a);
    r
}

fn arn(service: &str, rest: &str) -> String {
    format!("arn:aws:{service}:{REGION}:{ACCT}:{rest}")
}

type Row = (&'static str, String, String, Origin, Option<String>);

fn rows(edges: &[Edge]) -> Vec<Row> {
    edges
        .iter()
        .map(|e| {
            (
                e.kind.as_str(),
                e.from.0.clone(),
                e.to.0.clone(),
                e.origin,
                e.label.clone(),
            )
        })
        .collect()
}

fn of_kind(edges: &[Edge], kind: EdgeKind) -> Vec<Row> {
    rows(edges)
        .into_iter()
        .filter(|r| r.0 == kind.as_str())
        .collect()
}

fn row(kind: &'static str, from: &str, to: &str, o: Origin, label: Option<&str>) -> Row {
    (
        kind,
        from.to_string(),
        to.to_string(),
        o,
        label.map(str::to_string),
    )
}

/// Expected rows in the order `link` returns edges: by from, to, then kind.
fn sorted(mut v: Vec<Row>) -> Vec<Row> {
    let k = |s: &str| EdgeKind::ALL.iter().position(|e| e.as_str() == s);
    v.sort_by(|a, b| (&a.1, &a.2, k(a.0)).cmp(&(&b.1, &b.2, k(b.0))));
    v
}

fn id(ty: &str, name: &str) -> String {
    ResourceId::of(ty, name).0
}

const Q: &str = "AWS::SQS::Queue";
const FN: &str = "AWS::Lambda::Function";
const BUCKET: &str = "AWS::S3::Bucket";
const TOPIC: &str = "AWS::SNS::Topic";
const SG: &str = "AWS::EC2::SecurityGroup";

// ---------------------------------------------------------------- messaging

#[test]
fn redrive_code_and_live_string_policy() {
    let mut rs = vec![
        code(Q, "dlq", json!({})),
        code(
            Q,
            "jobs",
            json!({"RedrivePolicy": {"deadLetterTargetArn": {"ref": id(Q, "dlq")}, "maxReceiveCount": 5}}),
        ),
        live(Q, "live-dlq", &arn("sqs", "live-dlq"), json!({})),
        live(
            Q,
            "live-jobs",
            &arn("sqs", "live-jobs"),
            // The SQS API returns the policy as JSON text.
            json!({"RedrivePolicy": format!(r#"{{"deadLetterTargetArn":"{}","maxReceiveCount":"3"}}"#, arn("sqs", "live-dlq"))}),
        ),
    ];
    let edges = link(&mut rs);
    assert_eq!(
        of_kind(&edges, EdgeKind::Redrives),
        sorted(vec![
            row(
                "redrives",
                &id(Q, "jobs"),
                &id(Q, "dlq"),
                Origin::Code,
                Some("maxReceiveCount 5")
            ),
            row(
                "redrives",
                &arn("sqs", "live-jobs"),
                &arn("sqs", "live-dlq"),
                Origin::Live,
                Some("maxReceiveCount 3")
            ),
        ])
    );
    assert!(
        of_kind(&edges, EdgeKind::Depends).is_empty(),
        "the redrive explains the reference"
    );
}

#[test]
fn event_source_mapping_triggers_function_from_source() {
    let q = arn("sqs", "events");
    let f = arn("lambda", "function:handler");
    let mut rs = vec![
        live(Q, "events", &q, json!({})),
        live(FN, "handler", &f, json!({})),
        // Live mappings name the function by ARN with a qualifier, or by name.
        live(
            "AWS::Lambda::EventSourceMapping",
            "m1",
            "arn:esm:1",
            json!({"EventSourceArn": q, "FunctionName": format!("{f}:live"), "BatchSize": 10}),
        ),
        live(
            "AWS::Lambda::EventSourceMapping",
            "m2",
            "arn:esm:2",
            json!({"EventSourceArn": q, "FunctionName": "handler", "BatchSize": 10}),
        ),
    ];
    let edges = link(&mut rs);
    assert_eq!(
        rows(&edges),
        sorted(vec![row(
            "triggers",
            &q,
            &f,
            Origin::Live,
            Some("batch 10")
        )]),
        "one edge for both mappings, and no depends edges from the mappings"
    );
}

#[test]
fn bucket_notifications_in_all_three_shapes() {
    let mut rs = vec![
        code(Q, "ingest", json!({})),
        code(
            BUCKET,
            "uploads",
            json!({"NotificationConfiguration": {"QueueConfigurations": [
                {"Event": "s3:ObjectCreated:*", "Queue": {"ref": id(Q, "ingest")},
                 "Filter": {"S3Key": {"Rules": [{"Name": "prefix", "Value": "incoming/"}]}}}]}}),
        ),
        code(BUCKET, "cdk-bucket", json!({})),
        code(
            "Custom::S3BucketNotifications",
            "UploadsNotifications",
            json!({"BucketName": {"ref": id(BUCKET, "cdk-bucket")},
                   "NotificationConfiguration": {"QueueConfigurations": [
                       {"Events": ["s3:ObjectCreated:*"], "QueueArn": {"ref": id(Q, "ingest")},
                        "Filter": {"Key": {"FilterRules": [{"Name": "suffix", "Value": ".csv"}]}}}]}}),
        ),
    ];
    let edges = link(&mut rs);
    assert_eq!(
        of_kind(&edges, EdgeKind::Notifies),
        sorted(vec![
            row(
                "notifies",
                &id(BUCKET, "cdk-bucket"),
                &id(Q, "ingest"),
                Origin::Code,
                Some("s3:ObjectCreated:* *.csv")
            ),
            row(
                "notifies",
                &id(BUCKET, "uploads"),
                &id(Q, "ingest"),
                Origin::Code,
                Some("s3:ObjectCreated:* incoming/")
            ),
        ])
    );
    // The custom resource's own references are explained by the edge.
    assert!(!rows(&edges)
        .iter()
        .any(|r| r.1.contains("Custom::S3BucketNotifications")));
}

#[test]
fn subscriptions_deliver_and_externals_are_created_once() {
    let t = arn("sns", "alerts");
    let q = arn("sqs", "events");
    let mut rs = vec![
        live(TOPIC, "alerts", &t, json!({})),
        live(Q, "events", &q, json!({})),
        live(
            "AWS::SNS::Subscription",
            "s1",
            &format!("{t}:1"),
            json!({"TopicArn": t, "Endpoint": q, "Protocol": "sqs"}),
        ),
        live(
            "AWS::SNS::Subscription",
            "s2",
            &format!("{t}:2"),
            json!({"TopicArn": t, "Endpoint": "ops@example.com", "Protocol": "email"}),
        ),
        code(
            TOPIC,
            "inline",
            json!({"Subscription": [{"Endpoint": "ops@example.com", "Protocol": "email"}]}),
        ),
    ];
    let n = rs.len();
    let edges = link(&mut rs);
    assert_eq!(
        of_kind(&edges, EdgeKind::Delivers),
        sorted(vec![
            row(
                "delivers",
                &id(TOPIC, "inline"),
                "external::email:ops@example.com",
                Origin::Code,
                Some("email")
            ),
            row(
                "delivers",
                &t,
                "external::email:ops@example.com",
                Origin::Live,
                Some("email")
            ),
            row("delivers", &t, &q, Origin::Live, Some("sqs")),
        ])
    );
    assert_eq!(rs.len(), n + 1, "one external node for one address");
    let ext = &rs[n];
    assert_eq!(ext.type_name, crate::EXTERNAL_TYPE);
    assert!(
        ext.in_code && ext.in_live,
        "seen by a code and a live subscription"
    );
    assert!(of_kind(&edges, EdgeKind::Depends).is_empty());
}

#[test]
fn alarms_notify_actions_and_depend_on_dimensions() {
    let t = arn("sns", "ops");
    let q = arn("sqs", "jobs-dlq");
    let lb = arn(
        "elasticloadbalancing",
        "loadbalancer/app/orders-alb/50dc6c495c0c9188",
    );
    let mut rs = vec![
        live(TOPIC, "ops", &t, json!({})),
        live(Q, "jobs-dlq", &q, json!({})),
        live(
            "AWS::ElasticLoadBalancingV2::LoadBalancer",
            "orders-alb",
            &lb,
            json!({}),
        ),
        live(
            "AWS::CloudWatch::Alarm",
            "dlq-depth",
            &arn("cloudwatch", "alarm:dlq-depth"),
            json!({"AlarmActions": [t], "OKActions": [t], "MetricName": "ApproximateNumberOfMessagesVisible",
                   "Dimensions": [{"Name": "QueueName", "Value": "jobs-dlq"}]}),
        ),
        live(
            "AWS::CloudWatch::Alarm",
            "alb-5xx",
            &arn("cloudwatch", "alarm:alb-5xx"),
            json!({"MetricName": "HTTPCode_ELB_5XX_Count",
                   "Dimensions": [{"Name": "LoadBalancer", "Value": "app/orders-alb/50dc6c495c0c9188"}]}),
        ),
    ];
    let edges = link(&mut rs);
    assert_eq!(
        rows(&edges),
        sorted(vec![
            row(
                "depends",
                &arn("cloudwatch", "alarm:alb-5xx"),
                &lb,
                Origin::Live,
                Some("HTTPCode_ELB_5XX_Count")
            ),
            row(
                "notifies",
                &arn("cloudwatch", "alarm:dlq-depth"),
                &t,
                Origin::Live,
                Some("OK")
            ),
            row(
                "depends",
                &arn("cloudwatch", "alarm:dlq-depth"),
                &q,
                Origin::Live,
                Some("ApproximateNumberOfMessagesVisible")
            ),
        ])
    );
}

#[test]
fn ses_receipt_rule_notifies_bucket_and_topic() {
    let mut rs = vec![
        code(BUCKET, "inbound", json!({})),
        code(TOPIC, "inbound-events", json!({})),
        code(
            "AWS::SES::ReceiptRule",
            "inbound",
            json!({"Rule": {"Recipients": ["in@example.com"], "Actions": [
                {"S3Action": {"BucketName": "inbound", "ObjectKeyPrefix": "inbound/"}},
                {"SNSAction": {"TopicArn": {"ref": id(TOPIC, "inbound-events")}}}]}}),
        ),
    ];
    let edges = link(&mut rs);
    let rule = id("AWS::SES::ReceiptRule", "inbound");
    assert_eq!(
        rows(&edges),
        sorted(vec![
            row(
                "notifies",
                &rule,
                &id(BUCKET, "inbound"),
                Origin::Code,
                Some("in@example.com")
            ),
            row(
                "notifies",
                &rule,
                &id(TOPIC, "inbound-events"),
                Origin::Code,
                Some("in@example.com")
            ),
        ])
    );
}

#[test]
fn task_role_that_receives_from_a_queue_makes_the_service_a_poller() {
    let role = id("AWS::IAM::Role", "worker-task");
    let td = id("AWS::ECS::TaskDefinition", "worker");
    let svc = id("AWS::ECS::Service", "worker");
    let mut rs = vec![
        code(Q, "ingest", json!({})),
        code("AWS::IAM::Role", "worker-task", json!({})),
        code(
            "AWS::IAM::Policy",
            "worker-policy",
            json!({"Roles": [{"ref": role}], "PolicyDocument": {"Statement": [
                {"Effect": "Allow", "Action": ["sqs:ReceiveMessage", "sqs:DeleteMessage"],
                 "Resource": {"ref": id(Q, "ingest")}}]}}),
        ),
        code(
            "AWS::ECS::TaskDefinition",
            "worker",
            json!({"TaskRoleArn": {"ref": role}}),
        ),
        code(
            "AWS::ECS::Service",
            "worker",
            json!({"TaskDefinition": {"ref": td}}),
        ),
    ];
    let edges = link(&mut rs);
    assert_eq!(
        of_kind(&edges, EdgeKind::Triggers),
        sorted(vec![row(
            "triggers",
            &id(Q, "ingest"),
            &svc,
            Origin::Code,
            Some("polls")
        )])
    );
    assert!(rows(&edges).contains(&row("uses", &td, &role, Origin::Code, Some("TaskRoleArn"))));
    assert!(rows(&edges).contains(&row("uses", &svc, &td, Origin::Code, None)));
}

// ---------------------------------------------------------------- network

#[test]
fn security_group_ingress_inline_and_as_resources() {
    let alb = id(SG, "alb");
    let db = id(SG, "db");
    let mut rs = vec![
        code(
            SG,
            "alb",
            json!({"SecurityGroupIngress": [
                {"CidrIp": "0.0.0.0/0", "IpProtocol": "tcp", "FromPort": 80, "ToPort": 80},
                {"CidrIp": "0.0.0.0/0", "IpProtocol": "tcp", "FromPort": 443, "ToPort": 443},
                {"CidrIp": "10.0.0.0/8", "IpProtocol": "tcp", "FromPort": 22, "ToPort": 22}]}),
        ),
        code(SG, "db", json!({})),
        code(
            "AWS::EC2::SecurityGroupIngress",
            "db-from-alb",
            json!({"GroupId": {"ref": db}, "SourceSecurityGroupId": {"ref": alb},
                   "IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432}),
        ),
        live(
            SG,
            "live-a",
            &arn("ec2", "security-group/sg-0aaa"),
            json!({"SecurityGroupIngress": [
                {"SourceSecurityGroupId": "sg-0bbb", "IpProtocol": "-1"},
                {"CidrIpv6": "::/0", "IpProtocol": "tcp", "FromPort": 80, "ToPort": 443}]}),
        ),
        live(
            SG,
            "live-b",
            &arn("ec2", "security-group/sg-0bbb"),
            json!({}),
        ),
    ];
    rs[3].physical_id = Some("sg-0aaa".into());
    rs[4].physical_id = Some("sg-0bbb".into());
    let n = rs.len();
    let edges = link(&mut rs);
    let la = arn("ec2", "security-group/sg-0aaa");
    let lb = arn("ec2", "security-group/sg-0bbb");
    assert_eq!(
        rows(&edges),
        sorted(vec![
            row("allows", &alb, &db, Origin::Code, Some("tcp/5432")),
            row("allows", &lb, &la, Origin::Live, Some("all")),
            row(
                "allows",
                "internet",
                &alb,
                Origin::Code,
                Some("tcp/80, tcp/443")
            ),
            row("allows", "internet", &la, Origin::Live, Some("tcp/80-443")),
        ])
    );
    assert_eq!(rs.len(), n + 1, "one internet node");
    assert_eq!(rs[n].type_name, crate::INTERNET_TYPE);
    assert!(rs[n].in_code && rs[n].in_live);
}

// ---------------------------------------------------------------- routing

const LB: &str = "AWS::ElasticLoadBalancingV2::LoadBalancer";
const TG: &str = "AWS::ElasticLoadBalancingV2::TargetGroup";
const LISTENER: &str = "AWS::ElasticLoadBalancingV2::Listener";

#[test]
fn dns_to_load_balancer_to_target_group_to_service_live() {
    let lb = arn(
        "elasticloadbalancing",
        "loadbalancer/app/orders-alb/50dc6c495c0c9188",
    );
    let tg = arn("elasticloadbalancing", "targetgroup/api/73e2d6bc24d8a067");
    let svc = arn("ecs", "service/orders/orders-api");
    let mut rs = vec![
        live(
            "AWS::Route53::RecordSet",
            "api.orders.example.com.",
            "Z1/api.orders.example.com./A",
            json!({"Name": "api.orders.example.com.", "Type": "A",
                   "AliasTarget": {"DNSName": "dualstack.orders-alb-1234.us-east-2.elb.amazonaws.com.",
                                   "HostedZoneId": "Z3AADJGX6KTTL2"}}),
        ),
        live(
            LB,
            "orders-alb",
            &lb,
            json!({"DNSName": "orders-alb-1234.us-east-2.elb.amazonaws.com", "Scheme": "internet-facing"}),
        ),
        live(
            LISTENER,
            "http",
            &arn("elasticloadbalancing", "listener/app/orders-alb/1/80"),
            json!({"LoadBalancerArn": lb, "Port": 80,
                   "DefaultActions": [{"Type": "redirect", "RedirectConfig": {"Port": "443"}}]}),
        ),
        live(
            LISTENER,
            "https",
            &arn("elasticloadbalancing", "listener/app/orders-alb/1/443"),
            json!({"LoadBalancerArn": lb, "Port": 443,
                   "DefaultActions": [{"Type": "forward", "TargetGroupArn": tg}]}),
        ),
        live(TG, "api", &tg, json!({"Port": 8080})),
        live(
            "AWS::ECS::Service",
            "orders-api",
            &svc,
            json!({"LoadBalancers": [{"TargetGroupArn": tg, "ContainerPort": 8080}]}),
        ),
    ];
    let edges = link(&mut rs);
    let routes = of_kind(&edges, EdgeKind::Routes);
    assert_eq!(
        routes,
        vec![
            row(
                "routes",
                "Z1/api.orders.example.com./A",
                &lb,
                Origin::Live,
                None
            ),
            row("routes", &lb, &tg, Origin::Live, Some(":443")),
            row("routes", &tg, &svc, Origin::Live, Some(":8080")),
        ]
    );
    let fl = flows(&rs, &edges);
    assert_eq!(fl.len(), 1, "{fl:?}");
    assert_eq!(fl[0].name, "api.orders.example.com → orders-api");
    assert_eq!(fl[0].kind.as_deref(), Some("request"));
    assert_eq!(
        fl[0].steps.iter().map(|s| s.0.as_str()).collect::<Vec<_>>(),
        vec!["Z1/api.orders.example.com./A", &lb, &tg, &svc]
    );
}

#[test]
fn listener_rules_label_port_and_path() {
    let lb = id(LB, "alb");
    let l = id(LISTENER, "https");
    let mut rs = vec![
        code(LB, "alb", json!({})),
        code(
            LISTENER,
            "https",
            json!({"LoadBalancerArn": {"ref": lb}, "Port": 443,
                   "DefaultActions": [{"Type": "fixed-response"}]}),
        ),
        code(TG, "api", json!({})),
        code(
            "AWS::ElasticLoadBalancingV2::ListenerRule",
            "api-rule",
            json!({"ListenerArn": {"ref": l},
                   "Conditions": [{"Field": "path-pattern", "PathPatternConfig": {"Values": ["/api/*"]}}],
                   "Actions": [{"Type": "forward", "ForwardConfig": {"TargetGroups": [{"TargetGroupArn": {"ref": id(TG, "api")}}]}}]}),
        ),
    ];
    let edges = link(&mut rs);
    assert_eq!(
        of_kind(&edges, EdgeKind::Routes),
        sorted(vec![row(
            "routes",
            &lb,
            &id(TG, "api"),
            Origin::Code,
            Some(":443 /api/*")
        )])
    );
    // No `Scheme` is CloudFormation's default, internet-facing: the load balancer is an entry.
    let fl = flows(&rs, &edges);
    assert_eq!(
        fl.iter().map(|f| f.name.as_str()).collect::<Vec<_>>(),
        vec!["alb → api"]
    );
}

#[test]
fn cloudfront_origins_api_methods_and_function_urls() {
    let f = arn("lambda", "function:web");
    let api = arn("apigateway", "/restapis/abc123");
    let url = "AWS::Lambda::Url::web";
    let mut rs = vec![
        live(BUCKET, "site-assets", "arn:aws:s3:::site-assets", json!({})),
        live(FN, "web", &f, json!({})),
        live(
            "AWS::CloudFront::Distribution",
            "E1",
            &arn("cloudfront", "distribution/E1"),
            json!({"DistributionConfig": {
                "DefaultCacheBehavior": {"TargetOriginId": "s3"},
                "CacheBehaviors": [{"PathPattern": "/api/*", "TargetOriginId": "fn"}],
                "Origins": [
                    {"Id": "s3", "DomainName": "site-assets.s3.us-east-2.amazonaws.com"},
                    {"Id": "fn", "DomainName": "xyz.lambda-url.us-east-2.on.aws"}]}}),
        ),
        live(
            "AWS::Lambda::Url",
            "web",
            url,
            json!({"TargetFunctionArn": f, "FunctionUrl": "https://xyz.lambda-url.us-east-2.on.aws/"}),
        ),
        live("AWS::ApiGateway::RestApi", "orders", &api, json!({})),
        live(
            "AWS::ApiGateway::Method",
            "GET /orders",
            "method-1",
            json!({"RestApiId": api, "HttpMethod": "GET", "Integration": {
                "Uri": format!("arn:aws:apigateway:{REGION}:lambda:path/2015-03-31/functions/{f}/invocations")}}),
        ),
    ];
    let edges = link(&mut rs);
    let dist = arn("cloudfront", "distribution/E1");
    assert_eq!(
        of_kind(&edges, EdgeKind::Routes),
        sorted(vec![
            row("routes", &api, &f, Origin::Live, Some("GET")),
            row("routes", &dist, url, Origin::Live, Some("/api/*")),
            row(
                "routes",
                &dist,
                "arn:aws:s3:::site-assets",
                Origin::Live,
                Some("default")
            ),
            row("routes", url, &f, Origin::Live, None),
        ])
    );
    let names: Vec<String> = flows(&rs, &edges).into_iter().map(|f| f.name).collect();
    assert_eq!(names, vec!["E1 → web", "E1 → site-assets", "orders → web"]);
}

// ---------------------------------------------------------------- scheduling

#[test]
fn rules_schedules_and_state_machines_invoke_targets() {
    let f = arn("lambda", "function:report");
    let q = arn("sqs", "work");
    let role = arn("iam", "role/scheduler").replace(&format!(":{REGION}:"), "::");
    let mut rs = vec![
        live(FN, "report", &f, json!({})),
        live(Q, "work", &q, json!({})),
        live("AWS::IAM::Role", "scheduler", &role, json!({})),
        live(
            "AWS::Events::Rule",
            "nightly",
            &arn("events", "rule/nightly"),
            json!({"ScheduleExpression": "cron(0 3 * * ? *)", "Targets": [{"Arn": f, "Id": "t0"}]}),
        ),
        live(
            "AWS::Events::Rule",
            "uploads",
            &arn("events", "rule/uploads"),
            json!({"EventPattern": r#"{"source":["aws.s3"],"detail-type":["Object Created"]}"#,
                   "Targets": [{"Arn": q, "Id": "t0"}]}),
        ),
        live(
            "AWS::Scheduler::Schedule",
            "weekly",
            &arn("scheduler", "schedule/default/weekly"),
            json!({"ScheduleExpression": "rate(7 days)",
                   "Target": {"Arn": f, "RoleArn": role, "DeadLetterConfig": {"Arn": q}}}),
        ),
        live(
            "AWS::StepFunctions::StateMachine",
            "flow",
            &arn("states", "stateMachine:flow"),
            json!({"DefinitionString": format!(
                r#"{{"StartAt":"A","States":{{"A":{{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{{"FunctionName":"{f}"}},"Next":"B"}},"B":{{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage","Parameters":{{"QueueUrl":"https://sqs.{REGION}.amazonaws.com/{ACCT}/work"}},"End":true}}}}}}"#)}),
        ),
        code(
            "AWS::StepFunctions::StateMachine",
            "code-flow",
            // CDK writes the definition as a Fn::Join of text and references.
            json!({"DefinitionString": {"Fn::Join": ["", ["{\"States\":{\"A\":{\"Resource\":\"", {"ref": f}, "\"}}}"]]}}),
        ),
    ];
    let edges = link(&mut rs);
    let sched = arn("scheduler", "schedule/default/weekly");
    let sm = arn("states", "stateMachine:flow");
    let code_sm = id("AWS::StepFunctions::StateMachine", "code-flow");
    assert_eq!(
        rows(&edges),
        sorted(vec![
            row("invokes", &code_sm, &f, Origin::Code, None),
            row(
                "invokes",
                &arn("events", "rule/nightly"),
                &f,
                Origin::Live,
                Some("cron(0 3 * * ? *)")
            ),
            row(
                "invokes",
                &arn("events", "rule/uploads"),
                &q,
                Origin::Live,
                Some("aws.s3 Object Created")
            ),
            row("invokes", &sched, &f, Origin::Live, Some("rate(7 days)")),
            row("redrives", &sched, &q, Origin::Live, Some("dead letters")),
            row("uses", &sched, &role, Origin::Live, None),
            row("invokes", &sm, &f, Origin::Live, None),
            row("invokes", &sm, &q, Origin::Live, None),
        ])
    );
}

// ---------------------------------------------------------------- security

#[test]
fn waf_and_uses_edges() {
    let key = arn("kms", "key/1234abcd-12ab-34cd-56ef-1234567890ab");
    let secret = arn("secretsmanager", "secret:orders/db/admin-AbCdEf");
    let lg = arn("logs", "log-group:/orders/api");
    let repo = arn("ecr", "repository/orders-api");
    let task_role = format!("arn:aws:iam::{ACCT}:role/api-task");
    let exec_role = format!("arn:aws:iam::{ACCT}:role/api-exec");
    let alb = arn("elasticloadbalancing", "loadbalancer/app/a/1");
    let acl = format!("arn:aws:wafv2:{REGION}:{ACCT}:regional/webacl/orders/1");
    let td = arn("ecs", "task-definition/orders-api:3");
    let mut rs = vec![
        live("AWS::KMS::Key", "k", &key, json!({})),
        live(
            "AWS::SecretsManager::Secret",
            "orders/db/admin",
            &secret,
            json!({}),
        ),
        live(
            "AWS::Logs::LogGroup",
            "/orders/api",
            &format!("{lg}:*"),
            json!({}),
        ),
        live("AWS::ECR::Repository", "orders-api", &repo, json!({})),
        live("AWS::IAM::Role", "api-task", &task_role, json!({})),
        live("AWS::IAM::Role", "api-exec", &exec_role, json!({})),
        live(LB, "a", &alb, json!({})),
        live("AWS::WAFv2::WebACL", "orders", &acl, json!({})),
        live(
            "AWS::WAFv2::WebACLAssociation",
            "assoc",
            "assoc-1",
            json!({"WebACLArn": acl, "ResourceArn": alb}),
        ),
        live(
            BUCKET,
            "uploads",
            "arn:aws:s3:::uploads",
            json!({"BucketEncryption": {"ServerSideEncryptionConfiguration": [
                {"ServerSideEncryptionByDefault": {"KMSMasterKeyID": key, "SSEAlgorithm": "aws:kms"}}]}}),
        ),
        live(
            "AWS::ECS::TaskDefinition",
            "orders-api",
            &td,
            json!({"TaskRoleArn": task_role, "ExecutionRoleArn": exec_role,
                   "ContainerDefinitions": [{
                       "Image": format!("{ACCT}.dkr.ecr.{REGION}.amazonaws.com/orders-api:v1.8.2"),
                       "Secrets": [{"Name": "DB_PASSWORD", "ValueFrom": format!("{secret}:password::")}],
                       "LogConfiguration": {"Options": {"awslogs-group": "/orders/api"}}}]}),
        ),
    ];
    rs[2].arn = Some(format!("{lg}:*"));
    let edges = link(&mut rs);
    let lg_id = format!("{lg}:*");
    assert_eq!(
        rows(&edges),
        sorted(vec![
            row("uses", "arn:aws:s3:::uploads", &key, Origin::Live, None),
            row("uses", &td, &repo, Origin::Live, None),
            row("uses", &td, &lg_id, Origin::Live, None),
            row("uses", &td, &secret, Origin::Live, None),
            row(
                "uses",
                &td,
                &exec_role,
                Origin::Live,
                Some("ExecutionRoleArn")
            ),
            row("uses", &td, &task_role, Origin::Live, Some("TaskRoleArn")),
            row("protects", &acl, &alb, Origin::Live, None),
        ])
    );
}

// ---------------------------------------------------------------- placement

#[test]
fn vpc_contains_subnets_which_contain_placed_resources() {
    let vpc = id("AWS::EC2::VPC", "vpc");
    let s1 = id("AWS::EC2::Subnet", "a");
    let s2 = id("AWS::EC2::Subnet", "b");
    let mut rs = vec![
        code("AWS::EC2::VPC", "vpc", json!({})),
        code("AWS::EC2::Subnet", "a", json!({"VpcId": {"ref": vpc}})),
        code("AWS::EC2::Subnet", "b", json!({"VpcId": {"ref": vpc}})),
        code(
            FN,
            "in-vpc",
            json!({"VpcConfig": {"SubnetIds": [{"ref": s1}, {"ref": s2}]}}),
        ),
        code(
            "AWS::RDS::DBSubnetGroup",
            "db",
            json!({"SubnetIds": [{"ref": s2}]}),
        ),
        code(
            "AWS::RDS::DBInstance",
            "orders-db",
            json!({"DBSubnetGroupName": {"ref": id("AWS::RDS::DBSubnetGroup", "db")}}),
        ),
        code(
            "AWS::EC2::SubnetRouteTableAssociation",
            "assoc",
            json!({"SubnetId": {"ref": s1}}),
        ),
    ];
    let edges = link(&mut rs);
    let f = id(FN, "in-vpc");
    let db = id("AWS::RDS::DBInstance", "orders-db");
    assert_eq!(
        of_kind(&edges, EdgeKind::Contains),
        sorted(vec![
            row("contains", &s1, &f, Origin::Code, None),
            row("contains", &s2, &f, Origin::Code, None),
            row("contains", &s2, &db, Origin::Code, None),
            row("contains", &vpc, &s1, Origin::Code, None),
            row("contains", &vpc, &s2, Origin::Code, None),
        ])
    );
    // The association and the subnet group keep plain references.
    assert!(rows(&edges).contains(&row(
        "depends",
        &id("AWS::EC2::SubnetRouteTableAssociation", "assoc"),
        &s1,
        Origin::Code,
        None
    )));
}

#[test]
fn live_ids_resolve_to_subnets_and_vpcs() {
    let mut rs = vec![
        live(
            "AWS::EC2::VPC",
            "v",
            &arn("ec2", "vpc/vpc-0b9be81d493ff39b1"),
            json!({}),
        ),
        live(
            "AWS::EC2::Subnet",
            "s",
            &arn("ec2", "subnet/subnet-05eae5f255dec054f"),
            json!({"VpcId": "vpc-0b9be81d493ff39b1"}),
        ),
        live(
            "AWS::EC2::Instance",
            "i",
            &arn("ec2", "instance/i-05152be67822f4cc5"),
            json!({"SubnetId": "subnet-05eae5f255dec054f"}),
        ),
    ];
    rs[0].physical_id = Some("vpc-0b9be81d493ff39b1".into());
    rs[1].physical_id = Some("subnet-05eae5f255dec054f".into());
    let edges = link(&mut rs);
    assert_eq!(
        rows(&edges)
            .iter()
            .map(|r| (r.0, r.1.rsplit('/').next().unwrap_or("").to_string()))
            .collect::<Vec<_>>(),
        vec![
            ("contains", "subnet-05eae5f255dec054f".to_string()),
            ("contains", "vpc-0b9be81d493ff39b1".to_string()),
        ]
    );
    assert_eq!(
        rs[2].attributes["SubnetId"],
        Value::Ref(rs[1].id.clone()),
        "the id string became a reference"
    );
}

// ---------------------------------------------------------------- general

#[test]
fn names_resolve_only_in_naming_properties() {
    let mut rs = vec![
        live(
            "AWS::DynamoDB::Table",
            "orders",
            &arn("dynamodb", "table/orders"),
            json!({}),
        ),
        live(
            "AWS::RDS::DBInstance",
            "orders-db",
            &arn("rds", "db:orders-db"),
            // A database called "orders" is not the table called "orders".
            json!({"DBName": "orders", "Description": "orders"}),
        ),
        live(
            FN,
            "f",
            &arn("lambda", "function:f"),
            json!({"Environment": {"Variables": {"TableName": "orders"}}}),
        ),
        // A schedule's group "default" is not the VPC's security group "default".
        live(
            SG,
            "default",
            &arn("ec2", "security-group/sg-0def"),
            json!({"GroupName": "default"}),
        ),
        live(
            "AWS::Scheduler::Schedule",
            "s",
            &arn("scheduler", "schedule/default/s"),
            json!({"GroupName": "default"}),
        ),
    ];
    let edges = link(&mut rs);
    assert_eq!(
        rows(&edges),
        sorted(vec![row(
            "depends",
            &arn("lambda", "function:f"),
            &arn("dynamodb", "table/orders"),
            Origin::Live,
            None
        )])
    );
    assert_eq!(rs[1].attributes["DBName"], Value::str("orders"));
}

#[test]
fn code_resources_known_by_name_match_live_arns() {
    // Code that says only the queue's name; a live mapping that names it by ARN.
    let mut q = code(Q, "jobs", json!({"QueueName": "jobs"}));
    q.region = Some(REGION.into());
    q.account = Some(ACCT.into());
    let mut rs = vec![
        q,
        live(FN, "f", &arn("lambda", "function:f"), json!({})),
        live(
            "AWS::Lambda::EventSourceMapping",
            "m",
            "esm-1",
            json!({"EventSourceArn": arn("sqs", "jobs"), "FunctionName": "f"}),
        ),
    ];
    let edges = link(&mut rs);
    assert_eq!(
        rows(&edges),
        sorted(vec![row(
            "triggers",
            &id(Q, "jobs"),
            &arn("lambda", "function:f"),
            Origin::Live,
            None
        )])
    );
}

/// The same wiring read from code (references) and from the account (strings) gives the
/// same edges.
#[test]
fn code_and_live_versions_of_one_wiring_give_the_same_edges() {
    let q = arn("sqs", "ingest");
    let dlq = arn("sqs", "ingest-dlq");
    let f = arn("lambda", "function:worker");
    let b = "arn:aws:s3:::uploads".to_string();
    let t = arn("sns", "events");
    let build = |live_style: bool| -> Vec<Resource> {
        let r = |s: &str| {
            if live_style {
                json!(s)
            } else {
                json!({"ref": s})
            }
        };
        let url = format!("https://sqs.{REGION}.amazonaws.com/{ACCT}/ingest");
        let mut rs = vec![
            live(Q, "ingest-dlq", &dlq, json!({})),
            live(
                Q,
                "ingest",
                &q,
                json!({"RedrivePolicy": {"deadLetterTargetArn": r(&dlq), "maxReceiveCount": 5}}),
            ),
            live(
                BUCKET,
                "uploads",
                &b,
                json!({"NotificationConfiguration": {"QueueConfigurations": [
                    {"Event": "s3:ObjectCreated:*", "Queue": r(&q)}]}}),
            ),
            live(
                FN,
                "worker",
                &f,
                json!({"Environment": {"Variables": {"QUEUE_URL": if live_style { json!(url) } else { json!({"ref": q}) }}}}),
            ),
            live(
                "AWS::Lambda::EventSourceMapping",
                "m",
                "esm",
                json!({"EventSourceArn": r(&q), "FunctionName": if live_style { json!("worker") } else { json!({"ref": f}) }}),
            ),
            live(TOPIC, "events", &t, json!({})),
            live(
                "AWS::SNS::Subscription",
                "s",
                "sub",
                json!({"TopicArn": r(&t), "Endpoint": r(&q), "Protocol": "sqs"}),
            ),
        ];
        rs[1].physical_id = Some(url.clone());
        if !live_style {
            for x in &mut rs {
                x.in_live = false;
                x.in_code = true;
            }
        }
        rs
    };
    let mut from_code = build(false);
    let mut from_live = build(true);
    let strip = |es: Vec<Edge>| -> Vec<(EdgeKind, String, String, Option<String>)> {
        es.into_iter()
            .map(|e| (e.kind, e.from.0, e.to.0, e.label))
            .collect()
    };
    let a = strip(link(&mut from_code));
    let b2 = strip(link(&mut from_live));
    assert_eq!(a, b2);
    // The function's `QUEUE_URL` reference adds no `depends` edge: `triggers` already links
    // the pair.
    assert_eq!(a.len(), 4, "{a:?}");
}

#[test]
fn duplicate_facts_merge_origins_and_labels() {
    let dlq = id(Q, "dlq");
    let mut both = code(
        Q,
        "jobs",
        json!({"RedrivePolicy": {"deadLetterTargetArn": {"ref": dlq}, "maxReceiveCount": 5}}),
    );
    both.in_live = true;
    let mut rs = vec![code(Q, "dlq", json!({})), both];
    let edges = link(&mut rs);
    assert_eq!(
        rows(&edges),
        sorted(vec![row(
            "redrives",
            &id(Q, "jobs"),
            &dlq,
            Origin::Both,
            Some("maxReceiveCount 5")
        )])
    );
}

#[test]
fn bad_shapes_do_not_panic_and_self_references_are_dropped() {
    let mut rs = vec![
        code(
            Q,
            "q",
            json!({"RedrivePolicy": "{not json", "QueueName": "q", "Self": {"ref": id(Q, "q")}}),
        ),
        code(
            "AWS::SNS::Subscription",
            "s",
            json!({"TopicArn": 5, "Endpoint": [1, 2]}),
        ),
        code(
            "AWS::ElasticLoadBalancingV2::ListenerRule",
            "r",
            json!({"ListenerArn": {"ref": "nowhere"}, "Actions": "x"}),
        ),
        code(
            "AWS::CloudWatch::Alarm",
            "a",
            json!({"Dimensions": [{"Name": 1}, "x", {"Value": "q"}]}),
        ),
        code(
            SG,
            "g",
            json!({"SecurityGroupIngress": [{"IpProtocol": "tcp", "FromPort": "x"}]}),
        ),
    ];
    let edges = link(&mut rs);
    assert!(edges.is_empty(), "{edges:?}");
}

// ---------------------------------------------------------------- flows

#[test]
fn async_flow_with_dead_letter_queue_and_database_step() {
    let bucket = id(BUCKET, "orders-uploads");
    let q = id(Q, "orders-ingest");
    let dlq = id(Q, "orders-ingest-dlq");
    let f = id(FN, "orders-ingest-fn");
    let t = id(TOPIC, "orders-notifications");
    let fsg = id(SG, "fn");
    let dbsg = id(SG, "db");
    let mut rs = vec![
        code(
            BUCKET,
            "orders-uploads",
            json!({"NotificationConfiguration": {"QueueConfigurations": [{"Event": "s3:ObjectCreated:*", "Queue": {"ref": q}}]}}),
        ),
        code(
            Q,
            "orders-ingest",
            json!({"RedrivePolicy": {"deadLetterTargetArn": {"ref": dlq}, "maxReceiveCount": 5}}),
        ),
        code(Q, "orders-ingest-dlq", json!({})),
        code(
            FN,
            "orders-ingest-fn",
            json!({"VpcConfig": {"SecurityGroupIds": [{"ref": fsg}]}}),
        ),
        code(
            "AWS::Lambda::EventSourceMapping",
            "m",
            json!({"EventSourceArn": {"ref": q}, "FunctionName": {"ref": f}}),
        ),
        code(SG, "fn", json!({})),
        code(
            SG,
            "db",
            json!({"SecurityGroupIngress": [{"SourceSecurityGroupId": {"ref": fsg}, "IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432}]}),
        ),
        code(
            "AWS::RDS::DBInstance",
            "orders-db",
            json!({"VPCSecurityGroups": [{"ref": dbsg}]}),
        ),
        code(
            TOPIC,
            "orders-notifications",
            json!({"Subscription": [{"Endpoint": "team@example.com", "Protocol": "email"}]}),
        ),
        // An alarm on the topic does not hide the topic's own flow.
        code(
            "AWS::CloudWatch::Alarm",
            "dlq-depth",
            json!({"AlarmActions": [{"ref": t}]}),
        ),
    ];
    let edges = link(&mut rs);
    let fl = flows(&rs, &edges);
    let got: Vec<(String, Vec<String>)> = fl
        .iter()
        .map(|f| {
            (
                f.name.clone(),
                f.steps.iter().map(|s| s.0.clone()).collect(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (
                "orders-uploads → orders-ingest-fn".to_string(),
                vec![
                    bucket,
                    q.clone(),
                    f,
                    id("AWS::RDS::DBInstance", "orders-db"),
                    dlq
                ]
            ),
            (
                "orders-notifications → team@example.com".to_string(),
                vec![t, "external::email:team@example.com".to_string()]
            ),
        ]
    );
    assert!(fl.iter().all(|f| f.kind.as_deref() == Some("async")));
}

#[test]
fn flows_survive_cycles_and_are_capped() {
    // A ring of topics delivering to each other, fed by a bucket, and many buckets.
    let mut rs = Vec::new();
    for i in 0..4 {
        let next = id(TOPIC, &format!("t{}", (i + 1) % 4));
        rs.push(code(
            TOPIC,
            &format!("t{i}"),
            json!({"Subscription": [{"Endpoint": {"ref": next}, "Protocol": "sns"}]}),
        ));
    }
    for i in 0..50 {
        rs.push(code(
            BUCKET,
            &format!("b{i:02}"),
            json!({"NotificationConfiguration": {"TopicConfigurations": [{"Event": "e", "Topic": {"ref": id(TOPIC, "t0")}}]}}),
        ));
    }
    let edges = link(&mut rs);
    let fl = flows(&rs, &edges);
    assert_eq!(fl.len(), crate::flows::MAX_FLOWS);
    assert!(fl.iter().all(|f| f.steps.len() == 5), "{:?}", fl[0]);
}

// ---------------------------------------------------------------- speed

/// 100,000 resources of a realistic mix (queues with DLQs, functions with mappings, live
/// strings to resolve): `link` must stay well under a second in release builds.
#[test]
fn links_100k_resources_quickly() {
    let n = 20_000;
    let mut rs = Vec::with_capacity(n * 5);
    for i in 0..n {
        let q = arn("sqs", &format!("q{i}"));
        let dlq = arn("sqs", &format!("q{i}-dlq"));
        let f = arn("lambda", &format!("function:f{i}"));
        let sg = format!("sg-{i:08x}");
        rs.push(live(Q, &format!("q{i}-dlq"), &dlq, json!({})));
        rs.push(live(
            Q,
            &format!("q{i}"),
            &q,
            json!({"RedrivePolicy": {"deadLetterTargetArn": dlq, "maxReceiveCount": 3}}),
        ));
        rs.push(live(
            FN,
            &format!("f{i}"),
            &f,
            json!({"Environment": {"Variables": {"QUEUE": q, "MODE": "fast"}},
                   "VpcConfig": {"SecurityGroupIds": [sg]}}),
        ));
        rs.push(live(
            "AWS::Lambda::EventSourceMapping",
            &format!("m{i}"),
            &format!("esm-{i}"),
            json!({"EventSourceArn": q, "FunctionName": format!("f{i}"), "BatchSize": 10}),
        ));
        let mut g = live(
            SG,
            &format!("g{i}"),
            &arn("ec2", &format!("security-group/{sg}")),
            json!({"SecurityGroupIngress": [{"CidrIp": "0.0.0.0/0", "IpProtocol": "tcp", "FromPort": 443, "ToPort": 443}]}),
        );
        g.physical_id = Some(sg);
        rs.push(g);
    }
    // Calibration: what one deep copy of the input costs on this machine right now.
    let c0 = thread_cpu_ns();
    let copy = rs.clone();
    let c1 = thread_cpu_ns();
    drop(copy);
    let (start, cpu0) = (std::time::Instant::now(), thread_cpu_ns());
    let edges = link(&mut rs);
    let (took, cpu1) = (start.elapsed(), thread_cpu_ns());
    let fl = flows(&rs, &edges);
    let (total, cpu2) = (start.elapsed(), thread_cpu_ns());
    let ms = |ns: Option<u64>| {
        ns.map(|n| format!("{} ms CPU", n / 1_000_000))
            .unwrap_or_default()
    };
    println!(
        "link: {} resources → {} edges in {took:?} ({}); flows: {} in {:?} ({}); one clone of the input: {}",
        n * 5,
        edges.len(),
        ms(cpu0.zip(cpu1).map(|(a, b)| b - a)),
        fl.len(),
        total - took,
        ms(cpu1.zip(cpu2).map(|(a, b)| b - a)),
        ms(c0.zip(c1).map(|(a, b)| b - a)),
    );
    // redrives, triggers, allows from internet, function → SG depends: 4 per group.
    assert_eq!(edges.len(), n * 4);
    // On a shared machine wall time measures the neighbours; the thread's CPU time does not.
    let spent = cpu0
        .zip(cpu1)
        .map(|(a, b)| (b - a) as f64 / 1e9)
        .unwrap_or(took.as_secs_f64());
    let budget = if cfg!(debug_assertions) { 60.0 } else { 3.0 };
    assert!(
        spent < budget,
        "link took {spent:.2} s of CPU ({took:?} wall)"
    );
}

#[test]
fn edges_come_sorted_by_from_to_kind() {
    let mut rs = vec![
        code(Q, "b-dlq", json!({})),
        code(
            Q,
            "a",
            json!({"RedrivePolicy": {"deadLetterTargetArn": {"ref": id(Q, "b-dlq")}}, "X": {"ref": id(TOPIC, "t")}}),
        ),
        code(
            TOPIC,
            "t",
            json!({"Subscription": [{"Endpoint": {"ref": id(Q, "a")}, "Protocol": "sqs"}]}),
        ),
    ];
    let edges = link(&mut rs);
    let keys: Vec<(String, String, EdgeKind)> = edges
        .iter()
        .map(|e| (e.from.0.clone(), e.to.0.clone(), e.kind))
        .collect();
    let mut want = keys.clone();
    want.sort();
    assert_eq!(keys, want);
    assert_eq!(
        keys.len(),
        2,
        "redrives and delivers; the topic pair is claimed: {keys:?}"
    );
}

/// This thread's CPU time (Linux), for timings that a loaded machine does not distort.
fn thread_cpu_ns() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    s.split_whitespace().next()?.parse().ok()
}

/// CloudFormation readers keep `Fn::Join`/`Fn::Sub` with references as unresolved text that
/// embeds them: `${LogicalId}` within a stack, `${TYPE::address}` across stacks, and
/// `!GetAtt X.Attr` inside rendered intrinsics.
#[test]
fn references_embedded_in_unresolved_text() {
    fn site(mut r: Resource, stack: &str, logical: &str, address: &str) -> Resource {
        r.code = Some(surveyor_model::Provenance {
            stack: Some(stack.into()),
            logical_id: Some(logical.into()),
            address: Some(address.into()),
            ..Default::default()
        });
        r
    }
    let alb = site(
        code(LB, "orders-alb", json!({})),
        "Svc",
        "Alb16C2F182",
        "Svc/Alb/Resource",
    );
    let repo = site(
        code("AWS::ECR::Repository", "orders-api", json!({})),
        "Svc",
        "ApiRepo",
        "Svc/ApiRepo/Resource",
    );
    let secret = code("AWS::SecretsManager::Secret", "orders/db/admin", json!({}));
    let attach_id = "AWS::SecretsManager::SecretTargetAttachment::Data/Attachment/Resource";
    let mut attach = site(
        Resource::new(
            ResourceId::new(attach_id),
            "AWS::SecretsManager::SecretTargetAttachment",
        ),
        "Data",
        "Attachment",
        "Data/Attachment/Resource",
    );
    attach.in_code = true;
    attrs(
        &mut attach,
        json!({"SecretId": {"ref": id("AWS::SecretsManager::Secret", "orders/db/admin")}}),
    );
    let record = site(
        code(
            "AWS::Route53::RecordSet",
            "api.example.com.",
            json!({"AliasTarget": {"DNSName": {"unresolved": "dualstack.${Alb16C2F182}"}}}),
        ),
        "Svc",
        "ApiRecord",
        "Svc/ApiRecord/Resource",
    );
    let td = site(
        code(
            "AWS::ECS::TaskDefinition",
            "api",
            json!({"ContainerDefinitions": [{
                "Image": {"unresolved": "!Select [4, !Split [:, !GetAtt ApiRepo.Arn]].dkr.ecr.amazonaws.com/${ApiRepo}:v1"},
                "Secrets": [{"ValueFrom": {"unresolved": format!("${{{attach_id}}}:password::")}}]}]}),
        ),
        "Svc",
        "ApiTask",
        "Svc/ApiTask/Resource",
    );
    // Same logical id in another stack: must not be taken for the ALB.
    let other = site(
        code(LB, "other-alb", json!({})),
        "Other",
        "Alb16C2F182",
        "Other/Alb/Resource",
    );
    let mut rs = vec![alb, repo, secret, attach, record, td, other];
    let edges = link(&mut rs);
    let rows = rows(&edges);
    let rec = id("AWS::Route53::RecordSet", "api.example.com.");
    let tdid = id("AWS::ECS::TaskDefinition", "api");
    assert!(
        rows.contains(&row(
            "routes",
            &rec,
            &id(LB, "orders-alb"),
            Origin::Code,
            None
        )),
        "{rows:?}"
    );
    assert!(!rows.iter().any(|r| r.2 == id(LB, "other-alb")));
    assert!(rows.contains(&row(
        "uses",
        &tdid,
        &id("AWS::ECR::Repository", "orders-api"),
        Origin::Code,
        None
    )));
    assert!(rows.contains(&row(
        "uses",
        &tdid,
        &id("AWS::SecretsManager::Secret", "orders/db/admin"),
        Origin::Code,
        None
    )));
    // The text itself is kept as written.
    assert_eq!(
        rs[4].attr("AliasTarget.DNSName"),
        Some(&Value::Unresolved("dualstack.${Alb16C2F182}".into()))
    );
}

#[test]
fn openapi_bodies_route_operations_to_functions() {
    let f = id(FN, "orders-fn");
    let mut rs = vec![
        code(FN, "orders-fn", json!({})),
        code(
            "AWS::ApiGateway::RestApi",
            "api",
            json!({"Body": {"paths": {"/orders": {"get": {"x-amazon-apigateway-integration": {
                "type": "aws_proxy",
                "uri": {"Fn::Sub": ["arn:aws:apigateway:r:lambda:path/2015-03-31/functions/X/invocations", {"X": {"ref": f}}]}}}}}}}),
        ),
    ];
    let edges = link(&mut rs);
    let api = id("AWS::ApiGateway::RestApi", "api");
    assert_eq!(
        rows(&edges),
        vec![row("routes", &api, &f, Origin::Code, Some("GET /orders"))]
    );
    let fl = flows(&rs, &edges);
    assert_eq!(fl.len(), 1);
    assert_eq!(fl[0].name, "api → orders-fn");
}

#[test]
fn function_failures_targets_and_distribution_acl() {
    let f = arn("lambda", "function:worker");
    let dlq = arn("sqs", "worker-dlq");
    let ok = arn("sns", "done");
    let tg = arn("elasticloadbalancing", "targetgroup/web/1");
    let inst = arn("ec2", "instance/i-0abc12345");
    let asg = arn("autoscaling", "autoScalingGroup:1:autoScalingGroupName/web");
    let acl = "arn:aws:wafv2:us-east-1:111111111111:global/webacl/edge/1".to_string();
    let dist = arn("cloudfront", "distribution/E9");
    let mut rs = vec![
        live(
            FN,
            "worker",
            &f,
            json!({"DeadLetterConfig": {"TargetArn": dlq}}),
        ),
        live(Q, "worker-dlq", &dlq, json!({})),
        live(TOPIC, "done", &ok, json!({})),
        live(
            "AWS::Lambda::EventInvokeConfig",
            "cfg",
            "eic-1",
            json!({"FunctionName": "worker", "DestinationConfig": {
                "OnFailure": {"Destination": dlq}, "OnSuccess": {"Destination": ok}}}),
        ),
        live(
            TG,
            "web",
            &tg,
            json!({"Targets": [{"Id": "i-0abc12345", "Port": 80}]}),
        ),
        live("AWS::EC2::Instance", "web-1", &inst, json!({})),
        live(
            "AWS::AutoScaling::AutoScalingGroup",
            "web",
            &asg,
            json!({"TargetGroupARNs": [tg]}),
        ),
        live("AWS::WAFv2::WebACL", "edge", &acl, json!({})),
        live(
            "AWS::CloudFront::Distribution",
            "E9",
            &dist,
            json!({"DistributionConfig": {"WebACLId": acl}}),
        ),
    ];
    rs[5].physical_id = Some("i-0abc12345".into());
    let edges = link(&mut rs);
    assert_eq!(
        rows(&edges),
        sorted(vec![
            row(
                "redrives",
                &f,
                &dlq,
                Origin::Live,
                Some("dead letters, on failure")
            ),
            row("invokes", &f, &ok, Origin::Live, Some("on success")),
            row("routes", &tg, &inst, Origin::Live, Some(":80")),
            row("routes", &tg, &asg, Origin::Live, None),
            row("protects", &acl, &dist, Origin::Live, None),
        ])
    );
}
