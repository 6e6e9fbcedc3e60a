//! CloudFormation and SAM templates → canonical resources.
//!
//! A batch of templates is read in three steps, so that `Fn::ImportValue` resolves across
//! every template of one [`read_templates`] call and nested stacks see their parent's values:
//!
//! 1. load (in parallel): parse each template with line numbers ([`node`]), expand SAM
//!    ([`sam`]), and load the local templates of nested stacks ([`nested`]);
//! 2. outputs (in order, parents first): parameters, each stack's outputs and exports, and the
//!    parameters each parent passes to its nested stacks;
//! 3. resources (in parallel): properties evaluated ([`intrinsics`]), references to resources
//!    kept as `Value::Ref` of their provisional ids (`TYPE::stack/LogicalId`, or the CDK
//!    construct path).
//!
//! What does not stop a template from being mapped (a dangling `Ref`, an unknown type, a
//! dependency cycle, a transform we do not apply) is a warning note with file and line; only a
//! template that cannot be parsed is an error.

mod intrinsics;
mod nested;
mod node;
mod sam;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use surveyor_model::{SortedMap, ValueMap};

use rayon::prelude::*;
use surveyor_model::registry::{self, PhysicalId};
use surveyor_model::{
    Inventory, Note, Provenance, Resource, ResourceId, Source, SourceKind, Stack, StackRef, Value,
};

use crate::{CodeError, CodeOptions};
use intrinsics::{scalar_string, Ctx, Export, Target, Targets};
use nested::Unit;
pub use node::{Entry, Node, N};

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
    opts: &CodeOptions,
) -> Result<Inventory, CodeError> {
    let inputs = distinct_stack_names(inputs);
    // 1. Load, in parallel; the first error in input order wins so runs are reproducible.
    let loaded: Vec<Result<Vec<Unit>, CodeError>> = inputs
        .into_par_iter()
        .map(|input| nested::load_tree(input, base))
        .collect();
    let mut units = Vec::new();
    for l in loaded {
        let mut tree = l?;
        let offset = units.len();
        for u in &mut tree {
            u.shift(offset);
        }
        units.extend(tree);
    }
    Ok(map_units(units, opts))
}

/// Templates read directly are named after their file, and SAM apps very often all call theirs
/// `template.yaml`: take the deployed name from `samconfig.toml` where there is one, else tell
/// same-named stacks apart by their folder, so their resources do not share ids.
fn distinct_stack_names(mut inputs: Vec<TemplateInput>) -> Vec<TemplateInput> {
    for input in &mut inputs {
        if input.source_kind != SourceKind::Cloudformation {
            continue;
        }
        let config = input.path.with_file_name("samconfig.toml");
        if let Some(name) = std::fs::read_to_string(config)
            .ok()
            .and_then(|t| samconfig_stack_name(&t))
        {
            input.stack_name = name;
        }
    }
    let mut seen: HashMap<String, usize> = HashMap::new();
    for input in &inputs {
        *seen.entry(input.stack_name.clone()).or_default() += 1;
    }
    for input in &mut inputs {
        if input.source_kind != SourceKind::Cloudformation
            || seen.get(&input.stack_name).copied().unwrap_or(0) < 2
        {
            continue;
        }
        let folder = input
            .path
            .parent()
            .and_then(Path::file_name)
            .map(|f| f.to_string_lossy().into_owned());
        if let Some(folder) = folder {
            input.stack_name = format!("{folder}-{}", input.stack_name);
        }
    }
    inputs
}

/// `stack_name = "…"` from a SAM CLI config (the first environment that sets one).
fn samconfig_stack_name(text: &str) -> Option<String> {
    text.lines().find_map(|l| {
        let (k, v) = l.split_once('=')?;
        (k.trim() == "stack_name")
            .then(|| v.trim().trim_matches('"').trim_matches('\'').to_string())
            .filter(|v| !v.is_empty())
    })
}

/// Parse and map one template held in memory (no nested stacks are loaded): the entry the
/// fuzzer drives, and a convenient one for tests.
pub fn parse_template_str(text: &str, path: &Path) -> Result<Inventory, CodeError> {
    let input = TemplateInput::file(path, Path::new(""));
    let unit = nested::unit_from_text(input, text, path.to_string_lossy().into_owned())?;
    Ok(map_units(vec![unit], &CodeOptions::default()))
}

/// A stack's evaluated parameters and outputs (step 2).
#[derive(Default)]
struct Evaluated {
    params: HashMap<String, Value>,
    outputs: ValueMap,
    exports: Vec<(String, Value)>,
    notes: Vec<Note>,
}

fn map_units(mut units: Vec<Unit>, opts: &CodeOptions) -> Inventory {
    // 2. Parameters and outputs, parents before children (load order guarantees it).
    let no_exports = HashMap::new();
    let all_targets: Vec<Targets> = units.par_iter().map(targets).collect();
    let mut evaluated: Vec<Evaluated> = Vec::with_capacity(units.len());
    let mut passed: HashMap<usize, HashMap<String, Value>> = HashMap::new();
    for (i, unit) in units.iter().enumerate() {
        let from_parent = passed.remove(&i).unwrap_or_default();
        let params = parameters(unit, opts, from_parent);
        let ctx = context(unit, &all_targets[i], params, &no_exports, &[], &evaluated);
        let mut ev = Evaluated::default();
        for out in unit.root.get("Outputs").map(Node::entries).unwrap_or(&[]) {
            if let Some(c) = out.value.get("Condition").and_then(Node::as_str) {
                if ctx.condition(c, out.line) == Some(false) {
                    continue;
                }
            }
            let Some(v) = out.value.get("Value").and_then(|v| ctx.eval(v)) else {
                continue;
            };
            if let Some(name) = out.value.get("Export").and_then(|e| e.get("Name")) {
                match ctx.eval(name) {
                    Some(Value::String(n)) => ev.exports.push((n, v.clone())),
                    _ => ctx.info(
                        out.line,
                        format!("output {}: its export name cannot be resolved", out.key),
                    ),
                }
            }
            ev.outputs.insert(out.key.clone(), v);
        }
        for (logical, child) in &unit.children {
            let Some(res) = unit.resources().iter().find(|e| &e.key == logical) else {
                continue;
            };
            let mut values = HashMap::new();
            for p in res
                .value
                .get("Properties")
                .and_then(|p| p.get("Parameters"))
                .map(Node::entries)
                .unwrap_or(&[])
            {
                if let Some(v) = ctx.eval(&p.value) {
                    values.insert(p.key.clone(), v);
                }
            }
            passed.insert(*child, values);
        }
        ev.notes = ctx.notes.take();
        ev.params = ctx.params;
        evaluated.push(ev);
    }
    let mut exports: HashMap<String, Export> = HashMap::new();
    for (unit, ev) in units.iter().zip(&evaluated) {
        for (name, value) in &ev.exports {
            exports.entry(name.clone()).or_insert_with(|| Export {
                value: value.clone(),
                stack: unit.input.stack_name.clone(),
            });
        }
    }

    let stack_outputs: HashMap<&str, &ValueMap> = units
        .iter()
        .zip(&evaluated)
        .map(|(u, ev)| (u.input.stack_name.as_str(), &ev.outputs))
        .collect();

    // 3. Resources, in parallel.
    let results: Vec<(Vec<Resource>, Vec<Note>, BTreeSet<String>)> = units
        .par_iter()
        .enumerate()
        .map(|(i, unit)| {
            let params = evaluated[i].params.clone();
            let mut ctx = context(
                unit,
                &all_targets[i],
                params,
                &exports,
                &unit.children,
                &evaluated,
            );
            ctx.stack_outputs = stack_outputs.clone();
            let resources = map_resources(unit, &ctx);
            let notes = ctx.notes.take();
            (resources, notes, ctx.imports.take())
        })
        .collect();

    let mut inv = Inventory::default();
    for (i, ((resources, notes, imports), ev)) in results.into_iter().zip(evaluated).enumerate() {
        let unit = &mut units[i];
        inv.notes.append(&mut unit.notes);
        inv.notes.extend(ev.notes);
        inv.notes.extend(notes);
        let input = &unit.input;
        if let Some(a) = &input.account {
            inv.account.get_or_insert_with(|| a.clone());
        }
        if let Some(r) = &input.region {
            if !inv.regions.contains(r) {
                inv.regions.push(r.clone());
            }
        }
        if input.source_kind == SourceKind::Cloudformation {
            inv.stacks.push(Stack {
                name: input.stack_name.clone(),
                source_kind: SourceKind::Cloudformation,
                path: unit.rel.clone(),
                account: input.account.clone(),
                region: input.region.clone(),
                depends_on: imports.into_iter().collect(),
                resources: resources.len(),
                ..Default::default()
            });
            inv.sources.push(Source {
                kind: SourceKind::Cloudformation,
                path: unit.rel.clone(),
                resources: resources.len(),
            });
        }
        inv.resources.extend(resources);
    }
    inv
}

/// Parameter values: what a parent passes, then `--param`, then the input's, then defaults.
fn parameters(
    unit: &Unit,
    opts: &CodeOptions,
    mut from_parent: HashMap<String, Value>,
) -> HashMap<String, Value> {
    let mut out = HashMap::new();
    for p in unit
        .root
        .get("Parameters")
        .map(Node::entries)
        .unwrap_or(&[])
    {
        let ty = p
            .value
            .get("Type")
            .and_then(Node::as_str)
            .unwrap_or("String");
        let given = from_parent.remove(&p.key).or_else(|| {
            opts.params
                .get(&p.key)
                .or_else(|| unit.input.parameters.get(&p.key))
                .map(|s| Value::str(s.as_str()))
        });
        let value = match given {
            Some(v) => v,
            None => match p.value.get("Default") {
                Some(d) => match &d.v {
                    N::List(l) => Value::List(
                        l.iter()
                            .filter_map(Node::scalar_text)
                            .map(Value::String)
                            .collect(),
                    ),
                    _ => match d.scalar_text() {
                        Some(s) => Value::String(s),
                        None => Value::Unresolved(format!("${{{}}}", p.key)),
                    },
                },
                None => Value::Unresolved(format!("${{{}}}", p.key)),
            },
        };
        let value = match value {
            Value::String(s) if ty.starts_with("AWS::SSM::Parameter::Value") => {
                Value::Unresolved(format!("{{{{resolve:ssm:{s}}}}}"))
            }
            Value::String(s) if ty == "CommaDelimitedList" || ty.starts_with("List<") => {
                Value::List(s.split(',').map(|x| Value::str(x.trim())).collect())
            }
            v => v,
        };
        out.insert(p.key.clone(), value);
    }
    out
}

fn targets(unit: &Unit) -> Targets {
    Targets::new(
        unit.resources()
            .iter()
            .map(|e| {
                let ty = e
                    .value
                    .get("Type")
                    .and_then(Node::as_str)
                    .unwrap_or("Unknown");
                (
                    e.key.clone(),
                    Target {
                        id: ResourceId::of(ty, &address(unit, &e.key, &e.value)),
                    },
                )
            })
            .collect(),
    )
}

fn context<'a>(
    unit: &'a Unit,
    targets: &'a Targets,
    params: HashMap<String, Value>,
    exports: &'a HashMap<String, Export>,
    children: &[(String, usize)],
    evaluated: &'a [Evaluated],
) -> Ctx<'a> {
    let input = &unit.input;
    let mut ctx = Ctx::new(
        &unit.rel,
        &input.stack_name,
        input.account.as_deref(),
        input.region.as_deref(),
        &unit.root,
        params,
        targets,
        exports,
    );
    for (logical, child) in children {
        if let Some(ev) = evaluated.get(*child) {
            ctx.child_outputs.insert(logical.clone(), &ev.outputs);
        }
    }
    ctx
}

/// A resource's code address: the CDK construct path where known, else `stack/LogicalId`.
fn address(unit: &Unit, logical: &str, body: &Node) -> String {
    if let Some(a) = unit
        .input
        .sites
        .get(logical)
        .and_then(|s| s.address.clone())
    {
        return a;
    }
    if unit.input.source_kind == SourceKind::Cdk {
        if let Some(p) = body
            .get("Metadata")
            .and_then(|m| m.get("aws:cdk:path"))
            .and_then(Node::as_str)
        {
            return p.to_string();
        }
    }
    format!("{}/{}", unit.input.stack_name, logical)
}

/// Looks like a resource type CloudFormation could know: `Org::Service::Resource` or `Custom::X`.
fn plausible_type(t: &str) -> bool {
    if let Some(rest) = t.strip_prefix("Custom::") {
        return !rest.is_empty();
    }
    let parts: Vec<&str> = t.split("::").collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
}

fn map_resources(unit: &Unit, ctx: &Ctx) -> Vec<Resource> {
    let input = &unit.input;
    let mut out = Vec::new();
    for e in unit.resources() {
        let (logical, line, body) = (&e.key, e.line, &e.value);
        let Some(ty) = body.get("Type").and_then(Node::as_str) else {
            let why = match body.get("Type") {
                Some(t) => format!(
                    "its Type is {} (a module or macro this reader does not expand)",
                    intrinsics::render(t)
                ),
                None => "it has no Type".to_string(),
            };
            ctx.warn(line, format!("resource {logical} is left out: {why}"));
            continue;
        };
        if !plausible_type(ty) {
            ctx.warn(
                line,
                format!("resource {logical}: {ty} is not a CloudFormation resource type"),
            );
        } else if ty.starts_with("AWS::Serverless::") {
            // SAM leftovers (a type the expansion does not cover) are already noted by sam.
        } else if !ty.starts_with("Custom::")
            && registry::lookup(ty).is_none()
            && !ty.starts_with("AWS::")
            && !ty.starts_with("Alexa::")
        {
            ctx.info(
                line,
                format!("resource {logical}: {ty} is a third-party type"),
            );
        }
        if let Some(c) = body.get("Condition") {
            let name = c.scalar_text().unwrap_or_default();
            if ctx.condition(&name, c.line) == Some(false) {
                ctx.info(
                    line,
                    format!("resource {logical} is left out: its condition {name} is false"),
                );
                continue;
            }
        }
        let attributes = match body.get("Properties").and_then(|p| ctx.eval(p)) {
            Some(Value::Map(m)) => m,
            Some(Value::Null) | None => ValueMap::new(),
            Some(other) => {
                ctx.warn(
                    line,
                    format!("resource {logical}: Properties is not a mapping"),
                );
                ValueMap::from([("Properties".to_string(), other)])
            }
        };
        let addr = address(unit, logical, body);
        let mut r = Resource::new(ResourceId::of(ty, &addr), ty);
        r.in_code = true;
        r.region = input.region.clone();
        r.account = input.account.clone();
        r.tags = tags(attributes.get("Tags"));
        let info = registry::lookup(ty);
        r.name = info
            .and_then(|i| i.name_property)
            .and_then(|p| attributes.get(p))
            .and_then(Value::as_str)
            .map(str::to_string);
        if let (Some(info), Some(name)) = (info, r.name.as_deref()) {
            let tpl = info.arn.unwrap_or("");
            let region = input.region.as_deref().filter(|_| tpl.contains("{region}"));
            let account = input
                .account
                .as_deref()
                .filter(|_| tpl.contains("{account}"));
            let region_ok = region.is_some() || !tpl.contains("{region}");
            let account_ok = account.is_some() || !tpl.contains("{account}");
            if region_ok && account_ok {
                r.arn = info.arn_for(
                    name,
                    ctx.partition(),
                    region.unwrap_or(""),
                    account.unwrap_or(""),
                );
            }
            r.physical_id = match info.physical_id {
                PhysicalId::Name => Some(name.to_string()),
                PhysicalId::Arn => r.arn.clone(),
                _ => None,
            };
        }
        r.attributes = attributes;
        let site = input.sites.get(logical.as_str());
        r.code = Some(Provenance {
            file: site
                .map(|s| s.file.clone())
                .unwrap_or_else(|| unit.rel.clone()),
            line: site.map(|s| s.line).unwrap_or(line),
            address: Some(addr),
            stack: Some(input.stack_name.clone()),
            source_kind: input.source_kind,
            logical_id: Some(logical.clone()),
            template: site.map(|_| unit.rel.clone()),
            template_line: site.map(|_| line),
            module: Vec::new(),
        });
        r.stack = Some(StackRef {
            name: input.stack_name.clone(),
            logical_id: logical.clone(),
        });
        out.push(r);
    }
    cycles(unit, ctx);
    out
}

/// `Tags` as a list of `{Key, Value}` or as a mapping (SAM, some resource types).
fn tags(v: Option<&Value>) -> SortedMap<String, String> {
    let mut out = SortedMap::new();
    match v {
        Some(Value::List(l)) => {
            for t in l {
                if let (Some(k), Some(v)) = (
                    t.pointer("Key").and_then(scalar_string),
                    t.pointer("Value").and_then(scalar_string),
                ) {
                    out.insert(k, v);
                }
            }
        }
        Some(Value::Map(m)) => {
            for (k, v) in m {
                if let Some(v) = scalar_string(v) {
                    out.insert(k.clone(), v);
                }
            }
        }
        _ => {}
    }
    out
}

/// Logical ids a node refers to (`Ref`, `Fn::GetAtt`, `${X}` in `Fn::Sub`).
fn referenced(n: &Node, out: &mut BTreeSet<String>, depth: usize) {
    if depth > node::MAX_DEPTH {
        return;
    }
    if let Some((f, arg)) = n.intrinsic() {
        match f {
            "Ref" => {
                if let Some(s) = arg.as_str() {
                    out.insert(s.to_string());
                }
            }
            "Fn::GetAtt" => {
                if let Some(s) = arg.as_str().and_then(|s| s.split('.').next()) {
                    out.insert(s.to_string());
                } else if let Some(s) = arg.items().first().and_then(Node::as_str) {
                    out.insert(s.to_string());
                }
            }
            "Fn::Sub" => {
                let text = arg
                    .as_str()
                    .or_else(|| arg.items().first().and_then(Node::as_str))
                    .unwrap_or("");
                let mut rest = text;
                while let Some(i) = rest.find("${") {
                    let after = &rest[i + 2..];
                    let Some(end) = after.find('}') else { break };
                    let name = &after[..end];
                    if !name.starts_with('!') {
                        out.insert(name.split('.').next().unwrap_or(name).to_string());
                    }
                    rest = &after[end + 1..];
                }
            }
            _ => {}
        }
    }
    match &n.v {
        N::List(l) => l.iter().for_each(|x| referenced(x, out, depth + 1)),
        N::Map(m) => m.iter().for_each(|e| referenced(&e.value, out, depth + 1)),
        _ => {}
    }
}

/// Warn about resources that depend on each other in a circle (CloudFormation refuses them).
fn cycles(unit: &Unit, ctx: &Ctx) {
    let res = unit.resources();
    let index: HashMap<&str, usize> = res
        .iter()
        .enumerate()
        .map(|(i, e)| (e.key.as_str(), i))
        .collect();
    let mut deps: Vec<BTreeSet<usize>> = Vec::with_capacity(res.len());
    for e in res {
        let mut names = BTreeSet::new();
        if let Some(p) = e.value.get("Properties") {
            referenced(p, &mut names, 0);
        }
        if let Some(d) = e.value.get("DependsOn") {
            match &d.v {
                N::Str(s) => {
                    names.insert(s.clone());
                }
                N::List(l) => names.extend(l.iter().filter_map(|x| x.as_str().map(str::to_string))),
                _ => {}
            }
        }
        deps.push(
            names
                .iter()
                .filter_map(|n| index.get(n.as_str()).copied())
                .collect(),
        );
    }
    // Kahn: whatever cannot be ordered sits on (or behind) a cycle.
    let mut indegree = vec![0usize; res.len()];
    let mut users: Vec<Vec<usize>> = vec![Vec::new(); res.len()];
    for (i, d) in deps.iter().enumerate() {
        for &j in d {
            indegree[i] += 1;
            users[j].push(i);
        }
    }
    let mut ready: Vec<usize> = (0..res.len()).filter(|&i| indegree[i] == 0).collect();
    let mut done = 0;
    while let Some(j) = ready.pop() {
        done += 1;
        for &i in &users[j] {
            indegree[i] -= 1;
            if indegree[i] == 0 {
                ready.push(i);
            }
        }
    }
    if done < res.len() {
        let stuck: Vec<&str> = (0..res.len())
            .filter(|&i| indegree[i] > 0)
            .map(|i| res[i].key.as_str())
            .collect();
        let first = (0..res.len())
            .find(|&i| indegree[i] > 0)
            .map(|i| res[i].line);
        let shown: Vec<&str> = stuck.iter().take(6).copied().collect();
        ctx.warn(
            first.unwrap_or(1),
            format!(
                "resources {}{} depend on each other in a cycle",
                shown.join(", "),
                if stuck.len() > shown.len() {
                    ", …"
                } else {
                    ""
                }
            ),
        );
    }
}

#[cfg(test)]
mod tests;
