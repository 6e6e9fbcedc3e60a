//! Terraform's built-in functions, as many as real code uses. Each works on known values; an
//! unknown argument leaves the call unresolved, and an unknown function is noted.

use std::path::{Component, Path, PathBuf};
use surveyor_model::ValueMap;

use super::ast::Expr as Expression;
use surveyor_model::Value;

use super::eval::{as_string, is_known, is_plain, loose_eq, num, Eval};

/// Files read by `file()`/`templatefile()` larger than this are left unresolved.
const MAX_FILE: u64 = 8 * 1024 * 1024;

pub fn call(
    ev: &mut Eval<'_>,
    e: &Expression,
    name: &str,
    args: &[Expression],
    expand_final: bool,
) -> Value {
    // Functions that look at their arguments unevaluated.
    match name {
        "try" => {
            for a in args {
                // The first argument that does not fail, even unknown (or holding unknowns):
                // Terraform cannot tell yet whether an unknown would fail, so neither can we.
                if let Some(v) = ev.attempt(a) {
                    return v;
                }
            }
            return Value::Unresolved(super::eval::text(e));
        }
        "can" => {
            return match args.first() {
                Some(a) => match ev.attempt(a) {
                    Some(Value::Unresolved(_)) => Value::Unresolved(super::eval::text(e)),
                    v => Value::Bool(v.is_some()),
                },
                None => ev.fail(e, "can() needs an argument"),
            }
        }
        _ => {}
    }
    let mut vals: Vec<Value> = args.iter().map(|a| ev.expr(a)).collect();
    if expand_final {
        match vals.pop() {
            Some(Value::List(l)) => vals.extend(l),
            Some(Value::Unresolved(_)) => return Value::Unresolved(super::eval::text(e)),
            Some(_) => return ev.fail(e, "`...` expands a list"),
            None => {}
        }
    }
    // Functions that pass references and unknowns through structurally.
    let structural = matches!(
        name,
        "jsonencode"
            | "merge"
            | "concat"
            | "flatten"
            | "lookup"
            | "element"
            | "values"
            | "keys"
            | "length"
            | "tolist"
            | "toset"
            | "tomap"
            | "coalesce"
            | "compact"
            | "one"
            | "zipmap"
            | "distinct"
            | "nonsensitive"
            | "sensitive"
            | "slice"
            | "reverse"
            | "coalescelist"
            | "yamlencode"
            | "contains"
            | "index"
            | "setunion"
            | "map"
            | "list"
    );
    // `try(jsondecode(var.x), var.x)` is how modules accept JSON or HCL: decoding what is
    // not a string is an error whatever its elements are, so that `try` falls through.
    if matches!(
        name,
        "jsondecode" | "yamldecode" | "csvdecode" | "base64decode"
    ) && matches!(
        vals.first(),
        Some(Value::List(_) | Value::Map(_) | Value::Bool(_))
    ) {
        return ev.fail(e, &format!("{name}() needs a string"));
    }
    if !structural && !vals.iter().all(is_plain) {
        return Value::Unresolved(super::eval::text(e));
    }
    match run(ev, name, vals) {
        Ok(v) => v,
        Err(Fail::Unknown) => Value::Unresolved(super::eval::text(e)),
        Err(Fail::Error(msg)) => ev.fail(e, &msg),
    }
}

enum Fail {
    Unknown,
    Error(String),
}

fn err<T>(m: impl Into<String>) -> Result<T, Fail> {
    Err(Fail::Error(m.into()))
}

fn s(v: &Value) -> Result<String, Fail> {
    match v {
        Value::Unresolved(_) | Value::Ref(_) => Err(Fail::Unknown),
        other => as_string(other).ok_or_else(|| Fail::Error("expected a string".into())),
    }
}

fn n(v: &Value) -> Result<f64, Fail> {
    match v {
        Value::Unresolved(_) | Value::Ref(_) => Err(Fail::Unknown),
        Value::Bool(_) => err("expected a number"),
        other => other
            .as_f64()
            .ok_or_else(|| Fail::Error("expected a number".into())),
    }
}

fn list(v: Value) -> Result<Vec<Value>, Fail> {
    match v {
        Value::List(l) => Ok(l),
        Value::Unresolved(_) | Value::Ref(_) => Err(Fail::Unknown),
        _ => err("expected a list"),
    }
}

fn map(v: Value) -> Result<ValueMap, Fail> {
    match v {
        Value::Map(m) => Ok(m),
        Value::Unresolved(_) | Value::Ref(_) => Err(Fail::Unknown),
        _ => err("expected a map"),
    }
}

fn arg(vals: &[Value], i: usize) -> Result<&Value, Fail> {
    vals.get(i)
        .ok_or_else(|| Fail::Error(format!("missing argument {}", i + 1)))
}

fn take(vals: &mut [Value], i: usize) -> Result<Value, Fail> {
    if i < vals.len() {
        Ok(std::mem::take(&mut vals[i]))
    } else {
        err(format!("missing argument {}", i + 1))
    }
}

fn known(v: &Value) -> Result<(), Fail> {
    if is_known(v) {
        Ok(())
    } else {
        Err(Fail::Unknown)
    }
}

fn strs(vals: Vec<Value>) -> Result<Vec<String>, Fail> {
    vals.iter().map(s).collect()
}

fn run(ev: &mut Eval<'_>, name: &str, mut vals: Vec<Value>) -> Result<Value, Fail> {
    Ok(match name {
        // --- encoding
        "jsonencode" => {
            let v = take(&mut vals, 0)?;
            if is_plain(&v) {
                Value::String(
                    serde_json::to_string(&v.to_json()).map_err(|e| Fail::Error(e.to_string()))?,
                )
            } else {
                // A document holding references stays structured, so the references survive
                // (the mapping decodes JSON-string properties either way).
                v
            }
        }
        "jsondecode" => {
            let t = s(arg(&vals, 0)?)?;
            let j: serde_json::Value =
                serde_json::from_str(&t).map_err(|e| Fail::Error(format!("jsondecode: {e}")))?;
            Value::from_json(j)
        }
        "yamldecode" => yaml_to_value(&s(arg(&vals, 0)?)?)?,
        "yamlencode" => {
            let v = take(&mut vals, 0)?;
            if is_plain(&v) {
                Value::String(serde_json::to_string(&v.to_json()).unwrap_or_default())
            } else {
                v
            }
        }
        "base64encode" => Value::String(base64(s(arg(&vals, 0)?)?.as_bytes())),
        "base64decode" => {
            let t = s(arg(&vals, 0)?)?;
            let bytes =
                unbase64(&t).ok_or_else(|| Fail::Error("base64decode: not base64".into()))?;
            Value::String(
                String::from_utf8(bytes)
                    .map_err(|_| Fail::Error("base64decode: not UTF-8 text".into()))?,
            )
        }
        "urlencode" => Value::String(urlencode(&s(arg(&vals, 0)?)?)),
        "fileset" => {
            let base = s(arg(&vals, 0)?)?;
            let pattern = s(arg(&vals, 1)?)?;
            Value::List(
                fileset(&resolve(ev, &base), &pattern)?
                    .into_iter()
                    .map(Value::String)
                    .collect(),
            )
        }
        "file" => Value::String(read_file(ev, &s(arg(&vals, 0)?)?)?),
        "fileexists" => Value::Bool(resolve(ev, &s(arg(&vals, 0)?)?).is_file()),
        "templatefile" => {
            let path = s(arg(&vals, 0)?)?;
            let vars = match vals.get(1) {
                Some(v) => map(v.clone())?,
                None => ValueMap::new(),
            };
            let text = read_file(ev, &path)?;
            let tpl = hcl_edit::parser::parse_template(&text)
                .map(super::ast::template)
                .map_err(|e| Fail::Error(format!("template {path}: {}", e.message())))?;
            let n = vars.len();
            for (k, v) in vars {
                ev.bind(&k, v);
            }
            let r = ev.template(&tpl);
            ev.unbind(n);
            match r {
                Some(v) => match v {
                    Value::String(_) => v,
                    other => Value::String(as_string(&other).ok_or(Fail::Unknown)?),
                },
                None => return Err(Fail::Unknown),
            }
        }
        // --- strings
        "format" => {
            let spec = s(arg(&vals, 0)?)?;
            Value::String(format_spec(&spec, vals.get(1..).unwrap_or(&[]))?)
        }
        "formatlist" => {
            let spec = s(arg(&vals, 0)?)?;
            let rest = vals.get(1..).unwrap_or(&[]);
            let len = rest
                .iter()
                .filter_map(|v| v.as_list().map(|l| l.len()))
                .max()
                .unwrap_or(1);
            let mut out = Vec::new();
            for i in 0..len {
                let row: Vec<Value> = rest
                    .iter()
                    .map(|v| match v {
                        Value::List(l) => l.get(i).cloned().unwrap_or_default(),
                        o => o.clone(),
                    })
                    .collect();
                out.push(Value::String(format_spec(&spec, &row)?));
            }
            Value::List(out)
        }
        "join" => {
            let sep = s(arg(&vals, 0)?)?;
            let mut parts = Vec::new();
            for l in vals.drain(1..) {
                parts.extend(strs(list(l)?)?);
            }
            Value::String(parts.join(&sep))
        }
        "split" => {
            let sep = s(arg(&vals, 0)?)?;
            let t = s(arg(&vals, 1)?)?;
            if t.is_empty() {
                Value::List(vec![])
            } else {
                Value::List(t.split(sep.as_str()).map(Value::str).collect())
            }
        }
        "replace" => {
            let t = s(arg(&vals, 0)?)?;
            let from = s(arg(&vals, 1)?)?;
            let to = s(arg(&vals, 2)?)?;
            if from.len() > 2 && from.starts_with('/') && from.ends_with('/') {
                // `$1` and `${name}` in the replacement, as in Go.
                let re = regex(&from[1..from.len() - 1])?;
                return Ok(Value::String(re.replace_all(&t, to.as_str()).into_owned()));
            }
            Value::String(t.replace(&from, &to))
        }
        "lower" => Value::String(s(arg(&vals, 0)?)?.to_lowercase()),
        "upper" => Value::String(s(arg(&vals, 0)?)?.to_uppercase()),
        "title" => Value::String(
            s(arg(&vals, 0)?)?
                .split(' ')
                .map(|w| {
                    let mut c = w.chars();
                    match c.next() {
                        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
                        None => String::new(),
                    }
                })
                .collect::<Vec<_>>()
                .join(" "),
        ),
        "trim" => {
            let t = s(arg(&vals, 0)?)?;
            let cut = s(arg(&vals, 1)?)?;
            Value::String(t.trim_matches(|c| cut.contains(c)).to_string())
        }
        "trimspace" => Value::String(s(arg(&vals, 0)?)?.trim().to_string()),
        "chomp" => Value::String(
            s(arg(&vals, 0)?)?
                .trim_end_matches(['\r', '\n'])
                .to_string(),
        ),
        "trimprefix" => {
            let t = s(arg(&vals, 0)?)?;
            let p = s(arg(&vals, 1)?)?;
            Value::String(t.strip_prefix(p.as_str()).unwrap_or(&t).to_string())
        }
        "trimsuffix" => {
            let t = s(arg(&vals, 0)?)?;
            let p = s(arg(&vals, 1)?)?;
            Value::String(t.strip_suffix(p.as_str()).unwrap_or(&t).to_string())
        }
        "startswith" => Value::Bool(s(arg(&vals, 0)?)?.starts_with(&s(arg(&vals, 1)?)?)),
        "endswith" => Value::Bool(s(arg(&vals, 0)?)?.ends_with(&s(arg(&vals, 1)?)?)),
        "strcontains" => Value::Bool(s(arg(&vals, 0)?)?.contains(&s(arg(&vals, 1)?)?)),
        "substr" => {
            let t: Vec<char> = s(arg(&vals, 0)?)?.chars().collect();
            let off = n(arg(&vals, 1)?)? as i64;
            let len = n(arg(&vals, 2)?)? as i64;
            let start = if off < 0 {
                (t.len() as i64).saturating_add(off)
            } else {
                off
            }
            .clamp(0, t.len() as i64) as usize;
            let end = if len < 0 {
                t.len()
            } else {
                start.saturating_add(len as usize).min(t.len())
            };
            Value::String(t.get(start..end).unwrap_or(&[]).iter().collect())
        }
        "indent" => {
            let k = n(arg(&vals, 0)?)? as usize;
            let t = s(arg(&vals, 1)?)?;
            let pad = " ".repeat(k.min(1000));
            Value::String(t.replace('\n', &format!("\n{pad}")))
        }
        "tostring" => match arg(&vals, 0)? {
            Value::Null => Value::Null,
            v => Value::String(s(v)?),
        },
        "tonumber" => match arg(&vals, 0)? {
            Value::Null => Value::Null,
            v => num(n(v)?),
        },
        "tobool" => match arg(&vals, 0)? {
            Value::Null => Value::Null,
            v => Value::Bool(
                v.as_bool()
                    .ok_or_else(|| Fail::Error("not a bool".into()))?,
            ),
        },
        "cidrsubnet" => {
            let p = s(arg(&vals, 0)?)?;
            let bits = n(arg(&vals, 1)?)? as u32;
            let net = n(arg(&vals, 2)?)? as u64;
            Value::String(cidrsubnet(&p, bits, net)?)
        }
        "cidrhost" => {
            let p = s(arg(&vals, 0)?)?;
            let h = n(arg(&vals, 1)?)? as u64;
            let (ip, len) = parse_cidr(&p)?;
            let size = 1u64 << (32 - len);
            if h >= size {
                return err("host number out of range");
            }
            Value::String(ipv4(((ip as u64 & !(size - 1)) + h) as u32))
        }
        "cidrnetmask" => {
            let (_, len) = parse_cidr(&s(arg(&vals, 0)?)?)?;
            let mask = if len == 0 { 0 } else { u32::MAX << (32 - len) };
            Value::String(ipv4(mask))
        }
        "cidrsubnets" => {
            let p = s(arg(&vals, 0)?)?;
            let (ip, len) = parse_cidr(&p)?;
            // Each new subnet starts right after the previous one, aligned to its size.
            let mut next = u64::from(ip & if len == 0 { 0 } else { u32::MAX << (32 - len) });
            let end = next + (1u64 << (32 - len));
            let mut out = Vec::new();
            for v in &vals[1..] {
                let nl = len + n(v)? as u32;
                if nl > 32 {
                    return err(format!("cidrsubnets: /{nl} is longer than an IPv4 prefix"));
                }
                let size = 1u64 << (32 - nl);
                let start = next.div_ceil(size) * size;
                if start + size > end {
                    return err(format!("cidrsubnets: not enough room in {p}"));
                }
                out.push(Value::String(format!("{}/{nl}", ipv4(start as u32))));
                next = start + size;
            }
            Value::List(out)
        }
        "basename" => Value::String(
            Path::new(&s(arg(&vals, 0)?)?)
                .file_name()
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or_default(),
        ),
        "dirname" => Value::String(
            Path::new(&s(arg(&vals, 0)?)?)
                .parent()
                .map(|f| f.to_string_lossy().into_owned())
                .filter(|p| !p.is_empty())
                .unwrap_or_else(|| ".".into()),
        ),
        "abspath" | "pathexpand" => Value::String(s(arg(&vals, 0)?)?),
        // --- numbers
        "max" | "min" => {
            let ns: Vec<f64> = vals.iter().map(n).collect::<Result<_, _>>()?;
            let r = if name == "max" {
                ns.iter().cloned().fold(f64::NEG_INFINITY, f64::max)
            } else {
                ns.iter().cloned().fold(f64::INFINITY, f64::min)
            };
            if ns.is_empty() {
                return err("needs at least one number");
            }
            num(r)
        }
        "abs" => num(n(arg(&vals, 0)?)?.abs()),
        "signum" => {
            let x = n(arg(&vals, 0)?)?;
            num(if x == 0.0 { 0.0 } else { x.signum() })
        }
        "pow" => num(n(arg(&vals, 0)?)?.powf(n(arg(&vals, 1)?)?)),
        "log" => num(n(arg(&vals, 0)?)?.ln() / n(arg(&vals, 1)?)?.ln()),
        "parseint" => {
            let t = s(arg(&vals, 0)?)?;
            let base = n(arg(&vals, 1)?)? as u32;
            if !(2..=62).contains(&base) {
                return err("parseint: base must be between 2 and 62");
            }
            let (neg, digits) = match t.strip_prefix('-') {
                Some(d) => (true, d),
                None => (false, t.as_str()),
            };
            // Terraform's digits: 0-9, then a-z, then A-Z (case-insensitive up to base 36).
            let mut x: i64 = 0;
            for c in digits.chars() {
                let d = match c {
                    '0'..='9' => c as u32 - '0' as u32,
                    'a'..='z' => c as u32 - 'a' as u32 + 10,
                    'A'..='Z' if base <= 36 => c as u32 - 'A' as u32 + 10,
                    'A'..='Z' => c as u32 - 'A' as u32 + 36,
                    _ => base,
                };
                if d >= base || digits.is_empty() {
                    return err(format!("parseint: {t:?} is not a base-{base} number"));
                }
                x = x
                    .checked_mul(i64::from(base))
                    .and_then(|x| x.checked_add(i64::from(d)))
                    .ok_or_else(|| Fail::Error("parseint: number too large".into()))?;
            }
            Value::int(if neg { -x } else { x })
        }
        "ceil" => num(n(arg(&vals, 0)?)?.ceil()),
        "floor" => num(n(arg(&vals, 0)?)?.floor()),
        "sum" => num(list(take(&mut vals, 0)?)?
            .iter()
            .map(n)
            .sum::<Result<f64, _>>()?),
        "range" => {
            let ns: Vec<f64> = vals.iter().map(n).collect::<Result<_, _>>()?;
            let (start, end, step) = match ns.as_slice() {
                [e] => (0.0, *e, 1.0),
                [s, e] => (*s, *e, if e >= s { 1.0 } else { -1.0 }),
                [s, e, st] => (*s, *e, *st),
                _ => return err("range takes 1 to 3 numbers"),
            };
            if step == 0.0 {
                return err("range step is zero");
            }
            let mut out = Vec::new();
            let mut x = start;
            while (step > 0.0 && x < end) || (step < 0.0 && x > end) {
                out.push(num(x));
                x += step;
                if out.len() > 1_000_000 {
                    return err("range too long");
                }
            }
            Value::List(out)
        }
        // --- collections
        "length" => match take(&mut vals, 0)? {
            Value::List(l) => Value::int(l.len() as i64),
            Value::Map(m) => Value::int(m.len() as i64),
            Value::String(t) => Value::int(t.chars().count() as i64),
            Value::Null => return err("length of null"),
            _ => return Err(Fail::Unknown),
        },
        "concat" => {
            let mut out = Vec::new();
            for v in vals {
                out.extend(list(v)?);
            }
            Value::List(out)
        }
        "merge" => {
            let mut out = ValueMap::new();
            for v in vals {
                match v {
                    Value::Null => {}
                    other => out.extend(map(other)?),
                }
            }
            Value::Map(out)
        }
        "flatten" => {
            fn flat(v: Value, out: &mut Vec<Value>) -> Result<(), Fail> {
                match v {
                    Value::List(l) => l.into_iter().try_for_each(|x| flat(x, out)),
                    Value::Unresolved(_) => Err(Fail::Unknown),
                    other => {
                        out.push(other);
                        Ok(())
                    }
                }
            }
            let mut out = Vec::new();
            for x in list(take(&mut vals, 0)?)? {
                flat(x, &mut out)?;
            }
            Value::List(out)
        }
        "distinct" | "toset" => {
            let l = match take(&mut vals, 0)? {
                Value::Null if name == "toset" => return Ok(Value::Null),
                v => list(v)?,
            };
            l.iter().try_for_each(known)?;
            let mut out: Vec<Value> = Vec::new();
            for x in l {
                if !out.iter().any(|y| loose_eq(y, &x)) {
                    out.push(x);
                }
            }
            if name == "toset" {
                // Sets of strings iterate in lexical order.
                if out.iter().all(|v| matches!(v, Value::String(_))) {
                    out.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
                }
            }
            Value::List(out)
        }
        "setintersection" | "setsubtract" => {
            let mut sets = vals.into_iter().map(list);
            let mut out: Vec<Value> = sets.next().ok_or(Fail::Unknown)??;
            out.iter().try_for_each(known)?;
            for other in sets {
                let other = other?;
                other.iter().try_for_each(known)?;
                out.retain(|x| other.iter().any(|y| loose_eq(x, y)) == (name == "setintersection"));
            }
            Value::List(out)
        }
        "setproduct" => {
            let mut out: Vec<Vec<Value>> = vec![Vec::new()];
            for v in vals {
                let l = list(v)?;
                l.iter().try_for_each(known)?;
                if out.len().saturating_mul(l.len()) > 100_000 {
                    return err("setproduct: too many combinations");
                }
                out = out
                    .into_iter()
                    .flat_map(|p| {
                        l.iter().map(move |x| {
                            let mut q = p.clone();
                            q.push(x.clone());
                            q
                        })
                    })
                    .collect();
            }
            Value::List(out.into_iter().map(Value::List).collect())
        }
        "transpose" => {
            let m = map(take(&mut vals, 0)?)?;
            let mut out: std::collections::BTreeMap<String, Vec<Value>> = Default::default();
            for (k, v) in m {
                for x in list(v)? {
                    out.entry(s(&x)?)
                        .or_default()
                        .push(Value::String(k.clone()));
                }
            }
            Value::Map(out.into_iter().map(|(k, l)| (k, Value::List(l))).collect())
        }
        "matchkeys" => {
            let values = list(take(&mut vals, 0)?)?;
            let keys = list(take(&mut vals, 1)?)?;
            let search = list(take(&mut vals, 2)?)?;
            if values.len() != keys.len() {
                return err("matchkeys: values and keys differ in length");
            }
            keys.iter().chain(&search).try_for_each(known)?;
            Value::List(
                values
                    .into_iter()
                    .zip(keys)
                    .filter(|(_, k)| search.iter().any(|x| loose_eq(x, k)))
                    .map(|(v, _)| v)
                    .collect(),
            )
        }
        "setunion" => {
            let mut out: Vec<Value> = Vec::new();
            for v in vals {
                for x in list(v)? {
                    known(&x)?;
                    if !out.contains(&x) {
                        out.push(x);
                    }
                }
            }
            Value::List(out)
        }
        "tolist" => match take(&mut vals, 0)? {
            Value::Null => Value::Null,
            v => Value::List(list(v)?),
        },
        "tomap" => match take(&mut vals, 0)? {
            Value::Null => Value::Null,
            v => Value::Map(map(v)?),
        },
        "lookup" => {
            let m = map(take(&mut vals, 0)?)?;
            let k = s(arg(&vals, 1)?)?;
            match m.get(&k) {
                Some(v) => v.clone(),
                None => match vals.get(2) {
                    Some(d) => d.clone(),
                    None => return err(format!("no key {k:?}")),
                },
            }
        }
        "element" => {
            let l = list(take(&mut vals, 0)?)?;
            let i = n(arg(&vals, 1)?)? as usize;
            if l.is_empty() {
                return err("element of an empty list");
            }
            l.get(i % l.len()).cloned().unwrap_or_default()
        }
        "index" => {
            let l = list(take(&mut vals, 0)?)?;
            let x = arg(&vals, 1)?;
            known(x)?;
            match l.iter().position(|y| loose_eq(y, x)) {
                Some(i) => Value::int(i as i64),
                None => return err("item not in list"),
            }
        }
        "keys" => Value::List(
            map(take(&mut vals, 0)?)?
                .into_keys()
                .map(Value::String)
                .collect(),
        ),
        "values" => Value::List(map(take(&mut vals, 0)?)?.into_values().collect()),
        "contains" => {
            let l = list(take(&mut vals, 0)?)?;
            let x = arg(&vals, 1)?;
            known(x)?;
            if !l.iter().all(is_known) {
                return Err(Fail::Unknown);
            }
            Value::Bool(l.iter().any(|y| loose_eq(y, x)))
        }
        "coalesce" => {
            for v in vals {
                match &v {
                    Value::Null => {}
                    Value::String(t) if t.is_empty() => {}
                    Value::Unresolved(_) => return Err(Fail::Unknown),
                    _ => return Ok(v),
                }
            }
            return err("no non-null argument");
        }
        "coalescelist" => {
            for v in vals {
                match &v {
                    Value::List(l) if l.is_empty() => {}
                    Value::List(_) => return Ok(v),
                    _ => return Err(Fail::Unknown),
                }
            }
            return err("no non-empty list");
        }
        "compact" => Value::List(
            list(take(&mut vals, 0)?)?
                .into_iter()
                .filter(|v| !matches!(v, Value::Null) && v.as_str() != Some(""))
                .collect(),
        ),
        "one" => {
            let l = match take(&mut vals, 0)? {
                Value::Null => return Ok(Value::Null),
                v => list(v)?,
            };
            match l.len() {
                0 => Value::Null,
                1 => l.into_iter().next().unwrap_or_default(),
                _ => return err("one() of a list with more than one element"),
            }
        }
        "slice" => {
            let l = list(take(&mut vals, 0)?)?;
            let a = n(arg(&vals, 1)?)? as usize;
            let b = n(arg(&vals, 2)?)? as usize;
            match l.get(a..b) {
                Some(x) => Value::List(x.to_vec()),
                None => return err("slice out of range"),
            }
        }
        "reverse" => {
            let mut l = list(take(&mut vals, 0)?)?;
            l.reverse();
            Value::List(l)
        }
        "sort" => {
            let mut l = strs(list(take(&mut vals, 0)?)?)?;
            l.sort();
            Value::List(l.into_iter().map(Value::String).collect())
        }
        "zipmap" => {
            let k = strs(list(take(&mut vals, 0)?)?)?;
            let v = list(take(&mut vals, 1)?)?;
            if k.len() != v.len() {
                return err("zipmap lists differ in length");
            }
            Value::Map(k.into_iter().zip(v).collect())
        }
        "chunklist" => {
            let l = list(take(&mut vals, 0)?)?;
            let size = n(arg(&vals, 1)?)? as usize;
            if size == 0 {
                Value::List(vec![Value::List(l)])
            } else {
                Value::List(l.chunks(size).map(|c| Value::List(c.to_vec())).collect())
            }
        }
        "alltrue" | "anytrue" => {
            let bs: Vec<bool> = list(take(&mut vals, 0)?)?
                .iter()
                .map(|v| v.as_bool().ok_or(Fail::Unknown))
                .collect::<Result<_, _>>()?;
            Value::Bool(if name == "alltrue" {
                bs.iter().all(|b| *b)
            } else {
                bs.iter().any(|b| *b)
            })
        }
        "nonsensitive" | "sensitive" => take(&mut vals, 0)?,
        // Terraform's functions this reader does not compute (time, hashes, regular
        // expressions, compression): the value is left unresolved, without a note.
        "timestamp" | "plantimestamp" | "uuid" | "bcrypt" | "md5" | "sha1" | "sha256"
        | "sha512" | "filemd5" | "filesha1" | "filesha256" | "filesha512" | "filebase64"
        | "filebase64sha256" | "filebase64sha512" | "base64sha256" | "base64sha512"
        | "base64gzip" | "uuidv5" | "timeadd" | "timecmp" | "formatdate" | "templatestring"
        | "textencodebase64" | "textdecodebase64" | "sethash" | "ephemeralasnull"
        | "issensitive" | "type" | "cidrhost6" | "filemode" => return Err(Fail::Unknown),
        "regex" => {
            let re = regex(&s(arg(&vals, 0)?)?)?;
            let t = s(arg(&vals, 1)?)?;
            match re.captures(&t) {
                Some(c) => captures(&re, &c),
                None => return err("regex: the pattern does not match"),
            }
        }
        "regexall" => {
            let re = regex(&s(arg(&vals, 0)?)?)?;
            let t = s(arg(&vals, 1)?)?;
            Value::List(re.captures_iter(&t).map(|c| captures(&re, &c)).collect())
        }
        // Terraform 0.11's constructors (removed in 0.15; old code still calls them).
        "map" => {
            if !vals.len().is_multiple_of(2) {
                return err("map() takes key/value pairs");
            }
            let mut out = Vec::new();
            let mut it = vals.into_iter();
            while let (Some(k), Some(v)) = (it.next(), it.next()) {
                out.push((s(&k)?, v));
            }
            Value::Map(out.into_iter().collect())
        }
        "list" => Value::List(vals),
        "strrev" => Value::String(s(arg(&vals, 0)?)?.chars().rev().collect()),
        other => return err(format!("unknown function {other}()")),
    })
}

fn resolve(ev: &Eval<'_>, p: &str) -> PathBuf {
    let path = Path::new(p);
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        ev.scope.root_dir().join(path)
    };
    normalize(&joined)
}

/// `a/./b/../c` → `a/c`, without touching the file system.
pub fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    out
}

/// A Terraform (RE2) pattern; patterns are user input, so the compiled size is bounded.
fn regex(p: &str) -> Result<regex_lite::Regex, Fail> {
    regex_lite::RegexBuilder::new(p)
        .size_limit(1 << 20)
        .build()
        .map_err(|e| Fail::Error(format!("invalid regular expression: {e}")))
}

/// One match as Terraform's `regex` gives it: the matched text without groups, a list of
/// the groups, or an object of them when they are named.
fn captures(re: &regex_lite::Regex, c: &regex_lite::Captures<'_>) -> Value {
    let text = |m: Option<regex_lite::Match<'_>>| {
        m.map_or(Value::Null, |m| Value::String(m.as_str().to_string()))
    };
    if re.captures_len() == 1 {
        return text(c.get(0));
    }
    if re.capture_names().flatten().next().is_some() {
        return Value::Map(
            re.capture_names()
                .flatten()
                .map(|n| (n.to_string(), text(c.name(n))))
                .collect(),
        );
    }
    Value::List((1..re.captures_len()).map(|i| text(c.get(i))).collect())
}

/// Standard base64 (with or without padding) → bytes; `None` if it is not base64.
fn unbase64(t: &str) -> Option<Vec<u8>> {
    let val = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    };
    let body = t.trim_end_matches('=').as_bytes();
    if body.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(body.len() * 3 / 4);
    for chunk in body.chunks(4) {
        let mut acc = 0u32;
        for (i, c) in chunk.iter().enumerate() {
            acc |= val(*c)? << (18 - 6 * i);
        }
        let bytes = acc.to_be_bytes();
        out.extend_from_slice(&bytes[1..chunk.len()]);
    }
    Some(out)
}

/// Terraform's `urlencode` (Go's query escaping): unreserved characters kept, a space as
/// `+`, everything else `%XX` by UTF-8 byte.
fn urlencode(t: &str) -> String {
    let mut out = String::with_capacity(t.len());
    for b in t.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else if b == b' ' {
            out.push('+');
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Files under `base` whose path relative to it matches `pattern` (`*`, `?`, `**`, `[…]`
/// of Terraform's `fileset`), sorted, with `/` separators. Symbolic links are not followed
/// and the walk stops at a bound, so a pattern over a huge tree cannot run away.
fn fileset(base: &Path, pattern: &str) -> Result<Vec<String>, Fail> {
    const MAX_FILES: usize = 10_000;
    let mut pat: Vec<&str> = pattern.split('/').filter(|p| !p.is_empty()).collect();
    // `**/**` is `**`: collapsed so that nested `**` cannot multiply the work.
    pat.dedup_by(|a, b| *a == "**" && *b == "**");
    let mut out = Vec::new();
    let mut stack = vec![(base.to_path_buf(), String::new())];
    let mut seen = 0usize;
    while let Some((dir, rel)) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in rd.flatten() {
            seen += 1;
            if seen > MAX_FILES * 10 {
                return Err(Fail::Unknown);
            }
            let name = e.file_name().to_string_lossy().into_owned();
            let path = if rel.is_empty() {
                name
            } else {
                format!("{rel}/{name}")
            };
            match e.file_type() {
                Ok(t) if t.is_dir() => stack.push((e.path(), path)),
                Ok(t) if t.is_file() => {
                    let parts: Vec<&str> = path.split('/').collect();
                    if glob_parts(&pat, &parts) {
                        out.push(path);
                    }
                }
                _ => {}
            }
        }
    }
    if out.len() > MAX_FILES {
        return Err(Fail::Unknown);
    }
    out.sort();
    Ok(out)
}

fn glob_parts(pat: &[&str], path: &[&str]) -> bool {
    match (pat.first(), path.first()) {
        (None, None) => true,
        (Some(&"**"), _) => {
            glob_parts(&pat[1..], path) || (!path.is_empty() && glob_parts(pat, &path[1..]))
        }
        (Some(p), Some(s)) => {
            glob_segment(p.as_bytes(), s.as_bytes()) && glob_parts(&pat[1..], &path[1..])
        }
        _ => false,
    }
}

/// One path segment against `*`, `?` and `[abc]`/`[a-z]`/`[^…]` (no separators inside).
/// Iterative, going back only to the last `*`: linear in practice, never exponential.
fn glob_segment(p: &[u8], s: &[u8]) -> bool {
    // The width of the pattern item at `pi` and whether it matches byte `c`.
    fn item(p: &[u8], pi: usize, c: u8) -> (usize, bool) {
        match p[pi] {
            b'?' => (1, true),
            b'[' => match p[pi + 1..].iter().position(|x| *x == b']') {
                Some(len) => {
                    let class = &p[pi + 1..pi + 1 + len];
                    let (neg, class) = match class.first() {
                        Some(b'^') | Some(b'!') => (true, &class[1..]),
                        _ => (false, class),
                    };
                    let mut hit = false;
                    let mut i = 0;
                    while i < class.len() {
                        if i + 2 < class.len() && class[i + 1] == b'-' {
                            hit |= class[i] <= c && c <= class[i + 2];
                            i += 3;
                        } else {
                            hit |= class[i] == c;
                            i += 1;
                        }
                    }
                    (len + 2, hit != neg)
                }
                None => (1, c == b'['),
            },
            x => (1, x == c),
        }
    }
    let (mut pi, mut si) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while si < s.len() {
        if pi < p.len() && p[pi] == b'*' {
            star = Some((pi + 1, si));
            pi += 1;
            continue;
        }
        if pi < p.len() {
            let (w, ok) = item(p, pi, s[si]);
            if ok {
                pi += w;
                si += 1;
                continue;
            }
        }
        match star {
            // Let the last `*` take one more byte and try again from there.
            Some((sp, ss)) => {
                pi = sp;
                si = ss + 1;
                star = Some((sp, ss + 1));
            }
            None => return false,
        }
    }
    p[pi..].iter().all(|c| *c == b'*')
}

fn read_file(ev: &Eval<'_>, p: &str) -> Result<String, Fail> {
    let path = resolve(ev, p);
    let meta = std::fs::metadata(&path).map_err(|e| Fail::Error(format!("file {p}: {e}")))?;
    if meta.len() > MAX_FILE {
        return Err(Fail::Unknown);
    }
    std::fs::read_to_string(&path).map_err(|e| Fail::Error(format!("file {p}: {e}")))
}

fn format_spec(spec: &str, args: &[Value]) -> Result<String, Fail> {
    let mut out = String::new();
    let mut it = spec.chars().peekable();
    let mut ai = 0;
    while let Some(c) = it.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut flags = String::new();
        while let Some(&f) = it.peek() {
            if f.is_ascii_digit() || f == '.' || f == '-' || f == '+' || f == '#' || f == ' ' {
                flags.push(f);
                it.next();
            } else {
                break;
            }
        }
        let Some(verb) = it.next() else {
            return err("format ends with %");
        };
        if verb == '%' {
            out.push('%');
            continue;
        }
        let v = args
            .get(ai)
            .ok_or_else(|| Fail::Error("format has more verbs than arguments".into()))?;
        ai += 1;
        let zero = flags.starts_with('0');
        let left = flags.starts_with('-');
        let (w, prec) = match flags
            .trim_start_matches(['0', '-', '+', '#', ' '])
            .split_once('.')
        {
            Some((w, p)) => (w.parse::<usize>().unwrap_or(0), p.parse::<usize>().ok()),
            None => (
                flags
                    .trim_start_matches(['0', '-', '+', '#', ' '])
                    .parse::<usize>()
                    .unwrap_or(0),
                None,
            ),
        };
        let body = match verb {
            's' | 'v' => match v {
                Value::String(t) => t.clone(),
                Value::Null if verb == 'v' => "null".into(),
                other if is_plain(other) && !matches!(other, Value::List(_) | Value::Map(_)) => {
                    s(other)?
                }
                other if is_plain(other) => {
                    serde_json::to_string(&other.to_json()).unwrap_or_default()
                }
                _ => return Err(Fail::Unknown),
            },
            'q' => serde_json::to_string(&s(v)?).unwrap_or_default(),
            'd' => format!("{}", n(v)? as i64),
            'f' => format!("{:.*}", prec.unwrap_or(6), n(v)?),
            'x' => format!("{:x}", n(v)? as i64),
            'X' => format!("{:X}", n(v)? as i64),
            'o' => format!("{:o}", n(v)? as i64),
            'b' => format!("{:b}", n(v)? as i64),
            't' => v.as_bool().ok_or(Fail::Unknown)?.to_string(),
            'e' => format!("{:e}", n(v)?),
            other => return err(format!("format verb %{other} not supported")),
        };
        let pad = w.saturating_sub(body.chars().count());
        if left {
            out.push_str(&body);
            out.push_str(&" ".repeat(pad));
        } else if zero && verb != 's' {
            let (sign, digits) = match body.strip_prefix('-') {
                Some(d) => ("-", d),
                None => ("", body.as_str()),
            };
            out.push_str(sign);
            out.push_str(&"0".repeat(pad));
            out.push_str(digits);
        } else {
            out.push_str(&" ".repeat(pad));
            out.push_str(&body);
        }
    }
    Ok(out)
}

fn parse_cidr(p: &str) -> Result<(u32, u32), Fail> {
    let (ip, len) = p.split_once('/').ok_or(Fail::Unknown)?;
    let len: u32 = len
        .parse()
        .map_err(|_| Fail::Error(format!("bad CIDR {p}")))?;
    let parts: Vec<u32> = ip
        .split('.')
        .map(|o| o.parse::<u8>().map(u32::from))
        .collect::<Result<_, _>>()
        // IPv6 prefixes are not evaluated.
        .map_err(|_| Fail::Unknown)?;
    if parts.len() != 4 || len > 32 {
        return err(format!("bad CIDR {p}"));
    }
    Ok((parts.iter().fold(0u32, |a, o| (a << 8) | o), len))
}

fn ipv4(x: u32) -> String {
    format!(
        "{}.{}.{}.{}",
        x >> 24,
        (x >> 16) & 255,
        (x >> 8) & 255,
        x & 255
    )
}

fn cidrsubnet(p: &str, newbits: u32, netnum: u64) -> Result<String, Fail> {
    let (ip, len) = parse_cidr(p)?;
    let nl = len.saturating_add(newbits);
    if nl > 32 {
        return err(format!("cidrsubnet: /{len} + {newbits} bits exceeds 32"));
    }
    if netnum >= (1u64 << newbits) {
        return err(format!("cidrsubnet: network number {netnum} too large"));
    }
    let mask: u64 = if len == 0 {
        0
    } else {
        (!0u64 << (32 - len)) & 0xffff_ffff
    };
    let base = ip as u64 & mask;
    let net = base | (netnum << (32 - nl));
    Ok(format!("{}/{nl}", ipv4(net as u32)))
}

fn base64(b: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for c in b.chunks(3) {
        let n = (u32::from(c[0]) << 16)
            | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
            | u32::from(*c.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= c.len() {
                out.push(T[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// YAML → value, through yaml-rust2 (the same library the CloudFormation reader uses).
fn yaml_to_value(text: &str) -> Result<Value, Fail> {
    use yaml_rust2::{Yaml, YamlLoader};
    let docs =
        YamlLoader::load_from_str(text).map_err(|e| Fail::Error(format!("yamldecode: {e}")))?;
    fn conv(y: &Yaml, depth: u32) -> Value {
        if depth > 200 {
            return Value::Null;
        }
        match y {
            Yaml::Real(r) => r.parse::<f64>().map(num).unwrap_or(Value::Null),
            Yaml::Integer(i) => Value::int(*i),
            Yaml::String(s) => Value::String(s.clone()),
            Yaml::Boolean(b) => Value::Bool(*b),
            Yaml::Array(a) => Value::List(a.iter().map(|x| conv(x, depth + 1)).collect()),
            Yaml::Hash(h) => Value::Map(
                h.iter()
                    .filter_map(|(k, v)| {
                        let key = match k {
                            Yaml::String(s) => s.clone(),
                            Yaml::Integer(i) => i.to_string(),
                            Yaml::Boolean(b) => b.to_string(),
                            Yaml::Real(r) => r.clone(),
                            _ => return None,
                        };
                        Some((key, conv(v, depth + 1)))
                    })
                    .collect(),
            ),
            _ => Value::Null,
        }
    }
    Ok(docs.first().map(|d| conv(d, 0)).unwrap_or(Value::Null))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glob_segments_match_like_terraforms_fileset() {
        let m = |p: &str, s: &str| glob_segment(p.as_bytes(), s.as_bytes());
        assert!(m("*.txt", "a.txt") && m("*", "") && m("a*b*c", "aXbYc"));
        assert!(!m("*.txt", "a.json") && !m("a?c", "ac") && m("a?c", "abc"));
        assert!(m("[a-c]x", "bx") && !m("[!a-c]x", "bx") && m("[^a]x", "zx"));
        assert!(m("[", "[") && !m("a[", "ab"));
        assert!(glob_parts(&["**", "*.tf"], &["a", "b", "x.tf"]));
        assert!(glob_parts(&["**", "*.tf"], &["x.tf"]));
        assert!(!glob_parts(&["*", "*.tf"], &["x.tf"]));
    }

    #[test]
    fn many_stars_over_a_long_name_do_not_backtrack_exponentially() {
        let name = "a".repeat(4000);
        let pattern = format!("{}b", "a*".repeat(40));
        let t = std::time::Instant::now();
        assert!(!glob_segment(pattern.as_bytes(), name.as_bytes()));
        assert!(glob_segment("a*".repeat(40).as_bytes(), name.as_bytes()));
        assert!(t.elapsed() < std::time::Duration::from_secs(1));
    }

    #[test]
    fn base64_round_trips_and_rejects_what_is_not_base64() {
        for t in ["", "f", "fo", "foo", "foob", "fooba", "foobar", "☃ snow"] {
            assert_eq!(
                unbase64(&base64(t.as_bytes())).as_deref(),
                Some(t.as_bytes())
            );
        }
        assert_eq!(unbase64("Zm9v"), Some(b"foo".to_vec()));
        assert_eq!(unbase64("Zm9"), Some(b"fo".to_vec()));
        assert_eq!(unbase64("Z"), None);
        assert_eq!(unbase64("Zm9v!"), None);
    }
}
