//! Loading `.tf` files: hcl-edit parses (it keeps byte spans, which give each block its line),
//! then every block body is converted to hcl-rs's simpler expression tree for evaluation.
//! One folder becomes one [`ParsedModule`]; files are parsed in parallel.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use hcl::{Body, Expression};
use hcl_edit::structure::{BlockLabel, Structure};
use hcl_edit::Span;
use rayon::prelude::*;
use surveyor_model::{Note, NoteLevel};

use crate::relative;

/// `resource` or `data` block.
#[derive(Debug, Clone)]
pub struct ResourceDecl {
    pub tf_type: String,
    pub name: String,
    pub file: Arc<str>,
    pub line: u32,
    pub count: Option<Expression>,
    pub for_each: Option<Expression>,
    pub body: Body,
}

#[derive(Debug, Clone)]
pub struct ModuleDecl {
    pub name: String,
    pub file: Arc<str>,
    pub line: u32,
    pub source: Option<String>,
    pub count: Option<Expression>,
    pub for_each: Option<Expression>,
    /// Input arguments (everything but the meta-arguments).
    pub inputs: Vec<(String, Expression)>,
}

#[derive(Debug, Clone)]
pub struct NamedExpr {
    pub name: String,
    pub file: Arc<str>,
    pub line: u32,
    pub expr: Option<Expression>,
}

/// Everything declared in one folder of `.tf` files.
#[derive(Debug, Default)]
pub struct ParsedModule {
    pub dir: PathBuf,
    pub resources: Vec<ResourceDecl>,
    pub data: Vec<ResourceDecl>,
    pub modules: Vec<ModuleDecl>,
    /// `variable` blocks: `expr` is the default.
    pub variables: Vec<NamedExpr>,
    pub locals: Vec<NamedExpr>,
    pub outputs: Vec<NamedExpr>,
    /// `terraform { backend "s3" { … } }`: the backend type and where it is declared.
    pub backend: Option<(String, Arc<str>, u32)>,
    /// `provider "aws" { region = … }` of the default (unaliased) provider.
    pub provider_region: Option<Expression>,
    pub bytes: usize,
    pub notes: Vec<Note>,
}

/// 1-based line of a byte offset.
pub fn line_of(starts: &[usize], offset: usize) -> u32 {
    let idx = match starts.binary_search(&offset) {
        Ok(i) => i,
        Err(i) => i.saturating_sub(1),
    };
    u32::try_from(idx + 1).unwrap_or(u32::MAX)
}

pub fn line_starts(text: &str) -> Vec<usize> {
    let mut v = Vec::with_capacity(text.len() / 32 + 1);
    v.push(0);
    v.extend(memchr_newlines(text.as_bytes()));
    v
}

fn memchr_newlines(b: &[u8]) -> impl Iterator<Item = usize> + '_ {
    b.iter()
        .enumerate()
        .filter(|(_, c)| **c == b'\n')
        .map(|(i, _)| i + 1)
}

/// The `.tf` files of a folder, sorted (Terraform reads them in lexical order).
pub fn tf_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_file())
                .filter(|p| {
                    p.file_name()
                        .map(|n| n.to_string_lossy())
                        .is_some_and(|n| n.ends_with(".tf") || n.ends_with(".tf.json"))
                })
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

/// Parse several folders at once: all their files go through one parallel pass.
pub fn parse_dirs(dirs: &[PathBuf], base: &Path) -> Vec<ParsedModule> {
    let jobs: Vec<(usize, PathBuf)> = dirs
        .iter()
        .enumerate()
        .flat_map(|(i, d)| tf_files(d).into_iter().map(move |f| (i, f)))
        .collect();
    let parsed: Vec<(usize, ParsedModule)> = jobs
        .par_iter()
        .map(|(i, f)| (*i, parse_file(f, base)))
        .collect();
    let mut out: Vec<ParsedModule> = dirs
        .iter()
        .map(|d| ParsedModule {
            dir: d.clone(),
            ..Default::default()
        })
        .collect();
    for (i, p) in parsed {
        if let Some(m) = out.get_mut(i) {
            m.merge(p);
        }
    }
    out
}

impl ParsedModule {
    fn merge(&mut self, o: ParsedModule) {
        self.resources.extend(o.resources);
        self.data.extend(o.data);
        self.modules.extend(o.modules);
        self.variables.extend(o.variables);
        self.locals.extend(o.locals);
        self.outputs.extend(o.outputs);
        if self.backend.is_none() {
            self.backend = o.backend;
        }
        if self.provider_region.is_none() {
            self.provider_region = o.provider_region;
        }
        self.bytes += o.bytes;
        self.notes.extend(o.notes);
    }
}

fn label_str(l: &BlockLabel) -> String {
    match l {
        BlockLabel::Ident(i) => i.as_str().to_string(),
        BlockLabel::String(s) => s.as_str().to_string(),
    }
}

/// Parse one file into declarations. A file that does not parse becomes an error note; the
/// rest of the folder is still read.
pub fn parse_file(path: &Path, base: &Path) -> ParsedModule {
    let rel: Arc<str> = Arc::from(relative(path, base));
    let mut out = ParsedModule::default();
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            out.notes.push(
                Note::new(NoteLevel::Error, format!("cannot read: {e}")).at(rel.to_string(), None),
            );
            return out;
        }
    };
    out.bytes = text.len();
    if path.to_string_lossy().ends_with(".tf.json") {
        out.notes.push(
            Note::info("Terraform JSON syntax (.tf.json) is not read; only .tf files are")
                .at(rel.to_string(), None),
        );
        return out;
    }
    parse_text(&text, rel, &mut out);
    out
}

/// Parse HCL source text (one file) into `out`.
pub fn parse_text(text: &str, rel: Arc<str>, out: &mut ParsedModule) {
    let body = match hcl_edit::parser::parse_body(text) {
        Ok(b) => b,
        Err(e) => {
            let line = u32::try_from(e.location().line()).unwrap_or(0);
            out.notes.push(
                Note::new(
                    NoteLevel::Error,
                    format!("HCL syntax error: {}; the file is skipped", e.message()),
                )
                .at(rel.to_string(), Some(line)),
            );
            return;
        }
    };
    let starts = line_starts(text);
    let line =
        |s: Option<std::ops::Range<usize>>| s.map(|r| line_of(&starts, r.start)).unwrap_or(0);
    for st in body {
        let Structure::Block(block) = st else {
            continue;
        };
        let bline = line(block.span());
        let kind = block.ident.as_str().to_string();
        let labels: Vec<String> = block.labels.iter().map(label_str).collect();
        match kind.as_str() {
            "resource" | "data" => {
                let (Some(t), Some(n)) = (labels.first(), labels.get(1)) else {
                    out.notes.push(
                        Note::warning(format!("`{kind}` block without type and name"))
                            .at(rel.to_string(), Some(bline)),
                    );
                    continue;
                };
                let mut body: Body = block.body.into();
                let count = take_attr(&mut body, "count");
                let for_each = take_attr(&mut body, "for_each");
                let decl = ResourceDecl {
                    tf_type: t.clone(),
                    name: n.clone(),
                    file: rel.clone(),
                    line: bline,
                    count,
                    for_each,
                    body,
                };
                if kind == "resource" {
                    out.resources.push(decl);
                } else {
                    out.data.push(decl);
                }
            }
            "module" => {
                let Some(n) = labels.first() else { continue };
                let body: Body = block.body.into();
                let mut m = ModuleDecl {
                    name: n.clone(),
                    file: rel.clone(),
                    line: bline,
                    source: None,
                    count: None,
                    for_each: None,
                    inputs: Vec::new(),
                };
                for a in body.attributes() {
                    match a.key.as_str() {
                        "source" => {
                            if let Expression::String(s) = &a.expr {
                                m.source = Some(s.clone());
                            }
                        }
                        "count" => m.count = Some(a.expr.clone()),
                        "for_each" => m.for_each = Some(a.expr.clone()),
                        "version" | "providers" | "depends_on" => {}
                        k => m.inputs.push((k.to_string(), a.expr.clone())),
                    }
                }
                out.modules.push(m);
            }
            "variable" | "output" => {
                let Some(n) = labels.first() else { continue };
                let key = if kind == "variable" {
                    "default"
                } else {
                    "value"
                };
                let body: Body = block.body.into();
                let expr = body
                    .attributes()
                    .find(|a| a.key.as_str() == key)
                    .map(|a| a.expr.clone());
                let d = NamedExpr {
                    name: n.clone(),
                    file: rel.clone(),
                    line: bline,
                    expr,
                };
                if kind == "variable" {
                    out.variables.push(d);
                } else {
                    out.outputs.push(d);
                }
            }
            "locals" => {
                for s in block.body {
                    if let Structure::Attribute(a) = s {
                        let l = line(a.span());
                        out.locals.push(NamedExpr {
                            name: a.key.as_str().to_string(),
                            file: rel.clone(),
                            line: if l == 0 { bline } else { l },
                            expr: Some(a.value.into()),
                        });
                    }
                }
            }
            "terraform" => {
                for s in block.body {
                    if let Structure::Block(b) = s {
                        if b.ident.as_str() == "backend" {
                            let t = b.labels.first().map(label_str).unwrap_or_default();
                            out.backend = Some((t, rel.clone(), line(b.span())));
                        }
                    }
                }
            }
            "provider" if labels.first().map(String::as_str) == Some("aws") => {
                let body: Body = block.body.into();
                if body.attributes().any(|a| a.key.as_str() == "alias") {
                    continue;
                }
                out.provider_region = body
                    .attributes()
                    .find(|a| a.key.as_str() == "region")
                    .map(|a| a.expr.clone());
            }
            _ => {}
        }
    }
}

fn take_attr(body: &mut Body, key: &str) -> Option<Expression> {
    let mut found = None;
    let structures = std::mem::take(&mut body.0);
    for s in structures {
        match s {
            hcl::Structure::Attribute(a) if a.key.as_str() == key && found.is_none() => {
                found = Some(a.expr)
            }
            other => body.0.push(other),
        }
    }
    found
}
