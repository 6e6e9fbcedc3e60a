//! Evaluating Terraform expressions into canonical [`Value`]s, as far as they can be known
//! without running Terraform: literals, variables, locals, module outputs, `for`, conditionals,
//! templates and built-in functions. A reference to a managed resource becomes
//! `Value::Ref(provisional id)` (any attribute of it: the linker only needs the target); what
//! cannot be known becomes `Value::Unresolved(text as written)`.

use std::collections::BTreeMap;
use std::path::Path;
use std::rc::Rc;
use std::sync::Arc;

use hcl::expr::{BinaryOperator, Operation, TraversalOperator, UnaryOperator};
use hcl::template::{Directive, Element, Template};
use hcl::{Expression, ObjectKey, TemplateExpr};
use surveyor_model::{Note, Value};

use super::funcs;

/// What an expression can refer to beyond its own local bindings: the module instance.
pub trait Scope {
    fn var(&self, name: &str) -> Value;
    fn local(&self, name: &str) -> Value;
    fn module(&self, name: &str) -> Value;
    /// `None` when no managed resource `ty.name` is declared in this module.
    fn resource(&self, ty: &str, name: &str) -> Option<Value>;
    /// One instance, `ty.name[key]`, without building the whole collection.
    fn resource_at(&self, _ty: &str, _name: &str, _key: &Value) -> Option<Value> {
        None
    }
    /// `path.module` as Terraform gives it: relative to the root module's folder.
    fn path_module(&self) -> String;
    /// The root module's folder, which `file()` paths are relative to.
    fn root_dir(&self) -> &Path;
    fn note(&self, note: Note);
}

/// An evaluation of expressions at one place (a block of one file).
pub struct Eval<'s> {
    pub scope: &'s dyn Scope,
    pub file: Arc<str>,
    pub line: u32,
    binds: Vec<(String, Value)>,
    /// Inside `try`/`can`: failures are expected there and are not noted.
    quiet: u32,
    /// Failures seen (so `try` can tell an error from a value).
    pub failures: u32,
    depth: u32,
}

/// Deep expressions (generated code, fuzzed input) must not exhaust the stack.
const MAX_DEPTH: u32 = 200;

pub fn text(e: &Expression) -> String {
    let s = e.to_string();
    if s.len() > 300 {
        let mut cut = 300;
        while !s.is_char_boundary(cut) {
            cut -= 1;
        }
        format!("{}…", &s[..cut])
    } else {
        s
    }
}

/// True when nothing inside is unresolved (references count as known).
pub fn is_known(v: &Value) -> bool {
    let mut ok = true;
    v.walk(&mut |x| {
        if matches!(x, Value::Unresolved(_)) {
            ok = false;
        }
    });
    ok
}

/// True when the value is plain data: no references and nothing unresolved.
pub fn is_plain(v: &Value) -> bool {
    let mut ok = true;
    v.walk(&mut |x| {
        if matches!(x, Value::Unresolved(_) | Value::Ref(_)) {
            ok = false;
        }
    });
    ok
}

pub fn num(f: f64) -> Value {
    if f.fract() == 0.0 && f.abs() < 9.0e15 {
        Value::int(f as i64)
    } else {
        serde_json::Number::from_f64(f)
            .map(Value::Number)
            .unwrap_or(Value::Null)
    }
}

/// A primitive as Terraform converts it to a string.
pub fn as_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

impl<'s> Eval<'s> {
    pub fn new(scope: &'s dyn Scope, file: Arc<str>, line: u32) -> Self {
        Eval {
            scope,
            file,
            line,
            binds: Vec::new(),
            quiet: 0,
            failures: 0,
            depth: 0,
        }
    }

    pub fn bind(&mut self, name: &str, v: Value) {
        self.binds.push((name.to_string(), v));
    }

    pub fn unbind(&mut self, n: usize) {
        let keep = self.binds.len().saturating_sub(n);
        self.binds.truncate(keep);
    }

    fn bound(&self, name: &str) -> Option<&Value> {
        self.binds
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v)
    }

    /// An evaluation error: noted (with the block's place) and the expression left unresolved.
    pub fn fail(&mut self, e: &Expression, why: &str) -> Value {
        self.failures += 1;
        if self.quiet == 0 {
            self.scope.note(
                Note::warning(format!("cannot evaluate `{}`: {why}", text(e)))
                    .at(self.file.to_string(), Some(self.line)),
            );
        }
        Value::Unresolved(text(e))
    }

    /// A silent failure: the value is not knowable here (not an error in the code).
    fn unknown(&mut self, e: &Expression) -> Value {
        self.failures += 1;
        Value::Unresolved(text(e))
    }

    pub fn expr(&mut self, e: &Expression) -> Value {
        if self.depth > MAX_DEPTH {
            return self.fail(e, "expression nested too deeply");
        }
        self.depth += 1;
        let v = self.expr_inner(e);
        self.depth -= 1;
        v
    }

    fn expr_inner(&mut self, e: &Expression) -> Value {
        match e {
            Expression::Null => Value::Null,
            Expression::Bool(b) => Value::Bool(*b),
            Expression::Number(n) => {
                if let Some(i) = n.as_i64() {
                    Value::int(i)
                } else {
                    n.as_f64().map(num).unwrap_or(Value::Null)
                }
            }
            Expression::String(s) => Value::String(s.clone()),
            Expression::Array(items) => Value::List(items.iter().map(|i| self.expr(i)).collect()),
            Expression::Object(obj) => {
                let mut m = BTreeMap::new();
                for (k, v) in obj.iter() {
                    let key = match k {
                        ObjectKey::Identifier(i) => i.as_str().to_string(),
                        ObjectKey::Expression(ke) => match ke {
                            // `{ (var.x) = 1 }` and `{ "a" = 1 }`; a bare name is a literal key.
                            Expression::Variable(v) => v.as_str().to_string(),
                            other => match as_string(&self.expr(other)) {
                                Some(k) => k,
                                None => return self.unknown(e),
                            },
                        },
                        _ => return self.unknown(e),
                    };
                    let val = self.expr(v);
                    m.insert(key, val);
                }
                Value::Map(m)
            }
            Expression::TemplateExpr(t) => self.template_expr(e, t),
            Expression::Variable(v) => match self.bound(v.as_str()) {
                Some(x) => x.clone(),
                None => self.unknown(e),
            },
            Expression::Traversal(t) => self.traversal(e, &t.expr, &t.operators),
            Expression::FuncCall(f) => {
                if f.name.is_namespaced() {
                    return self.unknown(e);
                }
                funcs::call(self, e, f.name.name.as_str(), &f.args, f.expand_final)
            }
            Expression::Parenthesis(inner) => self.expr(inner),
            Expression::Conditional(c) => {
                let cond = self.expr(&c.cond_expr);
                match cond.as_bool() {
                    Some(true) => self.expr(&c.true_expr),
                    Some(false) => self.expr(&c.false_expr),
                    None => {
                        // Both branches alike: the condition does not matter.
                        let t = self.expr(&c.true_expr);
                        let f = self.expr(&c.false_expr);
                        if t == f && is_known(&t) {
                            t
                        } else {
                            self.unknown(e)
                        }
                    }
                }
            }
            Expression::Operation(op) => self.operation(e, op),
            Expression::ForExpr(f) => self.for_expr(e, f),
            _ => self.unknown(e),
        }
    }

    fn operation(&mut self, e: &Expression, op: &Operation) -> Value {
        match op {
            Operation::Unary(u) => {
                let v = self.expr(&u.expr);
                match u.operator {
                    UnaryOperator::Not => match v.as_bool() {
                        Some(b) => Value::Bool(!b),
                        None => self.unknown(e),
                    },
                    UnaryOperator::Neg => match v.as_f64() {
                        Some(f) if !matches!(v, Value::Bool(_)) => num(-f),
                        _ => self.unknown(e),
                    },
                }
            }
            Operation::Binary(b) => {
                let l = self.expr(&b.lhs_expr);
                // Short-circuit the logical operators as Terraform's users expect.
                match (b.operator, l.as_bool()) {
                    (BinaryOperator::And, Some(false)) => return Value::Bool(false),
                    (BinaryOperator::Or, Some(true)) => return Value::Bool(true),
                    _ => {}
                }
                let r = self.expr(&b.rhs_expr);
                if !is_known(&l) || !is_known(&r) {
                    return self.unknown(e);
                }
                use BinaryOperator::*;
                match b.operator {
                    Eq => Value::Bool(loose_eq(&l, &r)),
                    NotEq => Value::Bool(!loose_eq(&l, &r)),
                    And | Or => match (l.as_bool(), r.as_bool()) {
                        (Some(x), Some(y)) => {
                            Value::Bool(if b.operator == And { x && y } else { x || y })
                        }
                        _ => self.fail(e, "logical operator on a non-bool"),
                    },
                    op => {
                        let (Some(x), Some(y)) = (l.as_f64(), r.as_f64()) else {
                            if matches!(l, Value::Ref(_)) || matches!(r, Value::Ref(_)) {
                                return self.unknown(e);
                            }
                            return self.fail(e, "arithmetic on a non-number");
                        };
                        match op {
                            LessEq => Value::Bool(x <= y),
                            GreaterEq => Value::Bool(x >= y),
                            Less => Value::Bool(x < y),
                            Greater => Value::Bool(x > y),
                            Plus => num(x + y),
                            Minus => num(x - y),
                            Mul => num(x * y),
                            Div if y != 0.0 => num(x / y),
                            Mod if y != 0.0 => num(x % y),
                            _ => self.fail(e, "division by zero"),
                        }
                    }
                }
            }
        }
    }

    fn for_expr(&mut self, e: &Expression, f: &hcl::expr::ForExpr) -> Value {
        let coll = self.expr(&f.collection_expr);
        let items: Vec<(Value, Value)> = match coll {
            Value::List(l) => l
                .into_iter()
                .enumerate()
                .map(|(i, v)| (Value::int(i as i64), v))
                .collect(),
            Value::Map(m) => m.into_iter().map(|(k, v)| (Value::String(k), v)).collect(),
            Value::Null => return self.fail(e, "`for` over null"),
            _ => return self.unknown(e),
        };
        let mut list = Vec::new();
        let mut map: BTreeMap<String, Value> = BTreeMap::new();
        for (k, v) in items {
            let mut n = 0;
            if let Some(kv) = &f.key_var {
                self.bind(kv.as_str(), k);
                n += 1;
            }
            self.bind(f.value_var.as_str(), v);
            n += 1;
            let keep = match &f.cond_expr {
                Some(c) => self.expr(c).as_bool(),
                None => Some(true),
            };
            let res = match keep {
                None => None,
                Some(false) => Some(true),
                Some(true) => {
                    if let Some(ke) = &f.key_expr {
                        let key = self.expr(ke);
                        let val = self.expr(&f.value_expr);
                        match as_string(&key) {
                            Some(ks) => {
                                if f.grouping {
                                    if let Value::List(l) =
                                        map.entry(ks).or_insert_with(|| Value::List(vec![]))
                                    {
                                        l.push(val);
                                    }
                                } else {
                                    map.insert(ks, val);
                                }
                                Some(true)
                            }
                            None => None,
                        }
                    } else {
                        let val = self.expr(&f.value_expr);
                        list.push(val);
                        Some(true)
                    }
                }
            };
            self.unbind(n);
            if res.is_none() {
                return self.unknown(e);
            }
        }
        if f.key_expr.is_some() {
            Value::Map(map)
        } else {
            Value::List(list)
        }
    }

    fn template_expr(&mut self, e: &Expression, t: &TemplateExpr) -> Value {
        let tpl = match parsed_template(t) {
            Ok(t) => t,
            Err(err) => return self.fail(e, &format!("template: {err}")),
        };
        let heredoc_indent =
            matches!(t, TemplateExpr::Heredoc(h) if h.strip == hcl::expr::HeredocStripMode::Indent);
        match self.template(&tpl) {
            Some(v) => {
                if heredoc_indent {
                    if let Value::String(s) = &v {
                        return Value::String(dedent(s));
                    }
                }
                v
            }
            None => self.unknown(e),
        }
    }

    /// A template's value: a lone interpolation keeps its value's type (Terraform does the
    /// same), so `"${aws_sqs_queue.q.arn}"` stays a reference.
    pub fn template(&mut self, tpl: &Template) -> Option<Value> {
        let els = tpl.elements();
        if let [Element::Interpolation(i)] = els {
            let v = self.expr(&i.expr);
            return Some(v);
        }
        let mut out = String::new();
        for el in els {
            match el {
                Element::Literal(s) => out.push_str(s),
                Element::Interpolation(i) => {
                    let v = self.expr(&i.expr);
                    match v {
                        Value::Null => {}
                        other => out.push_str(&as_string(&other)?),
                    }
                }
                Element::Directive(d) => match d.as_ref() {
                    Directive::If(ifd) => {
                        let c = self.expr(&ifd.cond_expr).as_bool()?;
                        let part = if c {
                            Some(&ifd.true_template)
                        } else {
                            ifd.false_template.as_ref()
                        };
                        if let Some(p) = part {
                            let v = self.template(p)?;
                            out.push_str(&as_string(&v)?);
                        }
                    }
                    Directive::For(fd) => {
                        let coll = self.expr(&fd.collection_expr);
                        let items: Vec<(Value, Value)> = match coll {
                            Value::List(l) => l
                                .into_iter()
                                .enumerate()
                                .map(|(i, v)| (Value::int(i as i64), v))
                                .collect(),
                            Value::Map(m) => {
                                m.into_iter().map(|(k, v)| (Value::String(k), v)).collect()
                            }
                            _ => return None,
                        };
                        for (k, v) in items {
                            let mut n = 1;
                            if let Some(kv) = &fd.key_var {
                                self.bind(kv.as_str(), k);
                                n += 1;
                            }
                            self.bind(fd.value_var.as_str(), v);
                            let r = self.template(&fd.template);
                            self.unbind(n);
                            out.push_str(&as_string(&r?)?);
                        }
                    }
                },
            }
        }
        Some(Value::String(out))
    }

    fn traversal(
        &mut self,
        whole: &Expression,
        root: &Expression,
        ops: &[TraversalOperator],
    ) -> Value {
        let attr = |i: usize| match ops.get(i) {
            Some(TraversalOperator::GetAttr(a)) => Some(a.as_str()),
            _ => None,
        };
        let (base, rest): (Value, &[TraversalOperator]) = match root {
            Expression::Variable(v) => {
                let name = v.as_str();
                if let Some(b) = self.bound(name) {
                    (b.clone(), ops)
                } else {
                    match name {
                        "var" | "local" | "module" => {
                            let Some(a) = attr(0) else {
                                return self.unknown(whole);
                            };
                            let v = match name {
                                "var" => self.scope.var(a),
                                "local" => self.scope.local(a),
                                _ => self.scope.module(a),
                            };
                            (v, ops.get(1..).unwrap_or(&[]))
                        }
                        "path" => match attr(0) {
                            Some("module") => (Value::String(self.scope.path_module()), &ops[1..]),
                            Some("root") | Some("cwd") => (Value::str("."), &ops[1..]),
                            _ => return self.unknown(whole),
                        },
                        "terraform" => match attr(0) {
                            Some("workspace") => (Value::str("default"), &ops[1..]),
                            _ => return self.unknown(whole),
                        },
                        "data" | "self" | "count" | "each" => return self.unknown(whole),
                        ty => {
                            let Some(n) = attr(0) else {
                                return self.unknown(whole);
                            };
                            if let Some(TraversalOperator::Index(ie)) = ops.get(1) {
                                let key = self.expr(ie);
                                if let Some(v) = self.scope.resource_at(ty, n, &key) {
                                    return match self.apply_ops(v, &ops[2..]) {
                                        Some(v) => v,
                                        None => self.unknown(whole),
                                    };
                                }
                            }
                            match self.scope.resource(ty, n) {
                                Some(v) => (v, &ops[1..]),
                                None => return self.unknown(whole),
                            }
                        }
                    }
                }
            }
            other => (self.expr(other), ops),
        };
        match self.apply_ops(base, rest) {
            Some(v) => v,
            None => self.unknown(whole),
        }
    }

    fn apply_ops(&mut self, mut v: Value, ops: &[TraversalOperator]) -> Option<Value> {
        let mut i = 0;
        while i < ops.len() {
            if matches!(v, Value::Unresolved(_)) {
                return None;
            }
            match &ops[i] {
                TraversalOperator::GetAttr(a) => {
                    v = match v {
                        // Any attribute of a resource points at the resource.
                        Value::Ref(id) => Value::Ref(id),
                        Value::Map(mut m) => m.remove(a.as_str())?,
                        _ => return None,
                    };
                }
                TraversalOperator::Index(ie) => {
                    let key = self.expr(ie);
                    v = index(v, &key)?;
                }
                TraversalOperator::LegacyIndex(n) => {
                    v = index(v, &Value::int(*n as i64))?;
                }
                op @ (TraversalOperator::AttrSplat | TraversalOperator::FullSplat) => {
                    let end = if matches!(op, TraversalOperator::FullSplat) {
                        ops.len()
                    } else {
                        let mut j = i + 1;
                        while matches!(ops.get(j), Some(TraversalOperator::GetAttr(_))) {
                            j += 1;
                        }
                        j
                    };
                    let items = match v {
                        Value::List(l) => l,
                        Value::Null => Vec::new(),
                        other => vec![other],
                    };
                    let sub = ops.get(i + 1..end).unwrap_or(&[]);
                    let mut out = Vec::with_capacity(items.len());
                    for it in items {
                        out.push(self.apply_ops(it, sub)?);
                    }
                    v = Value::List(out);
                    i = end;
                    continue;
                }
            }
            i += 1;
        }
        Some(v)
    }

    /// Evaluate an argument quietly, for `try` and `can`: `None` when it failed.
    pub fn attempt(&mut self, e: &Expression) -> Option<Value> {
        let before = self.failures;
        self.quiet += 1;
        let v = self.expr(e);
        self.quiet -= 1;
        (self.failures == before && is_known(&v)).then_some(v)
    }
}

thread_local! {
    /// hcl-rs keeps a template as its source text; parsing it again for every instance of a
    /// `for_each` resource dominated evaluation, so parsed templates are kept by their text.
    static TEMPLATES: std::cell::RefCell<[std::collections::HashMap<String, Rc<Template>>; 2]> =
        std::cell::RefCell::new(Default::default());
}

fn parsed_template(t: &TemplateExpr) -> Result<Rc<Template>, hcl::Error> {
    let (kind, key) = match t {
        TemplateExpr::QuotedString(s) => (0, s.as_str()),
        TemplateExpr::Heredoc(h) => (1, h.template.as_str()),
    };
    if let Some(hit) = TEMPLATES.with(|c| c.borrow()[kind].get(key).cloned()) {
        return Ok(hit);
    }
    let tpl = Rc::new(Template::from_expr(t)?);
    TEMPLATES.with(|c| {
        let c = &mut c.borrow_mut()[kind];
        if c.len() > 200_000 {
            c.clear();
        }
        c.insert(key.to_string(), tpl.clone());
    });
    Ok(tpl)
}

fn index(v: Value, key: &Value) -> Option<Value> {
    match v {
        Value::List(mut l) => {
            let i = usize::try_from(key.as_i64()?).ok()?;
            (i < l.len()).then(|| l.swap_remove(i))
        }
        Value::Map(mut m) => m.remove(&as_string(key)?),
        _ => None,
    }
}

/// Equality as Terraform compares: `1 == "1"` is false, but numbers compare by value.
pub fn loose_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

/// `<<-EOT` heredocs drop the indentation common to all non-blank lines.
fn dedent(s: &str) -> String {
    let indent = s
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    let mut out = String::with_capacity(s.len());
    for l in s.split_inclusive('\n') {
        let cut = (l.len() - l.trim_start().len()).min(indent);
        out.push_str(l.get(cut..).unwrap_or(l));
    }
    out
}
