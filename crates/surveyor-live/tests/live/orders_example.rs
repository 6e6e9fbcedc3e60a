//! The bundled example's recorded snapshot (examples/orders/snapshot.json): a scan of the
//! example's stacks deployed into moto plus out-of-band changes (tests/accounts/orders_example.py).
//! `SURVEYOR_RECORD=1` re-records it against the moto server in AWS_ENDPOINT_URL (use a fresh one).
//! After re-recording, run `tests/accounts/moto_fidelity.py` on it: it puts back the template
//! values moto's CloudFormation emulation does not apply (Fargate launch type, arm64, …).

use crate::support;

use std::path::PathBuf;

use surveyor_live::state_keys as k;
use surveyor_model::Value;

fn snapshot_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/orders/snapshot.json")
}

#[test]
fn record_orders_example() {
    if std::env::var_os("SURVEYOR_RECORD").is_none() {
        eprintln!("skipped: set SURVEYOR_RECORD=1 (with a fresh moto) to re-record examples/orders/snapshot.json");
        return;
    }
    let Some(ep) = support::endpoint() else {
        return;
    };
    // Reproducible `taken_at`.
    std::env::set_var("SOURCE_DATE_EPOCH", "1795348800");
    let acct = support::build("orders_example.py", "111111111111", &ep);
    let mut opts = support::options(&acct, &ep);
    opts.regions = vec!["us-east-2".into()];
    let scan = surveyor_live::collect_blocking(&opts).expect("scan");
    println!(
        "orders example: {} resources, {} API calls, {:.2?}",
        scan.snapshot.resources.len(),
        scan.api_calls,
        scan.elapsed
    );
    // Queue URLs carry the emulator's address; record them as AWS writes them.
    let text = serde_json::to_string(&scan.snapshot).expect("json");
    let text = text.replace(&format!("{ep}/"), "https://sqs.us-east-2.amazonaws.com/");
    let snap: surveyor_model::Snapshot = serde_json::from_str(&text).expect("json");
    surveyor_live::write_snapshot(&snapshot_path(), &snap).expect("write");
}

#[test]
fn recorded_snapshot_shows_the_out_of_band_changes() {
    let path = snapshot_path();
    if !path.exists() {
        eprintln!("skipped: {} not recorded yet", path.display());
        return;
    }
    let snap = surveyor_live::read_snapshot(&path).expect("a valid snapshot");
    assert_eq!(snap.account.as_deref(), Some("111111111111"));
    assert_eq!(snap.regions, vec!["us-east-2".to_string()]);
    let res = &snap.resources;
    assert!(res.len() > 50, "{} resources", res.len());
    let ids: Vec<&str> = res.iter().map(|r| r.id.as_str()).collect();
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    assert_eq!(ids, sorted, "resources are sorted by id");
    assert!(!std::fs::read_to_string(&path)
        .unwrap_or_default()
        .contains("127.0.0.1"));

    let managed = res.iter().filter(|r| r.stack.is_some()).count();
    assert!(
        managed * 2 > res.len(),
        "only {managed} of {} in stacks",
        res.len()
    );
    let stacks: std::collections::BTreeSet<&str> = res
        .iter()
        .filter_map(|r| r.stack.as_ref().map(|s| s.name.as_str()))
        .collect();
    for s in ["OrdersNetwork", "OrdersData", "OrdersService", "OrdersOps"] {
        assert!(stacks.contains(s), "nothing from {s}");
    }
    let by_hand = res
        .iter()
        .find(|r| r.type_name == "AWS::EC2::Instance")
        .expect("the instance made by hand");
    assert!(by_hand.stack.is_none());
    assert!(by_hand.state.contains_key(k::PUBLIC_IP));
    assert!(res.iter().any(|r| r.type_name == "AWS::SQS::Queue"
        && r.state
            .get(k::SQS_VISIBLE)
            .and_then(Value::as_i64)
            .unwrap_or(0)
            > 0));
    if !snap
        .notes
        .iter()
        .any(|n| n.service.as_deref() == Some("cloudwatch"))
    {
        assert!(res.iter().any(|r| r.type_name == "AWS::CloudWatch::Alarm"
            && r.state.get(k::ALARM_STATE).and_then(Value::as_str) == Some("ALARM")));
    }
    assert!(res.iter().any(|r| r.type_name == "AWS::Logs::LogGroup"
        && r.attr("RetentionInDays").and_then(Value::as_i64) == Some(1)));
    assert!(res.iter().any(|r| matches!(
        r.type_name.as_str(),
        "AWS::Scheduler::Schedule" | "AWS::Events::Rule"
    ) && r.state.get(k::STATE).and_then(Value::as_str)
        == Some("DISABLED")));
}
