//! The shared layout helpers: subnet tiers, the "Is it EC2?" sentence, labels, entry points.

mod common;

use surveyor_model::{Map, Provenance, Resource, ResourceId, Value};
use surveyor_report::layout::{self, ComputeSummary, Context, Tier};

fn res(ty: &str, name: &str, attrs: &[(&str, Value)]) -> Resource {
    let mut r = Resource::new(ResourceId::of(ty, name), ty);
    r.attributes = attrs
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect();
    r.in_code = true;
    r
}

fn rref(ty: &str, name: &str) -> Value {
    Value::Ref(ResourceId::of(ty, name))
}

#[test]
fn subnet_tiers_follow_routes_when_nothing_else_says() {
    let mut map = Map {
        resources: vec![
            res("AWS::EC2::InternetGateway", "igw", &[]),
            res("AWS::EC2::NatGateway", "nat", &[]),
            res("AWS::EC2::Subnet", "a", &[]),
            res("AWS::EC2::Subnet", "b", &[]),
            res("AWS::EC2::Subnet", "c", &[]),
            res("AWS::EC2::RouteTable", "rt-a", &[]),
            res("AWS::EC2::RouteTable", "rt-b", &[]),
            res("AWS::EC2::RouteTable", "rt-c", &[]),
            res(
                "AWS::EC2::Route",
                "ra",
                &[
                    ("RouteTableId", rref("AWS::EC2::RouteTable", "rt-a")),
                    ("GatewayId", rref("AWS::EC2::InternetGateway", "igw")),
                ],
            ),
            res(
                "AWS::EC2::Route",
                "rb",
                &[
                    ("RouteTableId", rref("AWS::EC2::RouteTable", "rt-b")),
                    ("NatGatewayId", rref("AWS::EC2::NatGateway", "nat")),
                ],
            ),
        ],
        ..Map::default()
    };
    for (s, rt) in [("a", "rt-a"), ("b", "rt-b"), ("c", "rt-c")] {
        map.resources.push(res(
            "AWS::EC2::SubnetRouteTableAssociation",
            &format!("as-{s}"),
            &[
                ("SubnetId", rref("AWS::EC2::Subnet", s)),
                ("RouteTableId", rref("AWS::EC2::RouteTable", rt)),
            ],
        ));
    }
    let ctx = Context::new(&map);
    let tier = |name: &str| {
        let r = ctx
            .get(&ResourceId::of("AWS::EC2::Subnet", name))
            .expect("subnet");
        layout::subnet_tier(r, &ctx)
    };
    assert_eq!(tier("a"), Tier::Public);
    assert_eq!(tier("b"), Tier::Private);
    assert_eq!(tier("c"), Tier::Isolated);
}

#[test]
fn subnet_tiers_from_tags_names_and_public_ips() {
    let map = Map::default();
    let ctx = Context::new(&map);
    let mut cdk = res("AWS::EC2::Subnet", "x", &[]);
    cdk.tags
        .insert("aws-cdk:subnet-type".into(), "Isolated".into());
    assert_eq!(layout::subnet_tier(&cdk, &ctx), Tier::Isolated);
    let public_ip = res(
        "AWS::EC2::Subnet",
        "y",
        &[("MapPublicIpOnLaunch", true.into())],
    );
    assert_eq!(layout::subnet_tier(&public_ip, &ctx), Tier::Public);
    let mut named = res("AWS::EC2::Subnet", "z", &[]);
    named.tags.insert("Name".into(), "prod-db-1".into());
    assert_eq!(layout::subnet_tier(&named, &ctx), Tier::Isolated);
}

#[test]
fn is_it_ec2_says_what_runs_where() {
    let mut map = Map {
        resources: vec![
            res(
                "AWS::Lambda::Function",
                "a",
                &[
                    ("Architectures", Value::List(vec!["arm64".into()])),
                    ("PackageType", "Image".into()),
                ],
            ),
            res("AWS::Lambda::Function", "b", &[]),
            res(
                "AWS::ECS::Service",
                "s",
                &[("LaunchType", "FARGATE".into())],
            ),
        ],
        ..Map::default()
    };
    let sentence = ComputeSummary::of(&Context::new(&map)).sentence();
    assert_eq!(
        sentence,
        "Compute is not on EC2 — 2 Lambda functions (1 arm64, 1 x86_64, 1 container image) and 1 Fargate service."
    );
    map.resources
        .push(res("AWS::AutoScaling::AutoScalingGroup", "asg", &[]));
    let sentence = ComputeSummary::of(&Context::new(&map)).sentence();
    assert!(sentence.starts_with("Compute runs on EC2 — "), "{sentence}");
    assert!(sentence.contains("1 Auto Scaling group"));
    // CDK's provider functions are not the user's compute.
    let mut provider = res("AWS::Lambda::Function", "p", &[]);
    provider.code = Some(Provenance {
        address: Some("Stack/AWS679f53fac002430cb0da5b7982bd2287/Resource".into()),
        ..Provenance::default()
    });
    let only = Map {
        resources: vec![provider],
        ..Map::default()
    };
    assert_eq!(
        ComputeSummary::of(&Context::new(&only)).sentence(),
        "No compute is declared or found."
    );
}

#[test]
fn labels_read_well_for_generic_construct_paths() {
    let mut r = res("AWS::EC2::Subnet", "x", &[]);
    r.code = Some(Provenance {
        address: Some("Net/Vpc/publicSubnet1/Subnet".into()),
        ..Provenance::default()
    });
    assert_eq!(layout::label(&r), "publicSubnet1/Subnet");
    r.code = Some(Provenance {
        address: Some("Net/Queue/Resource".into()),
        ..Provenance::default()
    });
    assert_eq!(layout::label(&r), "Queue");
    let mut dns = res("AWS::Route53::RecordSet", "x", &[]);
    dns.name = Some("api.example.com.".into());
    assert_eq!(layout::label(&dns), "api.example.com");
    assert_eq!(layout::short_id("arn:aws:sqs:us-east-2:1:jobs"), "jobs");
    assert_eq!(
        layout::short_id("arn:aws:lambda:us-east-2:1:function:f"),
        "f"
    );
    assert_eq!(layout::short_id("AWS::SQS::Queue::S/Q"), "S/Q");
}

#[test]
fn entry_points_are_where_requests_start() {
    let map = common::orders();
    let ctx = Context::new(&map);
    let names: Vec<String> = layout::entry_points(&ctx)
        .iter()
        .map(|r| layout::label(r))
        .collect();
    // The ALB sits behind the DNS record, so the record is the entry point.
    assert_eq!(names, vec!["api.orders.example.com".to_string()]);
}
