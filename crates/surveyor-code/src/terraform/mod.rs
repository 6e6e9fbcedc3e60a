//! Terraform → canonical resources: HCL root modules (with local and installed modules),
//! state v3/v4 and `terraform show -json` output, plans.
//!
//! - [`hcl`]: parsing `.tf` files (hcl-edit, for positions) and `.tf.json` files into
//!   declarations; [`ast`]: the tree they are converted to for evaluation.
//! - [`eval`] and [`funcs`]: expressions and built-in functions, references kept as refs.
//! - [`modules`]: module instances, `count`/`for_each`, module sources.
//! - [`mapping`]: the one table from Terraform types/attributes to CloudFormation ones.
//! - [`state`]: state and plan JSON.
//!
//! [`read_all`] decides which folders are roots (a folder another one uses as a module
//! source is not), evaluates each root, joins it with the states and plans read in the same
//! call by address (HCL gives `file:line`, state gives ids, ARNs and values), folds
//! split-out resources into their parents and reports what it could not map.

pub mod ast;
pub mod eval;
pub mod funcs;
pub mod hcl;
pub mod mapping;
pub mod modules;
pub mod state;

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use surveyor_model::{SortedMap, ValueMap};

use rayon::prelude::*;
use surveyor_model::{Inventory, Note, NoteLevel, Provenance, Source, SourceKind, Stack, Value};

use crate::{relative, CodeError, CodeOptions};
use eval::{is_known, Eval};
use funcs::normalize;
use mapping::Mapped;
use modules::{ConstScope, Instance, Loader, RawResource, Run};

/// What one root module yields.
struct RootOut {
    dir: PathBuf,
    raw: Vec<RawResource>,
    notes: Vec<Note>,
    region: Option<String>,
    /// The default aws provider's `default_tags`, known values only.
    default_tags: SortedMap<String, String>,
}

/// One root's resources mapped to canonical ones (on the thread that evaluated the root).
struct RootMapped {
    dir: PathBuf,
    mapped: Vec<Mapped>,
    /// Terraform type → addresses of its resources (a block and its state instance are one).
    unmapped: BTreeMap<String, BTreeSet<String>>,
    notes: Vec<Note>,
    region: Option<String>,
}

fn map_root(out: RootOut) -> RootMapped {
    let mut mapped = Vec::with_capacity(out.raw.len());
    let mut unmapped: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for r in out.raw {
        let prov = Provenance {
            file: String::from(&*r.file),
            line: r.line,
            address: Some(r.address.clone()),
            source_kind: SourceKind::Terraform,
            module: r.module,
            ..Default::default()
        };
        let aliased = r.aliased_provider;
        match mapping::map_resource(&r.tf_type, &r.address, r.attrs, prov) {
            Some(mut m) => {
                m.res.region = out.region.clone();
                if !aliased {
                    apply_default_tags(&mut m, &out.default_tags);
                }
                mapped.push(m)
            }
            None => {
                unmapped.entry(r.tf_type).or_default().insert(r.address);
            }
        }
    }
    RootMapped {
        dir: out.dir,
        mapped,
        unmapped,
        notes: out.notes,
        region: out.region,
    }
}

/// Read Terraform folders, states and plans found under one base folder together, so that a
/// root module and its state join by address.
pub fn read_all(
    dirs: &[PathBuf],
    states: &[PathBuf],
    plans: &[PathBuf],
    base: &Path,
    opts: &CodeOptions,
) -> Result<Inventory, CodeError> {
    let mut inv = Inventory::default();
    // Module sources are joined as paths (`../../modules/x`): work on normalised paths, and
    // report them relative to the normalised base.
    let base_n = normalize(base);
    let base = base_n.as_path();
    let dirs: Vec<PathBuf> = dirs.iter().map(|d| normalize(d)).collect();
    let states: Vec<PathBuf> = states.iter().map(|d| normalize(d)).collect();
    let plans: Vec<PathBuf> = plans.iter().map(|d| normalize(d)).collect();
    let parsed = hcl::parse_dirs(&dirs, base);

    // A folder that another folder calls as a local module is a module, not a root. Calls
    // from inside the folder itself do not count: a module repository's `examples/complete`
    // calls `../../`, and the repository's own root is still what its user asked to map.
    let mut used: HashSet<PathBuf> = HashSet::new();
    for m in &parsed {
        for call in &m.modules {
            if let Some(src) = call.source.as_deref() {
                if src.starts_with("./") || src.starts_with("../") {
                    let callee = normalize(&m.dir.join(src));
                    if !m.dir.starts_with(&callee) {
                        used.insert(callee);
                    }
                }
            }
        }
    }
    let roots: Vec<PathBuf> = dirs
        .iter()
        .filter(|d| !used.contains(*d))
        .cloned()
        .collect();
    let loader = Loader::new(base, parsed);
    // Parse notes, once per file however often the module is used; taken now because a
    // root's tree is freed as soon as it has been evaluated.
    let with_backend = states.is_empty();
    let mut parse_notes: BTreeMap<PathBuf, Vec<Note>> = loader
        .all()
        .iter()
        .map(|m| (m.dir.clone(), notes_of(m, with_backend)))
        .collect();

    // Roots are independent: each is evaluated and mapped on its own thread.
    let outs: Vec<RootMapped> = roots
        .par_iter()
        .with_max_len(1)
        .map(|dir| map_root(evaluate_root(&loader, dir, base, opts)))
        .collect();

    // Modules parsed on demand during evaluation (installed ones) have notes too.
    for m in loader.all() {
        parse_notes
            .entry(m.dir.clone())
            .or_insert_with(|| notes_of(&m, with_backend));
    }
    for (_, notes) in parse_notes {
        inv.notes.extend(notes);
    }

    let mut unmapped: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut code: Vec<(PathBuf, Vec<Mapped>)> = Vec::new();
    for out in outs {
        inv.notes.extend(out.notes);
        for (t, addrs) in out.unmapped {
            unmapped.entry(t).or_default().extend(addrs);
        }
        let mapped = out.mapped;
        let rel = relative(&out.dir, base);
        // Split-out resources become part of their parent: they are not counted.
        let n = mapped
            .iter()
            .filter(|m| mapping::fold_of(&m.tf_type).is_none())
            .count();
        inv.sources.push(Source {
            kind: SourceKind::Terraform,
            path: rel.clone(),
            resources: n,
        });
        inv.stacks.push(Stack {
            name: if rel.is_empty() {
                ".".into()
            } else {
                rel.clone()
            },
            source_kind: SourceKind::Terraform,
            path: rel,
            region: out.region.clone(),
            resources: n,
            ..Default::default()
        });
        code.push((out.dir, mapped));
    }

    // States and plans: read in parallel, then joined onto the code by address.
    let docs: Vec<(PathBuf, Result<state::Document, CodeError>)> = states
        .par_iter()
        .chain(plans.par_iter())
        .map(|p| (p.clone(), read_doc(p)))
        .collect();
    let mut extra: Vec<Mapped> = Vec::new();
    for (path, doc) in docs {
        let doc = doc?;
        let rel = relative(&path, base);
        let (kind, items, changes) = match doc {
            state::Document::State(s) => (SourceKind::Tfstate, s, None),
            state::Document::Plan { planned, changes } => {
                (SourceKind::Tfplan, planned, Some(changes))
            }
        };
        if let Some(ch) = changes {
            inv.notes.push(plan_note(&ch, &rel));
        }
        let mut count = 0;
        // The roots this document belongs to: those whose folder holds it, else all.
        let holders: Vec<usize> = code
            .iter()
            .enumerate()
            .filter(|(_, (d, _))| path.starts_with(d))
            .map(|(i, _)| i)
            .collect();
        let targets: Vec<usize> = if holders.is_empty() {
            (0..code.len()).collect()
        } else {
            holders
        };
        let mut index: HashMap<String, (usize, usize)> = HashMap::new();
        for &ci in &targets {
            if let Some((_, ms)) = code.get(ci) {
                for (j, m) in ms.iter().enumerate() {
                    if let Some(a) = m.res.code.as_ref().and_then(|c| c.address.clone()) {
                        index.entry(a).or_insert((ci, j));
                    }
                }
            }
        }
        let mapped: Vec<Result<Mapped, (String, String)>> = items
            .into_par_iter()
            .map(|s| {
                let prov = Provenance {
                    file: rel.clone(),
                    line: s.line,
                    address: Some(s.address.clone()),
                    source_kind: kind,
                    module: s.module,
                    ..Default::default()
                };
                let tf = s.tf_type.clone();
                let attrs = s.attrs;
                let id = attrs.get("id").and_then(Value::as_str).map(str::to_string);
                let arn = attrs
                    .get("arn")
                    .and_then(Value::as_str)
                    .filter(|a| a.starts_with("arn:"))
                    .map(str::to_string);
                mapping::map_resource(&tf, &s.address, attrs, prov)
                    .map(|mut m| {
                        m.res.physical_id = id.filter(|i| !i.is_empty());
                        if let Some(a) = &arn {
                            let mut parts = a.split(':');
                            let region = parts.nth(3).filter(|r| !r.is_empty());
                            let account = parts.next().filter(|r| !r.is_empty());
                            m.res.region = region.map(str::to_string);
                            m.res.account = account.map(str::to_string);
                        }
                        m.res.arn = arn;
                        m
                    })
                    .ok_or((tf, s.address))
            })
            .collect();
        for m in mapped {
            let m = match m {
                Ok(m) => m,
                Err((tf, address)) => {
                    unmapped.entry(tf).or_default().insert(address);
                    continue;
                }
            };
            if mapping::fold_of(&m.tf_type).is_none() {
                count += 1;
            }
            if let Some(r) = &m.res.region {
                if !inv.regions.contains(r) {
                    inv.regions.push(r.clone());
                }
            }
            if inv.account.is_none() {
                inv.account = m.res.account.clone();
            }
            let addr = m
                .res
                .code
                .as_ref()
                .and_then(|c| c.address.clone())
                .unwrap_or_default();
            match index.get(&addr).copied() {
                Some((ci, j)) => {
                    if let Some(target) = code.get_mut(ci).and_then(|(_, ms)| ms.get_mut(j)) {
                        join(target, m);
                    }
                }
                None => extra.push(m),
            }
        }
        inv.sources.push(Source {
            kind,
            path: rel,
            resources: count,
        });
    }

    let mut groups: Vec<Vec<Mapped>> = code.into_iter().map(|(_, m)| m).collect();
    groups.push(extra);
    mapping::fold_groups(&mut groups, &mut inv.notes);
    // Evaluation order is deterministic (roots in walk order, then declarations and their
    // instances), so no sort is needed. The list is sized once: it holds every resource, and
    // regrowing it would copy them all.
    let total = groups.iter().map(Vec::len).sum();
    let mut resources = Vec::with_capacity(total);
    for g in groups {
        for m in g {
            let implied = mapping::implied(&m);
            resources.push(m.res);
            resources.extend(implied);
        }
    }
    through_bucket_policies(&mut resources);
    // The parsed trees are large and no longer needed: free them off the critical path.
    std::thread::spawn(move || drop(loader));
    for r in &resources {
        if let Some(reg) = &r.region {
            if !inv.regions.contains(reg) {
                inv.regions.push(reg.clone());
            }
        }
    }
    if !unmapped.is_empty() {
        let total: usize = unmapped.values().map(BTreeSet::len).sum();
        let list: Vec<String> = unmapped
            .iter()
            .map(|(t, a)| format!("{t} ×{}", a.len()))
            .collect();
        inv.notes.push(
            Note::info(format!(
                "{total} Terraform resource{} of types with no CloudFormation equivalent in the registry {} not in the map: {}",
                if total == 1 { "" } else { "s" },
                if total == 1 { "is" } else { "are" },
                list.join(", ")
            ))
            .service("terraform", None),
        );
    }
    dedup_notes(&mut inv.notes);
    inv.resources = resources;
    Ok(inv)
}

/// Terraform merges the provider's `default_tags` into every resource's `tags_all`, the
/// resource's own tags winning; the live resource carries them, so the code's tags must too or
/// every tag comparison would report drift. Types without tags (and split-out resources) get none.
fn apply_default_tags(m: &mut Mapped, defaults: &SortedMap<String, String>) {
    if defaults.is_empty() || !mapping::takes_tags(&m.tf_type) {
        return;
    }
    for (k, v) in defaults {
        m.res.tags.entry(k.clone()).or_insert_with(|| v.clone());
    }
}

/// A parsed folder's own notes, and where its backend keeps the state when no state was given.
fn notes_of(m: &hcl::ParsedModule, with_backend: bool) -> Vec<Note> {
    let mut notes = m.notes.clone();
    if let Some((ty, file, line)) = m.backend.as_ref().filter(|_| with_backend) {
        notes.push(
            Note::info(format!("Terraform backend `{ty}`: the state lives there; pass a state file (`terraform state pull > terraform.tfstate`) to join ids and ARNs"))
                .at(file.to_string(), Some(*line)),
        );
    }
    notes
}

fn read_doc(path: &Path) -> Result<state::Document, CodeError> {
    let text = std::fs::read_to_string(path).map_err(|e| CodeError::io(path, e))?;
    state::read_text(&text, path)
}

/// Fill a code resource with what the state knows; references and known code values win.
fn join(code: &mut Mapped, st: Mapped) {
    let r = &mut code.res;
    r.physical_id = st.res.physical_id.or(r.physical_id.take());
    r.arn = st.res.arn.or(r.arn.take());
    r.region = st.res.region.or(r.region.take());
    r.account = st.res.account.or(r.account.take());
    if r.name.is_none() {
        r.name = st.res.name;
    }
    if (r.tags.is_empty() || r.tags.values().any(|v| v.contains("${"))) && !st.res.tags.is_empty() {
        r.tags = st.res.tags;
    }
    let mut merged = st.res.attributes;
    for (k, v) in std::mem::take(&mut r.attributes) {
        merge_value(&mut merged, k, v);
    }
    r.attributes = merged;
    // Split-out resources are folded by their raw attributes: give them the state's values
    // where the code's are unknown.
    for (k, v) in st.raw {
        match code.raw.get(&k) {
            Some(cv) if is_known(cv) => {}
            _ => {
                code.raw.insert(k, v);
            }
        }
    }
}

fn merge_value(into: &mut ValueMap, k: String, v: Value) {
    match (into.get_mut(&k), v) {
        (Some(Value::Map(old)), Value::Map(new)) => {
            for (k2, v2) in new {
                merge_value(old, k2, v2);
            }
        }
        (Some(_), Value::Unresolved(_)) => {}
        (_, v) => {
            into.insert(k, v);
        }
    }
}

fn plan_note(changes: &[(String, String)], file: &str) -> Note {
    let mut by: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (a, k) in changes {
        by.entry(k.as_str()).or_default().push(a.as_str());
    }
    let mut parts = Vec::new();
    for kind in ["create", "update", "replace", "delete"] {
        if let Some(addrs) = by.get(kind) {
            let shown: Vec<&str> = addrs.iter().take(20).copied().collect();
            let more = if addrs.len() > 20 {
                format!(", … {} more", addrs.len() - 20)
            } else {
                String::new()
            };
            parts.push(format!(
                "{} to {kind} ({}{more})",
                addrs.len(),
                shown.join(", ")
            ));
        }
    }
    let unchanged = by.get("no-op").map(|v| v.len()).unwrap_or(0);
    let msg = if parts.is_empty() {
        format!("Terraform plan: no changes ({unchanged} unchanged)")
    } else {
        format!(
            "Terraform plan: {}; {unchanged} unchanged",
            parts.join("; ")
        )
    };
    Note::info(msg).at(file, None).service("terraform", None)
}

/// In Terraform a bucket policy's `id` is its bucket's name, and modules output it as the
/// bucket (`element(concat(aws_s3_bucket_policy.this.*.id, aws_s3_bucket.this.*.id), 0)`, so
/// that users wait for the policy). A reference to the policy from any other resource is a
/// reference to its bucket: point it there, or the edge (logging target, notification
/// source, …) lands on the policy.
fn through_bucket_policies(resources: &mut [surveyor_model::Resource]) {
    use surveyor_model::ResourceId;
    let to_bucket: HashMap<ResourceId, ResourceId> = resources
        .iter()
        .filter(|r| r.type_name == "AWS::S3::BucketPolicy")
        .filter_map(|r| match r.attributes.get("Bucket") {
            Some(Value::Ref(b)) if b.as_str().starts_with("AWS::S3::Bucket::") => {
                Some((r.id.clone(), b.clone()))
            }
            _ => None,
        })
        .collect();
    if to_bucket.is_empty() {
        return;
    }
    for r in resources.iter_mut() {
        if r.type_name == "AWS::S3::BucketPolicy" {
            continue;
        }
        for v in r.attributes.values_mut() {
            v.walk_mut(&mut |x| {
                if let Value::Ref(id) = x {
                    if let Some(b) = to_bucket.get(id) {
                        *id = b.clone();
                    }
                }
            });
        }
    }
}

fn dedup_notes(notes: &mut Vec<Note>) {
    let mut seen = HashSet::new();
    notes.retain(|n| seen.insert((n.file.clone(), n.line, n.message.clone())));
}

/// Variable values of a root: defaults, `terraform.tfvars`, `*.auto.tfvars` (lexical order),
/// `--var-file`s, then `--var`s, each overriding the one before (Terraform's order).
fn root_vars(
    m: &hcl::ParsedModule,
    dir: &Path,
    base: &Path,
    opts: &CodeOptions,
    notes: &RefCell<Vec<Note>>,
) -> HashMap<String, Value> {
    let cs = ConstScope { root: dir, notes };
    let mut given: HashMap<String, Value> = HashMap::new();
    let mut files: Vec<PathBuf> = Vec::new();
    let tfvars = dir.join("terraform.tfvars");
    if tfvars.is_file() {
        files.push(tfvars);
    }
    let tfvars_json = dir.join("terraform.tfvars.json");
    if tfvars_json.is_file() {
        files.push(tfvars_json);
    }
    let mut autos: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| {
                    let n = p
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    n.ends_with(".auto.tfvars") || n.ends_with(".auto.tfvars.json")
                })
                .collect()
        })
        .unwrap_or_default();
    autos.sort();
    files.extend(autos);
    files.extend(opts.tf_var_files.iter().cloned());
    for f in files {
        let rel: Arc<str> = Arc::from(relative(&f, base));
        let text = match std::fs::read_to_string(&f) {
            Ok(t) => t,
            Err(e) => {
                notes.borrow_mut().push(
                    Note::warning(format!("cannot read variables file: {e}"))
                        .at(rel.to_string(), None),
                );
                continue;
            }
        };
        if f.to_string_lossy().ends_with(".json") {
            match serde_json::from_str::<serde_json::Value>(&text) {
                Ok(serde_json::Value::Object(o)) => {
                    for (k, v) in o {
                        given.insert(k, Value::from_json(v));
                    }
                }
                _ => notes.borrow_mut().push(
                    Note::warning("variables file is not a JSON object").at(rel.to_string(), None),
                ),
            }
            continue;
        }
        match hcl_edit::parser::parse_body(&text) {
            Ok(body) => {
                let starts = hcl::line_starts(&text);
                for s in body {
                    if let hcl_edit::structure::Structure::Attribute(a) = s {
                        let line = hcl_edit::Span::span(&a)
                            .map(|r| hcl::line_of(&starts, r.start))
                            .unwrap_or(0);
                        let key = a.key.as_str().to_string();
                        let v = Eval::new(&cs, rel.clone(), line).expr(&ast::expr(a.value));
                        given.insert(key, v);
                    }
                }
            }
            Err(e) => notes.borrow_mut().push(
                Note::new(
                    NoteLevel::Error,
                    format!("variables file: HCL syntax error: {}", e.message()),
                )
                .at(rel.to_string(), u32::try_from(e.location().line()).ok()),
            ),
        }
    }
    for (k, v) in &opts.tf_vars {
        given.insert(k.clone(), cli_var(v));
    }
    let mut vars = HashMap::new();
    for v in &m.variables {
        let val = match given.remove(&v.name) {
            Some(x) => x,
            None => match &v.expr {
                Some(d) => Eval::new(&cs, v.file.clone(), v.line).expr(d),
                None => {
                    notes.borrow_mut().push(
                        Note::warning(format!(
                            "variable `{}` has no value (no default; pass --var {}=… or --var-file)",
                            v.name, v.name
                        ))
                        .at(v.file.to_string(), Some(v.line)),
                    );
                    Value::Unresolved(format!("var.{}", v.name))
                }
            },
        };
        let val = match &v.ty {
            Some(t) => {
                modules::with_type_defaults(&mut Eval::new(&cs, v.file.clone(), v.line), t, val, 0)
            }
            None => val,
        };
        vars.insert(v.name.clone(), val);
    }
    vars
}

/// `--var k=v`: lists, maps, numbers and bools are HCL; anything else is a plain string.
fn cli_var(v: &str) -> Value {
    let t = v.trim();
    if t.starts_with('[')
        || t.starts_with('{')
        || t == "true"
        || t == "false"
        || t.parse::<f64>().is_ok()
    {
        if let Ok(e) = hcl_edit::parser::parse_expr(t).map(ast::expr) {
            let notes = RefCell::new(Vec::new());
            let cs = ConstScope {
                root: Path::new("."),
                notes: &notes,
            };
            let val = Eval::new(&cs, Arc::from("--var"), 0).expr(&e);
            if is_known(&val) {
                return val;
            }
        }
    }
    Value::String(v.to_string())
}

fn evaluate_root(loader: &Loader, dir: &Path, base: &Path, opts: &CodeOptions) -> RootOut {
    let run = Run::new(loader, dir);
    let Some(m) = loader.get(dir) else {
        return RootOut {
            dir: dir.to_path_buf(),
            raw: Vec::new(),
            notes: Vec::new(),
            region: None,
            default_tags: SortedMap::new(),
        };
    };
    let vars = root_vars(&m, dir, base, opts, &run.notes);
    let inst = Instance::new(&run, m.clone(), String::new(), Vec::new(), Vec::new(), vars);
    inst.evaluate();
    let file: Arc<str> = Arc::from(relative(dir, base));
    let region =
        m.provider_region
            .as_ref()
            .and_then(|e| match Eval::new(&inst, file.clone(), 0).expr(e) {
                Value::String(s) => Some(s),
                _ => None,
            });
    let default_tags = m
        .provider_default_tags
        .as_ref()
        .map(|e| {
            let v = Eval::new(&inst, file.clone(), 0).expr(e);
            mapping::tags_of(&ValueMap::from([("tags".to_string(), v)]))
        })
        .unwrap_or_default();
    drop(inst);
    // No other root uses this one, and its tree is large: freed here, on the thread that
    // goes on to allocate the mapped resources, that memory is reused instead of fresh
    // pages being faulted in (which cost more than the evaluation on a cold start).
    drop(m);
    drop(loader.release(dir));
    RootOut {
        dir: dir.to_path_buf(),
        raw: run.out.into_inner(),
        notes: run.notes.into_inner(),
        region,
        default_tags,
    }
}

/// Parse and evaluate the text of one `.tf` file as a root module, with nothing on disk
/// (fuzzing and tests): the resources and notes it would give. Module sources and `file()`
/// resolve against a folder that does not exist.
pub fn read_hcl_str(text: &str) -> Inventory {
    let dir = PathBuf::from("/nonexistent/surveyor-hcl");
    let mut m = hcl::ParsedModule {
        dir: dir.clone(),
        ..Default::default()
    };
    hcl::parse_text(text, Arc::from("main.tf"), &mut m);
    let mut inv = Inventory::default();
    inv.notes.extend(m.notes.iter().cloned());
    let loader = Loader::new(&dir, vec![m]);
    let out = map_root(evaluate_root(&loader, &dir, &dir, &CodeOptions::default()));
    inv.notes.extend(out.notes);
    let mapped = out.mapped;
    inv.resources = mapping::fold_all(mapped, &mut inv.notes)
        .into_iter()
        .map(|m| m.res)
        .collect();
    inv
}
