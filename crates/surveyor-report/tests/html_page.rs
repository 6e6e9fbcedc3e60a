//! `map.html` as a whole: self-contained, well formed, escaped, deterministic, and drawing
//! what the map holds (with the collapsing and omitted plumbing it documents).

use surveyor_model::ValueMap;

use surveyor_model::{
    Drift, DriftKind, Edge, EdgeKind, Finding, FindingCategory, Flow, Map, Origin, Provenance,
    Resource, ResourceId, Severity, Value,
};
use surveyor_report::Format;

fn res(id: &str, ty: &str, name: &str, file: &str, line: u32, stack: &str) -> Resource {
    let mut r = Resource::new(ResourceId::new(id), ty);
    r.name = Some(name.into());
    r.in_code = true;
    r.region = Some("us-east-2".into());
    r.code = Some(Provenance {
        file: file.into(),
        line,
        stack: Some(stack.into()),
        address: Some(format!("{stack}/{name}")),
        ..Default::default()
    });
    r
}

fn refv(id: &str) -> Value {
    Value::Ref(ResourceId::new(id))
}

/// An orders-like system: DNS → ALB → services in a VPC, a queue pipeline, a topic fan-out,
/// schedules, alarms, support services, many repeated functions and schedules, drift and
/// findings, and a resource whose name tries to break out of the page.
pub fn fixture() -> Map {
    let mut m = Map {
        account: Some("111111111111".into()),
        regions: vec!["us-east-2".into()],
        generated_at: "2026-11-22T12:00:00Z".into(),
        ..Map::default()
    };
    let mut rs = Vec::new();
    let mut inet = Resource::new(ResourceId::new("internet"), "Surveyor::Internet");
    inet.name = Some("internet".into());
    rs.push(inet);
    let mut vpc = res(
        "vpc",
        "AWS::EC2::VPC",
        "orders-vpc",
        "lib/network-stack.ts",
        12,
        "OrdersNetwork",
    );
    vpc.attributes
        .insert("CidrBlock".into(), Value::str("10.40.0.0/16"));
    rs.push(vpc);
    for (tier, kind, n) in [
        ("public", "Public", 2),
        ("app", "Private", 2),
        ("data", "Isolated", 2),
    ] {
        for az in 0..n {
            let mut s = res(
                &format!("sn-{tier}-{az}"),
                "AWS::EC2::Subnet",
                &format!("{tier}-{az}"),
                "lib/network-stack.ts",
                20,
                "OrdersNetwork",
            );
            s.attributes.insert("VpcId".into(), refv("vpc"));
            s.attributes.insert(
                "Tags".into(),
                Value::List(vec![
                    Value::Map(ValueMap::from([
                        ("Key".into(), Value::str("aws-cdk:subnet-name")),
                        ("Value".into(), Value::str(tier)),
                    ])),
                    Value::Map(ValueMap::from([
                        ("Key".into(), Value::str("aws-cdk:subnet-type")),
                        ("Value".into(), Value::str(kind)),
                    ])),
                ]),
            );
            rs.push(s);
        }
    }
    let subnets = |tier: &str| {
        Value::List(vec![
            refv(&format!("sn-{tier}-0")),
            refv(&format!("sn-{tier}-1")),
        ])
    };
    let mut zone = res(
        "zone",
        "AWS::Route53::HostedZone",
        "orders.example.com",
        "lib/service-stack.ts",
        30,
        "OrdersService",
    );
    zone.attributes
        .insert("Name".into(), Value::str("orders.example.com"));
    rs.push(zone);
    let mut rec = res(
        "rec",
        "AWS::Route53::RecordSet",
        "api.orders.example.com",
        "lib/service-stack.ts",
        88,
        "OrdersService",
    );
    rec.attributes.insert("HostedZoneId".into(), refv("zone"));
    rs.push(rec);
    let mut alb = res(
        "alb",
        "AWS::ElasticLoadBalancingV2::LoadBalancer",
        "orders-alb",
        "lib/service-stack.ts",
        52,
        "OrdersService",
    );
    alb.attributes.insert("Subnets".into(), subnets("public"));
    alb.attributes
        .insert("SecurityGroups".into(), Value::List(vec![refv("sg-alb")]));
    rs.push(alb);
    let mut lis = res(
        "lis",
        "AWS::ElasticLoadBalancingV2::Listener",
        "https",
        "lib/service-stack.ts",
        60,
        "OrdersService",
    );
    lis.attributes.insert("LoadBalancerArn".into(), refv("alb"));
    rs.push(lis);
    let mut tg = res(
        "tg",
        "AWS::ElasticLoadBalancingV2::TargetGroup",
        "orders-api-tg",
        "lib/service-stack.ts",
        64,
        "OrdersService",
    );
    tg.attributes.insert("VpcId".into(), refv("vpc"));
    rs.push(tg);
    for (id, name) in [
        ("sg-alb", "orders-alb"),
        ("sg-api", "orders-api"),
        ("sg-db", "orders-db"),
    ] {
        let mut sg = res(
            id,
            "AWS::EC2::SecurityGroup",
            name,
            "lib/network-stack.ts",
            40,
            "OrdersNetwork",
        );
        sg.attributes.insert("VpcId".into(), refv("vpc"));
        rs.push(sg);
    }
    let mut waf = res(
        "waf",
        "AWS::WAFv2::WebACL",
        "orders-api",
        "lib/service-stack.ts",
        95,
        "OrdersService",
    );
    waf.attributes
        .insert("Scope".into(), Value::str("REGIONAL"));
    rs.push(waf);
    for (id, name, line) in [
        ("svc-api", "orders-api", 110),
        ("svc-worker", "orders-worker", 140),
    ] {
        let mut s = res(
            id,
            "AWS::ECS::Service",
            name,
            "lib/service-stack.ts",
            line,
            "OrdersService",
        );
        s.attributes.insert(
            "NetworkConfiguration".into(),
            Value::Map(ValueMap::from([(
                "AwsvpcConfiguration".into(),
                Value::Map(ValueMap::from([
                    ("Subnets".into(), subnets("app")),
                    ("SecurityGroups".into(), Value::List(vec![refv("sg-api")])),
                ])),
            )])),
        );
        s.attributes
            .insert("TaskDefinition".into(), refv(&format!("td-{name}")));
        s.state.insert("RunningCount".into(), Value::int(2));
        rs.push(s);
        let mut td = res(
            &format!("td-{name}"),
            "AWS::ECS::TaskDefinition",
            name,
            "lib/service-stack.ts",
            line - 8,
            "OrdersService",
        );
        td.attributes.insert("Cpu".into(), Value::str("512"));
        rs.push(td);
    }
    let mut sng = res(
        "dbsng",
        "AWS::RDS::DBSubnetGroup",
        "orders-db-subnets",
        "lib/data-stack.ts",
        40,
        "OrdersData",
    );
    sng.attributes.insert("SubnetIds".into(), subnets("data"));
    rs.push(sng);
    let mut db = res(
        "db",
        "AWS::RDS::DBInstance",
        "orders-db",
        "lib/data-stack.ts",
        44,
        "OrdersData",
    );
    db.attributes
        .insert("DBSubnetGroupName".into(), refv("dbsng"));
    db.attributes
        .insert("EngineVersion".into(), Value::str("16.9"));
    db.in_live = true;
    rs.push(db);
    rs.push(res(
        "table",
        "AWS::DynamoDB::Table",
        "orders",
        "lib/data-stack.ts",
        70,
        "OrdersData",
    ));
    rs.push(res(
        "bucket",
        "AWS::S3::Bucket",
        "orders-uploads",
        "lib/data-stack.ts",
        80,
        "OrdersData",
    ));
    rs.push(res(
        "q",
        "AWS::SQS::Queue",
        "orders-ingest",
        "lib/data-stack.ts",
        90,
        "OrdersData",
    ));
    rs.push(res(
        "dlq",
        "AWS::SQS::Queue",
        "orders-ingest-dlq",
        "lib/data-stack.ts",
        86,
        "OrdersData",
    ));
    rs.push(res(
        "topic",
        "AWS::SNS::Topic",
        "orders-notifications",
        "lib/ops-stack.ts",
        20,
        "OrdersOps",
    ));
    rs.push(res(
        "evq",
        "AWS::SQS::Queue",
        "orders-events",
        "lib/ops-stack.ts",
        24,
        "OrdersOps",
    ));
    let mut email = Resource::new(ResourceId::new("email"), "Surveyor::External");
    email.name = Some("orders-team@example.com".into());
    rs.push(email);
    let mut role = res(
        "role",
        "AWS::IAM::Role",
        "handler-role",
        "lib/ops-stack.ts",
        30,
        "OrdersOps",
    );
    role.attributes
        .insert("AssumeRolePolicyDocument".into(), Value::str("{}"));
    rs.push(role);
    let mut handler = res(
        "fn",
        "AWS::Lambda::Function",
        "orders-events-handler",
        "lib/ops-stack.ts",
        34,
        "OrdersOps",
    );
    handler.attributes.insert("Role".into(), refv("role"));
    handler
        .attributes
        .insert("Runtime".into(), Value::str("python3.12"));
    rs.push(handler);
    let mut pol = res(
        "pol",
        "AWS::IAM::Policy",
        "handler-policy",
        "lib/ops-stack.ts",
        31,
        "OrdersOps",
    );
    pol.attributes
        .insert("Roles".into(), Value::List(vec![refv("role")]));
    rs.push(pol);
    rs.push(res(
        "rule",
        "AWS::Events::Rule",
        "orders-nightly-report",
        "lib/ops-stack.ts",
        50,
        "OrdersOps",
    ));
    rs.push(res(
        "alarm",
        "AWS::CloudWatch::Alarm",
        "orders-ingest-dlq-not-empty",
        "lib/ops-stack.ts",
        60,
        "OrdersOps",
    ));
    rs.push(res(
        "ops",
        "AWS::SNS::Topic",
        "orders-ops-alerts",
        "lib/ops-stack.ts",
        58,
        "OrdersOps",
    ));
    rs.push(res(
        "key",
        "AWS::KMS::Key",
        "alias/orders-data",
        "lib/data-stack.ts",
        20,
        "OrdersData",
    ));
    rs.push(res(
        "secret",
        "AWS::SecretsManager::Secret",
        "orders/db/admin",
        "lib/data-stack.ts",
        30,
        "OrdersData",
    ));
    rs.push(res(
        "ecr",
        "AWS::ECR::Repository",
        "orders-worker",
        "lib/service-stack.ts",
        12,
        "OrdersService",
    ));
    rs.push(res(
        "logs",
        "AWS::Logs::LogGroup",
        "/orders/worker",
        "lib/service-stack.ts",
        14,
        "OrdersService",
    ));
    // Repeated things: 58 scrapers, 74 schedules (20 of them unmanaged).
    for i in 0..58 {
        let mut f = res(
            &format!("scr{i}"),
            "AWS::Lambda::Function",
            &format!("rfq-scrape-{i:02}"),
            "lib/worker-stack.ts",
            69 + i,
            "Worker",
        );
        f.attributes
            .insert("PackageType".into(), Value::str("Image"));
        rs.push(f);
    }
    for i in 0..74 {
        let mut s = res(
            &format!("sch{i}"),
            "AWS::Scheduler::Schedule",
            &format!("rfq-cron-{i:02}"),
            "lib/worker-stack.ts",
            1128,
            "Worker",
        );
        if i >= 54 {
            s.in_code = false;
            s.code = None;
        }
        s.in_live = true;
        rs.push(s);
    }
    let mut evil = res(
        "evil",
        "AWS::SQS::Queue",
        "</script><img src=x onerror=alert(1)>",
        "lib/<evil>.ts",
        7,
        "Evil\"Stack",
    );
    evil.attributes.insert(
        "Note".into(),
        Value::str("</script><script>alert(2)</script>&amp;"),
    );
    rs.push(evil);
    m.resources = rs;

    let e = |a: &str, b: &str, k: EdgeKind| Edge::new(a.into(), b.into(), k, Origin::Code);
    m.edges = vec![
        e("internet", "rec", EdgeKind::Routes),
        e("rec", "alb", EdgeKind::Routes),
        e("alb", "tg", EdgeKind::Routes).with_label(":443"),
        e("tg", "svc-api", EdgeKind::Routes).with_label(":8080"),
        e("internet", "sg-alb", EdgeKind::Allows).with_label("tcp/443"),
        e("sg-alb", "sg-api", EdgeKind::Allows).with_label("tcp/8080"),
        e("sg-api", "sg-db", EdgeKind::Allows).with_label("tcp/5432"),
        e("waf", "alb", EdgeKind::Protects),
        e("bucket", "q", EdgeKind::Notifies).with_label("ObjectCreated incoming/"),
        e("q", "svc-worker", EdgeKind::Triggers),
        e("q", "dlq", EdgeKind::Redrives),
        e("topic", "evq", EdgeKind::Delivers),
        e("topic", "email", EdgeKind::Delivers),
        e("evq", "fn", EdgeKind::Triggers),
        e("rule", "fn", EdgeKind::Invokes),
        e("alarm", "ops", EdgeKind::Notifies),
        e("svc-api", "db", EdgeKind::Depends),
        e("svc-api", "table", EdgeKind::Depends),
        e("svc-worker", "db", EdgeKind::Depends),
        e("svc-worker", "ecr", EdgeKind::Uses),
        e("svc-worker", "logs", EdgeKind::Uses),
        e("db", "key", EdgeKind::Uses),
        e("db", "secret", EdgeKind::Uses),
        e("fn", "role", EdgeKind::Uses),
        e("vpc", "sn-public-0", EdgeKind::Contains),
        e("alb", "nowhere", EdgeKind::Depends),
    ];
    for i in 0..74 {
        m.edges.push(e(
            &format!("sch{i}"),
            &format!("scr{}", i % 58),
            EdgeKind::Invokes,
        ));
    }
    m.drift = vec![
        Drift {
            kind: DriftKind::Changed,
            resource: Some("db".into()),
            type_name: "AWS::RDS::DBInstance".into(),
            name: Some("orders-db".into()),
            attribute: Some("EngineVersion".into()),
            code: Some(Value::str("16.9")),
            live: Some(Value::str("16.11")),
            code_location: Some(surveyor_model::Location {
                file: "lib/data-stack.ts".into(),
                line: 44,
            }),
            scope: None,
        },
        Drift {
            kind: DriftKind::Count,
            resource: None,
            type_name: "AWS::Scheduler::Schedule".into(),
            name: None,
            attribute: None,
            code: Some(Value::int(54)),
            live: Some(Value::int(74)),
            code_location: None,
            scope: Some("Worker".into()),
        },
    ];
    for i in 54..74 {
        m.drift.push(Drift {
            kind: DriftKind::Unmanaged,
            resource: Some(ResourceId::new(format!("sch{i}"))),
            type_name: "AWS::Scheduler::Schedule".into(),
            name: Some(format!("rfq-cron-{i:02}")),
            attribute: None,
            code: None,
            live: None,
            code_location: None,
            scope: None,
        });
    }
    let finding = |rule: &str, sev: Severity, id: &str, title: &str| Finding {
        rule: rule.into(),
        severity: sev,
        category: FindingCategory::Reliability,
        resource: id.into(),
        title: title.into(),
        why: "because".into(),
        action: "fix it".into(),
        evidence: "measured".into(),
        code_location: Some(surveyor_model::Location {
            file: "lib/data-stack.ts".into(),
            line: 44,
        }),
    };
    m.findings = vec![
        finding(
            "db-single-az",
            Severity::Medium,
            "db",
            "orders-db runs in one AZ",
        ),
        finding(
            "db-no-deletion-protection",
            Severity::High,
            "db",
            "orders-db can be deleted",
        ),
        finding(
            "queue-without-dlq",
            Severity::Medium,
            "evq",
            "orders-events has no DLQ",
        ),
        finding(
            "topic-without-subscribers",
            Severity::Low,
            "ops",
            "orders-ops-alerts has no subscribers",
        ),
    ];
    m.flows = vec![Flow {
        name: "api request".into(),
        steps: vec![
            "internet".into(),
            "rec".into(),
            "alb".into(),
            "tg".into(),
            "svc-api".into(),
        ],
        kind: Some("request".into()),
    }];
    m
}

/// The resources a node of the data island stands for (a bare index is a one-resource node).
fn members(n: &serde_json::Value) -> Vec<usize> {
    match n.as_u64() {
        Some(i) => vec![i as usize],
        None => n["m"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_u64().unwrap() as usize)
            .collect(),
    }
}

fn page() -> String {
    Format::Html.render(&fixture())
}

/// The JSON data island, parsed.
fn data(html: &str) -> serde_json::Value {
    let start = html
        .find("<script type=\"application/json\" id=\"surveyor-data\">")
        .expect("data island")
        + "<script type=\"application/json\" id=\"surveyor-data\">".len();
    let end = start + html[start..].find("</script>").expect("end of data island");
    serde_json::from_str(&html[start..end]).expect("data island is JSON")
}

#[test]
fn page_is_self_contained() {
    let html = page();
    let lower = html.to_ascii_lowercase();
    for needle in [
        "src=\"http",
        "href=\"http",
        "src='http",
        "href='http",
        "url(http",
        "@import",
        "<link",
        "<iframe",
    ] {
        assert!(
            !lower.contains(needle),
            "page loads something from outside: {needle}"
        );
    }
    // Every <script> is inline.
    for (i, _) in lower.match_indices("<script") {
        let tag_end = i + lower[i..].find('>').expect("tag end");
        assert!(
            !lower[i..tag_end].contains("src"),
            "external script: {}",
            &html[i..tag_end]
        );
    }
}

#[test]
fn page_structure_is_valid() {
    let html = page();
    assert!(html.starts_with("<!doctype html>"));
    assert!(html.trim_end().ends_with("</html>"));
    for tag in [
        "html", "head", "body", "svg", "main", "script", "style", "table", "section",
    ] {
        let open =
            html.matches(&format!("<{tag}>")).count() + html.matches(&format!("<{tag} ")).count();
        let close = html.matches(&format!("</{tag}>")).count();
        assert_eq!(open, close, "<{tag}> opened {open} times, closed {close}");
    }
    assert_eq!(
        html.matches("<svg class=\"diagram\"").count(),
        2,
        "network and stacks views"
    );
    for section in ["at-a-glance", "flows", "resources", "drift", "findings"] {
        assert!(
            html.contains(&format!("<section id=\"{section}\">")),
            "section {section}"
        );
    }
}

#[test]
fn hostile_names_are_escaped_everywhere() {
    let html = page();
    // Exactly the page's own two scripts open and close.
    assert_eq!(html.matches("<script").count(), 2);
    assert_eq!(html.matches("</script>").count(), 2);
    assert!(!html.contains("<img"));
    assert!(html.contains("&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"));
    let d = data(&html);
    let names: Vec<&str> = d["resources"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["n"].as_str())
        .collect();
    assert!(
        names.contains(&"</script><img src=x onerror=alert(1)>"),
        "the data keeps the name intact"
    );
}

#[test]
fn output_is_deterministic() {
    let a = page();
    for _ in 0..3 {
        assert!(a == page(), "two renders of one map differ");
    }
}

#[test]
fn drawn_counts_account_for_every_resource_and_edge() {
    let map = fixture();
    let html = Format::Html.render(&map);
    let d = data(&html);
    assert_eq!(d["summary"]["resources"], map.resources.len());
    assert_eq!(d["summary"]["edges"], map.edges.len());
    for view in ["network", "stacks"] {
        let v = &d["views"][view];
        let s = &v["stats"];
        let u = |k: &str| s[k].as_u64().unwrap() as usize;
        assert_eq!(
            u("drawn_resources") + u("omitted_resources") + u("boxed_resources"),
            map.resources.len(),
            "{view}"
        );
        assert_eq!(
            u("drawn_edge_facts")
                + u("contains_edges")
                + u("internal_edges")
                + u("omitted_edges")
                + u("dangling_edges"),
            map.edges.len(),
            "{view}"
        );
        let nodes = v["nodes"].as_array().unwrap();
        let members: usize = nodes.iter().map(|n| members(n).len()).sum();
        assert_eq!(members, u("drawn_resources"));
        // The SVG draws exactly the nodes and edges of the data.
        let svg_start = html.find(&format!("id=\"svg-{view}\"")).unwrap();
        let svg_end = svg_start + html[svg_start..].find("</svg>").unwrap();
        let svg = &html[svg_start..svg_end];
        assert_eq!(svg.matches(" data-node=").count(), nodes.len(), "{view}");
        assert_eq!(
            svg.matches("<path class=\"edge").count(),
            v["edges"].as_array().unwrap().len(),
            "{view}"
        );
    }
    // 58 scrapers are one node; the 74 schedules two: 54 declared in one stack, 20 unmanaged.
    let nodes = d["views"]["network"]["nodes"].as_array().unwrap();
    let sizes: Vec<usize> = nodes.iter().map(|n| members(n).len()).collect();
    assert!(
        sizes.contains(&58) && sizes.contains(&54) && sizes.contains(&20),
        "{sizes:?}"
    );
    // The role and its policy are not drawn but belong to the handler.
    let handler = nodes
        .iter()
        .find(|n| {
            let m = members(n);
            m.len() == 1 && d["resources"][m[0]]["n"] == "orders-events-handler"
        })
        .expect("handler node");
    assert_eq!(handler["a"].as_array().unwrap().len(), 2);
}

#[test]
fn marks_reach_the_svg() {
    let html = page();
    assert!(html.contains("data-drift=\"drift\""), "changed database");
    assert!(
        html.contains("data-drift=\"unmanaged\""),
        "unmanaged schedules"
    );
    assert!(html.contains("data-sev=\"high\""));
    assert!(html.contains("lib/data-stack.ts"));
}

#[test]
fn empty_map_renders() {
    let html = Format::Html.render(&Map::default());
    assert!(html.contains("<svg class=\"diagram\""));
    let d = data(&html);
    assert_eq!(d["summary"]["resources"], 0);
}

/// For the browser test and screenshots: `SURVEYOR_HTML_FIXTURE_OUT=dir` writes the fixture's
/// map.html and map.json there.
#[test]
fn write_fixture_when_asked() {
    let Ok(dir) = std::env::var("SURVEYOR_HTML_FIXTURE_OUT") else {
        return;
    };
    let map = fixture();
    let written = surveyor_report::write_outputs(
        &map,
        std::path::Path::new(&dir),
        &[Format::Html, Format::Json],
    )
    .unwrap();
    assert_eq!(written.len(), 2);
}
