//! Loading templates, and the local templates of their nested stacks
//! (`AWS::CloudFormation::Stack` with a relative `TemplateURL`), into [`Unit`]s: one per stack,
//! parents before their children.

use std::path::{Path, PathBuf};

use surveyor_model::Note;

use super::node::{self, Entry, Node};
use super::{sam, TemplateInput};
use crate::{relative, CodeError};

/// Nested stacks deeper than this are not followed (CloudFormation itself stops far earlier).
const MAX_NESTING: usize = 16;

/// One stack to map: its template, already parsed and with SAM expanded.
#[derive(Debug)]
pub struct Unit {
    pub input: TemplateInput,
    /// The template's path relative to the PATH given.
    pub rel: String,
    pub root: Node,
    /// Notes from loading (SAM, nested templates not found).
    pub notes: Vec<Note>,
    /// Nested stack logical id → index of the child unit.
    pub children: Vec<(String, usize)>,
}

impl Unit {
    pub fn resources(&self) -> &[Entry] {
        self.root.get("Resources").map(Node::entries).unwrap_or(&[])
    }

    /// Move child indices when this tree is appended after `offset` other units.
    pub fn shift(&mut self, offset: usize) {
        for c in &mut self.children {
            c.1 += offset;
        }
    }
}

/// Parse `text` into a unit (SAM expanded), with no nested stacks followed.
pub fn unit_from_text(input: TemplateInput, text: &str, rel: String) -> Result<Unit, CodeError> {
    let mut root = node::parse(text, &input.path)?;
    let mut notes = Vec::new();
    if let Some(r) = root.get("Resources") {
        if !r.is_map() && !matches!(r.v, node::N::Null) {
            return Err(CodeError::syntax(
                &input.path,
                r.line.max(1),
                "Resources must be a mapping of logical ids to resources",
            ));
        }
    }
    sam::expand(&mut root, &rel, &mut notes);
    Ok(Unit {
        input,
        rel,
        root,
        notes,
        children: Vec::new(),
    })
}

/// The template of `input` and, depth first, those of its local nested stacks.
pub fn load_tree(input: TemplateInput, base: &Path) -> Result<Vec<Unit>, CodeError> {
    let mut out = Vec::new();
    let mut ancestors = Vec::new();
    load(input, base, 0, &mut ancestors, &mut out)?;
    Ok(out)
}

fn load(
    input: TemplateInput,
    base: &Path,
    depth: usize,
    ancestors: &mut Vec<PathBuf>,
    out: &mut Vec<Unit>,
) -> Result<usize, CodeError> {
    let text = std::fs::read_to_string(&input.path).map_err(|e| CodeError::io(&input.path, e))?;
    let rel = relative(&input.path, base);
    let unit = unit_from_text(input, &text, rel)?;
    let me = out.len();
    let dir = unit
        .input
        .path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let mut nested = Vec::new();
    for e in unit.resources() {
        if e.value.get("Type").and_then(Node::as_str) != Some("AWS::CloudFormation::Stack") {
            continue;
        }
        let Some(url) = e
            .value
            .get("Properties")
            .and_then(|p| p.get("TemplateURL"))
            .and_then(Node::as_str)
        else {
            continue;
        };
        // Remote (S3, HTTPS) and dynamic (`{{resolve:ssm:…}}`) locations are not files here.
        if url.contains("://")
            || url.starts_with("s3.")
            || url.contains(".amazonaws.com")
            || url.starts_with("{{")
        {
            continue;
        }
        nested.push((e.key.clone(), e.line, dir.join(url), url.to_string()));
    }
    let canonical = std::fs::canonicalize(&unit.input.path).unwrap_or(unit.input.path.clone());
    ancestors.push(canonical);
    let parent_name = unit.input.stack_name.clone();
    let template = unit.input.clone();
    let parent_rel = unit.rel.clone();
    out.push(unit);
    for (logical, line, path, url) in nested {
        let child_canonical = std::fs::canonicalize(&path).ok();
        let warn = |msg: String| Note::warning(msg).at(parent_rel.clone(), Some(line));
        if !path.is_file() {
            let n = warn(format!(
                "nested stack {logical}: its template {url} was not found ({}); the stack's resources are not mapped",
                relative(&path, base)
            ));
            out[me].notes.push(n);
            continue;
        }
        if depth + 1 > MAX_NESTING
            || child_canonical
                .as_ref()
                .is_some_and(|c| ancestors.contains(c))
        {
            let n = warn(format!(
                "nested stack {logical}: {url} includes itself (or nests more than {MAX_NESTING} deep); not followed"
            ));
            out[me].notes.push(n);
            continue;
        }
        let child = TemplateInput {
            path,
            stack_name: format!("{parent_name}-{logical}"),
            source_kind: template.source_kind,
            account: template.account.clone(),
            region: template.region.clone(),
            parameters: Default::default(),
            sites: Default::default(),
            parent: Some(parent_name.clone()),
        };
        let idx = load(child, base, depth + 1, ancestors, out)?;
        out[me].children.push((logical, idx));
    }
    ancestors.pop();
    Ok(me)
}
