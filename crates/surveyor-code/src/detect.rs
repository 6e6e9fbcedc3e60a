use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::CodeError;

/// One input found under a PATH, recognised by its content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A CDK cloud assembly (`cdk.out`); `app_dir` is the folder holding `cdk.json`, if any.
    CdkAssembly {
        dir: PathBuf,
        app_dir: Option<PathBuf>,
    },
    /// A CloudFormation or SAM template, JSON or YAML.
    Template(PathBuf),
    /// A folder holding `.tf` files.
    TerraformDir(PathBuf),
    /// Terraform state (`*.tfstate`, or `terraform show -json` of a state).
    TfState(PathBuf),
    /// A Terraform plan rendered by `terraform show -json`.
    TfPlan(PathBuf),
}

/// Folders that never hold the user's own inputs (or hold them in a form read elsewhere).
const SKIP_DIRS: &[&str] = &[
    "node_modules",
    ".git",
    ".terraform",
    "target",
    ".venv",
    "venv",
    "__pycache__",
    "surveyor-out",
];

/// Files larger than this are not sniffed as templates (real templates are far smaller; the
/// limit keeps a stray data file from being read whole just to look at it).
const MAX_SNIFF_BYTES: u64 = 64 * 1024 * 1024;

/// Everything under `path` that surveyor can read, in a stable order.
pub fn detect_inputs(path: &Path) -> Result<Vec<Input>, CodeError> {
    let meta = fs::metadata(path).map_err(|e| CodeError::io(path, e))?;
    let mut out = Vec::new();
    if meta.is_dir() {
        walk(path, &mut out)?;
    } else {
        match sniff_file(path)? {
            Some(input) => out.push(input),
            None => return Err(CodeError::invalid(
                path,
                "not a CloudFormation/SAM template, CDK assembly, Terraform file, state or plan",
            )),
        }
    }
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<Input>) -> Result<(), CodeError> {
    if is_assembly(dir) {
        out.push(Input::CdkAssembly {
            dir: dir.to_path_buf(),
            app_dir: None,
        });
        return Ok(());
    }
    if dir.join("cdk.json").is_file() {
        if let Some(assembly) = app_assembly(dir) {
            out.push(Input::CdkAssembly {
                dir: assembly.clone(),
                app_dir: Some(dir.to_path_buf()),
            });
            // The rest of the app folder (its source) is not an input of its own, but other
            // templates beside the app still are.
            return walk_children(dir, out, Some(&assembly));
        }
    }
    walk_children(dir, out, None)
}

fn walk_children(dir: &Path, out: &mut Vec<Input>, skip: Option<&Path>) -> Result<(), CodeError> {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(|e| CodeError::io(dir, e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    let mut has_tf = false;
    for p in &entries {
        let Ok(ft) = fs::symlink_metadata(p).map(|m| m.file_type()) else {
            continue;
        };
        if ft.is_symlink() {
            continue;
        }
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if ft.is_dir() {
            if SKIP_DIRS.contains(&name.as_str())
                || name.starts_with("asset.")
                || Some(p.as_path()) == skip
            {
                continue;
            }
            walk(p, out)?;
        } else if name.ends_with(".tf") || name.ends_with(".tf.json") {
            has_tf = true;
        } else if let Some(input) = sniff_file(p)? {
            out.push(input);
        }
    }
    if has_tf {
        out.push(Input::TerraformDir(dir.to_path_buf()));
    }
    Ok(())
}

/// A folder is a cloud assembly when its `manifest.json` lists artifacts.
fn is_assembly(dir: &Path) -> bool {
    let manifest = dir.join("manifest.json");
    if !manifest.is_file() {
        return false;
    }
    let Ok(text) = read_prefix(&manifest, 1 << 20) else {
        return false;
    };
    text.contains("\"artifacts\"")
        || text.contains("\"version\"") && dir.join("tree.json").is_file()
}

/// The assembly of a CDK app: `cdk.json`'s `output`, else `cdk.out`.
fn app_assembly(app: &Path) -> Option<PathBuf> {
    let output = fs::read_to_string(app.join("cdk.json"))
        .ok()
        .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
        .and_then(|v| v.get("output").and_then(|o| o.as_str()).map(str::to_string))
        .unwrap_or_else(|| "cdk.out".to_string());
    let dir = app.join(output);
    is_assembly(&dir).then_some(dir)
}

fn read_prefix(path: &Path, limit: usize) -> std::io::Result<String> {
    let mut f = fs::File::open(path)?;
    let mut buf = vec![0u8; limit];
    let mut n = 0;
    while n < limit {
        let k = f.read(&mut buf[n..])?;
        if k == 0 {
            break;
        }
        n += k;
    }
    buf.truncate(n);
    Ok(String::from_utf8_lossy(&buf).into_owned())
}

/// What a single file is, judged by its content (its name only narrows what to look at).
fn sniff_file(path: &Path) -> Result<Option<Input>, CodeError> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if !matches!(
        ext.as_str(),
        "json" | "yaml" | "yml" | "template" | "tfstate" | "cfn" | "backup"
    ) {
        return Ok(None);
    }
    if name.ends_with(".tfstate.backup") {
        return Ok(None);
    }
    let size = fs::metadata(path)
        .map_err(|e| CodeError::io(path, e))?
        .len();
    if size > MAX_SNIFF_BYTES {
        return Ok(None);
    }
    let head = read_prefix(path, 64 * 1024).map_err(|e| CodeError::io(path, e))?;
    let trimmed = head.trim_start_matches('\u{feff}').trim_start();
    if ext == "tfstate" {
        return Ok(Some(Input::TfState(path.to_path_buf())));
    }
    if trimmed.starts_with('{') {
        if head.contains("\"terraform_version\"") || head.contains("\"format_version\"") {
            if head.contains("\"planned_values\"") || head.contains("\"resource_changes\"") {
                return Ok(Some(Input::TfPlan(path.to_path_buf())));
            }
            if head.contains("\"values\"")
                || head.contains("\"resources\"")
                || head.contains("\"modules\"")
            {
                return Ok(Some(Input::TfState(path.to_path_buf())));
            }
        }
        if looks_like_json_template(&head) {
            return Ok(Some(Input::Template(path.to_path_buf())));
        }
        return Ok(None);
    }
    if matches!(ext.as_str(), "yaml" | "yml" | "template" | "cfn")
        && looks_like_yaml_template(&head)
    {
        return Ok(Some(Input::Template(path.to_path_buf())));
    }
    Ok(None)
}

fn looks_like_json_template(head: &str) -> bool {
    head.contains("\"AWSTemplateFormatVersion\"")
        || (head.contains("\"Resources\"")
            && (head.contains("\"AWS::") || head.contains("\"Type\"")))
        || head.contains("\"Transform\"") && head.contains("AWS::Serverless")
}

fn looks_like_yaml_template(head: &str) -> bool {
    let mut resources = false;
    let mut aws_type = false;
    for line in head.lines() {
        let l = line.trim_end();
        if l.starts_with("AWSTemplateFormatVersion") {
            return true;
        }
        if l.starts_with("Resources:") {
            resources = true;
        }
        if l.trim_start().starts_with("Type:") && (l.contains("AWS::") || l.contains("Custom::")) {
            aws_type = true;
        }
        if l.starts_with("Transform:") && l.contains("AWS::Serverless") {
            return true;
        }
    }
    resources && aws_type
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_inputs_by_content() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        fs::write(
            d.join("stack.yaml"),
            "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n",
        )
        .unwrap();
        fs::write(d.join("values.yaml"), "replicas: 3\n").unwrap();
        fs::write(
            d.join("t.json"),
            r#"{"AWSTemplateFormatVersion":"2010-09-09","Resources":{}}"#,
        )
        .unwrap();
        fs::write(
            d.join("state.json"),
            r#"{"version":4,"terraform_version":"1.5.0","resources":[]}"#,
        )
        .unwrap();
        fs::write(
            d.join("plan.json"),
            r#"{"format_version":"1.2","planned_values":{}}"#,
        )
        .unwrap();
        fs::create_dir(d.join("tf")).unwrap();
        fs::write(
            d.join("tf/main.tf"),
            "resource \"aws_sqs_queue\" \"q\" {}\n",
        )
        .unwrap();
        fs::create_dir(d.join("node_modules")).unwrap();
        fs::write(
            d.join("node_modules/x.yaml"),
            "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n",
        )
        .unwrap();
        let inputs = detect_inputs(d).unwrap();
        assert_eq!(
            inputs,
            vec![
                Input::TfPlan(d.join("plan.json")),
                Input::Template(d.join("stack.yaml")),
                Input::TfState(d.join("state.json")),
                Input::Template(d.join("t.json")),
                Input::TerraformDir(d.join("tf")),
            ]
        );
    }

    #[test]
    fn a_named_file_that_is_nothing_known_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("notes.txt");
        fs::write(&f, "hello").unwrap();
        let err = detect_inputs(&f).unwrap_err().to_string();
        assert!(err.contains("notes.txt"), "{err}");
    }
}
