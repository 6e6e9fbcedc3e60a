//! Read-only and secret-free by construction: every SDK request in this crate is sent by the
//! gate macros in `runtime.rs`, every operation they are given is on the allow-list and is a
//! `Describe*`/`List*`/`Get*`, and nothing that reveals secrets or mutates is reachable.

use std::path::{Path, PathBuf};

use surveyor_live::allow::{iam_policy, ALLOWED, FORBIDDEN};

fn sources() -> Vec<(PathBuf, String)> {
    fn walk(dir: &Path, out: &mut Vec<(PathBuf, String)>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .flatten()
            .map(|e| e.path())
            .collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                let text = std::fs::read_to_string(&p).unwrap_or_default();
                out.push((p, text));
            }
        }
    }
    let mut out = Vec::new();
    walk(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut out);
    out
}

/// `DescribeDBInstances` → `describe_db_instances`, as the SDK names fluent methods.
fn snake(op: &str) -> String {
    let chars: Vec<char> = op.chars().collect();
    let mut out = String::new();
    for (i, c) in chars.iter().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
            if prev.is_ascii_lowercase()
                || prev.is_ascii_digit()
                || (prev.is_ascii_uppercase() && next_lower)
            {
                out.push('_');
            }
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// Every gate invocation: (file, service, operation, the fluent method it sends).
fn invocations() -> Vec<(String, String, String, String)> {
    let mut out = Vec::new();
    for (path, text) in sources() {
        if path.ends_with("runtime.rs") {
            continue;
        }
        let file = path.display().to_string();
        for mac in ["call!(", "pages!(", "token_pages!("] {
            let mut from = 0;
            while let Some(pos) = text[from..].find(mac) {
                let start = from + pos;
                from = start + mac.len();
                // `token_pages!(` also contains `pages!(`: count it once.
                if mac == "pages!(" && text[..start].ends_with("token_") {
                    continue;
                }
                let rest = &text[start + mac.len()..];
                let lits: Vec<&str> = rest.split('"').collect();
                assert!(lits.len() > 4, "{file}: malformed {mac} at byte {start}");
                let (svc, op, after) = (lits[1], lits[3], lits[4]);
                let dot = after
                    .find('.')
                    .unwrap_or_else(|| panic!("{file}: {svc}:{op} sends no fluent call"));
                let method: String = after[dot + 1..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                out.push((file.clone(), svc.to_string(), op.to_string(), method));
            }
        }
    }
    out
}

#[test]
fn only_the_gate_sends_requests() {
    let mut checked = 0;
    for (path, text) in sources() {
        if path.ends_with("runtime.rs") {
            continue;
        }
        for needle in [".send()", ".send().await", "into_paginator", ".customize()"] {
            assert!(
                !text.contains(needle),
                "{}: `{needle}` outside the allow-list gate",
                path.display()
            );
        }
        checked += 1;
    }
    assert!(checked > 20, "only {checked} source files found");
}

#[test]
fn every_call_is_allowed_read_only_and_named_right() {
    let calls = invocations();
    assert!(
        calls.len() >= ALLOWED.len(),
        "found only {} gate calls",
        calls.len()
    );
    for (file, svc, op, method) in &calls {
        assert!(
            ALLOWED.iter().any(|(s, o, _)| s == svc && o == op),
            "{file}: {svc}:{op} is not on the allow-list"
        );
        assert_eq!(
            snake(op),
            *method,
            "{file}: {svc}:{op} is declared but `{method}` is sent"
        );
    }
    for (svc, op, _) in ALLOWED {
        assert!(
            ["Describe", "List", "Get"]
                .iter()
                .any(|p| op.starts_with(p)),
            "{svc}:{op} is not a read operation"
        );
        assert!(
            calls.iter().any(|(_, s, o, _)| s == svc && o == op),
            "{svc}:{op} is allowed but never called: drop it from the policy"
        );
    }
}

#[test]
fn nothing_secret_or_mutating_is_reachable() {
    for (svc, op, action) in ALLOWED {
        assert!(!FORBIDDEN.contains(op), "{svc}:{op} must never be allowed");
        let verb = action.split(':').nth(1).unwrap_or("");
        assert!(
            ["Describe", "List", "Get", "GET"]
                .iter()
                .any(|p| verb.starts_with(p)),
            "{action} is not a read action"
        );
    }
    for (path, text) in sources() {
        for op in FORBIDDEN {
            let method = format!(".{}(", snake(op));
            assert!(!text.contains(&method), "{}: calls {op}", path.display());
        }
        assert!(
            !text.contains("with_decryption"),
            "{}: asks for decrypted parameters",
            path.display()
        );
    }
}

#[test]
fn snake_case_matches_the_sdk() {
    assert_eq!(snake("DescribeDBInstances"), "describe_db_instances");
    assert_eq!(snake("GetWebAclForResource"), "get_web_acl_for_resource");
    assert_eq!(snake("ListQueues"), "list_queues");
}

/// docs/iam-policy.json is the policy for the allow-list; `SURVEYOR_BLESS=1` rewrites it.
#[test]
fn iam_policy_document_is_current() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/iam-policy.json");
    let want = format!(
        "{}\n",
        serde_json::to_string_pretty(&iam_policy()).unwrap_or_default()
    );
    if std::env::var_os("SURVEYOR_BLESS").is_some() {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        }
        std::fs::write(&path, &want).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert_eq!(
        have,
        want,
        "{} is stale: run with SURVEYOR_BLESS=1",
        path.display()
    );
    let actions = iam_policy()["Statement"][0]["Action"]
        .as_array()
        .map(|a| a.len())
        .unwrap_or(0);
    assert!(actions > 40, "policy has only {actions} actions");
    assert!(!want.contains("GetSecretValue") && !want.contains("ssm:GetParameter\""));
}
