//! A 5,000-resource map: `map.html` stays under 5 MB and renders fast. The browser test
//! (scripts/browser-test.sh) opens the page this writes to time it in Chromium.

use std::time::Instant;
use surveyor_model::ValueMap;

use surveyor_model::{Edge, EdgeKind, Map, Origin, Provenance, Resource, ResourceId, Value};
use surveyor_report::Format;

/// 250 stacks of serverless pipelines (schedules → functions → queues → functions → tables),
/// with roles and log groups, some functions in a VPC: 5,000 resources in all.
fn large_map(total: usize) -> Map {
    let mut m = Map {
        account: Some("222222222222".into()),
        regions: vec!["eu-west-1".into()],
        ..Map::default()
    };
    let mut rs: Vec<Resource> = Vec::with_capacity(total);
    let mut edges = Vec::new();
    let add =
        |rs: &mut Vec<Resource>, id: String, ty: &str, stack: usize, attrs: Vec<(&str, Value)>| {
            let mut r = Resource::new(ResourceId::new(id.clone()), ty);
            r.name = Some(id.clone());
            r.in_code = true;
            r.in_live = !stack.is_multiple_of(3);
            r.region = Some("eu-west-1".into());
            r.code = Some(Provenance {
                file: format!("lib/stack-{stack}.ts"),
                line: (rs.len() % 900 + 1) as u32,
                stack: Some(format!("Stack{stack}")),
                address: Some(format!("Stack{stack}/{id}/Resource")),
                ..Default::default()
            });
            r.attributes = attrs
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect::<ValueMap>();
            r.attributes.insert(
                "Description".into(),
                Value::str(format!("resource {id} of a large generated map")),
            );
            rs.push(r);
        };
    add(
        &mut rs,
        "vpc".into(),
        "AWS::EC2::VPC",
        0,
        vec![("CidrBlock", Value::str("10.0.0.0/16"))],
    );
    for s in 0..3 {
        add(
            &mut rs,
            format!("subnet-{s}"),
            "AWS::EC2::Subnet",
            0,
            vec![
                ("VpcId", Value::Ref("vpc".into())),
                ("MapPublicIpOnLaunch", Value::Bool(s == 0)),
            ],
        );
    }
    let mut i = 0usize;
    while rs.len() < total {
        // Many small stacks, so that little collapses: the page must cope with thousands of nodes.
        let stack = i % 250;
        let p = format!("s{stack}-p{i}");
        let in_vpc = i.is_multiple_of(4);
        let mut fattrs = vec![
            ("Role", Value::Ref(ResourceId::new(format!("{p}-role")))),
            ("Runtime", Value::str("nodejs22.x")),
        ];
        if in_vpc {
            fattrs.push((
                "VpcConfig",
                Value::Map(ValueMap::from([(
                    "SubnetIds".into(),
                    Value::List(vec![Value::Ref(ResourceId::new(format!(
                        "subnet-{}",
                        1 + i % 2
                    )))]),
                )])),
            ));
        }
        add(
            &mut rs,
            format!("{p}-role"),
            "AWS::IAM::Role",
            stack,
            vec![],
        );
        add(
            &mut rs,
            format!("{p}-fn"),
            "AWS::Lambda::Function",
            stack,
            fattrs,
        );
        add(
            &mut rs,
            format!("{p}-sched"),
            "AWS::Scheduler::Schedule",
            stack,
            vec![("Target", Value::Ref(ResourceId::new(format!("{p}-fn"))))],
        );
        add(&mut rs, format!("{p}-q"), "AWS::SQS::Queue", stack, vec![]);
        add(
            &mut rs,
            format!("{p}-dlq"),
            "AWS::SQS::Queue",
            stack,
            vec![],
        );
        add(
            &mut rs,
            format!("{p}-worker"),
            "AWS::Lambda::Function",
            stack,
            vec![],
        );
        add(
            &mut rs,
            format!("{p}-table"),
            "AWS::DynamoDB::Table",
            stack,
            vec![],
        );
        add(
            &mut rs,
            format!("{p}-logs"),
            "AWS::Logs::LogGroup",
            stack,
            vec![],
        );
        if i.is_multiple_of(5) {
            add(
                &mut rs,
                format!("{p}-topic"),
                "AWS::SNS::Topic",
                stack,
                vec![],
            );
            add(
                &mut rs,
                format!("{p}-alarm"),
                "AWS::CloudWatch::Alarm",
                stack,
                vec![],
            );
            edges.push(Edge::new(
                ResourceId::new(format!("{p}-alarm")),
                ResourceId::new(format!("{p}-topic")),
                EdgeKind::Notifies,
                Origin::Code,
            ));
            edges.push(Edge::new(
                ResourceId::new(format!("{p}-topic")),
                ResourceId::new(format!("{p}-q")),
                EdgeKind::Delivers,
                Origin::Code,
            ));
        }
        let e = |a: &str, b: &str, k: EdgeKind| {
            Edge::new(
                ResourceId::new(format!("{p}-{a}")),
                ResourceId::new(format!("{p}-{b}")),
                k,
                Origin::Both,
            )
        };
        edges.push(e("sched", "fn", EdgeKind::Invokes));
        edges.push(e("fn", "q", EdgeKind::Depends));
        edges.push(e("q", "worker", EdgeKind::Triggers));
        edges.push(e("q", "dlq", EdgeKind::Redrives));
        edges.push(e("worker", "table", EdgeKind::Depends));
        edges.push(e("fn", "role", EdgeKind::Uses));
        edges.push(e("fn", "logs", EdgeKind::Uses));
        i += 1;
    }
    rs.truncate(total);
    let ids: std::collections::HashSet<String> = rs.iter().map(|r| r.id.0.clone()).collect();
    edges.retain(|e| ids.contains(e.from.as_str()) && ids.contains(e.to.as_str()));
    m.resources = rs;
    m.edges = edges;
    m
}

#[test]
fn five_thousand_resources_render_small_and_fast() {
    let map = large_map(5000);
    assert_eq!(map.resources.len(), 5000);
    let t = Instant::now();
    let html = Format::Html.render(&map);
    let ms = t.elapsed().as_millis();
    let mb = html.len() as f64 / 1_048_576.0;
    println!(
        "5000 resources, {} edges: map.html {mb:.2} MB rendered in {ms} ms",
        map.edges.len()
    );
    if let Ok(dir) = std::env::var("SURVEYOR_HTML_LARGE_OUT") {
        surveyor_report::write_outputs(
            &map,
            std::path::Path::new(&dir),
            &[Format::Html, Format::Json],
        )
        .unwrap();
    }
    assert!(html.len() < 5 * 1024 * 1024, "map.html is {mb:.2} MB");
    // Little collapses here: most nodes stand for one resource.
    assert!(html.matches(" data-node=").count() > 4000);
}
