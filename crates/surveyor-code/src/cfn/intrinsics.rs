//! Evaluation of one stack's template values: parameters, pseudo-parameters, conditions,
//! mappings and the intrinsic functions, turning [`Node`]s into canonical [`Value`]s.
//!
//! What cannot be known from code alone (an account id nobody gave, an attribute only
//! CloudFormation learns at deploy time) becomes `Value::Unresolved` with the expression
//! written in short form, so a reader of the map sees what the template says. A reference to a
//! resource of the stack becomes `Value::Ref` of that resource's provisional id.

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};
use surveyor_model::ValueMap;

use surveyor_model::{Note, ResourceId, Value};

use super::node::{Node, N};

/// An output another stack can import (`Export.Name`), with the stack exporting it.
#[derive(Debug, Clone)]
pub struct Export {
    pub value: Value,
    pub stack: String,
}

/// The place a stack's resources are known by, for `Ref` and `Fn::GetAtt`.
#[derive(Debug, Clone)]
pub struct Target {
    pub id: ResourceId,
}

/// A stack's resources by logical id, and back, built once per stack.
#[derive(Debug, Default)]
pub struct Targets {
    pub by_logical: HashMap<String, Target>,
    logical_of: HashMap<ResourceId, String>,
}

impl Targets {
    pub fn new(by_logical: HashMap<String, Target>) -> Self {
        let logical_of = by_logical
            .iter()
            .map(|(k, t)| (t.id.clone(), k.clone()))
            .collect();
        Targets {
            by_logical,
            logical_of,
        }
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Cond {
    Busy,
    Done(Option<bool>),
}

/// Everything a template value can refer to while one stack is evaluated.
pub struct Ctx<'a> {
    pub file: &'a str,
    pub stack: &'a str,
    pub account: Option<&'a str>,
    pub region: Option<&'a str>,
    pub params: HashMap<String, Value>,
    pub targets: &'a Targets,
    pub mappings: Option<&'a Node>,
    pub conditions: Option<&'a Node>,
    pub exports: &'a HashMap<String, Export>,
    /// Nested stack logical id → that child stack's outputs.
    pub child_outputs: HashMap<String, &'a ValueMap>,
    /// Stack name → its outputs, for `Fn::GetStackOutput` (CDK's weak cross-stack references).
    pub stack_outputs: HashMap<&'a str, &'a ValueMap>,
    cond_memo: RefCell<HashMap<String, Cond>>,
    pub notes: RefCell<Vec<Note>>,
    /// Stacks whose exports this one imported.
    pub imports: RefCell<BTreeSet<String>>,
}

/// Nesting of intrinsic calls deeper than this is not evaluated (the parser already bounds
/// document depth; this bounds conditions that refer to conditions).
const MAX_EVAL_DEPTH: usize = 256;

impl<'a> Ctx<'a> {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        file: &'a str,
        stack: &'a str,
        account: Option<&'a str>,
        region: Option<&'a str>,
        root: &'a Node,
        params: HashMap<String, Value>,
        targets: &'a Targets,
        exports: &'a HashMap<String, Export>,
    ) -> Self {
        Ctx {
            file,
            stack,
            account,
            region,
            params,
            targets,
            mappings: root.get("Mappings"),
            conditions: root.get("Conditions"),
            exports,
            child_outputs: HashMap::new(),
            stack_outputs: HashMap::new(),
            cond_memo: RefCell::new(HashMap::new()),
            notes: RefCell::new(Vec::new()),
            imports: RefCell::new(BTreeSet::new()),
        }
    }

    pub fn warn(&self, line: u32, msg: impl Into<String>) {
        self.notes
            .borrow_mut()
            .push(Note::warning(msg).at(self.file, Some(line)));
    }

    pub fn info(&self, line: u32, msg: impl Into<String>) {
        self.notes
            .borrow_mut()
            .push(Note::info(msg).at(self.file, Some(line)));
    }

    pub fn partition(&self) -> &'static str {
        match self.region {
            Some(r) if r.starts_with("cn-") => "aws-cn",
            Some(r) if r.starts_with("us-gov-") => "aws-us-gov",
            Some(r) if r.starts_with("us-iso-") => "aws-iso",
            Some(r) if r.starts_with("us-isob-") => "aws-iso-b",
            _ => "aws",
        }
    }

    /// Evaluate a value; `None` is `AWS::NoValue` (the key or item is left out).
    pub fn eval(&self, n: &Node) -> Option<Value> {
        self.eval_at(n, 0)
    }

    fn eval_at(&self, n: &Node, depth: usize) -> Option<Value> {
        if depth > MAX_EVAL_DEPTH {
            return Some(Value::Unresolved(render(n)));
        }
        if let Some((f, arg)) = n.intrinsic() {
            return self.call(f, arg, n, depth + 1);
        }
        Some(match &n.v {
            N::Null => Value::Null,
            N::Bool(b) => Value::Bool(*b),
            N::Num(x) => Value::Number(x.clone()),
            N::Str(s) => Value::String(s.clone()),
            N::List(l) => Value::List(
                l.iter()
                    .filter_map(|i| self.eval_at(i, depth + 1))
                    .collect(),
            ),
            N::Map(m) => Value::Map(
                m.iter()
                    .filter_map(|e| Some((e.key.clone(), self.eval_at(&e.value, depth + 1)?)))
                    .collect(),
            ),
        })
    }

    fn call(&self, f: &str, arg: &Node, whole: &Node, depth: usize) -> Option<Value> {
        let unresolved = || Some(Value::Unresolved(render(whole)));
        match f {
            "Ref" => {
                let Some(name) = arg.as_str() else {
                    return match self.eval_at(arg, depth)? {
                        Value::String(s) => self.reference(&s, arg.line),
                        _ => unresolved(),
                    };
                };
                self.reference(name, arg.line)
            }
            "Fn::GetAtt" => {
                let (res, attr) = match (&arg.v, arg.items()) {
                    (N::Str(s), _) => match s.split_once('.') {
                        Some((a, b)) => (a.to_string(), b.to_string()),
                        None => return unresolved(),
                    },
                    (_, [a, b]) => {
                        let attr = match self.eval_at(b, depth)? {
                            Value::String(s) => s,
                            _ => return unresolved(),
                        };
                        match a.as_str() {
                            Some(a) => (a.to_string(), attr),
                            None => return unresolved(),
                        }
                    }
                    _ => return unresolved(),
                };
                self.get_att(&res, &attr, arg.line)
            }
            "Fn::Sub" => self.sub(arg, whole, depth),
            "Fn::Join" => {
                let [sep, list] = arg.items() else {
                    return unresolved();
                };
                let sep = match self.eval_at(sep, depth)? {
                    Value::String(s) => s,
                    _ => return unresolved(),
                };
                let parts = match self.eval_at(list, depth)? {
                    Value::List(l) => l,
                    _ => return unresolved(),
                };
                let mut out = String::new();
                let mut exact = true;
                for (i, p) in parts.iter().enumerate() {
                    if i > 0 {
                        out.push_str(&sep);
                    }
                    match scalar_string(p) {
                        Some(s) => out.push_str(&s),
                        None => {
                            exact = false;
                            out.push_str(&self.embed(p));
                        }
                    }
                }
                // One reference joined with nothing is that reference.
                if parts.len() == 1 && !exact {
                    if let Some(Value::Ref(id)) = parts.first() {
                        return Some(Value::Ref(id.clone()));
                    }
                }
                Some(if exact {
                    Value::String(out)
                } else {
                    Value::Unresolved(out)
                })
            }
            "Fn::Select" => {
                let [idx, list] = arg.items() else {
                    return unresolved();
                };
                let Some(i) = self.eval_at(idx, depth).and_then(|v| v.as_i64()) else {
                    return unresolved();
                };
                match self.eval_at(list, depth)? {
                    Value::List(l) => match usize::try_from(i).ok().and_then(|i| l.get(i)) {
                        Some(v) => Some(v.clone()),
                        None => {
                            self.warn(arg.line, format!("Fn::Select index {i} is out of range"));
                            unresolved()
                        }
                    },
                    _ => unresolved(),
                }
            }
            "Fn::Split" => {
                let [sep, s] = arg.items() else {
                    return unresolved();
                };
                match (self.eval_at(sep, depth)?, self.eval_at(s, depth)?) {
                    (Value::String(sep), Value::String(s)) if !sep.is_empty() => {
                        Some(Value::List(s.split(sep.as_str()).map(Value::str).collect()))
                    }
                    _ => unresolved(),
                }
            }
            "Fn::If" => {
                let [c, yes, no] = arg.items() else {
                    return unresolved();
                };
                let Some(name) = c.as_str() else {
                    return unresolved();
                };
                match self.condition_at(name, c.line, depth) {
                    Some(true) => self.eval_at(yes, depth),
                    Some(false) => self.eval_at(no, depth),
                    None => {
                        // Unknown: both branches agree, or the expression stays as written.
                        let a = self.eval_at(yes, depth);
                        let b = self.eval_at(no, depth);
                        if a == b {
                            a
                        } else {
                            unresolved()
                        }
                    }
                }
            }
            "Fn::FindInMap" => self.find_in_map(arg, whole, depth),
            "Fn::ImportValue" => {
                let Some(Value::String(name)) = self.eval_at(arg, depth) else {
                    return unresolved();
                };
                match self.exports.get(&name) {
                    Some(e) => {
                        if e.stack != self.stack {
                            self.imports.borrow_mut().insert(e.stack.clone());
                        }
                        Some(e.value.clone())
                    }
                    None => {
                        self.info(
                            arg.line,
                            format!("Fn::ImportValue {name}: no template read here exports it"),
                        );
                        Some(Value::Unresolved(format!("!ImportValue {name}")))
                    }
                }
            }
            "Fn::GetStackOutput" => {
                let field = |k: &str| match arg.get(k).and_then(|n| self.eval_at(n, depth)) {
                    Some(Value::String(s)) => Some(s),
                    _ => None,
                };
                let (Some(stack), Some(output)) = (field("StackName"), field("OutputName")) else {
                    return unresolved();
                };
                match self
                    .stack_outputs
                    .get(stack.as_str())
                    .and_then(|o| o.get(&output))
                {
                    Some(v) => {
                        if stack != self.stack {
                            self.imports.borrow_mut().insert(stack);
                        }
                        Some(v.clone())
                    }
                    None => {
                        self.info(
                            arg.line,
                            format!("Fn::GetStackOutput {stack}.{output}: no template read here has that output"),
                        );
                        unresolved()
                    }
                }
            }
            "Fn::GetAZs" => unresolved(),
            "Fn::Base64" => match self.eval_at(arg, depth)? {
                Value::String(s) => Some(Value::String(base64(s.as_bytes()))),
                _ => unresolved(),
            },
            "Fn::Cidr" => {
                let [block, count, bits] = arg.items() else {
                    return unresolved();
                };
                let block = self.eval_at(block, depth)?;
                let count = self.eval_at(count, depth).and_then(|v| v.as_i64());
                let bits = self.eval_at(bits, depth).and_then(|v| v.as_i64());
                match (block.as_str(), count, bits) {
                    (Some(b), Some(c), Some(s)) => match cidr(b, c, s) {
                        Some(l) => Some(Value::List(l.into_iter().map(Value::String).collect())),
                        None => unresolved(),
                    },
                    _ => unresolved(),
                }
            }
            "Fn::Length" => match self.eval_at(arg, depth)? {
                Value::List(l) => Some(Value::int(l.len() as i64)),
                _ => unresolved(),
            },
            "Fn::ToJsonString" => match self.eval_at(arg, depth)? {
                v @ (Value::Map(_) | Value::List(_)) if v.refs().is_empty() => {
                    Some(Value::String(v.to_json().to_string()))
                }
                _ => unresolved(),
            },
            "Fn::Equals" | "Fn::And" | "Fn::Or" | "Fn::Not" | "Condition" => {
                match self.cond_value(whole, depth) {
                    Some(b) => Some(Value::Bool(b)),
                    None => unresolved(),
                }
            }
            "Fn::Transform" => {
                let name = arg.get("Name").and_then(Node::as_str).unwrap_or("a macro");
                self.warn(
                    whole.line,
                    format!("Fn::Transform {name} is not applied; the value is left as written"),
                );
                unresolved()
            }
            _ => {
                // Not a function CloudFormation knows: a plain key that happens to look like one.
                Some(Value::Map(ValueMap::from([(
                    f.to_string(),
                    self.eval_at(arg, depth)?,
                )])))
            }
        }
    }

    /// `Ref name`: a parameter, a pseudo-parameter, or a resource of this stack.
    fn reference(&self, name: &str, line: u32) -> Option<Value> {
        if let Some(p) = name.strip_prefix("AWS::") {
            let known = |v: Option<&str>| match v {
                Some(s) => Value::str(s),
                None => Value::Unresolved(format!("${{{name}}}")),
            };
            return Some(match p {
                "NoValue" => return None,
                "Region" => known(self.region),
                "AccountId" => known(self.account),
                "Partition" => Value::str(self.partition()),
                "URLSuffix" => Value::str(if self.partition() == "aws-cn" {
                    "amazonaws.com.cn"
                } else {
                    "amazonaws.com"
                }),
                "StackName" => Value::str(self.stack),
                "StackId" | "NotificationARNs" => Value::Unresolved(format!("${{{name}}}")),
                _ => {
                    self.warn(line, format!("Ref {name}: no such pseudo-parameter"));
                    Value::Unresolved(format!("${{{name}}}"))
                }
            });
        }
        if let Some(v) = self.params.get(name) {
            return Some(v.clone());
        }
        if let Some(t) = self.targets.by_logical.get(name) {
            return Some(Value::Ref(t.id.clone()));
        }
        // SAM's `MyFunction.Alias` / `MyFunction.Version` name resources it generated.
        if let Some((a, b)) = name.split_once('.') {
            let prefix = format!("{a}{b}");
            let mut found: Vec<(&String, &Target)> = self
                .targets
                .by_logical
                .iter()
                .filter(|(k, _)| k.starts_with(&prefix))
                .collect();
            found.sort_by_key(|(k, _)| k.len());
            if let Some((_, t)) = found.first() {
                return Some(Value::Ref(t.id.clone()));
            }
        }
        self.warn(
            line,
            format!("Ref {name}: no parameter or resource of that name in the template"),
        );
        Some(Value::Unresolved(format!("${{{name}}}")))
    }

    fn get_att(&self, res: &str, attr: &str, line: u32) -> Option<Value> {
        if let Some(out) = attr.strip_prefix("Outputs.") {
            if let Some(v) = self.child_outputs.get(res).and_then(|o| o.get(out)) {
                return Some(v.clone());
            }
        }
        match self.targets.by_logical.get(res) {
            Some(t) => Some(Value::Ref(t.id.clone())),
            None => {
                self.warn(
                    line,
                    format!("Fn::GetAtt {res}.{attr}: no resource of that name in the template"),
                );
                Some(Value::Unresolved(format!("${{{res}.{attr}}}")))
            }
        }
    }

    fn sub(&self, arg: &Node, whole: &Node, depth: usize) -> Option<Value> {
        let (text, vars) = match (&arg.v, arg.items()) {
            (N::Str(s), _) => (s.as_str(), None),
            (_, [t, vars]) => match t.as_str() {
                Some(s) => (s, Some(vars)),
                None => return Some(Value::Unresolved(render(whole))),
            },
            (_, [t]) => match t.as_str() {
                Some(s) => (s, None),
                None => return Some(Value::Unresolved(render(whole))),
            },
            _ => return Some(Value::Unresolved(render(whole))),
        };
        let mut parts: Vec<Value> = Vec::new();
        let mut lit = String::new();
        let mut rest = text;
        while let Some(i) = rest.find("${") {
            lit.push_str(&rest[..i]);
            let after = &rest[i + 2..];
            if let Some(escaped) = after.strip_prefix('!') {
                lit.push_str("${");
                rest = escaped;
                continue;
            }
            let Some(end) = after.find('}') else {
                lit.push_str(&rest[i..]);
                rest = "";
                break;
            };
            let name = after[..end].trim();
            rest = &after[end + 1..];
            let v = match vars.and_then(|m| m.get(name)) {
                Some(n) => self.eval_at(n, depth).unwrap_or(Value::str("")),
                None => match name.split_once('.') {
                    Some((r, a))
                        if !r.starts_with("AWS::") || self.targets.by_logical.contains_key(r) =>
                    {
                        self.get_att(r, a, arg.line)?
                    }
                    _ => self.reference(name, arg.line).unwrap_or(Value::str("")),
                },
            };
            match scalar_string(&v) {
                Some(s) => lit.push_str(&s),
                None => {
                    if !lit.is_empty() {
                        parts.push(Value::String(std::mem::take(&mut lit)));
                    }
                    parts.push(v);
                }
            }
        }
        lit.push_str(rest);
        if !lit.is_empty() {
            parts.push(Value::String(lit));
        }
        match parts.as_slice() {
            [] => Some(Value::str("")),
            [Value::String(s)] => Some(Value::String(s.clone())),
            [Value::Ref(id)] => Some(Value::Ref(id.clone())),
            _ => Some(Value::Unresolved(
                parts.iter().map(|p| self.embed(p)).collect(),
            )),
        }
    }

    fn find_in_map(&self, arg: &Node, whole: &Node, depth: usize) -> Option<Value> {
        let items = arg.items();
        if items.len() < 3 {
            return Some(Value::Unresolved(render(whole)));
        }
        let key = |n: &Node| self.eval_at(n, depth).as_ref().and_then(scalar_string);
        let default = items
            .get(3)
            .and_then(|d| d.get("DefaultValue"))
            .map(|d| self.eval_at(d, depth));
        let (Some(m), Some(k1), Some(k2)) = (key(&items[0]), key(&items[1]), key(&items[2])) else {
            return match default {
                Some(d) => d,
                None => Some(Value::Unresolved(render(whole))),
            };
        };
        match self
            .mappings
            .and_then(|ms| ms.get(&m))
            .and_then(|t| t.get(&k1))
            .and_then(|s| s.get(&k2))
        {
            Some(v) => self.eval_at(v, depth),
            None => match default {
                Some(d) => d,
                None => {
                    self.warn(
                        arg.line,
                        format!("Fn::FindInMap [{m}, {k1}, {k2}]: no such entry in Mappings"),
                    );
                    Some(Value::Unresolved(render(whole)))
                }
            },
        }
    }

    /// How a value that is not plain text shows inside a string (`Fn::Sub` style).
    fn embed(&self, v: &Value) -> String {
        match v {
            Value::Ref(id) => match self.targets.logical_of.get(id) {
                Some(l) => format!("${{{l}}}"),
                None => format!("${{{id}}}"),
            },
            Value::Unresolved(t) => t.clone(),
            other => scalar_string(other).unwrap_or_else(|| other.to_json().to_string()),
        }
    }

    /// A named condition: `Some(true/false)` when the template and the given values decide it.
    pub fn condition(&self, name: &str, line: u32) -> Option<bool> {
        self.condition_at(name, line, 0)
    }

    fn condition_at(&self, name: &str, line: u32, depth: usize) -> Option<bool> {
        match self.cond_memo.borrow().get(name) {
            Some(Cond::Done(v)) => return *v,
            Some(Cond::Busy) => {
                self.warn(line, format!("condition {name} refers to itself (a cycle)"));
                return None;
            }
            None => {}
        }
        let Some(def) = self.conditions.and_then(|c| c.get(name)) else {
            self.warn(
                line,
                format!("condition {name} is not defined in Conditions"),
            );
            self.cond_memo
                .borrow_mut()
                .insert(name.to_string(), Cond::Done(None));
            return None;
        };
        self.cond_memo
            .borrow_mut()
            .insert(name.to_string(), Cond::Busy);
        let v = self.cond_value(def, depth + 1);
        self.cond_memo
            .borrow_mut()
            .insert(name.to_string(), Cond::Done(v));
        v
    }

    fn cond_value(&self, n: &Node, depth: usize) -> Option<bool> {
        if depth > MAX_EVAL_DEPTH {
            return None;
        }
        let Some((f, arg)) = n.intrinsic() else {
            return match &n.v {
                N::Bool(b) => Some(*b),
                N::Str(s) => Value::str(s.as_str()).as_bool(),
                _ => None,
            };
        };
        match f {
            "Condition" => self.condition_at(arg.as_str()?, arg.line, depth),
            "Fn::Equals" => {
                let [a, b] = arg.items() else { return None };
                let a = self.eval_at(a, depth)?;
                let b = self.eval_at(b, depth)?;
                Some(comparable(&a)? == comparable(&b)?)
            }
            "Fn::Not" => {
                let [a] = arg.items() else { return None };
                self.cond_value(a, depth + 1).map(|b| !b)
            }
            "Fn::And" | "Fn::Or" => {
                let want = f == "Fn::Or";
                let mut unknown = false;
                for c in arg.items() {
                    match self.cond_value(c, depth + 1) {
                        Some(b) if b == want => return Some(want),
                        Some(_) => {}
                        None => unknown = true,
                    }
                }
                if unknown {
                    None
                } else {
                    Some(!want)
                }
            }
            _ => match self.eval_at(n, depth)? {
                Value::Bool(b) => Some(b),
                Value::String(s) => Value::String(s).as_bool(),
                _ => None,
            },
        }
    }
}

/// A fully known value as CloudFormation compares it in `Fn::Equals` (everything as text).
fn comparable(v: &Value) -> Option<String> {
    match v {
        Value::List(l) => Some(
            l.iter()
                .map(comparable)
                .collect::<Option<Vec<_>>>()?
                .join(","),
        ),
        other => scalar_string(other),
    }
}

/// A scalar value as the text CloudFormation would substitute.
pub fn scalar_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// An expression in YAML short form, for `Value::Unresolved`.
pub fn render(n: &Node) -> String {
    fn go(n: &Node, depth: usize, out: &mut String) {
        if depth > 32 {
            out.push('…');
            return;
        }
        if let Some((f, arg)) = n.intrinsic() {
            let short = f.strip_prefix("Fn::").unwrap_or(f);
            out.push('!');
            out.push_str(short);
            out.push(' ');
            if let (true, [x, y]) = (f == "Fn::GetAtt", arg.items()) {
                if let (Some(x), Some(y)) = (x.as_str(), y.as_str()) {
                    out.push_str(x);
                    out.push('.');
                    out.push_str(y);
                    return;
                }
            }
            go(arg, depth + 1, out);
            return;
        }
        match &n.v {
            N::Null => out.push_str("null"),
            N::Bool(b) => out.push_str(&b.to_string()),
            N::Num(x) => out.push_str(&x.to_string()),
            N::Str(s) => out.push_str(s),
            N::List(l) => {
                out.push('[');
                for (i, x) in l.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    go(x, depth + 1, out);
                }
                out.push(']');
            }
            N::Map(m) => {
                out.push('{');
                for (i, e) in m.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    out.push_str(&e.key);
                    out.push_str(": ");
                    go(&e.value, depth + 1, out);
                }
                out.push('}');
            }
        }
    }
    let mut out = String::new();
    go(n, 0, &mut out);
    out
}

fn base64(data: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for c in data.chunks(3) {
        let b = [c[0], *c.get(1).unwrap_or(&0), *c.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for k in 0..4 {
            if k <= c.len() {
                out.push(T[((n >> (18 - 6 * k)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// `Fn::Cidr` for IPv4: `count` blocks with `bits` host bits each, carved from `block`.
fn cidr(block: &str, count: i64, bits: i64) -> Option<Vec<String>> {
    let (ip, len) = block.split_once('/')?;
    let len: u32 = len.parse().ok()?;
    let octets: Vec<u32> = ip
        .split('.')
        .map(|o| o.parse().ok())
        .collect::<Option<_>>()?;
    if octets.len() != 4 || octets.iter().any(|o| *o > 255) || len > 32 {
        return None;
    }
    let base = octets.iter().fold(0u32, |a, o| (a << 8) | o);
    let bits = u32::try_from(bits).ok().filter(|b| (1..=32).contains(b))?;
    let new_len = 32 - bits;
    if new_len < len || !(1..=256).contains(&count) {
        return None;
    }
    let size = 1u64 << bits;
    let mut out = Vec::new();
    for i in 0..count as u64 {
        let addr = u64::from(base & (u32::MAX.checked_shl(32 - len).unwrap_or(0))) + i * size;
        if addr > u64::from(u32::MAX) {
            return None;
        }
        let a = addr as u32;
        out.push(format!(
            "{}.{}.{}.{}/{new_len}",
            a >> 24,
            (a >> 16) & 255,
            (a >> 8) & 255,
            a & 255
        ));
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_and_cidr() {
        assert_eq!(base64(b"hello"), "aGVsbG8=");
        assert_eq!(base64(b"#!/bin/bash\n"), "IyEvYmluL2Jhc2gK");
        assert_eq!(
            cidr("10.0.0.0/16", 3, 8).unwrap(),
            vec!["10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24"]
        );
        assert!(cidr("10.0.0.0/24", 2, 12).is_none());
    }
}
