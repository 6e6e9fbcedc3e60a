//! CloudFormation and SAM templates → canonical resources.
//!
//! PLACEHOLDER: a minimal JSON-only reader so the pipeline runs end to end; the real reader
//! (YAML with positions, intrinsics, parameters, conditions, nested stacks, SAM) replaces it.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use surveyor_model::{
    Inventory, Location, Provenance, Resource, ResourceId, Source, SourceKind, Value,
};

use crate::{relative, CodeError, CodeOptions};

/// Where the user's own code declares a resource, when that is not the template itself
/// (CDK: the app source line from the construct's stack trace).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CodeSite {
    /// Relative to the PATH given.
    pub file: String,
    pub line: u32,
    /// The construct path (`Worker/JobsQueue/Resource`).
    pub address: Option<String>,
}

/// One template to read, with what its caller knows about it.
#[derive(Debug, Clone, Default)]
pub struct TemplateInput {
    pub path: PathBuf,
    /// The stack name: the CDK stack's name, else the template's file stem.
    pub stack_name: String,
    pub source_kind: SourceKind,
    pub account: Option<String>,
    pub region: Option<String>,
    /// Parameter values for this stack (override defaults; `--param` overrides these).
    pub parameters: BTreeMap<String, String>,
    /// Logical id → the user's source line and construct path (CDK).
    pub sites: HashMap<String, CodeSite>,
    /// Set for a nested stack's template: the parent stack's name.
    pub parent: Option<String>,
}

impl TemplateInput {
    /// A template file given directly (or found by walking): its stack is named after the file.
    pub fn file(path: &Path, _base: &Path) -> Self {
        let stack_name = path
            .file_stem()
            .map(|s| {
                s.to_string_lossy()
                    .trim_end_matches(".template")
                    .to_string()
            })
            .unwrap_or_default();
        TemplateInput {
            path: path.to_path_buf(),
            stack_name,
            source_kind: SourceKind::Cloudformation,
            ..Default::default()
        }
    }
}

/// Read a batch of templates together (so imports resolve across them).
pub fn read_templates(
    inputs: Vec<TemplateInput>,
    base: &Path,
    _opts: &CodeOptions,
) -> Result<Inventory, CodeError> {
    let mut inv = Inventory::default();
    for input in inputs {
        let text =
            std::fs::read_to_string(&input.path).map_err(|e| CodeError::io(&input.path, e))?;
        let doc: serde_json::Value = match serde_json::from_str(&text) {
            Ok(d) => d,
            Err(e) => {
                return Err(CodeError::syntax(
                    &input.path,
                    e.line() as u32,
                    e.to_string(),
                ))
            }
        };
        let rel = relative(&input.path, base);
        let mut count = 0;
        if let Some(resources) = doc.get("Resources").and_then(|r| r.as_object()) {
            for (logical, body) in resources {
                let ty = body
                    .get("Type")
                    .and_then(|t| t.as_str())
                    .unwrap_or("Unknown");
                let line = text
                    .find(&format!("\"{logical}\""))
                    .map(|i| text[..i].matches('\n').count() as u32 + 1)
                    .unwrap_or(0);
                let address = format!("{}/{}", input.stack_name, logical);
                let mut r = Resource::new(ResourceId::of(ty, &address), ty);
                r.in_code = true;
                r.region = input.region.clone();
                r.account = input.account.clone();
                let site = input.sites.get(logical);
                r.code = Some(Provenance {
                    file: site.map(|s| s.file.clone()).unwrap_or_else(|| rel.clone()),
                    line: site.map(|s| s.line).unwrap_or(line),
                    address: Some(site.and_then(|s| s.address.clone()).unwrap_or(address)),
                    stack: Some(input.stack_name.clone()),
                    source_kind: input.source_kind,
                    logical_id: Some(logical.clone()),
                    template: site.map(|_| rel.clone()),
                    template_line: site.map(|_| line),
                    module: Vec::new(),
                });
                if let Some(props) = body.get("Properties").and_then(|p| p.as_object()) {
                    for (k, v) in props {
                        r.attributes.insert(k.clone(), Value::from_json(v.clone()));
                    }
                }
                inv.resources.push(r);
                count += 1;
            }
        }
        if input.source_kind == SourceKind::Cloudformation {
            inv.sources.push(Source {
                kind: SourceKind::Cloudformation,
                path: rel,
                resources: count,
            });
        }
    }
    let _ = Location::default();
    Ok(inv)
}
