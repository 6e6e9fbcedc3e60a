//! The command line as users and CI pipelines meet it: outputs, formats, exit codes, and
//! that bad input leaves nothing half-written.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn surveyor(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_surveyor"))
        .args(args)
        .output()
        .expect("run surveyor")
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .map(|es| {
            es.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

#[test]
fn maps_the_bundled_example_into_all_four_formats() {
    let out = tempfile::tempdir().unwrap();
    let example = repo().join("examples/orders");
    let o = surveyor(&[
        "map",
        example.to_str().unwrap(),
        "--out",
        out.path().to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(
        files_in(out.path()),
        ["findings.sarif", "map.html", "map.json", "map.md"]
    );
    let map: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.path().join("map.json")).unwrap()).unwrap();
    assert_eq!(map["schema"], "surveyor.map/v1");
    let resources = map["resources"].as_array().unwrap();
    assert!(resources.len() > 100, "{} resources", resources.len());
    // A CDK resource points at the user's TypeScript line, relative to the PATH given.
    let ingest = resources
        .iter()
        .find(|r| r["code"]["logical_id"] == "IngestQueue2280FF4E")
        .expect("the ingest queue");
    assert_eq!(ingest["code"]["file"], "cdk/lib/data-stack.ts");
    assert_eq!(ingest["code"]["line"], 56);
    assert_eq!(ingest["code"]["source_kind"], "cdk");
    // A hand-written template resource points at its own line.
    let dist = resources
        .iter()
        .find(|r| r["type"] == "AWS::CloudFront::Distribution")
        .expect("the distribution");
    assert_eq!(dist["code"]["file"], "cloudformation/edge.yaml");
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(stdout.contains("map.md"), "{stdout}");
}

#[test]
fn format_writes_only_the_formats_asked_for() {
    let out = tempfile::tempdir().unwrap();
    let example = repo().join("examples/orders/cloudformation");
    let o = surveyor(&[
        "map",
        example.to_str().unwrap(),
        "--out",
        out.path().to_str().unwrap(),
        "--format",
        "json,md",
        "-q",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(files_in(out.path()), ["map.json", "map.md"]);
    assert!(o.stdout.is_empty(), "--quiet prints nothing");
}

#[test]
fn bad_input_exits_2_names_file_and_line_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("broken.yaml");
    std::fs::write(&bad, "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties: [unclosed\n").unwrap();
    let out = dir.path().join("out");
    let o = surveyor(&["map", bad.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("broken.yaml:"), "{err}");
    assert!(
        !out.exists() || files_in(&out).is_empty(),
        "nothing half-written: {:?}",
        files_in(&out)
    );
}

#[test]
fn wrong_commands_exit_2() {
    let o = surveyor(&[
        "map",
        "--format",
        "pdf",
        "--out",
        "/nonexistent-never-written",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("unknown format"));
    let o = surveyor(&["map", "/definitely/not/here"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("/definitely/not/here"));
    let o = surveyor(&["explain", "no-such-rule"]);
    assert_eq!(o.status.code(), Some(2));
    let o = surveyor(&["frobnicate"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn maps_the_terraform_example_with_addresses_modules_and_lines() {
    let out = tempfile::tempdir().unwrap();
    let example = repo().join("examples/ledger-terraform");
    let o = surveyor(&[
        "map",
        example.to_str().unwrap(),
        "--out",
        out.path().to_str().unwrap(),
        "--format",
        "md,json",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let md = std::fs::read_to_string(out.path().join("map.md")).unwrap();
    // A Terraform root is named as such, not as a stack.
    assert!(
        md.contains("in 1 Terraform root module"),
        "{}",
        &md[..md.len().min(1500)]
    );
    // A resource inside a module: the module file's line, and its `for_each` address.
    let line = std::fs::read_to_string(example.join("modules/queue/main.tf"))
        .unwrap()
        .lines()
        .position(|l| l.starts_with("resource \"aws_sqs_queue\" \"dlq\""))
        .unwrap()
        + 1;
    assert!(
        md.contains(&format!("modules/queue/main.tf:{line}")),
        "no modules/queue/main.tf:{line}"
    );
    let map: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.path().join("map.json")).unwrap()).unwrap();
    let dlq = map["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "ledger-prod-ingest-dlq")
        .expect("the ingest DLQ");
    assert_eq!(
        dlq["code"]["address"],
        "module.queues[\"ingest\"].aws_sqs_queue.dlq"
    );
    assert_eq!(dlq["code"]["module"][0], "module.queues[\"ingest\"]");
    // The state's ids are joined onto the code by address.
    assert_eq!(
        dlq["physical_id"],
        "https://sqs.us-east-2.amazonaws.com/123456789012/ledger-prod-ingest-dlq"
    );
}

/// What users type first in their repository: `surveyor map .` (and `./`), from inside it.
#[test]
fn maps_the_current_folder_given_as_a_dot() {
    let example = repo().join("examples/ledger-terraform");
    let resources = |arg: &str, cwd: &Path| {
        let out = tempfile::tempdir().unwrap();
        let o = Command::new(env!("CARGO_BIN_EXE_surveyor"))
            .current_dir(cwd)
            .args([
                "map",
                arg,
                "--out",
                out.path().to_str().unwrap(),
                "--format",
                "json",
            ])
            .output()
            .expect("run surveyor");
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let map: serde_json::Value =
            serde_json::from_slice(&std::fs::read(out.path().join("map.json")).unwrap()).unwrap();
        let mut v: Vec<(String, String)> = map["resources"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["id"].as_str().unwrap().to_string(),
                    format!("{}:{}", r["code"]["file"], r["code"]["line"]),
                )
            })
            .collect();
        v.sort();
        v
    };
    let by_path = resources(example.to_str().unwrap(), &repo());
    assert!(by_path.len() > 30, "{by_path:?}");
    assert_eq!(resources(".", &example), by_path);
    assert_eq!(resources("./", &example), by_path);
    assert_eq!(resources("../ledger-terraform", &example), by_path);
}
