//! Terraform JSON syntax (`.tf.json`): the same declarations as HCL, strings read as
//! templates, each resource at the line of its name key, mixed with `.tf` files in one module.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use surveyor_code::terraform::read_all;
use surveyor_code::CodeOptions;
use surveyor_model::{Inventory, Resource, Value};

fn fixture(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/terraform")
        .join(p)
}

fn read_dir(dir: &Path) -> Inventory {
    read_all(&[dir.to_path_buf()], &[], &[], dir, &CodeOptions::default()).unwrap()
}

fn by_address(inv: &Inventory) -> BTreeMap<String, &Resource> {
    inv.resources
        .iter()
        .map(|r| (r.code.as_ref().unwrap().address.clone().unwrap(), r))
        .collect()
}

fn ref_to(v: Option<&Value>) -> String {
    match v {
        Some(Value::Ref(id)) => id.as_str().to_string(),
        other => panic!("not a reference: {other:?}"),
    }
}

#[test]
fn json_resources_are_read_with_templates_and_name_key_lines() {
    let inv = read_dir(&fixture("json"));
    let by = by_address(&inv);
    let mut addrs: Vec<&str> = by.keys().map(String::as_str).collect();
    addrs.sort();
    assert_eq!(
        addrs,
        [
            "aws_security_group.web",
            "aws_sns_topic.west",
            "aws_sqs_queue.dlq",
            "aws_sqs_queue.from_hcl",
            "aws_sqs_queue.work[0]",
            "aws_sqs_queue.work[1]",
            "module.extra.aws_sqs_queue.q",
        ],
        "{:#?}",
        inv.notes
    );

    let at = |a: &str| {
        let c = by[a].code.as_ref().unwrap();
        (c.file.clone(), c.line)
    };
    assert_eq!(at("aws_sqs_queue.dlq"), ("main.tf.json".into(), 46));
    assert_eq!(at("aws_sqs_queue.work[1]"), ("main.tf.json".into(), 53));
    assert_eq!(at("aws_security_group.web"), ("main.tf.json".into(), 63));
    assert_eq!(at("aws_sqs_queue.from_hcl"), ("queues.tf".into(), 2));
    assert_eq!(
        at("module.extra.aws_sqs_queue.q"),
        ("modules/queue/main.tf.json".into(), 5)
    );

    // `"${…}"` strings are templates: locals, variables, arithmetic, count.index.
    let dlq = by["aws_sqs_queue.dlq"];
    assert_eq!(dlq.attr_str("QueueName"), Some("orders-prod-dlq"));
    assert_eq!(
        dlq.attr("MessageRetentionPeriod").and_then(Value::as_i64),
        Some(345600 * 3)
    );
    assert_eq!(
        by["aws_sqs_queue.work[1]"].attr_str("QueueName"),
        Some("orders-prod-work-1")
    );
    assert_eq!(
        by["module.extra.aws_sqs_queue.q"].attr_str("QueueName"),
        Some("orders-prod-extra")
    );
    assert_eq!(
        by["module.extra.aws_sqs_queue.q"]
            .attr("DelaySeconds")
            .and_then(Value::as_i64),
        Some(5)
    );
    // A lone interpolation keeps its type: the reference survives `jsonencode`, from JSON and
    // from the HCL file beside it alike.
    for q in ["aws_sqs_queue.work[0]", "aws_sqs_queue.from_hcl"] {
        assert_eq!(
            ref_to(by[q].attr("RedrivePolicy.deadLetterTargetArn")),
            dlq.id.as_str(),
            "{q}"
        );
    }
    // `dynamic` blocks in JSON expand like HCL's.
    let ingress = by["aws_security_group.web"]
        .attr("SecurityGroupIngress")
        .and_then(Value::as_list)
        .unwrap();
    let ports: Vec<i64> = ingress
        .iter()
        .filter_map(|r| r.pointer("FromPort").and_then(Value::as_i64))
        .collect();
    assert_eq!(ports, [443, 8443], "{ingress:?}");
    // The provider's region is a template too.
    assert_eq!(dlq.region.as_deref(), Some("eu-west-1"));
    // Meta-arguments are not properties.
    assert!(by["aws_sqs_queue.work[0]"].attr("Lifecycle").is_none());
}

#[test]
fn json_default_tags_apply_to_the_default_provider_only() {
    let inv = read_dir(&fixture("json"));
    let by = by_address(&inv);
    let tags = |a: &str| {
        by[a]
            .tags
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
    };
    assert_eq!(tags("aws_sqs_queue.dlq"), ["env=override", "team=payments"]);
    assert_eq!(tags("aws_sqs_queue.work[0]"), ["env=prod", "team=payments"]);
    // Modules inherit the default provider.
    assert_eq!(
        tags("module.extra.aws_sqs_queue.q"),
        ["env=prod", "team=payments"]
    );
    assert!(tags("aws_sns_topic.west").is_empty());
}

#[test]
fn json_backend_and_literal_variable_defaults() {
    let inv = read_dir(&fixture("json"));
    let backend = inv
        .notes
        .iter()
        .find(|n| n.message.contains("backend `s3`"))
        .unwrap_or_else(|| panic!("{:#?}", inv.notes));
    assert_eq!(
        (backend.file.as_deref(), backend.line),
        (Some("main.tf.json"), Some(5))
    );
    // A variable default is a literal in JSON: `${…}` in it is not a template, so nothing
    // failed to evaluate.
    assert!(
        !inv.notes
            .iter()
            .any(|n| n.message.contains("not-a-template")),
        "{:#?}",
        inv.notes
    );
}

#[test]
fn broken_json_is_an_error_note_with_its_line_and_the_rest_is_read() {
    let inv = read_dir(&fixture("json_bad"));
    let n = inv
        .notes
        .iter()
        .find(|n| n.message.contains("Terraform JSON syntax error"))
        .unwrap_or_else(|| panic!("{:#?}", inv.notes));
    assert_eq!((n.file.as_deref(), n.line), (Some("main.tf.json"), Some(4)));
    let names: Vec<&str> = inv
        .resources
        .iter()
        .filter_map(|r| r.attr_str("QueueName"))
        .collect();
    assert_eq!(names, ["still-read"]);
}
