//! CDK cloud assemblies → templates to read, with each resource's line in the user's source.
//!
//! PLACEHOLDER: reads the top-level manifest's stacks only; the real reader (nested
//! assemblies, stages, dependencies, stack traces) replaces it.

use std::path::Path;

use surveyor_model::{Note, Source, SourceKind, Stack};

use crate::cfn::TemplateInput;
use crate::{relative, CodeError};

/// What an assembly contributes: its stacks (for the map) and their templates (for [`crate::cfn`]).
#[derive(Debug, Default)]
pub struct Assembly {
    pub stacks: Vec<Stack>,
    pub templates: Vec<TemplateInput>,
    pub sources: Vec<Source>,
    pub notes: Vec<Note>,
}

/// Read the assembly in `dir`. `app_dir` is the CDK app folder (holding `cdk.json`) when known;
/// stack-trace paths are matched against files under `base`.
pub fn read_assembly(
    dir: &Path,
    _app_dir: Option<&Path>,
    base: &Path,
) -> Result<Assembly, CodeError> {
    let manifest_path = dir.join("manifest.json");
    let text =
        std::fs::read_to_string(&manifest_path).map_err(|e| CodeError::io(&manifest_path, e))?;
    let manifest: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| CodeError::syntax(&manifest_path, e.line() as u32, e.to_string()))?;
    let mut out = Assembly::default();
    if let Some(artifacts) = manifest.get("artifacts").and_then(|a| a.as_object()) {
        for (name, art) in artifacts {
            if art.get("type").and_then(|t| t.as_str()) != Some("aws:cloudformation:stack") {
                continue;
            }
            let Some(file) = art
                .pointer("/properties/templateFile")
                .and_then(|f| f.as_str())
            else {
                continue;
            };
            let path = dir.join(file);
            out.templates.push(TemplateInput {
                path: path.clone(),
                stack_name: name.clone(),
                source_kind: SourceKind::Cdk,
                ..Default::default()
            });
            out.stacks.push(Stack {
                name: name.clone(),
                source_kind: SourceKind::Cdk,
                path: relative(&path, base),
                ..Default::default()
            });
        }
    }
    out.sources.push(Source {
        kind: SourceKind::Cdk,
        path: relative(dir, base),
        resources: 0,
    });
    Ok(out)
}
