//! Evaluating Terraform expressions into canonical [`Value`]s, as far as they can be known
//! without running Terraform: literals, variables, locals, module outputs, `for`, conditionals,
//! templates and built-in functions. A reference to a managed resource becomes
//! `Value::Ref(provisional id)` (any attribute of it: the linker only needs the target); what
//! cannot be known becomes `Value::Unresolved(text as written)`.
//!
//! The tree walked is [`ast`](super::ast), built from hcl-edit's at parse time.

use std::path::Path;
use std::rc::Rc;
use std::sync::Arc;

use hcl_edit::expr::{BinaryOperator, UnaryOperator};
use surveyor_model::{Note, Value};

use super::ast::{Expr as Expression, For, Key, Op, Part, Template};

use super::funcs;

/// What an expression can refer to beyond its own local bindings: the module instance.
pub trait Scope {
    // Shared, not copied: a reference such as `module.m["a"].arns["x"]` reads one leaf of a
    // large value, and copying the whole value for every reference dominated evaluation.
    fn var(&self, name: &str) -> Rc<Value>;
    fn local(&self, name: &str) -> Rc<Value>;
    fn module(&self, name: &str) -> Rc<Value>;
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
    /// Whether the module declares `variable "name"` (Terraform refuses other `var.` names).
    fn declares_var(&self, _name: &str) -> bool {
        true
    }
}

/// Why a traversal stopped: an unknown value on the way (unknown, not an error), or a key,
/// attribute or index that is not there (an error, which `try` catches).
#[derive(Debug, Clone, Copy)]
enum Stop {
    Unknown,
    Missing,
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

    /// Unknown because an input is unknown until apply (a data source, a value derived from
    /// one): not a failure, so `try` returns it unknown as Terraform does instead of taking
    /// its fallback.
    fn unknowable(&self, e: &Expression) -> Value {
        Value::Unresolved(text(e))
    }

    fn stopped(&mut self, e: &Expression, why: Stop) -> Value {
        match why {
            Stop::Unknown => self.unknowable(e),
            Stop::Missing => self.unknown(e),
        }
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
            // `String::from`, not `to_string`: a `Box<str>` would go through `Display`.
            Expression::Str(s) => Value::String(String::from(&**s)),
            Expression::Array(items) => Value::List(items.iter().map(|i| self.expr(i)).collect()),
            Expression::Object(obj) => {
                let mut m = Vec::with_capacity(obj.len());
                for (k, v) in obj.iter() {
                    let key = match k {
                        Key::Lit(s) => String::from(&**s),
                        Key::Expr(ke) => match as_string(&self.expr(ke)) {
                            Some(k) => k,
                            None => return self.unknown(e),
                        },
                    };
                    let val = self.expr(v);
                    m.push((key, val));
                }
                // Sorted once; a repeated key keeps its last value.
                Value::Map(m.into_iter().collect())
            }
            Expression::Template(t) => match self.template(t) {
                Some(v) => v,
                None => self.unknown(e),
            },
            Expression::Var(v) => match self.bound(v) {
                Some(x) => x.clone(),
                None => self.unknown(e),
            },
            Expression::Traversal(t) => self.traversal(e, &t.0, &t.1),
            Expression::Call(f) => {
                if f.namespaced {
                    return self.unknown(e);
                }
                funcs::call(self, e, &f.name, &f.args, f.expand_final)
            }
            Expression::Paren(inner) => self.expr(inner),
            Expression::Cond(c) => {
                let [cond_expr, true_expr, false_expr] = &**c;
                let cond = self.expr(cond_expr);
                match cond.as_bool() {
                    Some(true) => self.expr(true_expr),
                    Some(false) => self.expr(false_expr),
                    None => {
                        // Both branches alike: the condition does not matter.
                        let t = self.expr(true_expr);
                        let f = self.expr(false_expr);
                        if t == f && is_known(&t) {
                            t
                        } else {
                            self.unknown(e)
                        }
                    }
                }
            }
            Expression::Unary(op, x) => self.unary(e, *op, x),
            Expression::Binary(op, b) => self.binary(e, *op, &b.0, &b.1),
            Expression::For(f) => self.for_expr(e, f),
        }
    }

    fn unary(&mut self, e: &Expression, op: UnaryOperator, x: &Expression) -> Value {
        let v = self.expr(x);
        match op {
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

    fn binary(
        &mut self,
        e: &Expression,
        operator: BinaryOperator,
        lhs: &Expression,
        rhs: &Expression,
    ) -> Value {
        let l = self.expr(lhs);
        // Short-circuit the logical operators as Terraform's users expect.
        match (operator, l.as_bool()) {
            (BinaryOperator::And, Some(false)) => return Value::Bool(false),
            (BinaryOperator::Or, Some(true)) => return Value::Bool(true),
            _ => {}
        }
        let r = self.expr(rhs);
        // A known right side decides too (cty: `unknown && false` is false).
        match (operator, r.as_bool()) {
            (BinaryOperator::And, Some(false)) if !is_known(&l) => return Value::Bool(false),
            (BinaryOperator::Or, Some(true)) if !is_known(&l) => return Value::Bool(true),
            _ => {}
        }
        if !is_known(&l) || !is_known(&r) {
            return self.unknowable(e);
        }
        use BinaryOperator::*;
        match operator {
            Eq => Value::Bool(loose_eq(&l, &r)),
            NotEq => Value::Bool(!loose_eq(&l, &r)),
            And | Or => match (l.as_bool(), r.as_bool()) {
                (Some(x), Some(y)) => Value::Bool(if operator == And { x && y } else { x || y }),
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

    fn for_expr(&mut self, e: &Expression, f: &For) -> Value {
        let coll = self.expr(&f.collection);
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
        // Keys come in any order: gathered first and sorted once (inserting each into a
        // sorted map would shift it every time).
        let mut pairs: Vec<(String, Value)> = Vec::new();
        let mut groups: std::collections::BTreeMap<String, Vec<Value>> = Default::default();
        for (k, v) in items {
            let mut n = 0;
            if let Some(kv) = &f.key_var {
                self.bind(kv, k);
                n += 1;
            }
            self.bind(&f.value_var, v);
            n += 1;
            let keep = match &f.cond {
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
                                    groups.entry(ks).or_default().push(val);
                                } else {
                                    pairs.push((ks, val));
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
            if f.grouping {
                Value::Map(
                    groups
                        .into_iter()
                        .map(|(k, l)| (k, Value::List(l)))
                        .collect(),
                )
            } else {
                // Of equal keys the last wins, as inserting them in turn did.
                Value::Map(pairs.into_iter().collect())
            }
        } else {
            Value::List(list)
        }
    }

    /// A template's value: a lone interpolation keeps its value's type (Terraform does the
    /// same), so `"${aws_sqs_queue.q.arn}"` stays a reference.
    pub fn template(&mut self, tpl: &Template) -> Option<Value> {
        if let [Part::Interp(x)] = tpl.parts.as_slice() {
            return Some(self.expr(x));
        }
        let mut out = String::new();
        for p in &tpl.parts {
            match p {
                Part::Lit(s) => out.push_str(s),
                Part::Interp(x) => match self.expr(x) {
                    Value::Null => {}
                    other => out.push_str(&as_string(&other)?),
                },
                Part::If {
                    cond,
                    then,
                    otherwise,
                } => {
                    let c = self.expr(cond).as_bool()?;
                    let part = if c { Some(then) } else { otherwise.as_ref() };
                    if let Some(p) = part {
                        let v = self.template(p)?;
                        out.push_str(&as_string(&v)?);
                    }
                }
                Part::For {
                    key_var,
                    value_var,
                    collection,
                    body,
                } => {
                    let items: Vec<(Value, Value)> = match self.expr(collection) {
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
                        if let Some(kv) = key_var {
                            self.bind(kv, k);
                            n += 1;
                        }
                        self.bind(value_var, v);
                        let r = self.template(body);
                        self.unbind(n);
                        out.push_str(&as_string(&r?)?);
                    }
                }
            }
        }
        Some(Value::String(out))
    }

    fn traversal(&mut self, whole: &Expression, root: &Expression, ops: &[Op]) -> Value {
        let attr = |i: usize| match ops.get(i) {
            Some(Op::Attr(a)) => Some(&**a),
            _ => None,
        };
        let (base, rest): (Value, &[Op]) = match root {
            Expression::Var(v) => {
                let name = &**v;
                if let Some(b) = self.bound(name) {
                    (b.clone(), ops)
                } else {
                    match name {
                        "var" | "local" | "module" => {
                            let Some(a) = attr(0) else {
                                return self.unknown(whole);
                            };
                            if name == "var" && !self.scope.declares_var(a) {
                                return self.fail(whole, "no `variable` block declares it");
                            }
                            let v = match name {
                                "var" => self.scope.var(a),
                                "local" => self.scope.local(a),
                                _ => self.scope.module(a),
                            };
                            return match self.apply_ops_ref(&v, ops.get(1..).unwrap_or(&[])) {
                                Ok(v) => v,
                                Err(why) => self.stopped(whole, why),
                            };
                        }
                        "path" => match attr(0) {
                            Some("module") => (Value::String(self.scope.path_module()), &ops[1..]),
                            Some("root") => (Value::str("."), &ops[1..]),
                            // Terraform runs in the root folder; `path.cwd` is its absolute
                            // path (`basename(path.cwd)` names many examples).
                            Some("cwd") => (
                                Value::String(
                                    self.scope.root_dir().to_string_lossy().replace('\\', "/"),
                                ),
                                &ops[1..],
                            ),
                            _ => return self.unknown(whole),
                        },
                        "terraform" => match attr(0) {
                            Some("workspace") => (Value::str("default"), &ops[1..]),
                            _ => return self.unknown(whole),
                        },
                        "data" => return self.unknowable(whole),
                        "self" | "count" | "each" => return self.unknown(whole),
                        ty => {
                            let Some(n) = attr(0) else {
                                return self.unknown(whole);
                            };
                            if let Some(Op::Index(ie)) = ops.get(1) {
                                let key = self.expr(ie);
                                if let Some(v) = self.scope.resource_at(ty, n, &key) {
                                    return match self.apply_ops(v, &ops[2..]) {
                                        Ok(v) => v,
                                        Err(why) => self.stopped(whole, why),
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
            Ok(v) => v,
            Err(why) => self.stopped(whole, why),
        }
    }

    /// [`apply_ops`](Self::apply_ops) on a shared value: only the part reached is copied.
    fn apply_ops_ref(&mut self, v: &Value, ops: &[Op]) -> Result<Value, Stop> {
        let mut cur = v;
        for (i, op) in ops.iter().enumerate() {
            if matches!(cur, Value::Unresolved(_)) {
                return Err(Stop::Unknown);
            }
            match op {
                // Any attribute of a resource points at the resource.
                Op::Attr(_) if matches!(cur, Value::Ref(_)) => {}
                Op::Attr(a) => match cur {
                    Value::Map(m) => cur = m.get(&**a).ok_or(Stop::Missing)?,
                    _ => return Err(Stop::Missing),
                },
                Op::Index(ie) => {
                    let key = self.expr(ie);
                    if !is_known(&key) {
                        return Err(Stop::Unknown);
                    }
                    cur = index_ref(cur, &key).ok_or(Stop::Missing)?;
                }
                Op::LegacyIndex(n) => {
                    let k = Value::int(i64::try_from(*n).map_err(|_| Stop::Missing)?);
                    cur = index_ref(cur, &k).ok_or(Stop::Missing)?;
                }
                Op::AttrSplat | Op::FullSplat => return self.apply_ops(cur.clone(), &ops[i..]),
            }
        }
        Ok(cur.clone())
    }

    fn apply_ops(&mut self, mut v: Value, ops: &[Op]) -> Result<Value, Stop> {
        let mut i = 0;
        while i < ops.len() {
            if matches!(v, Value::Unresolved(_)) {
                return Err(Stop::Unknown);
            }
            match &ops[i] {
                Op::Attr(a) => {
                    v = match v {
                        // Any attribute of a resource points at the resource.
                        Value::Ref(id) => Value::Ref(id),
                        Value::Map(mut m) => m.remove(&**a).ok_or(Stop::Missing)?,
                        _ => return Err(Stop::Missing),
                    };
                }
                Op::Index(ie) => {
                    let key = self.expr(ie);
                    if !is_known(&key) {
                        return Err(Stop::Unknown);
                    }
                    v = index(v, &key).ok_or(Stop::Missing)?;
                }
                Op::LegacyIndex(n) => {
                    let k = Value::int(i64::try_from(*n).map_err(|_| Stop::Missing)?);
                    v = index(v, &k).ok_or(Stop::Missing)?;
                }
                op @ (Op::AttrSplat | Op::FullSplat) => {
                    let end = if matches!(op, Op::FullSplat) {
                        ops.len()
                    } else {
                        let mut j = i + 1;
                        while matches!(ops.get(j), Some(Op::Attr(_))) {
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
        Ok(v)
    }

    /// Evaluate an argument quietly, for `try` and `can`: `None` when it failed.
    pub fn attempt(&mut self, e: &Expression) -> Option<Value> {
        let before = self.failures;
        self.quiet += 1;
        let v = self.expr(e);
        self.quiet -= 1;
        // An unknown value is not a failure: Terraform's `try` returns it unknown, it does not
        // fall through to the next argument.
        (self.failures == before).then_some(v)
    }
}

fn index_ref<'v>(v: &'v Value, key: &Value) -> Option<&'v Value> {
    match v {
        Value::List(l) => l.get(usize::try_from(key.as_i64()?).ok()?),
        Value::Map(m) => m.get(&as_string(key)?),
        _ => None,
    }
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
