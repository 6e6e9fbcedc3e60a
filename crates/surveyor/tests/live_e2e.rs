//! End to end through the binary, against a real AWS API (moto on loopback): the bundled
//! example deployed with CloudFormation, then changed out of band with boto3
//! (`orders_example.py`, `orders_drift.py` in surveyor-live's `tests/accounts/`); then
//! `surveyor map --live`, `surveyor scan` + `map --snapshot`, and exactly the drift and the
//! findings those changes must produce — and none on the resources nobody touched.
#![cfg(feature = "live")]

#[path = "../../surveyor-live/tests/support/mod.rs"]
mod support;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value as J;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The binary with only the account's credentials and the moto endpoint in its environment:
/// no profile, no config file, no metadata service.
fn surveyor(args: &[&str], acct: &support::Account, ep: &str, home: &Path) -> Output {
    let c = &acct.credentials;
    let out = Command::new(env!("CARGO_BIN_EXE_surveyor"))
        .args(args)
        .current_dir(repo())
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("AWS_ENDPOINT_URL", ep)
        .env("AWS_ACCESS_KEY_ID", &c.access_key_id)
        .env("AWS_SECRET_ACCESS_KEY", &c.secret_access_key)
        .env(
            "AWS_SESSION_TOKEN",
            c.session_token.as_deref().unwrap_or(""),
        )
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_CONFIG_FILE", home.join("none"))
        .env("AWS_SHARED_CREDENTIALS_FILE", home.join("none"))
        .env("SOURCE_DATE_EPOCH", "1795348800")
        .output()
        .expect("run surveyor");
    assert!(
        out.status.success(),
        "surveyor {args:?} exited {:?}\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn read_json(p: &Path) -> J {
    serde_json::from_str(&std::fs::read_to_string(p).expect("read")).expect("json")
}

fn s(v: &J) -> &str {
    v.as_str().unwrap_or("")
}

/// One drift item as `kind type name [attribute]`, for an exact comparison.
fn drift_line(d: &J) -> String {
    let mut line = format!("{} {} {}", s(&d["kind"]), s(&d["type"]), s(&d["name"]));
    if let Some(a) = d["attribute"].as_str() {
        line.push_str(&format!(" {a}: {} -> {}", d["code"], d["live"]));
    }
    if d["kind"] == "count" {
        line.push_str(&format!(
            " {}: {} -> {}",
            s(&d["scope"]),
            d["code"],
            d["live"]
        ));
    }
    line
}

/// A map's drift as sorted [`drift_line`]s.
fn drift_lines(m: &J) -> Vec<String> {
    let mut v: Vec<String> = m["drift"]
        .as_array()
        .expect("drift")
        .iter()
        .map(drift_line)
        .collect();
    v.sort();
    v
}

/// A map's findings as (rule, resource name) pairs.
fn findings_by_name(m: &J) -> BTreeSet<(String, String)> {
    let names: std::collections::BTreeMap<&str, &str> = m["resources"]
        .as_array()
        .expect("resources")
        .iter()
        .map(|r| (s(&r["id"]), r["name"].as_str().unwrap_or("")))
        .collect();
    m["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            let name = names.get(s(&f["resource"])).copied().unwrap_or("");
            (s(&f["rule"]).to_string(), name.to_string())
        })
        .collect()
}

#[test]
fn orders_account_out_of_band_changes_are_exactly_the_drift() {
    let Some(ep) = support::endpoint() else {
        return;
    };
    let id = support::fresh_account("333333");
    let acct = support::build("orders_example.py", &id, &ep);
    let more = support::build("orders_drift.py", &id, &ep);
    assert_eq!(more.fact("engine"), "16.10", "moto applied the upgrade");
    let tmp = tempfile::tempdir().expect("tmp");
    // SURVEYOR_E2E_KEEP=DIR keeps the maps and the snapshot for a look after the run.
    let keep = std::env::var_os("SURVEYOR_E2E_KEEP").map(PathBuf::from);
    let home = keep.as_deref().unwrap_or(tmp.path());
    std::fs::create_dir_all(home).expect("out dir");
    let live_out = home.join("live");
    let snap = home.join("snapshot.json");
    let offline_out = home.join("offline");
    let region = ["--region", "us-east-2"];

    let lo = live_out.to_string_lossy().to_string();
    let mut args = vec!["map", "examples/orders", "--live", "--out", &lo];
    args.extend(region);
    surveyor(&args, &acct, &ep, home);
    let sn = snap.to_string_lossy().to_string();
    let mut args = vec!["scan", "--out", &sn];
    args.extend(region);
    surveyor(&args, &acct, &ep, home);
    let oo = offline_out.to_string_lossy().to_string();
    surveyor(
        &["map", "examples/orders", "--snapshot", &sn, "--out", &oo],
        &acct,
        &ep,
        home,
    );

    // `--snapshot` of a scan maps exactly as `--live` of the same account.
    let mut live = read_json(&live_out.join("map.json"));
    let mut offline = read_json(&offline_out.join("map.json"));
    for m in [&mut live, &mut offline] {
        m["generated_at"] = J::Null;
        m["sources"] = J::Null;
    }
    if live != offline {
        for key in [
            "resources",
            "edges",
            "drift",
            "findings",
            "notes",
            "coverage",
        ] {
            assert_eq!(live[key], offline[key], "`{key}` differs live vs snapshot");
        }
        panic!("live and snapshot maps differ");
    }

    // Drift: exactly what was changed out of band, and what moto cannot deploy as written.
    let drift = drift_lines(&live);
    let rule = acct.fact("rule");
    let q = |s: &str| format!("\"{s}\"");
    let mut expected: Vec<String> = vec![
        // orders_example.py: by hand, outside any stack.
        "unmanaged AWS::EC2::Instance debug-box".into(),
        format!(
            "changed AWS::Events::Rule {rule} State: {} -> {}",
            q("ENABLED"),
            q("DISABLED")
        ),
        "changed AWS::Logs::LogGroup LogGroup RetentionInDays: 731 -> 1".into(),
        // orders_drift.py
        format!(
            "changed AWS::RDS::DBInstance orders-db EngineVersion: {} -> {}",
            q("16.9"),
            q("16.10")
        ),
        "unmanaged AWS::Scheduler::Schedule adhoc-backfill-1".into(),
        "unmanaged AWS::Scheduler::Schedule adhoc-backfill-2".into(),
        "missing AWS::SSM::Parameter /orders/api/url".into(),
        "missing AWS::WAFv2::WebACLAssociation WebAclAlb".into(),
        // moto's CloudFormation ignores these template values (moto_fidelity.py puts them
        // back in the recorded snapshot): real drift in this account, made by the emulator.
        "changed AWS::EC2::Subnet Subnet MapPublicIpOnLaunch: true -> false".into(),
        "changed AWS::EC2::Subnet Subnet MapPublicIpOnLaunch: true -> false".into(),
        "changed AWS::ECR::Repository orders-api ImageScanningConfiguration.ScanOnPush: true -> false"
            .into(),
        format!(
            "changed AWS::ECS::Service orders-api LaunchType: {} -> {}",
            q("FARGATE"),
            q("EC2")
        ),
        format!(
            "changed AWS::ECS::Service orders-worker LaunchType: {} -> {}",
            q("FARGATE"),
            q("EC2")
        ),
        format!(
            "changed AWS::ECS::TaskDefinition orders-api NetworkMode: {} -> {}",
            q("awsvpc"),
            q("bridge")
        ),
        format!(
            "changed AWS::ECS::TaskDefinition orders-worker NetworkMode: {} -> {}",
            q("awsvpc"),
            q("bridge")
        ),
        format!(
            "changed AWS::Lambda::Function orders-events-handler Architectures: [{}] -> [{}]",
            q("arm64"),
            q("x86_64")
        ),
        // moto cannot create a certificate or a distribution from a template: the builder
        // requests the certificate through ACM instead (outside the stack).
        "missing AWS::CertificateManager::Certificate ApiCertificate".into(),
        "unmanaged AWS::CertificateManager::Certificate api.orders.example.com".into(),
        "missing AWS::CloudFront::Distribution Distribution".into(),
    ];
    // moto does not run the SAM transform: the jobs stack is not deployed at all.
    for item in [
        "AWS::DynamoDB::Table orders-exports-prod",
        "AWS::Events::Rule orders-export-cleanup-prod",
        "AWS::Events::Rule orders-sitemap-prod",
        "AWS::IAM::Role ExportFunctionRole",
        "AWS::Lambda::EventSourceMapping ExportFunctionExportRequests",
        "AWS::Lambda::Function orders-export-prod",
        "AWS::Logs::LogGroup ExportFunctionLogs",
        "AWS::SQS::Queue orders-export-dlq-prod",
        "AWS::SQS::Queue orders-export-prod",
    ] {
        expected.push(format!("missing {item}"));
    }
    expected.sort();
    assert_eq!(drift, expected, "drift differs from the changes made");

    // Nothing else: every matched resource outside that list carries no drift.
    let drifted: BTreeSet<&str> = live["drift"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|d| d["resource"].as_str())
        .collect();
    let matched: Vec<&J> = live["resources"]
        .as_array()
        .expect("resources")
        .iter()
        .filter(|r| r["in_code"] == true && r["in_live"] == true)
        .collect();
    let clean = matched
        .iter()
        .filter(|r| !drifted.contains(s(&r["id"])))
        .count();
    // The eleven `changed` resources above, and no other matched one.
    assert!(matched.len() >= 60, "only {} matched", matched.len());
    assert_eq!(
        matched.len() - clean,
        11,
        "{} matched, {clean} without drift",
        matched.len()
    );

    // Findings: the changes, as the seeds report them.
    let findings = findings_by_name(&live);
    let schedule = acct.fact("schedule");
    let alarm = acct.fact("alarm");
    for (rule_id, name) in [
        ("public-compute", "debug-box"),
        ("unmanaged-resource", "debug-box"),
        ("unmanaged-resource", "adhoc-backfill-1"),
        ("dlq-has-messages", "orders-ingest-dlq"),
        ("alarm-firing", alarm.as_str()),
        ("schedule-disabled", schedule.as_str()),
        ("schedule-disabled", rule.as_str()),
        ("waf-not-attached", "orders-api"),
        ("internet-facing-without-waf", "orders-alb"),
    ] {
        assert!(
            findings.contains(&(rule_id.to_string(), name.to_string())),
            "no {rule_id} on {name}; findings: {findings:?}"
        );
    }
    // A firing alarm is one finding, not one per evaluation; the queue that is fine is silent.
    assert!(!findings.contains(&("dlq-has-messages".into(), "orders-ingest".into())));
    let sarif = std::fs::read_to_string(live_out.join("findings.sarif")).expect("sarif");
    assert!(
        sarif.contains("\"ruleId\": \"waf-not-attached\"")
            || sarif.contains("\"ruleId\":\"waf-not-attached\"")
    );
}

/// Copies a folder tree (the example, so the builder can write its state beside the code).
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("read_dir") {
        let e = e.expect("entry");
        let dest = to.join(e.file_name());
        if e.file_type().expect("type").is_dir() {
            copy_tree(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), &dest).expect("copy");
        }
    }
}

#[test]
fn terraform_apply_then_out_of_band_changes_are_exactly_the_drift() {
    let Some(ep) = support::endpoint() else {
        return;
    };
    let id = support::fresh_account("444444");
    let tmp = tempfile::tempdir().expect("tmp");
    let keep = std::env::var_os("SURVEYOR_E2E_KEEP").map(PathBuf::from);
    let home = keep.as_deref().unwrap_or(tmp.path());
    // The example's code, with the state this apply leaves instead of the example's own.
    let code = home.join("ledger");
    let _ = std::fs::remove_dir_all(&code);
    copy_tree(&repo().join("examples/ledger-terraform"), &code);
    std::fs::remove_file(code.join("terraform.tfstate")).expect("example state");
    let code_s = code.to_string_lossy().to_string();
    let acct = support::build_with("ledger_apply.py", &id, &ep, &[&code_s]);
    // `surveyor map CODE --live` into OUT under the test's folder; its map.json.
    let map_ledger = |out: &str| -> J {
        let o = home.join(out).to_string_lossy().to_string();
        let args = [
            "map",
            &code_s,
            "--live",
            "--region",
            "us-east-2",
            "--out",
            &o,
        ];
        surveyor(&args, &acct, &ep, home);
        read_json(&home.join(out).join("map.json"))
    };
    let state = std::fs::read_to_string(code.join("terraform.tfstate")).expect("state written");
    assert!(
        state.contains(&acct.fact("vpc")),
        "the state holds the real VPC id"
    );

    // Straight after the apply: code, state and account agree.
    let m = map_ledger("ledger-clean");
    let drift = drift_lines(&m);
    let expected_clean: Vec<String> = ledger_moto_drift();
    assert_eq!(drift, expected_clean, "drift right after the apply");
    // Every resource of the configuration was found, by its state id where it has one.
    let unmatched: Vec<&str> = m["resources"]
        .as_array()
        .expect("resources")
        .iter()
        .filter(|r| r["in_code"] == true && r["in_live"] != true)
        .filter(|r| !s(&r["type"]).starts_with("Surveyor::"))
        .map(|r| s(&r["id"]))
        .collect();
    assert!(unmatched.is_empty(), "not found live: {unmatched:?}");
    let matched = m["resources"]
        .as_array()
        .expect("resources")
        .iter()
        .filter(|r| r["in_code"] == true && r["in_live"] == true)
        .count();
    assert!(matched >= 40, "only {matched} matched");

    // A week of console fixes later.
    support::build("ledger_drift.py", &id, &ep);
    let m = map_ledger("ledger-drift");
    let drift = drift_lines(&m);
    let q = |s: &str| format!("\"{s}\"");
    let mut expected = ledger_moto_drift();
    expected.extend([
        "unmanaged AWS::EC2::Instance ledger-hotfix".to_string(),
        "changed AWS::Logs::LogGroup /ecs/ledger-prod-api RetentionInDays: 30 -> 7".into(),
        format!(
            "changed AWS::RDS::DBInstance ledger-prod-db EngineVersion: {} -> {}",
            q("16.3"),
            q("16.4")
        ),
        "changed AWS::SQS::Queue ledger-prod-reports VisibilityTimeout: 900 -> 1800".into(),
        format!(
            "changed AWS::Scheduler::Schedule ledger-prod-nightly-close State: {} -> {}",
            q("ENABLED"),
            q("DISABLED")
        ),
        "unmanaged AWS::Scheduler::Schedule replay-2026-11-30".into(),
        "unmanaged AWS::Scheduler::Schedule replay-2026-12-01".into(),
        "missing AWS::WAFv2::WebACLAssociation aws_wafv2_web_acl_association.api".into(),
    ]);
    expected.sort();
    assert_eq!(drift, expected, "drift after the out-of-band changes");

    // Only the four resources changed by hand carry drift among the matched ones.
    let drifted: BTreeSet<&str> = m["drift"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|d| d["kind"] == "changed")
        .filter_map(|d| d["resource"].as_str())
        .collect();
    assert_eq!(drifted.len(), 4, "{drifted:?}");

    let findings = findings_by_name(&m);
    for (rule_id, name) in [
        ("public-compute", "ledger-hotfix"),
        ("unmanaged-resource", "ledger-hotfix"),
        ("dlq-has-messages", "ledger-prod-ingest-dlq"),
        ("alarm-firing", "ledger-prod-ingest-dlq-not-empty"),
        ("schedule-disabled", "ledger-prod-nightly-close"),
        ("waf-not-attached", "ledger-prod-api"),
        ("internet-facing-without-waf", "ledger-prod-api"),
    ] {
        assert!(
            findings.contains(&(rule_id.to_string(), name.to_string())),
            "no {rule_id} on {name}; findings: {findings:?}"
        );
    }
    // The near misses: the other dead-letter queue is empty, its alarm is fine.
    for (rule_id, name) in [
        ("dlq-has-messages", "ledger-prod-reports-dlq"),
        ("alarm-firing", "ledger-prod-reports-dlq-not-empty"),
        ("unmanaged-resource", "ledger-prod-api"),
    ] {
        assert!(
            !findings.contains(&(rule_id.to_string(), name.to_string())),
            "{rule_id} on {name}"
        );
    }
}

/// What the account holds right after the apply beside the configuration: both made outside
/// it, as real accounts have them.
fn ledger_moto_drift() -> Vec<String> {
    let mut v: Vec<String> = vec![
        // The listener's certificate, requested in ACM and passed in as `certificate_arn`.
        "unmanaged AWS::CertificateManager::Certificate api.ledger.example.com".into(),
        // The bucket CI uploads the Lambda code to (`s3_bucket = "ledger-artifacts"`).
        "unmanaged AWS::S3::Bucket ledger-artifacts".into(),
    ];
    v.sort();
    v
}
