//! Partial is normal: through a loopback proxy that answers some calls with throttling, server
//! errors and AccessDenied, the scan still completes, everything readable is exactly what a
//! clean scan of the same account reads, and the notes say what is missing and why.

use crate::support;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use support::{build, endpoint, options};
use surveyor_model::Resource;

struct FaultProxy {
    child: Child,
    url: String,
}

impl FaultProxy {
    fn start(upstream: &str, rules: &[&str]) -> FaultProxy {
        let python = std::env::var("SURVEYOR_MOTO_PYTHON").unwrap_or_else(|_| "python3".into());
        let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fault_proxy.py");
        let mut child = Command::new(python)
            .arg(script)
            .arg(upstream)
            .args(rules)
            .args(["--max-seconds", "240"])
            .stdout(Stdio::piped())
            .spawn()
            .expect("start the fault proxy");
        let mut line = String::new();
        let stdout = child.stdout.take().expect("proxy stdout");
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("proxy port");
        let port: u16 = line.trim().parse().expect("proxy printed its port");
        FaultProxy {
            child,
            url: format!("http://127.0.0.1:{port}"),
        }
    }

    fn injected(&self) -> Vec<serde_json::Value> {
        let agent = ureq::Agent::config_builder().proxy(None).build();
        let agent: ureq::Agent = agent.into();
        let body = agent
            .get(&format!("{}/__faults", self.url))
            .call()
            .ok()
            .and_then(|mut r| r.body_mut().read_to_string().ok())
            .unwrap_or_default();
        serde_json::from_str(&body).unwrap_or_default()
    }
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

const UNREADABLE: &[&str] = &[
    "AWS::EC2::Instance",
    "AWS::WAFv2::WebACL",
    "AWS::WAFv2::WebACLAssociation",
];

/// What both scans must agree on: every resource the faults did not touch.
fn readable(resources: &[Resource]) -> BTreeMap<String, Resource> {
    resources
        .iter()
        .filter(|r| !UNREADABLE.contains(&r.type_name.as_str()))
        .map(|r| {
            let mut r = r.clone();
            r.attributes.remove("BucketEncryption");
            r.state.remove(surveyor_live::state_keys::WEB_ACL);
            // moto writes queue URLs with the host it was asked on: the proxy's or its own.
            if let Some(p) = r.physical_id.as_mut() {
                if let Some(rest) = p.strip_prefix("http://127.0.0.1:") {
                    *p = rest
                        .split_once('/')
                        .map(|(_, path)| path.to_string())
                        .unwrap_or_default();
                }
            }
            (r.id.0.clone(), r)
        })
        .collect()
}

#[test]
fn faults_become_notes_and_the_rest_is_unchanged() {
    let Some(ep) = endpoint() else { return };
    let acct = build("basic.py", &support::fresh_account("210989"), &ep);
    let clean = surveyor_live::collect_blocking(&options(&acct, &ep)).expect("clean scan");
    let proxy = FaultProxy::start(
        &ep,
        &[
            "sqs:GetQueueAttributes=throttle:3",
            "ec2:DescribeInstances=500",
            "wafv2:*=denied",
            "s3:GetBucketEncryption=denied",
        ],
    );
    let faulty = surveyor_live::collect_blocking(&options(&acct, &proxy.url)).expect("faulty scan");
    let injected = proxy.injected();
    println!(
        "clean: {} resources, {} calls, {:.2?}; faulty: {} resources, {} calls, {:.2?}; {} faults injected",
        clean.snapshot.resources.len(),
        clean.api_calls,
        clean.elapsed,
        faulty.snapshot.resources.len(),
        faulty.api_calls,
        faulty.elapsed,
        injected.len()
    );
    for n in &faulty.snapshot.notes {
        println!("  note: {:?} {:?} {}", n.service, n.region, n.message);
    }
    let kinds = |k: &str| injected.iter().filter(|f| f["kind"] == k).count();
    assert_eq!(
        kinds("throttle"),
        3,
        "throttling was injected: {injected:?}"
    );
    assert!(kinds("500") >= 1 && kinds("denied") >= 1, "{injected:?}");

    // The readable part is identical, throttled queues included.
    let (a, b) = (
        readable(&clean.snapshot.resources),
        readable(&faulty.snapshot.resources),
    );
    assert!(a.len() > 60, "clean scan too small: {}", a.len());
    for (id, r) in &a {
        assert_eq!(b.get(id), Some(r), "{id} differs or is missing");
    }
    assert_eq!(
        a.len(),
        b.len(),
        "the faulty scan has resources the clean one lacks"
    );
    for ty in UNREADABLE {
        assert!(
            clean.snapshot.resources.iter().any(|r| r.type_name == *ty),
            "{ty} in the clean scan"
        );
        assert!(
            !faulty.snapshot.resources.iter().any(|r| r.type_name == *ty),
            "{ty} was unreadable"
        );
    }

    // The notes say what is missing.
    let notes = &faulty.snapshot.notes;
    let said = |svc: &str, needle: &str| {
        notes
            .iter()
            .any(|n| n.service.as_deref() == Some(svc) && n.message.contains(needle))
    };
    assert!(
        said("ec2", "DescribeInstances"),
        "no note for the failed DescribeInstances"
    );
    assert!(said("wafv2", "AccessDenied"), "no note for the refused WAF");
    assert!(
        said("s3", "GetBucketEncryption"),
        "no note for the refused bucket encryption"
    );
    assert!(
        !notes.iter().any(|n| n.service.as_deref() == Some("sqs")),
        "throttling must only slow the scan down"
    );
    assert!(clean.snapshot.notes.len() < notes.len());
}
