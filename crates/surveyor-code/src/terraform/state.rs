//! Terraform state (`terraform.tfstate` v3 and v4, and `terraform show -json` of a state or
//! of a plan's planned values), read leniently as raw JSON: no provider schemas. Every managed
//! instance becomes a [`StateResource`] with its address (modules and index keys kept), id,
//! ARN, attributes (Terraform's shape: nested blocks as lists of objects) and the line of its
//! entry in the file. Data sources are skipped.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use surveyor_model::ValueMap;

use serde::de::IgnoredAny;
use serde::Deserialize;
use surveyor_model::Value;

use super::hcl::{line_of, line_starts};
use crate::CodeError;

#[derive(Debug, Clone)]
pub struct StateResource {
    pub tf_type: String,
    pub address: String,
    pub module: Vec<String>,
    pub line: u32,
    pub attrs: ValueMap,
}

/// Split `module.a.module.b["x"]` into `["module.a", "module.b[\"x\"]"]`.
pub fn module_chain(module: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut depth = 0i32;
    let mut in_str = false;
    let mut esc = false;
    for (i, c) in module.char_indices() {
        if in_str {
            if esc {
                esc = false;
            } else if c == '\\' {
                esc = true;
            } else if c == '"' {
                in_str = false;
            }
        } else if c == '"' {
            in_str = true;
        } else if c == '[' {
            depth += 1;
        } else if c == ']' {
            depth -= 1;
        } else if c == '.'
            && depth == 0
            && !cur.is_empty()
            && module
                .get(i + 1..)
                .is_some_and(|r| r.starts_with("module."))
        {
            out.push(std::mem::take(&mut cur));
            continue;
        }
        cur.push(c);
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Positions found by one pass over the JSON text (no second parse).
#[derive(Default)]
struct Positions {
    /// Offsets of the objects in the top-level `resources` array (v4).
    v4: Vec<usize>,
    /// Offsets of the keys of each module's `resources` object (v3), in order.
    v3: Vec<usize>,
    /// `"address": "…"` → offset of its first occurrence (show -json).
    addresses: HashMap<String, usize>,
}

fn scan(text: &str) -> Positions {
    let b = text.as_bytes();
    let mut p = Positions::default();
    // Container stack: (is_object, key that holds it).
    let mut stack: Vec<(bool, Option<String>)> = Vec::new();
    let mut top_key: Option<String> = None;
    let mut last_key: Option<String> = None;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'"' => {
                let start = i;
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    if b[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
                let end = (i + 1).min(b.len());
                let mut j = end;
                while j < b.len() && b[j].is_ascii_whitespace() {
                    j += 1;
                }
                let is_key = j < b.len() && b[j] == b':' && stack.last().is_some_and(|s| s.0);
                if is_key {
                    let raw = text.get(start + 1..end.saturating_sub(1)).unwrap_or("");
                    let depth = stack.len();
                    if depth == 1 {
                        top_key = Some(raw.to_string());
                    }
                    if depth == 4
                        && top_key.as_deref() == Some("modules")
                        && stack.get(3).and_then(|s| s.1.as_deref()) == Some("resources")
                    {
                        p.v3.push(start);
                    }
                    if raw == "address" {
                        // The value string follows the colon.
                        let mut k = j + 1;
                        while k < b.len() && b[k].is_ascii_whitespace() {
                            k += 1;
                        }
                        if k < b.len() && b[k] == b'"' {
                            let vs = k;
                            k += 1;
                            while k < b.len() && b[k] != b'"' {
                                if b[k] == b'\\' {
                                    k += 1;
                                }
                                k += 1;
                            }
                            if let Some(lit) = text.get(vs..(k + 1).min(b.len())) {
                                if let Ok(a) = serde_json::from_str::<String>(lit) {
                                    p.addresses.entry(a).or_insert(start);
                                }
                            }
                        }
                    }
                    last_key = if depth <= 4 {
                        Some(raw.to_string())
                    } else {
                        None
                    };
                }
                i = end;
                continue;
            }
            c @ (b'{' | b'[') => {
                stack.push((c == b'{', last_key.take()));
                if c == b'{' && stack.len() == 3 && top_key.as_deref() == Some("resources") {
                    p.v4.push(i);
                }
            }
            b'}' | b']' => {
                stack.pop();
            }
            _ => {}
        }
        i += 1;
    }
    p
}

fn index_suffix(k: &serde_json::Value) -> String {
    match k {
        serde_json::Value::Number(n) => format!("[{n}]"),
        serde_json::Value::String(s) => {
            format!("[{}]", serde_json::to_string(s).unwrap_or_default())
        }
        _ => String::new(),
    }
}

pub enum Document {
    State(Vec<StateResource>),
    /// `terraform show -json` of a plan: planned values and the changes.
    Plan {
        planned: Vec<StateResource>,
        changes: Vec<(String, String)>,
    },
}

/// What decides how a document is read; the rest is skipped without being built.
#[derive(Deserialize)]
struct Head {
    version: Option<serde_json::Value>,
    planned_values: Option<IgnoredAny>,
    resource_changes: Option<IgnoredAny>,
    values: Option<IgnoredAny>,
}

#[derive(Deserialize)]
struct V4 {
    #[serde(default)]
    resources: Vec<V4Resource>,
}

#[derive(Deserialize)]
struct V4Resource {
    #[serde(default)]
    mode: String,
    #[serde(rename = "type", default)]
    ty: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    module: Option<String>,
    #[serde(default)]
    instances: Vec<V4Instance>,
}

#[derive(Deserialize)]
struct V4Instance {
    #[serde(default)]
    index_key: Option<serde_json::Value>,
    #[serde(default)]
    attributes: Option<ValueMap>,
    #[serde(default)]
    attributes_flat: Option<serde_json::Map<String, serde_json::Value>>,
    #[serde(default)]
    deposed: Option<serde_json::Value>,
}

/// A v4 state straight into typed records: the common case, and the large one (no
/// intermediate JSON tree). `None` when the document does not have the expected shape; the
/// lenient reader then takes it.
fn read_v4_typed(text: &str, pos: &Positions, starts: &[usize]) -> Option<Vec<StateResource>> {
    let doc: V4 = serde_json::from_str(text).ok()?;
    let mut out = Vec::new();
    for (ri, r) in doc.resources.into_iter().enumerate() {
        if r.mode != "managed" || r.ty.is_empty() {
            continue;
        }
        let module = r.module.unwrap_or_default();
        let prefix = if module.is_empty() {
            String::new()
        } else {
            format!("{module}.")
        };
        let line = pos.v4.get(ri).map(|o| line_of(starts, *o)).unwrap_or(0);
        let chain = module_chain(&module);
        for inst in r.instances {
            if inst.deposed.is_some() {
                continue;
            }
            let suffix = inst
                .index_key
                .as_ref()
                .map(index_suffix)
                .unwrap_or_default();
            let attrs = match (inst.attributes, inst.attributes_flat) {
                (Some(a), _) => a,
                (None, Some(f)) => unflatten(&f),
                _ => ValueMap::new(),
            };
            out.push(StateResource {
                tf_type: r.ty.clone(),
                address: format!("{prefix}{}.{}{suffix}", r.ty, r.name),
                module: chain.clone(),
                line,
                attrs,
            });
        }
    }
    Some(out)
}

/// Read a state or plan document from text; `path` names it in errors.
pub fn read_text(text: &str, path: &Path) -> Result<Document, CodeError> {
    let text = text.trim_start_matches('\u{feff}');
    if let Ok(head) = serde_json::from_str::<Head>(text) {
        let plain = head.planned_values.is_none()
            && head.resource_changes.is_none()
            && head.values.is_none();
        if plain && head.version.as_ref().and_then(|v| v.as_i64()) == Some(4) {
            let starts = line_starts(text);
            let pos = scan(text);
            if let Some(rs) = read_v4_typed(text, &pos, &starts) {
                return Ok(Document::State(rs));
            }
        }
    }
    let json: serde_json::Value = serde_json::from_str(text.trim_start_matches('\u{feff}'))
        .map_err(|e| {
            CodeError::syntax(
                path,
                u32::try_from(e.line()).unwrap_or(0),
                format!("not valid JSON: {e}"),
            )
        })?;
    let Some(obj) = json.as_object() else {
        return Err(CodeError::invalid(
            path,
            "not a Terraform state: the document is not an object",
        ));
    };
    let starts = line_starts(text);
    let pos = scan(text);
    let line = |off: Option<&usize>| off.map(|o| line_of(&starts, *o)).unwrap_or(0);
    if obj.contains_key("planned_values") || obj.contains_key("resource_changes") {
        let mut planned = Vec::new();
        if let Some(root) = obj.get("planned_values").and_then(|v| v.get("root_module")) {
            walk_show_module(root, &pos, &line, &mut planned);
        }
        let changes = obj
            .get("resource_changes")
            .and_then(|c| c.as_array())
            .map(|a| {
                a.iter()
                    .filter(|c| c.get("mode").and_then(|m| m.as_str()) != Some("data"))
                    .filter_map(|c| {
                        let addr = c.get("address")?.as_str()?.to_string();
                        let acts: Vec<&str> = c
                            .get("change")?
                            .get("actions")?
                            .as_array()?
                            .iter()
                            .filter_map(|x| x.as_str())
                            .collect();
                        let kind = match acts.as_slice() {
                            ["create"] => "create",
                            ["update"] => "update",
                            ["delete"] => "delete",
                            ["delete", "create"] | ["create", "delete"] => "replace",
                            ["read"] => "read",
                            _ => "no-op",
                        };
                        Some((addr, kind.to_string()))
                    })
                    .collect()
            })
            .unwrap_or_default();
        return Ok(Document::Plan { planned, changes });
    }
    if let Some(values) = obj.get("values") {
        let mut out = Vec::new();
        if let Some(root) = values.get("root_module") {
            walk_show_module(root, &pos, &line, &mut out);
        }
        return Ok(Document::State(out));
    }
    if obj.contains_key("format_version") && !obj.contains_key("version") {
        // `terraform show -json` of an empty state has no `values`.
        return Ok(Document::State(Vec::new()));
    }
    let version = obj.get("version").and_then(|v| v.as_i64());
    match version {
        Some(4) => {
            let mut out = Vec::new();
            let resources = obj.get("resources").and_then(|r| r.as_array());
            for (ri, r) in resources.into_iter().flatten().enumerate() {
                if r.get("mode").and_then(|m| m.as_str()) != Some("managed") {
                    continue;
                }
                let (Some(ty), Some(name)) = (
                    r.get("type").and_then(|t| t.as_str()),
                    r.get("name").and_then(|t| t.as_str()),
                ) else {
                    continue;
                };
                let module = r.get("module").and_then(|m| m.as_str()).unwrap_or("");
                let prefix = if module.is_empty() { String::new() } else { format!("{module}.") };
                let ln = line(pos.v4.get(ri));
                for inst in r.get("instances").and_then(|i| i.as_array()).into_iter().flatten() {
                    let suffix = inst.get("index_key").map(index_suffix).unwrap_or_default();
                    if inst.get("deposed").is_some() {
                        continue;
                    }
                    let attrs = match (inst.get("attributes"), inst.get("attributes_flat")) {
                        (Some(serde_json::Value::Object(a)), _) => a
                            .iter()
                            .map(|(k, v)| (k.clone(), Value::from_json(v.clone())))
                            .collect(),
                        (_, Some(serde_json::Value::Object(f))) => unflatten(f),
                        _ => ValueMap::new(),
                    };
                    out.push(StateResource {
                        tf_type: ty.to_string(),
                        address: format!("{prefix}{ty}.{name}{suffix}"),
                        module: module_chain(module),
                        line: ln,
                        attrs,
                    });
                }
            }
            Ok(Document::State(out))
        }
        Some(3) => {
            let mut out = Vec::new();
            let mut ki = 0;
            for m in obj.get("modules").and_then(|m| m.as_array()).into_iter().flatten() {
                let path: Vec<&str> = m
                    .get("path")
                    .and_then(|p| p.as_array())
                    .map(|a| a.iter().filter_map(|x| x.as_str()).collect())
                    .unwrap_or_default();
                let chain: Vec<String> = path.iter().skip(1).map(|p| format!("module.{p}")).collect();
                let prefix: String = chain.iter().map(|c| format!("{c}.")).collect();
                for (key, r) in m.get("resources").and_then(|r| r.as_object()).into_iter().flatten() {
                    let ln = line(pos.v3.get(ki));
                    ki += 1;
                    if key.starts_with("data.") {
                        continue;
                    }
                    let parts: Vec<&str> = key.split('.').collect();
                    let (ty, name, idx) = match parts.as_slice() {
                        [t, n] => (*t, *n, String::new()),
                        [t, n, i] if i.parse::<u64>().is_ok() => (*t, *n, format!("[{i}]")),
                        _ => continue,
                    };
                    let ty = r.get("type").and_then(|t| t.as_str()).unwrap_or(ty);
                    let attrs = r
                        .get("primary")
                        .and_then(|p| p.get("attributes"))
                        .and_then(|a| a.as_object())
                        .map(unflatten)
                        .unwrap_or_default();
                    out.push(StateResource {
                        tf_type: ty.to_string(),
                        address: format!("{prefix}{ty}.{name}{idx}"),
                        module: chain.clone(),
                        line: ln,
                        attrs,
                    });
                }
            }
            Ok(Document::State(out))
        }
        Some(v) => Err(CodeError::invalid(
            path,
            format!("Terraform state version {v} is not supported (versions 3 and 4 are; upgrade the state with a newer Terraform)"),
        )),
        None => Err(CodeError::invalid(path, "not a Terraform state: no `version` field")),
    }
}

fn walk_show_module(
    m: &serde_json::Value,
    pos: &Positions,
    line: &dyn Fn(Option<&usize>) -> u32,
    out: &mut Vec<StateResource>,
) {
    let module = m.get("address").and_then(|a| a.as_str()).unwrap_or("");
    for r in m
        .get("resources")
        .and_then(|r| r.as_array())
        .into_iter()
        .flatten()
    {
        if r.get("mode").and_then(|x| x.as_str()) == Some("data") {
            continue;
        }
        let (Some(ty), Some(addr)) = (
            r.get("type").and_then(|t| t.as_str()),
            r.get("address").and_then(|t| t.as_str()),
        ) else {
            continue;
        };
        let attrs = r
            .get("values")
            .and_then(|v| v.as_object())
            .map(|a| {
                a.iter()
                    .map(|(k, v)| (k.clone(), Value::from_json(v.clone())))
                    .collect()
            })
            .unwrap_or_default();
        out.push(StateResource {
            tf_type: ty.to_string(),
            address: addr.to_string(),
            module: module_chain(module),
            line: line(pos.addresses.get(addr)),
            attrs,
        });
    }
    for c in m
        .get("child_modules")
        .and_then(|c| c.as_array())
        .into_iter()
        .flatten()
    {
        walk_show_module(c, pos, line, out);
    }
}

/// Terraform 0.11's flat attributes (`tags.%`, `ingress.123.from_port`) → nested values.
fn unflatten(flat: &serde_json::Map<String, serde_json::Value>) -> ValueMap {
    #[derive(Default)]
    struct Node {
        leaf: Option<Value>,
        kids: BTreeMap<String, Node>,
    }
    let mut root = Node::default();
    for (k, v) in flat {
        let mut n = &mut root;
        // Map keys (after `%`-counted maps such as tags) may hold dots; they are rare and
        // are split like the rest.
        for part in k.split('.') {
            n = n.kids.entry(part.to_string()).or_default();
        }
        n.leaf = Some(Value::from_json(v.clone()));
    }
    fn conv(n: Node, depth: u32) -> Value {
        if depth > 64 {
            return Value::Null;
        }
        if n.kids.is_empty() {
            return n.leaf.unwrap_or_default();
        }
        if n.kids.contains_key("#") {
            let mut items: Vec<(String, Node)> =
                n.kids.into_iter().filter(|(k, _)| k != "#").collect();
            items.sort_by(|a, b| match (a.0.parse::<u64>(), b.0.parse::<u64>()) {
                (Ok(x), Ok(y)) => x.cmp(&y),
                _ => a.0.cmp(&b.0),
            });
            return Value::List(items.into_iter().map(|(_, v)| conv(v, depth + 1)).collect());
        }
        Value::Map(
            n.kids
                .into_iter()
                .filter(|(k, _)| k != "%")
                .map(|(k, v)| (k, conv(v, depth + 1)))
                .collect(),
        )
    }
    match conv(root, 0) {
        Value::Map(m) => m,
        _ => ValueMap::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_paths_split_outside_brackets() {
        assert_eq!(
            module_chain(r#"module.a.module.b["x.module.y"]"#),
            vec![
                "module.a".to_string(),
                r#"module.b["x.module.y"]"#.to_string()
            ]
        );
        assert!(module_chain("").is_empty());
    }

    #[test]
    fn v3_flat_attributes_become_lists_and_maps() {
        let flat: serde_json::Map<String, serde_json::Value> = serde_json::from_str(
            r#"{"subnets.#":"2","subnets.11":"b","subnets.2":"a","tags.%":"1","tags.Name":"x","id":"i"}"#,
        )
        .unwrap();
        let a = unflatten(&flat);
        assert_eq!(
            a["subnets"],
            Value::List(vec![Value::str("a"), Value::str("b")])
        );
        assert_eq!(a["tags"].pointer("Name"), Some(&Value::str("x")));
    }

    #[test]
    fn v4_lines_point_at_each_resource() {
        let text = "{\n \"version\": 4,\n \"resources\": [\n  {\"mode\":\"managed\",\"type\":\"aws_sqs_queue\",\"name\":\"q\",\n   \"instances\":[{\"attributes\":{\"id\":\"u\"}}]},\n  {\"mode\":\"managed\",\"type\":\"aws_sns_topic\",\"name\":\"t\",\"instances\":[{\"index_key\":\"a\",\"attributes\":{}}]}\n ]\n}";
        let Document::State(rs) = read_text(text, Path::new("s.tfstate")).unwrap() else {
            panic!("not a state")
        };
        assert_eq!(rs[0].line, 4);
        assert_eq!(rs[1].line, 6);
        assert_eq!(rs[1].address, r#"aws_sns_topic.t["a"]"#);
    }
}
