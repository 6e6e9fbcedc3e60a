//! Loading `.tf` and `.tf.json` files into declarations. `.tf` files are parsed by hcl-edit
//! (it keeps byte spans, which give each block its line) and converted to the evaluator's
//! [`ast`](super::ast) on the same thread; `.tf.json` files (Terraform's JSON syntax) are
//! built into the same tree, their strings parsed as templates as Terraform does. One folder
//! becomes one [`ParsedModule`]; files are read and parsed in parallel.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use hcl_edit::structure::{Block as HclBlock, BlockLabel, Body as HclBody, Structure};
use hcl_edit::Span;
use rayon::prelude::*;
use surveyor_model::{Note, NoteLevel};

use super::ast::{self, Block, Body, Expr, Item, Key};
use crate::relative;

/// `resource` or `data` block.
#[derive(Debug, Clone)]
pub struct ResourceDecl {
    pub tf_type: String,
    pub name: String,
    pub file: Arc<str>,
    pub line: u32,
    pub count: Option<Expr>,
    pub for_each: Option<Expr>,
    /// `provider = aws.west`: not the default provider (its `default_tags` do not apply).
    pub aliased_provider: bool,
    pub body: Body,
}

#[derive(Debug, Clone)]
pub struct ModuleDecl {
    pub name: String,
    pub file: Arc<str>,
    pub line: u32,
    pub source: Option<String>,
    pub count: Option<Expr>,
    pub for_each: Option<Expr>,
    /// Input arguments (everything but the meta-arguments).
    pub inputs: Vec<(String, Expr)>,
}

#[derive(Debug, Clone)]
pub struct NamedExpr {
    pub name: String,
    pub file: Arc<str>,
    pub line: u32,
    pub expr: Option<Expr>,
    /// A variable's `type` constraint (its `optional(…, default)` attributes fill values).
    pub ty: Option<Expr>,
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
    pub provider_region: Option<Expr>,
    /// `provider "aws" { default_tags { tags = … } }` of the default provider.
    pub provider_default_tags: Option<Expr>,
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
    let b = text.as_bytes();
    let mut v = Vec::with_capacity(b.len() / 32 + 1);
    v.push(0);
    for (i, c) in b.iter().enumerate() {
        if *c == b'\n' {
            v.push(i + 1);
        }
    }
    v
}

/// The `.tf` and `.tf.json` files of a folder, sorted (Terraform reads them in lexical order).
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
    // One file per task: the files are few and large enough that rayon's splitting is cheap.
    let parsed: Vec<(usize, ParsedModule)> = jobs
        .par_iter()
        .with_max_len(1)
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
        if self.provider_default_tags.is_none() {
            self.provider_default_tags = o.provider_default_tags;
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
        parse_json_text(&text, rel, &mut out);
    } else {
        parse_text(&text, rel, &mut out);
    }
    out
}

/// `provider = aws.west` (or `"aws.west"` in JSON) names a configuration other than the default.
fn is_aliased_provider(e: &Expr) -> bool {
    match e {
        Expr::Traversal(_) => true,
        Expr::Str(s) => s.contains('.'),
        _ => false,
    }
}

/// One attribute of an hcl-edit body, converted (the rest of the body is not needed).
fn take_attr(body: &mut HclBody, key: &str) -> Option<Expr> {
    body.remove_attribute(key).map(|a| ast::expr(a.value))
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
    // Blocks come in file order, so their lines are counted forward once, not searched.
    let bytes = text.as_bytes();
    let mut pos = 0usize;
    let mut cur = 1u32;
    let mut line = |s: Option<std::ops::Range<usize>>| -> u32 {
        let Some(r) = s else { return 0 };
        let to = r.start.min(bytes.len());
        if to >= pos {
            cur += bytes[pos..to].iter().filter(|c| **c == b'\n').count() as u32;
        } else {
            cur -= bytes[to..pos].iter().filter(|c| **c == b'\n').count() as u32;
        }
        pos = to;
        cur
    };
    for st in body {
        let Structure::Block(block) = st else {
            continue;
        };
        let bline = line(block.span());
        let HclBlock {
            ident,
            labels,
            body,
            ..
        } = block;
        let kind = ident.as_str();
        let labels: Vec<String> = labels.iter().map(label_str).collect();
        match kind {
            "resource" | "data" => {
                let (Some(t), Some(n)) = (labels.first(), labels.get(1)) else {
                    out.notes.push(
                        Note::warning(format!("`{kind}` block without type and name"))
                            .at(rel.to_string(), Some(bline)),
                    );
                    continue;
                };
                let mut body = ast::body(body, &mut line);
                let count = body.take("count");
                let for_each = body.take("for_each");
                let aliased_provider = body.get("provider").is_some_and(is_aliased_provider);
                let decl = ResourceDecl {
                    tf_type: t.clone(),
                    name: n.clone(),
                    file: rel.clone(),
                    line: bline,
                    count,
                    for_each,
                    aliased_provider,
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
                let attrs = body
                    .into_attributes()
                    .map(|a| (a.key.as_str().to_string(), ast::expr(a.value)));
                out.modules
                    .push(module_decl(n.clone(), rel.clone(), bline, attrs));
            }
            "variable" | "output" => {
                let Some(n) = labels.first() else { continue };
                let key = if kind == "variable" {
                    "default"
                } else {
                    "value"
                };
                let mut body = body;
                let d = NamedExpr {
                    name: n.clone(),
                    file: rel.clone(),
                    line: bline,
                    expr: take_attr(&mut body, key),
                    ty: if kind == "variable" {
                        take_attr(&mut body, "type")
                    } else {
                        None
                    },
                };
                if kind == "variable" {
                    out.variables.push(d);
                } else {
                    out.outputs.push(d);
                }
            }
            "locals" => {
                for s in body {
                    if let Structure::Attribute(a) = s {
                        let l = line(a.span());
                        out.locals.push(NamedExpr {
                            name: a.key.as_str().to_string(),
                            file: rel.clone(),
                            line: if l == 0 { bline } else { l },
                            expr: Some(ast::expr(a.value)),
                            ty: None,
                        });
                    }
                }
            }
            "terraform" => {
                for s in body {
                    if let Structure::Block(b) = s {
                        if b.ident.as_str() == "backend" {
                            let t = b.labels.first().map(label_str).unwrap_or_default();
                            let l = line(b.span());
                            out.backend = Some((t, rel.clone(), l));
                        }
                    }
                }
            }
            "provider" if labels.first().map(String::as_str) == Some("aws") => {
                if body.has_attribute("alias") {
                    continue;
                }
                let mut body = body;
                out.provider_region = take_attr(&mut body, "region");
                out.provider_default_tags = body
                    .into_blocks()
                    .find(|b| b.ident.as_str() == "default_tags")
                    .and_then(|mut b| take_attr(&mut b.body, "tags"));
            }
            _ => {}
        }
    }
}

fn module_decl(
    name: String,
    file: Arc<str>,
    line: u32,
    attrs: impl Iterator<Item = (String, Expr)>,
) -> ModuleDecl {
    let mut m = ModuleDecl {
        name,
        file,
        line,
        source: None,
        count: None,
        for_each: None,
        inputs: Vec::new(),
    };
    for (k, v) in attrs {
        match k.as_str() {
            "source" => {
                if let Expr::Str(s) = &v {
                    m.source = Some(s.to_string());
                }
            }
            "count" => m.count = Some(v),
            "for_each" => m.for_each = Some(v),
            "version" | "providers" | "depends_on" | "//" => {}
            _ => m.inputs.push((k, v)),
        }
    }
    m
}

// ---------------------------------------------------------------- Terraform JSON syntax

/// Reading one `.tf.json` file: notes go to the file, lines come from the key scan.
struct JsonFile<'a> {
    rel: Arc<str>,
    lines: HashMap<String, Vec<u32>>,
    notes: &'a mut Vec<Note>,
}

impl JsonFile<'_> {
    /// The line of the next (in document order) key at `path`.
    fn line(&mut self, path: &[&str]) -> u32 {
        self.lines
            .get_mut(&path.join("\0"))
            .and_then(|v| (!v.is_empty()).then(|| v.remove(0)))
            .unwrap_or(1)
    }

    /// A JSON value as an expression. Where Terraform reads expressions, strings are
    /// templates (`"${var.x}"`); elsewhere (`variable` defaults) they are literal.
    fn expr(&mut self, v: &serde_json::Value, templates: bool, line: u32) -> Expr {
        use serde_json::Value as J;
        match v {
            J::Null => Expr::Null,
            J::Bool(b) => Expr::Bool(*b),
            J::Number(n) => {
                let num = if let Some(i) = n.as_i64() {
                    Some(ast::Number::from(i))
                } else if let Some(u) = n.as_u64() {
                    Some(ast::Number::from(u))
                } else {
                    n.as_f64().and_then(ast::Number::from_f64)
                };
                num.map(Expr::Number).unwrap_or(Expr::Null)
            }
            J::String(s) if templates && (s.contains("${") || s.contains("%{")) => {
                match hcl_edit::parser::parse_template(s) {
                    Ok(t) => Expr::Template(Box::new(ast::template(t))),
                    Err(e) => {
                        self.notes.push(
                            Note::warning(format!(
                                "Terraform JSON: `{s}` is not a valid template ({}); read as a literal string",
                                e.message()
                            ))
                            .at(self.rel.to_string(), Some(line)),
                        );
                        Expr::Str(s.as_str().into())
                    }
                }
            }
            J::String(s) => Expr::Str(s.as_str().into()),
            J::Array(items) => Expr::Array(
                items
                    .iter()
                    .map(|i| self.expr(i, templates, line))
                    .collect(),
            ),
            J::Object(m) => Expr::Object(
                m.iter()
                    .filter(|(k, _)| k.as_str() != "//")
                    .map(|(k, v)| (Key::Lit(k.as_str().into()), self.expr(v, templates, line)))
                    .collect(),
            ),
        }
    }

    /// A block body: every key an attribute (a nested block `"ingress": [{…}]` evaluates to the
    /// same list of objects as the block would), `dynamic` blocks rebuilt as blocks.
    fn body(&mut self, m: &serde_json::Map<String, serde_json::Value>, line: u32) -> Body {
        let mut items = Vec::with_capacity(m.len());
        for (k, v) in m {
            match k.as_str() {
                "//" => {}
                "dynamic" => {
                    for o in objects(v) {
                        for (label, spec) in o {
                            for spec in objects(spec) {
                                items.push(Item::Block(Box::new(self.dynamic(label, spec, line))));
                            }
                        }
                    }
                }
                _ => items.push(Item::Attr(
                    k.as_str().into(),
                    self.expr(v, true, line),
                    line,
                )),
            }
        }
        Body { items }
    }

    /// `"dynamic": {"ingress": {"for_each": …, "content": {…}}}` as the block HCL would give.
    fn dynamic(
        &mut self,
        label: &str,
        spec: &serde_json::Map<String, serde_json::Value>,
        line: u32,
    ) -> Block {
        let mut b = Block {
            ident: "dynamic".into(),
            labels: vec![label.into()],
            body: Body::default(),
        };
        for (k, v) in spec {
            match k.as_str() {
                "content" => {
                    for c in objects(v) {
                        let content = Block {
                            ident: "content".into(),
                            labels: Vec::new(),
                            body: self.body(c, line),
                        };
                        b.body.items.push(Item::Block(Box::new(content)));
                    }
                }
                "iterator" => {
                    if let Some(name) = v.as_str() {
                        b.body
                            .items
                            .push(Item::Attr("iterator".into(), Expr::Var(name.into()), 0));
                    }
                }
                _ => {
                    let e = self.expr(v, true, line);
                    b.body.items.push(Item::Attr(k.as_str().into(), e, line));
                }
            }
        }
        b
    }
}

/// A JSON block value: one object, or an array of them (Terraform allows both).
fn objects(v: &serde_json::Value) -> Vec<&serde_json::Map<String, serde_json::Value>> {
    match v {
        serde_json::Value::Object(m) => vec![m],
        serde_json::Value::Array(a) => a.iter().filter_map(|x| x.as_object()).collect(),
        _ => Vec::new(),
    }
}

/// Parse Terraform JSON syntax (one `.tf.json` file) into `out`: the same declarations as
/// HCL, each at the line of its name key.
pub fn parse_json_text(text: &str, rel: Arc<str>, out: &mut ParsedModule) {
    let doc: serde_json::Value = match serde_json::from_str(text) {
        Ok(d) => d,
        Err(e) => {
            out.notes.push(
                Note::new(
                    NoteLevel::Error,
                    format!("Terraform JSON syntax error: {e}; the file is skipped"),
                )
                .at(rel.to_string(), u32::try_from(e.line()).ok()),
            );
            return;
        }
    };
    let Some(top) = doc.as_object() else {
        out.notes.push(
            Note::new(
                NoteLevel::Error,
                "Terraform JSON: the file is not a JSON object; skipped",
            )
            .at(rel.to_string(), Some(1)),
        );
        return;
    };
    let mut notes = Vec::new();
    let mut f = JsonFile {
        rel: rel.clone(),
        lines: json_key_lines(text, 3),
        notes: &mut notes,
    };
    for (kind, v) in top {
        match kind.as_str() {
            "resource" | "data" => {
                for types in objects(v) {
                    for (ty, names) in types {
                        for names in objects(names) {
                            for (name, body) in names {
                                let line = f.line(&[kind, ty, name]);
                                for b in objects(body) {
                                    let mut b = b.clone();
                                    let count = b.remove("count").map(|c| f.expr(&c, true, line));
                                    let for_each =
                                        b.remove("for_each").map(|c| f.expr(&c, true, line));
                                    let aliased_provider = b
                                        .get("provider")
                                        .and_then(|p| p.as_str())
                                        .is_some_and(|p| p.contains('.'));
                                    let decl = ResourceDecl {
                                        tf_type: ty.clone(),
                                        name: name.clone(),
                                        file: rel.clone(),
                                        line,
                                        count,
                                        for_each,
                                        aliased_provider,
                                        body: f.body(&b, line),
                                    };
                                    if kind == "resource" {
                                        out.resources.push(decl);
                                    } else {
                                        out.data.push(decl);
                                    }
                                }
                            }
                        }
                    }
                }
            }
            "module" => {
                for calls in objects(v) {
                    for (name, body) in calls {
                        let line = f.line(&["module", name]);
                        for b in objects(body) {
                            let attrs: Vec<(String, Expr)> = b
                                .iter()
                                .map(|(k, v)| {
                                    // `source` is a literal, never a template.
                                    let e = f.expr(v, k != "source", line);
                                    (k.clone(), e)
                                })
                                .collect();
                            out.modules.push(module_decl(
                                name.clone(),
                                rel.clone(),
                                line,
                                attrs.into_iter(),
                            ));
                        }
                    }
                }
            }
            "variable" | "output" => {
                let key = if kind == "variable" {
                    "default"
                } else {
                    "value"
                };
                for decls in objects(v) {
                    for (name, body) in decls {
                        let line = f.line(&[kind, name]);
                        let expr = objects(body)
                            .into_iter()
                            .find_map(|b| b.get(key))
                            .map(|e| f.expr(e, kind == "output", line));
                        // A JSON variable's type is an expression in a string.
                        let ty = (kind == "variable")
                            .then(|| {
                                objects(body)
                                    .into_iter()
                                    .find_map(|b| b.get("type"))
                                    .and_then(|t| t.as_str())
                                    .and_then(|t| hcl_edit::parser::parse_expr(t).ok())
                                    .map(ast::expr)
                            })
                            .flatten();
                        let d = NamedExpr {
                            name: name.clone(),
                            file: rel.clone(),
                            line,
                            expr,
                            ty,
                        };
                        if kind == "variable" {
                            out.variables.push(d);
                        } else {
                            out.outputs.push(d);
                        }
                    }
                }
            }
            "locals" => {
                for ls in objects(v) {
                    for (name, e) in ls {
                        if name == "//" {
                            continue;
                        }
                        let line = f.line(&["locals", name]);
                        let expr = Some(f.expr(e, true, line));
                        out.locals.push(NamedExpr {
                            name: name.clone(),
                            file: rel.clone(),
                            line,
                            expr,
                            ty: None,
                        });
                    }
                }
            }
            "terraform" => {
                for t in objects(v) {
                    for b in t.get("backend").map(objects).unwrap_or_default() {
                        if let Some(ty) = b.keys().next() {
                            let line = f.line(&["terraform", "backend", ty]);
                            out.backend = Some((ty.clone(), rel.clone(), line));
                        }
                    }
                }
            }
            "provider" => {
                for ps in objects(v) {
                    let Some(aws) = ps.get("aws") else { continue };
                    let line = f.line(&["provider", "aws"]);
                    for p in objects(aws) {
                        if p.contains_key("alias") {
                            continue;
                        }
                        out.provider_region = p.get("region").map(|r| f.expr(r, true, line));
                        out.provider_default_tags = p
                            .get("default_tags")
                            .map(objects)
                            .unwrap_or_default()
                            .into_iter()
                            .find_map(|d| d.get("tags"))
                            .map(|t| f.expr(t, true, line));
                    }
                }
            }
            _ => {}
        }
    }
    out.notes.extend(notes);
}

/// The 1-based line of every object key down to `max_depth` levels, by its path of keys
/// (arrays add no level), in document order. serde_json forgets positions; this scan finds
/// them without a second parser of values.
fn json_key_lines(text: &str, max_depth: usize) -> HashMap<String, Vec<u32>> {
    struct Frame {
        obj: bool,
        expect_key: bool,
        pushed: bool,
    }
    let b = text.as_bytes();
    let mut out: HashMap<String, Vec<u32>> = HashMap::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut path: Vec<String> = Vec::new();
    let mut key: Option<String> = None;
    let mut line = 1u32;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\n' => line += 1,
            c @ (b'{' | b'[') => {
                let pushed = stack.last().is_some_and(|f| f.obj);
                if pushed {
                    path.push(key.take().unwrap_or_default());
                }
                stack.push(Frame {
                    obj: c == b'{',
                    expect_key: true,
                    pushed,
                });
            }
            b'}' | b']' => {
                let pushed = stack.pop().is_some_and(|f| f.pushed);
                if pushed {
                    path.pop();
                }
            }
            b',' => {
                if let Some(f) = stack.last_mut() {
                    f.expect_key = f.obj;
                }
            }
            b'"' => {
                let start = i;
                let mut escaped = false;
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    escaped |= b[i] == b'\\';
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                let end = i.min(b.len());
                if let Some(f) = stack.last_mut().filter(|f| f.obj && f.expect_key) {
                    f.expect_key = false;
                    let raw = text.get(start + 1..end).unwrap_or_default();
                    let k = if escaped {
                        serde_json::from_str::<String>(text.get(start..=end).unwrap_or("\"\""))
                            .unwrap_or_else(|_| raw.to_string())
                    } else {
                        raw.to_string()
                    };
                    if path.len() < max_depth {
                        let mut p = path.join("\0");
                        if !path.is_empty() {
                            p.push('\0');
                        }
                        p.push_str(&k);
                        out.entry(p).or_default().push(line);
                    }
                    key = Some(k);
                }
            }
            _ => {}
        }
        i += 1;
    }
    out
}
