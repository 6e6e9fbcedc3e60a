//! The bundled examples (`examples/`): the CloudFormation templates of "orders" map with the
//! declaration lines listed in `examples/README.md`, and references across stacks resolve when
//! CloudFormation and CDK inputs are read together (`Fn::ImportValue` from a hand-written
//! template into a CDK stack; `Fn::GetStackOutput` between the Python fixture's stacks).

use std::path::{Path, PathBuf};

use surveyor_code::{read_paths, CodeOptions};
use surveyor_model::{Inventory, Resource, Value};

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples")
}

fn by_logical<'a>(inv: &'a Inventory, file_suffix: &str, logical: &str) -> Option<&'a Resource> {
    inv.resources.iter().find(|r| {
        r.code.as_ref().is_some_and(|c| {
            c.logical_id.as_deref() == Some(logical)
                && (c.file.ends_with(file_suffix)
                    || c.template
                        .as_deref()
                        .is_some_and(|t| t.ends_with(file_suffix)))
        })
    })
}

#[test]
fn orders_templates_have_the_documented_lines() {
    let dir = examples().join("orders/cloudformation");
    let inv = read_paths(&[dir], &CodeOptions::default()).unwrap();
    for (file, logical, ty, line) in [
        ("edge.yaml", "SiteBucket", "AWS::S3::Bucket", 32),
        (
            "edge.yaml",
            "SiteOriginAccessControl",
            "AWS::CloudFront::OriginAccessControl",
            52,
        ),
        (
            "edge.yaml",
            "Distribution",
            "AWS::CloudFront::Distribution",
            62,
        ),
        (
            "edge.yaml",
            "SiteBucketPolicy",
            "AWS::S3::BucketPolicy",
            106,
        ),
        ("edge.yaml", "SiteRecord", "AWS::Route53::RecordSet", 123),
        ("jobs.yaml", "ExportDlq", "AWS::SQS::Queue", 35),
        ("jobs.yaml", "ExportQueue", "AWS::SQS::Queue", 41),
        ("jobs.yaml", "ExportsTable", "AWS::DynamoDB::Table", 50),
        ("jobs.yaml", "ExportFunction", "AWS::Lambda::Function", 58),
        (
            "jobs.yaml",
            "ExportFunctionLogs",
            "AWS::Logs::LogGroup",
            104,
        ),
    ] {
        let r = by_logical(&inv, file, logical).unwrap_or_else(|| panic!("{file} {logical}"));
        assert_eq!(r.type_name, ty, "{logical}");
        let c = r.code.as_ref().unwrap();
        assert_eq!((c.file.as_str(), c.line), (file, line), "{logical}");
    }
    let role = by_logical(&inv, "jobs.yaml", "ExportFunctionRole").expect("SAM adds the role");
    assert_eq!(role.code.as_ref().unwrap().line, 58);
}

#[test]
fn cross_stack_references_resolve_across_cfn_and_cdk() {
    let inv = read_paths(&[examples().join("orders")], &CodeOptions::default()).unwrap();
    let record = by_logical(&inv, "edge.yaml", "SiteRecord").expect("SiteRecord");
    assert!(
        matches!(record.attr("HostedZoneId"), Some(Value::Ref(id)) if id.as_str().starts_with("AWS::Route53::HostedZone::")),
        "{:?}",
        record.attr("HostedZoneId")
    );
    let edge = inv
        .stacks
        .iter()
        .find(|s| s.name == "edge")
        .expect("edge stack");
    assert!(!edge.depends_on.is_empty(), "edge imports from the CDK app");

    let py = read_paths(
        &[examples().join("fixtures/cdk-python")],
        &CodeOptions::default(),
    )
    .unwrap();
    let refs: Vec<String> = py
        .resources
        .iter()
        .flat_map(|r| r.references().into_iter().map(|(_, id)| id.to_string()))
        .collect();
    assert!(
        refs.iter()
            .any(|id| id.starts_with("AWS::S3::Bucket::PyStorage/")),
        "Fn::GetStackOutput resolves to the bucket of PyStorage: {refs:?}"
    );
}
