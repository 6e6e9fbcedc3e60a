//! The default aws provider's `default_tags` are part of every resource's tags, as Terraform
//! merges them into `tags_all` (the resource's own tags win): the live resources carry them,
//! so a code resource without them would show tag drift that is not there.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use surveyor_code::terraform::{read_all, read_hcl_str};
use surveyor_code::CodeOptions;
use surveyor_model::{Inventory, Resource};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/terraform/default_tags")
}

fn by_address(inv: &Inventory) -> BTreeMap<String, &Resource> {
    inv.resources
        .iter()
        .map(|r| (r.code.as_ref().unwrap().address.clone().unwrap(), r))
        .collect()
}

fn tags(r: &Resource) -> Vec<String> {
    r.tags.iter().map(|(k, v)| format!("{k}={v}")).collect()
}

#[test]
fn default_tags_merge_under_the_resource_tags() {
    let text = std::fs::read_to_string(fixture().join("main.tf")).unwrap();
    let inv = read_hcl_str(&text);
    let by = by_address(&inv);
    assert_eq!(
        tags(by["aws_sqs_queue.jobs"]),
        ["Name=jobs", "env=staging", "owner=platform"]
    );
    assert_eq!(
        tags(by["aws_sns_topic.alerts"]),
        ["env=prod", "owner=platform"]
    );
    // Another provider configuration has its own tags, not the default one's.
    assert!(tags(by["aws_sqs_queue.replica"]).is_empty());
    // A type Terraform does not tag gets none.
    assert!(tags(by["aws_sns_topic_subscription.page"]).is_empty());
}

#[test]
fn default_tags_given_by_a_variable_follow_the_variable() {
    let inv = read_hcl_str(
        r#"
variable "common" {
  default = { cost_center = "42" }
}
provider "aws" {
  default_tags {
    tags = merge(var.common, { managed_by = "terraform" })
  }
}
resource "aws_sqs_queue" "q" {
  name = "q"
}
"#,
    );
    assert_eq!(
        tags(&inv.resources[0]),
        ["cost_center=42", "managed_by=terraform"]
    );
}

#[test]
fn code_tags_equal_the_states_tags_all() {
    let dir = fixture();
    let inv = read_all(
        std::slice::from_ref(&dir),
        &[dir.join("terraform.tfstate")],
        &[],
        &dir,
        &CodeOptions::default(),
    )
    .unwrap();
    let by = by_address(&inv);
    let jobs = by["aws_sqs_queue.jobs"];
    assert_eq!(
        jobs.arn.as_deref(),
        Some("arn:aws:sqs:us-east-2:123456789012:jobs"),
        "joined with the state"
    );
    // `tags_all` in the state is what the account holds.
    assert_eq!(tags(jobs), ["Name=jobs", "env=staging", "owner=platform"]);
    assert_eq!(
        tags(by["aws_sns_topic.alerts"]),
        ["env=prod", "owner=platform"]
    );
}
