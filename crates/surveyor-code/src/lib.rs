//! Readers for infrastructure code, each turning one kind of input into canonical resources
//! (CloudFormation types and property names) with the `file:line` of their declaration:
//!
//! - [`cfn`]: CloudFormation and SAM templates (JSON and YAML with short-form tags), intrinsic
//!   functions, parameters, conditions, nested stacks, `Fn::ImportValue` across stacks.
//! - [`cdk`]: CDK cloud assemblies (manifest, nested assemblies and stages, stack traces →
//!   the user's own source line); its templates are read by [`cfn`].
//! - [`terraform`]: HCL root modules with local and installed modules, state v3/v4, plan JSON.
//!
//! [`read_paths`] walks the paths given, recognises each input by its content, and reads them
//! all into one [`Inventory`].

pub mod cdk;
pub mod cfn;
mod detect;
mod error;
pub mod terraform;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use surveyor_model::{Inventory, SourceKind};

pub use detect::{detect_inputs, Input};
pub use error::CodeError;

/// Settings the user gives for code inputs.
#[derive(Debug, Clone, Default)]
pub struct CodeOptions {
    /// CloudFormation parameter values (`--param Name=Value`).
    pub params: BTreeMap<String, String>,
    /// Terraform variable values (`--var k=v`).
    pub tf_vars: BTreeMap<String, String>,
    /// Terraform variable files (`--var-file F`), in order.
    pub tf_var_files: Vec<PathBuf>,
}

/// Read every input found under `paths` into one inventory. Paths in provenance are relative
/// to the PATH each input was found under (its parent, for a file).
pub fn read_paths(paths: &[PathBuf], opts: &CodeOptions) -> Result<Inventory, CodeError> {
    let mut inventory = Inventory::default();
    for path in paths {
        // `.` and `./x` normalise to nothing (module sources are joined and normalised as
        // paths): read from the absolute path, which reports the same relative files.
        let path = &std::path::absolute(path).unwrap_or_else(|_| path.clone());
        let base = base_of(path);
        let inputs = detect_inputs(path)?;
        inventory.extend(read_inputs(&inputs, &base, opts)?);
    }
    Ok(inventory)
}

/// The folder paths are reported relative to: the PATH itself, or a file's folder.
pub fn base_of(path: &Path) -> PathBuf {
    if path.is_dir() {
        path.to_path_buf()
    } else {
        path.parent().map(Path::to_path_buf).unwrap_or_default()
    }
}

/// `path` relative to `base`, with `/` separators, for provenance and notes.
pub fn relative(path: &Path, base: &Path) -> String {
    let rel = path.strip_prefix(base).unwrap_or(path);
    let s = rel.to_string_lossy().replace('\\', "/");
    if s.is_empty() {
        path.file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default()
    } else {
        s
    }
}

/// Read detected inputs that share one base folder. Templates from CloudFormation files and
/// from CDK assemblies are read together so `Fn::ImportValue` resolves across all of them.
pub fn read_inputs(
    inputs: &[Input],
    base: &Path,
    opts: &CodeOptions,
) -> Result<Inventory, CodeError> {
    let mut inventory = Inventory::default();
    let mut templates = Vec::new();
    let mut tf_dirs = Vec::new();
    let mut tf_states = Vec::new();
    let mut tf_plans = Vec::new();
    // Each assembly's source entry counts the resources of its own stacks.
    let mut assembly_stacks: Vec<(usize, Vec<String>)> = Vec::new();
    for input in inputs {
        match input {
            Input::CdkAssembly { dir, app_dir } => {
                let assembly = cdk::read_assembly(dir, app_dir.as_deref(), base)?;
                let names = assembly.stacks.iter().map(|s| s.name.clone()).collect();
                assembly_stacks.push((inventory.sources.len(), names));
                inventory.stacks.extend(assembly.stacks);
                inventory.sources.extend(assembly.sources);
                inventory.notes.extend(assembly.notes);
                templates.extend(assembly.templates);
            }
            Input::Template(path) => templates.push(cfn::TemplateInput::file(path, base)),
            Input::TerraformDir(dir) => tf_dirs.push(dir.clone()),
            Input::TfState(path) => tf_states.push(path.clone()),
            Input::TfPlan(path) => tf_plans.push(path.clone()),
        }
    }
    if !templates.is_empty() {
        inventory.extend(cfn::read_templates(templates, base, opts)?);
    }
    if !tf_dirs.is_empty() || !tf_states.is_empty() || !tf_plans.is_empty() {
        inventory.extend(terraform::read_all(
            &tf_dirs, &tf_states, &tf_plans, base, opts,
        )?);
    }
    // Stacks listed by the CDK manifest get their resource counts from the templates read.
    for stack in &mut inventory.stacks {
        if stack.resources == 0 {
            stack.resources = inventory
                .resources
                .iter()
                .filter(|r| {
                    r.code.as_ref().and_then(|c| c.stack.as_deref()) == Some(stack.name.as_str())
                })
                .count();
        }
    }
    for (source, names) in assembly_stacks {
        let count = inventory
            .resources
            .iter()
            .filter(|r| {
                r.code.as_ref().is_some_and(|c| {
                    c.source_kind == SourceKind::Cdk
                        && c.stack.as_ref().is_some_and(|s| names.contains(s))
                })
            })
            .count();
        if let Some(s) = inventory.sources.get_mut(source) {
            s.resources = count;
        }
    }
    Ok(inventory)
}
