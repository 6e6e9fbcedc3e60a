//! Module instances: a root module or a module call evaluated with its inputs, its `count` /
//! `for_each` expanded into instances with Terraform's addresses, and its child modules (local
//! sources and those `terraform init` installed) evaluated on demand when an output is read.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::{Arc, Mutex};
use surveyor_model::ValueMap;

use super::ast::{Block, Body, Expr as Expression, Item};
use surveyor_model::{Note, Value};

use super::eval::{as_string, Eval, Scope};
use super::funcs::normalize;
use super::hcl::{parse_dirs, ParsedModule};
use super::mapping;

/// Modules calling modules deeper than this are taken to recurse.
const MAX_MODULE_DEPTH: usize = 24;
/// `count` larger than this is taken as a mistake, not expanded.
const MAX_COUNT: i64 = 100_000;

/// A resource instance as Terraform sees it, before mapping.
#[derive(Debug, Clone)]
pub struct RawResource {
    pub tf_type: String,
    pub address: String,
    pub file: Arc<str>,
    pub line: u32,
    pub module: Vec<String>,
    /// Declared with `provider = aws.<alias>`: the default provider's `default_tags` do not apply.
    pub aliased_provider: bool,
    pub attrs: ValueMap,
}

/// Parsed folders, shared by every root and instance (a module used twice is parsed once).
#[derive(Default)]
pub struct Loader {
    pub base: PathBuf,
    cache: Mutex<HashMap<PathBuf, Arc<ParsedModule>>>,
}

impl Loader {
    pub fn new(base: &Path, parsed: Vec<ParsedModule>) -> Self {
        let cache = parsed
            .into_iter()
            .map(|m| (normalize(&m.dir), Arc::new(m)))
            .collect();
        Loader {
            base: base.to_path_buf(),
            cache: Mutex::new(cache),
        }
    }

    /// The parsed module in `dir`, parsing it now if it was not among the folders walked.
    pub fn get(&self, dir: &Path) -> Option<Arc<ParsedModule>> {
        let key = normalize(dir);
        if let Ok(c) = self.cache.lock() {
            if let Some(m) = c.get(&key) {
                return Some(m.clone());
            }
        }
        if !key.is_dir() {
            return None;
        }
        let parsed = parse_dirs(std::slice::from_ref(&key), &self.base)
            .into_iter()
            .next()?;
        let m = Arc::new(parsed);
        if let Ok(mut c) = self.cache.lock() {
            c.entry(key).or_insert_with(|| m.clone());
        }
        Some(m)
    }

    /// Forget the module in `dir` (asked for again, it is parsed again).
    pub fn release(&self, dir: &Path) -> Option<Arc<ParsedModule>> {
        self.cache.lock().ok()?.remove(&normalize(dir))
    }

    pub fn all(&self) -> Vec<Arc<ParsedModule>> {
        let mut v: Vec<_> = self
            .cache
            .lock()
            .map(|c| c.values().cloned().collect())
            .unwrap_or_default();
        v.sort_by(|a, b| a.dir.cmp(&b.dir));
        v
    }
}

/// One root module's evaluation: where its resources and notes are gathered.
pub struct Run<'a> {
    pub loader: &'a Loader,
    pub root_dir: PathBuf,
    /// `.terraform/modules/modules.json`: module key (`a.b`) → installed folder.
    pub installed: HashMap<String, PathBuf>,
    pub out: RefCell<Vec<RawResource>>,
    pub notes: RefCell<Vec<Note>>,
}

impl<'a> Run<'a> {
    pub fn new(loader: &'a Loader, root_dir: &Path) -> Self {
        Run {
            loader,
            root_dir: root_dir.to_path_buf(),
            installed: read_modules_json(root_dir),
            out: RefCell::new(Vec::new()),
            notes: RefCell::new(Vec::new()),
        }
    }
}

/// `terraform init` records where it put each module call.
pub fn read_modules_json(root: &Path) -> HashMap<String, PathBuf> {
    let path = root.join(".terraform/modules/modules.json");
    let Ok(text) = std::fs::read_to_string(&path) else {
        return HashMap::new();
    };
    let Ok(v) = serde_json::from_str::<serde_json::Value>(&text) else {
        return HashMap::new();
    };
    v.get("Modules")
        .and_then(|m| m.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|m| {
                    let key = m.get("Key")?.as_str()?;
                    let dir = m.get("Dir")?.as_str()?;
                    (!key.is_empty()).then(|| (key.to_string(), root.join(dir)))
                })
                .collect()
        })
        .unwrap_or_default()
}

#[derive(Debug, Clone)]
enum Keys {
    Single,
    Count(i64),
    /// Shared: the keys are read on every reference to the resource.
    Each(std::rc::Rc<Vec<(String, Value)>>),
    Unknown,
}

/// A module instance: its declarations, input values and memoised results.
pub struct Instance<'r, 'a> {
    run: &'r Run<'a>,
    m: Arc<ParsedModule>,
    /// Address prefix of everything inside (`module.q["jobs"].`), empty at the root.
    prefix: String,
    chain: Vec<String>,
    /// Module call names from the root, for `modules.json` keys.
    keys: Vec<String>,
    vars: HashMap<String, Rc<Value>>,
    path_module: String,
    res_index: HashMap<String, usize>,
    res_keys: RefCell<HashMap<usize, Keys>>,
    locals: RefCell<HashMap<String, Rc<Value>>>,
    locals_busy: RefCell<HashSet<String>>,
    local_index: HashMap<String, usize>,
    modules: RefCell<HashMap<String, Rc<Value>>>,
    modules_busy: RefCell<HashSet<String>>,
}

/// Evaluates constant expressions (variable defaults, tfvars): nothing to refer to.
pub struct ConstScope<'p> {
    pub root: &'p Path,
    pub notes: &'p RefCell<Vec<Note>>,
}

impl Scope for ConstScope<'_> {
    fn var(&self, name: &str) -> Rc<Value> {
        Rc::new(Value::Unresolved(format!("var.{name}")))
    }
    fn local(&self, name: &str) -> Rc<Value> {
        Rc::new(Value::Unresolved(format!("local.{name}")))
    }
    fn module(&self, name: &str) -> Rc<Value> {
        Rc::new(Value::Unresolved(format!("module.{name}")))
    }
    fn resource(&self, _: &str, _: &str) -> Option<Value> {
        None
    }
    fn path_module(&self) -> String {
        ".".into()
    }
    fn root_dir(&self) -> &Path {
        self.root
    }
    fn note(&self, note: Note) {
        self.notes.borrow_mut().push(note);
    }
}

/// Bind `count.index` and `each.key`/`each.value` for one instance; how many were bound.
fn bind_instance(ev: &mut Eval<'_>, count: Option<usize>, each: Option<&(String, Value)>) -> usize {
    let mut n = 0;
    if let Some(c) = count {
        ev.bind(
            "count",
            Value::Map(ValueMap::from([(
                "index".to_string(),
                Value::int(c as i64),
            )])),
        );
        n += 1;
    }
    if let Some((k, v)) = each {
        ev.bind(
            "each",
            Value::Map(ValueMap::from([
                ("key".to_string(), Value::String(k.clone())),
                ("value".to_string(), v.clone()),
            ])),
        );
        n += 1;
    }
    n
}

fn index_suffix(k: &Keys, i: usize, each: Option<&(String, Value)>) -> String {
    match k {
        Keys::Count(_) => format!("[{i}]"),
        Keys::Each(_) => match each {
            Some((key, _)) => format!("[{}]", serde_json::to_string(key).unwrap_or_default()),
            None => String::new(),
        },
        _ => String::new(),
    }
}

impl<'r, 'a> Instance<'r, 'a> {
    pub fn new(
        run: &'r Run<'a>,
        m: Arc<ParsedModule>,
        prefix: String,
        chain: Vec<String>,
        keys: Vec<String>,
        vars: HashMap<String, Value>,
    ) -> Self {
        let path_module = match m.dir.strip_prefix(&run.root_dir) {
            Ok(p) if p.as_os_str().is_empty() => ".".to_string(),
            Ok(p) => p.to_string_lossy().replace('\\', "/"),
            Err(_) => m.dir.to_string_lossy().into_owned(),
        };
        let res_index = m
            .resources
            .iter()
            .enumerate()
            .map(|(i, r)| (format!("{}.{}", r.tf_type, r.name), i))
            .collect();
        let local_index = m
            .locals
            .iter()
            .enumerate()
            .map(|(i, l)| (l.name.clone(), i))
            .collect();
        Instance {
            run,
            m,
            prefix,
            chain,
            keys,
            vars: vars.into_iter().map(|(k, v)| (k, Rc::new(v))).collect(),
            path_module,
            res_index,
            res_keys: RefCell::new(HashMap::new()),
            locals: RefCell::new(HashMap::new()),
            locals_busy: RefCell::new(HashSet::new()),
            local_index,
            modules: RefCell::new(HashMap::new()),
            modules_busy: RefCell::new(HashSet::new()),
        }
    }

    fn where_(&self) -> String {
        if self.prefix.is_empty() {
            String::new()
        } else {
            format!("{}: ", self.prefix.trim_end_matches('.'))
        }
    }

    /// Evaluate everything: resources, module calls, then outputs (returned).
    pub fn evaluate(&self) -> ValueMap {
        for i in 0..self.m.resources.len() {
            self.emit_resource(i);
        }
        for md in &self.m.modules {
            let _ = self.module(&md.name);
        }
        let mut outs = ValueMap::new();
        for o in &self.m.outputs {
            let v = match &o.expr {
                Some(e) => Eval::new(self, o.file.clone(), o.line).expr(e),
                None => Value::Null,
            };
            outs.insert(o.name.clone(), v);
        }
        outs
    }

    fn expand(
        &self,
        count: Option<&Expression>,
        for_each: Option<&Expression>,
        file: &Arc<str>,
        line: u32,
        what: &str,
    ) -> Keys {
        if let Some(c) = count {
            let v = Eval::new(self, file.clone(), line).expr(c);
            return match v.as_i64() {
                Some(n) if (0..=MAX_COUNT).contains(&n) => Keys::Count(n),
                _ => {
                    self.note(
                        Note::info(format!(
                            "{}{what}: `count = {}` cannot be known without running Terraform; mapped as one instance",
                            self.where_(),
                            super::eval::text(c)
                        ))
                        .at(file.to_string(), Some(line)),
                    );
                    Keys::Unknown
                }
            };
        }
        if let Some(fe) = for_each {
            let v = Eval::new(self, file.clone(), line).expr(fe);
            return match v {
                Value::Map(m) => Keys::Each(std::rc::Rc::new(m.into_iter().collect())),
                Value::List(l) if l.iter().all(|x| as_string(x).is_some()) => {
                    Keys::Each(std::rc::Rc::new(
                        l.into_iter()
                            .map(|x| (as_string(&x).unwrap_or_default(), x))
                            .collect(),
                    ))
                }
                _ => {
                    self.note(
                        Note::info(format!(
                            "{}{what}: `for_each = {}` cannot be known without running Terraform; mapped as one instance",
                            self.where_(),
                            super::eval::text(fe)
                        ))
                        .at(file.to_string(), Some(line)),
                    );
                    Keys::Unknown
                }
            };
        }
        Keys::Single
    }

    fn keys_of(&self, i: usize) -> Keys {
        if let Some(k) = self.res_keys.borrow().get(&i) {
            return k.clone();
        }
        let Some(d) = self.m.resources.get(i) else {
            return Keys::Unknown;
        };
        let what = format!("{}.{}", d.tf_type, d.name);
        let k = self.expand(
            d.count.as_ref(),
            d.for_each.as_ref(),
            &d.file,
            d.line,
            &what,
        );
        self.res_keys.borrow_mut().insert(i, k.clone());
        k
    }

    fn emit_resource(&self, i: usize) {
        let Some(d) = self.m.resources.get(i) else {
            return;
        };
        let keys = self.keys_of(i);
        let base = format!("{}{}.{}", self.prefix, d.tf_type, d.name);
        let emit = |suffix: String, count: Option<usize>, each: Option<&(String, Value)>| {
            let mut ev = Eval::new(self, d.file.clone(), d.line);
            let n = bind_instance(&mut ev, count, each);
            let attrs = eval_body(&mut ev, &d.body);
            ev.unbind(n);
            self.run.out.borrow_mut().push(RawResource {
                tf_type: d.tf_type.clone(),
                address: format!("{base}{suffix}"),
                file: d.file.clone(),
                line: d.line,
                module: self.chain.clone(),
                aliased_provider: d.aliased_provider,
                attrs,
            });
        };
        match &keys {
            Keys::Single | Keys::Unknown => emit(String::new(), None, None),
            Keys::Count(c) => {
                for j in 0..*c as usize {
                    emit(index_suffix(&keys, j, None), Some(j), None);
                }
            }
            Keys::Each(items) => {
                for it in items.iter() {
                    emit(index_suffix(&keys, 0, Some(it)), None, Some(it));
                }
            }
        }
    }

    fn call_module(&self, name: &str) -> Value {
        let Some(md) = self.m.modules.iter().find(|m| m.name == name) else {
            return Value::Unresolved(format!("module.{name}"));
        };
        if self.chain.len() >= MAX_MODULE_DEPTH {
            self.note(
                Note::warning(format!(
                    "{}module.{name}: modules nest too deeply (recursive source?)",
                    self.where_()
                ))
                .at(md.file.to_string(), Some(md.line)),
            );
            return Value::Unresolved(format!("module.{name}"));
        }
        let mut keys = self.keys.clone();
        keys.push(name.to_string());
        let source = md.source.clone().unwrap_or_default();
        let dir = if source.starts_with("./") || source.starts_with("../") {
            Some(normalize(&self.m.dir.join(&source)))
        } else {
            self.run.installed.get(&keys.join(".")).cloned()
        };
        let Some(child) = dir.as_deref().and_then(|d| self.run.loader.get(d)) else {
            let msg = if source.starts_with("./") || source.starts_with("../") {
                format!("{}module.{name}: local source `{source}` not found; its resources are not mapped", self.where_())
            } else {
                format!("{}module.{name}: source `{source}` is not installed (run `terraform init`); its resources are not mapped", self.where_())
            };
            self.note(Note::info(msg).at(md.file.to_string(), Some(md.line)));
            return Value::Unresolved(format!("module.{name}"));
        };
        let what = format!("module.{name}");
        // Terraform refuses an argument the module has no variable for (once per call, not
        // per instance).
        for (k, _) in &md.inputs {
            if !child.variables.iter().any(|v| &v.name == k) {
                self.note(
                    Note::warning(format!(
                        "{}{what}: the module has no variable `{k}`; the argument is ignored",
                        self.where_(),
                    ))
                    .at(md.file.to_string(), Some(md.line)),
                );
            }
        }
        let k = self.expand(
            md.count.as_ref(),
            md.for_each.as_ref(),
            &md.file,
            md.line,
            &what,
        );
        let run_one = |suffix: String,
                       count: Option<usize>,
                       each: Option<&(String, Value)>|
         -> Value {
            let mut ev = Eval::new(self, md.file.clone(), md.line);
            bind_instance(&mut ev, count, each);
            let inputs: HashMap<&str, Value> = md
                .inputs
                .iter()
                .map(|(k, e)| (k.as_str(), ev.expr(e)))
                .collect();
            let call = format!("module.{name}{suffix}");
            let mut vars = HashMap::new();
            let cs = ConstScope {
                root: &self.run.root_dir,
                notes: &self.run.notes,
            };
            for v in &child.variables {
                let val = match inputs.get(v.name.as_str()) {
                    Some(x) => x.clone(),
                    None => match &v.expr {
                        Some(d) => Eval::new(&cs, v.file.clone(), v.line).expr(d),
                        None => {
                            self.note(
                                Note::warning(format!(
                                    "{}{call}: variable `{}` has no value (not passed, no default)",
                                    self.where_(),
                                    v.name
                                ))
                                .at(md.file.to_string(), Some(md.line)),
                            );
                            Value::Unresolved(format!("var.{}", v.name))
                        }
                    },
                };
                let val = match &v.ty {
                    Some(t) => {
                        with_type_defaults(&mut Eval::new(&cs, v.file.clone(), v.line), t, val, 0)
                    }
                    None => val,
                };
                vars.insert(v.name.clone(), val);
            }
            let mut chain = self.chain.clone();
            chain.push(call.clone());
            let inst = Instance::new(
                self.run,
                child.clone(),
                format!("{}{call}.", self.prefix),
                chain,
                keys.clone(),
                vars,
            );
            Value::Map(inst.evaluate())
        };
        match &k {
            Keys::Single | Keys::Unknown => run_one(String::new(), None, None),
            Keys::Count(c) => Value::List(
                (0..*c as usize)
                    .map(|j| run_one(index_suffix(&k, j, None), Some(j), None))
                    .collect(),
            ),
            Keys::Each(items) => Value::Map(
                items
                    .iter()
                    .map(|it| {
                        (
                            it.0.clone(),
                            run_one(index_suffix(&k, 0, Some(it)), None, Some(it)),
                        )
                    })
                    .collect(),
            ),
        }
    }
}

impl Scope for Instance<'_, '_> {
    fn declares_var(&self, name: &str) -> bool {
        self.vars.contains_key(name)
    }

    fn var(&self, name: &str) -> Rc<Value> {
        self.vars
            .get(name)
            .cloned()
            .unwrap_or_else(|| Rc::new(Value::Unresolved(format!("var.{name}"))))
    }

    fn local(&self, name: &str) -> Rc<Value> {
        if let Some(v) = self.locals.borrow().get(name) {
            return v.clone();
        }
        let Some(decl) = self
            .local_index
            .get(name)
            .and_then(|i| self.m.locals.get(*i))
        else {
            return Rc::new(Value::Unresolved(format!("local.{name}")));
        };
        if !self.locals_busy.borrow_mut().insert(name.to_string()) {
            self.note(
                Note::warning(format!(
                    "{}local.{name} refers to itself (a cycle); left unresolved",
                    self.where_()
                ))
                .at(decl.file.to_string(), Some(decl.line)),
            );
            return Rc::new(Value::Unresolved(format!("local.{name}")));
        }
        let v = Rc::new(match &decl.expr {
            Some(e) => Eval::new(self, decl.file.clone(), decl.line).expr(e),
            None => Value::Null,
        });
        self.locals_busy.borrow_mut().remove(name);
        self.locals.borrow_mut().insert(name.to_string(), v.clone());
        v
    }

    fn module(&self, name: &str) -> Rc<Value> {
        if let Some(v) = self.modules.borrow().get(name) {
            return v.clone();
        }
        if !self.modules_busy.borrow_mut().insert(name.to_string()) {
            return Rc::new(Value::Unresolved(format!("module.{name}")));
        }
        let v = Rc::new(self.call_module(name));
        self.modules_busy.borrow_mut().remove(name);
        self.modules
            .borrow_mut()
            .insert(name.to_string(), v.clone());
        v
    }

    fn resource(&self, ty: &str, name: &str) -> Option<Value> {
        let i = *self.res_index.get(&format!("{ty}.{name}"))?;
        let base = format!("{}{ty}.{name}", self.prefix);
        // A type the map does not hold has no reference to give, but its instances are
        // still known: `count = 0` is an empty list whatever the type (`concat(x.*.id, …)`).
        let cfn = mapping::ref_type(ty);
        let r = |addr: String| match cfn {
            Some(cfn) => Value::Ref(surveyor_model::ResourceId::of(cfn, &addr)),
            None => Value::Unresolved(addr),
        };
        let keys = self.keys_of(i);
        Some(match &keys {
            Keys::Single | Keys::Unknown => r(base),
            Keys::Count(c) => Value::List(
                (0..*c as usize)
                    .map(|j| r(format!("{base}{}", index_suffix(&keys, j, None))))
                    .collect(),
            ),
            Keys::Each(items) => Value::Map(
                items
                    .iter()
                    .map(|it| {
                        (
                            it.0.clone(),
                            r(format!("{base}{}", index_suffix(&keys, 0, Some(it)))),
                        )
                    })
                    .collect(),
            ),
        })
    }

    fn resource_at(&self, ty: &str, name: &str, key: &Value) -> Option<Value> {
        let i = *self.res_index.get(&format!("{ty}.{name}"))?;
        let cfn = mapping::ref_type(ty)?;
        let keys = self.keys_of(i);
        let suffix = match (&keys, key) {
            // A count that could not be known is mapped as one instance, without an index:
            // `x[0]` is that instance.
            (Keys::Unknown, k) if k.as_i64() == Some(0) => String::new(),
            (Keys::Count(c), k) => {
                let j = k.as_i64().filter(|j| (0..*c).contains(j))?;
                format!("[{j}]")
            }
            (Keys::Each(items), Value::String(k)) => {
                let it = items.iter().find(|(ik, _)| ik == k)?;
                index_suffix(&keys, 0, Some(it))
            }
            _ => return None,
        };
        Some(Value::Ref(surveyor_model::ResourceId::of(
            cfn,
            &format!("{}{ty}.{name}{suffix}", self.prefix),
        )))
    }

    fn path_module(&self) -> String {
        self.path_module.clone()
    }

    fn root_dir(&self) -> &Path {
        &self.run.root_dir
    }

    fn note(&self, note: Note) {
        self.run.notes.borrow_mut().push(note);
    }
}

/// A value converted to a variable's type constraint as far as evaluation needs: attributes
/// declared `optional(T, default)` that are absent or null take the default (and plain
/// `optional(T)` ones are null), inside objects, maps, lists, sets and tuples, as Terraform
/// does when it reads a variable. Other conversions are left alone.
pub fn with_type_defaults(ev: &mut Eval<'_>, ty: &Expression, v: Value, depth: u32) -> Value {
    let Expression::Call(c) = ty else {
        return v;
    };
    if depth > 32 {
        return v;
    }
    match (&*c.name, c.args.as_slice(), v) {
        ("object", [Expression::Object(fields)], Value::Map(mut m)) => {
            for (k, fty) in fields.iter() {
                let super::ast::Key::Lit(k) = k else { continue };
                let (inner, optional, default) = match fty {
                    Expression::Call(o) if &*o.name == "optional" => {
                        (o.args.first(), true, o.args.get(1))
                    }
                    other => (Some(other), false, None),
                };
                let cur = match m.remove(&**k) {
                    Some(Value::Null) | None if optional => match default {
                        Some(d) => ev.expr(d),
                        None => Value::Null,
                    },
                    Some(x) => x,
                    // A required attribute that is missing: Terraform would refuse the value.
                    None => continue,
                };
                let cur = match (inner, cur) {
                    (_, Value::Null) => Value::Null,
                    (Some(t), x) => with_type_defaults(ev, t, x, depth + 1),
                    (None, x) => x,
                };
                m.insert(k.to_string(), cur);
            }
            Value::Map(m)
        }
        ("map", [t], Value::Map(m)) => Value::Map(
            m.into_iter()
                .map(|(k, x)| (k, with_type_defaults(ev, t, x, depth + 1)))
                .collect(),
        ),
        ("list" | "set", [t], Value::List(l)) => Value::List(
            l.into_iter()
                .map(|x| with_type_defaults(ev, t, x, depth + 1))
                .collect(),
        ),
        ("tuple", [Expression::Array(ts)], Value::List(l)) => Value::List(
            l.into_iter()
                .enumerate()
                .map(|(i, x)| match ts.get(i) {
                    Some(t) => with_type_defaults(ev, t, x, depth + 1),
                    None => x,
                })
                .collect(),
        ),
        (_, _, v) => v,
    }
}

/// Meta-arguments and blocks that are not properties of the resource.
const META: &[&str] = &[
    "provider",
    "depends_on",
    "lifecycle",
    "provisioner",
    "connection",
    "timeouts",
];

/// A block body as Terraform's object: attributes, and nested blocks as lists of objects.
pub fn eval_body(ev: &mut Eval<'_>, body: &Body) -> ValueMap {
    // Sized once for the body: most items are attributes, each one entry.
    let mut out = ValueMap::with_capacity(body.items.len());
    for s in &body.items {
        match s {
            Item::Attr(key, value, line) => {
                if META.contains(&&**key) {
                    continue;
                }
                // What cannot be evaluated is reported at the attribute's own line.
                let outer = ev.line;
                if *line != 0 {
                    ev.line = *line;
                }
                let v = ev.expr(value);
                ev.line = outer;
                out.insert(String::from(&**key), v);
            }
            Item::Block(b) => {
                let ident = &*b.ident;
                if META.contains(&ident) {
                    continue;
                }
                if ident == "dynamic" {
                    dynamic(ev, b, &mut out);
                    continue;
                }
                let v = Value::Map(eval_body(ev, &b.body));
                push_block(&mut out, ident, v);
            }
        }
    }
    out
}

fn push_block(out: &mut ValueMap, key: &str, v: Value) {
    match out
        .entry(key.to_string())
        .or_insert_with(|| Value::List(Vec::new()))
    {
        Value::List(l) => l.push(v),
        other => *other = Value::List(vec![v]),
    }
}

/// `dynamic "ingress" { for_each = …; iterator = x; content { … } }` → `ingress` blocks.
fn dynamic(ev: &mut Eval<'_>, b: &Block, out: &mut ValueMap) {
    let Some(label) = b.labels.first().map(|l| String::from(&**l)) else {
        return;
    };
    let mut for_each = None;
    let mut iterator = label.clone();
    let mut content = None;
    for s in &b.body.items {
        match s {
            Item::Attr(k, v, _) if &**k == "for_each" => for_each = Some(v),
            Item::Attr(k, Expression::Var(v), _) if &**k == "iterator" => {
                iterator = String::from(&**v)
            }
            Item::Block(c) if &*c.ident == "content" => content = Some(&c.body),
            _ => {}
        }
    }
    let (Some(fe), Some(content)) = (for_each, content) else {
        return;
    };
    let items: Vec<(Value, Value)> = match ev.expr(fe) {
        Value::List(l) => l
            .into_iter()
            .enumerate()
            .map(|(i, v)| (Value::int(i as i64), v))
            .collect(),
        Value::Map(m) => m.into_iter().map(|(k, v)| (Value::String(k), v)).collect(),
        _ => {
            out.entry(label.clone()).or_insert_with(|| {
                Value::Unresolved(format!(
                    "dynamic \"{label}\" {{ for_each = {} }}",
                    super::eval::text(fe)
                ))
            });
            return;
        }
    };
    for (k, v) in items {
        ev.bind(
            &iterator,
            Value::Map(ValueMap::from([
                ("key".to_string(), k),
                ("value".to_string(), v),
            ])),
        );
        let body = Value::Map(eval_body(ev, content));
        ev.unbind(1);
        push_block(out, &label, body);
    }
}
