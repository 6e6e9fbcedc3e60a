//! Test support: the local moto endpoint, account builders (boto3 scripts under
//! `tests/accounts/`), and scans of them. Everything stays on 127.0.0.1.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

use surveyor_live::{LiveOptions, StaticCredentials};
use surveyor_model::Resource;

/// The moto endpoint, or `None` (with a message) when the tests run without one.
pub fn endpoint() -> Option<String> {
    match std::env::var("AWS_ENDPOINT_URL") {
        Ok(u) if u.starts_with("http://127.0.0.1:") || u.starts_with("http://localhost:") => {
            std::env::set_var("AWS_EC2_METADATA_DISABLED", "true");
            Some(u)
        }
        Ok(u) => {
            eprintln!("skipped: AWS_ENDPOINT_URL={u} is not a loopback moto server");
            None
        }
        Err(_) => {
            // CI (scripts/test.sh) starts moto: there a missing endpoint is a failure.
            assert!(
                std::env::var_os("SURVEYOR_REQUIRE_TOOLS").is_none_or(|v| v != "1"),
                "AWS_ENDPOINT_URL is unset but SURVEYOR_REQUIRE_TOOLS=1: moto did not start"
            );
            eprintln!(
                "skipped: AWS_ENDPOINT_URL is unset (run scripts/moto.sh, as scripts/test.sh does)"
            );
            None
        }
    }
}

pub struct Account {
    pub id: String,
    pub credentials: StaticCredentials,
    pub facts: serde_json::Value,
}

impl Account {
    pub fn fact(&self, key: &str) -> String {
        match &self.facts[key] {
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Null => panic!("builder did not report `{key}`"),
            other => other.to_string(),
        }
    }
}

/// The builders, from surveyor-live's own tests or from the binary's (which share them).
pub fn accounts_dir() -> PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let own = here.join("tests/accounts");
    if own.is_dir() {
        own
    } else {
        here.join("../surveyor-live/tests/accounts")
    }
}

/// A fresh account per test run, so re-running the tests against one moto server works:
/// the first six digits name the test, the rest come from the process id.
pub fn fresh_account(prefix6: &str) -> String {
    format!("{prefix6}{:06}", std::process::id() % 1_000_000)
}

/// Runs an account builder against `endpoint` and returns its account.
pub fn build(script: &str, account: &str, endpoint: &str) -> Account {
    build_with(script, account, endpoint, &[])
}

/// [`build`], with more arguments after the account id (where a builder writes files).
pub fn build_with(script: &str, account: &str, endpoint: &str, args: &[&str]) -> Account {
    let python = std::env::var("SURVEYOR_MOTO_PYTHON").unwrap_or_else(|_| "python3".into());
    let out = Command::new(&python)
        .arg(accounts_dir().join(script))
        .arg(account)
        .args(args)
        .current_dir(accounts_dir())
        .env("AWS_ENDPOINT_URL", endpoint)
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_DEFAULT_REGION", "us-east-1")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .output()
        .unwrap_or_else(|e| panic!("{python} {script}: {e}"));
    assert!(
        out.status.success(),
        "{script} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text.lines().last().unwrap_or_default();
    let v: serde_json::Value = serde_json::from_str(line)
        .unwrap_or_else(|e| panic!("{script} printed no JSON: {e}\n{text}"));
    let s = |k: &str| v[k].as_str().unwrap_or_default().to_string();
    Account {
        id: s("account"),
        credentials: StaticCredentials {
            access_key_id: s("access_key"),
            secret_access_key: s("secret_key"),
            session_token: Some(s("session_token")),
        },
        facts: v["facts"].clone(),
    }
}

pub fn options(account: &Account, endpoint: &str) -> LiveOptions {
    LiveOptions {
        regions: vec!["us-east-1".into()],
        endpoint_url: Some(endpoint.to_string()),
        credentials: Some(account.credentials.clone()),
        progress: false,
        ..LiveOptions::default()
    }
}

pub fn find<'a>(resources: &'a [Resource], ty: &str, key: &str) -> &'a Resource {
    resources
        .iter()
        .find(|r| {
            r.type_name == ty
                && (r.physical_id.as_deref() == Some(key)
                    || r.arn.as_deref() == Some(key)
                    || r.name.as_deref() == Some(key))
        })
        .unwrap_or_else(|| {
            let have: Vec<String> = resources
                .iter()
                .filter(|r| r.type_name == ty)
                .map(|r| format!("{:?}/{:?}", r.name, r.physical_id))
                .collect();
            panic!("no {ty} `{key}` collected; have {have:?}")
        })
}

/// CPU seconds this process has used so far (user + system), from /proc; 0 elsewhere.
pub fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name, which is parenthesised and may contain spaces.
    let rest = stat.rsplit(')').next().unwrap_or("");
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // utime and stime are fields 14 and 15 of the file: 11 and 12 after the name.
    (ticks(11) + ticks(12)) / 100.0
}
