//! The outputs checked by the real tools: `findings.sarif` against the official SARIF 2.1.0
//! schema (Python `jsonschema`), and every Mermaid block by Mermaid's own parser (Node).
//! Each check runs when its tool is present and says so when it is not; set
//! `SURVEYOR_REQUIRE_TOOLS=1` to make a missing tool a failure (CI).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use surveyor_report::Format;

fn require_tools() -> bool {
    std::env::var_os("SURVEYOR_REQUIRE_TOOLS").is_some_and(|v| v == "1")
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("surveyor-report-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir.join(name)
}

fn here() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests")
}

#[test]
fn sarif_validates_against_the_official_schema() {
    let mut files = Vec::new();
    for (name, map) in [
        ("orders.sarif", common::orders()),
        ("empty.sarif", surveyor_model::Map::default()),
    ] {
        let p = scratch(name);
        std::fs::write(&p, Format::Sarif.render(&map)).expect("write sarif");
        files.push(p);
    }
    let out = Command::new("python3")
        .arg(here().join("sarif/validate.py"))
        .args(&files)
        .output();
    match out {
        Ok(o) if o.status.code() == Some(3) || (o.status.code().is_none() && !require_tools()) => {
            assert!(!require_tools(), "jsonschema missing");
            eprintln!("skipped: {}", String::from_utf8_lossy(&o.stderr));
        }
        Ok(o) => assert!(
            o.status.success(),
            "SARIF is not valid:\n{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        ),
        Err(e) => {
            assert!(!require_tools(), "python3: {e}");
            eprintln!("skipped: python3 not found ({e})");
        }
    }
    files.iter().for_each(|f| drop(std::fs::remove_file(f)));
}

#[test]
fn mermaid_blocks_parse_with_mermaid() {
    let dir = std::env::var("MERMAID_DIR").unwrap_or_else(|_| "/tmp/surveyor-mermaid".into());
    let installed = Path::new(&dir).join("node_modules/mermaid").is_dir()
        && Path::new(&dir).join("node_modules/jsdom").is_dir();
    if !installed {
        assert!(
            !require_tools(),
            "mermaid not installed in {dir} (run tests/mermaid/check.sh)"
        );
        eprintln!("skipped: mermaid is not installed in {dir}; run tests/mermaid/check.sh once");
        return;
    }
    let mut hostile = common::orders();
    for r in hostile.resources.iter_mut().take(12) {
        r.name = Some(format!(
            r#"{} "q" [b] {{c}} #1 <i> & `t` |p| end subgraph"#,
            r.label()
        ));
    }
    let mut files = Vec::new();
    for (name, map) in [
        ("orders.md", common::orders()),
        ("hostile.md", hostile),
        ("big.md", common::big(2000)),
    ] {
        let p = scratch(name);
        std::fs::write(&p, Format::Markdown.render(&map)).expect("write md");
        files.push(p);
    }
    let status = Command::new("bash")
        .arg(here().join("mermaid/check.sh"))
        .args(&files)
        .env("MERMAID_DIR", &dir)
        .status()
        .expect("bash");
    files.iter().for_each(|f| drop(std::fs::remove_file(f)));
    assert!(status.success(), "a Mermaid block does not parse");
}
