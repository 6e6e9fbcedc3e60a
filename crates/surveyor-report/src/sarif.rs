//! `findings.sarif`: SARIF 2.1.0 for code-scanning tools (GitHub code scanning, IDEs). One
//! run; `tool.driver` names surveyor, its version and every rule of the catalogue (id,
//! descriptions, the rule's doc as help, default level from its severity, its category as a
//! tag). Each finding is a result located at the code that declares the resource
//! (`%SRCROOT%`-relative), or, when no code declares it, at the resource id as a logical
//! location.

use serde_json::{json, Value as Json};
use surveyor_model::{Finding, Map, Severity};
use surveyor_rules::RuleInfo;

pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The SARIF level of a severity: critical/high → error, medium → warning, low/info → note.
pub fn level(s: Severity) -> &'static str {
    match s {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

pub fn render(map: &Map) -> String {
    let mut s = serde_json::to_string_pretty(&document(map))
        .unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"));
    s.push('\n');
    s
}

/// The SARIF log as JSON, with the rules of the catalogue.
pub fn document(map: &Map) -> Json {
    document_with(map, &surveyor_rules::catalogue())
}

/// The SARIF log as JSON, describing `catalogue` as the tool's rules.
pub fn document_with(map: &Map, catalogue: &[RuleInfo]) -> Json {
    let mut rules: Vec<Json> = catalogue
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "name": pascal(r.id),
                "shortDescription": {"text": r.summary},
                "fullDescription": {"text": first_paragraph(r.doc, r.summary)},
                "help": {"text": r.doc.trim(), "markdown": r.doc.trim()},
                "defaultConfiguration": {"level": level(r.severity)},
                "properties": {
                    "tags": [r.category.as_str()],
                    "precision": "high",
                    "problem.severity": level(r.severity),
                },
            })
        })
        .collect();
    // Findings from rules the catalogue does not list still get a rule entry, so every
    // result's ruleIndex points somewhere.
    let mut ids: Vec<String> = catalogue.iter().map(|r| r.id.to_string()).collect();
    for f in &map.findings {
        if !ids.contains(&f.rule) {
            ids.push(f.rule.clone());
            rules.push(json!({
                "id": f.rule,
                "shortDescription": {"text": f.title},
                "defaultConfiguration": {"level": level(f.severity)},
                "properties": {"tags": [f.category.as_str()]},
            }));
        }
    }
    let results: Vec<Json> = map
        .findings
        .iter()
        .map(|f| result(f, map, ids.iter().position(|i| *i == f.rule).unwrap_or(0)))
        .collect();
    json!({
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "surveyor",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "originalUriBaseIds": {"%SRCROOT%": {"description": {"text": "The first PATH given to surveyor map"}}},
            "results": results,
            "columnKind": "unicodeCodePoints",
        }],
    })
}

fn result(f: &Finding, map: &Map, rule_index: usize) -> Json {
    let mut text = f.title.trim().to_string();
    if !f.evidence.is_empty() {
        text.push_str(&format!(
            " Evidence: {}.",
            f.evidence.trim().trim_end_matches('.')
        ));
    }
    if !f.action.is_empty() {
        text.push_str(&format!(" Action: {}", f.action.trim()));
    }
    let res = map.resource(&f.resource);
    let loc = f.code_location.clone().or_else(|| {
        res.and_then(|r| r.code.as_ref())
            .filter(|p| !p.file.is_empty())
            .map(|p| surveyor_model::Location {
                file: p.file.clone(),
                line: p.line,
            })
    });
    let logical = json!({
        "name": res.map(crate::layout::label).unwrap_or_else(|| f.resource.0.clone()),
        "fullyQualifiedName": f.resource.0,
        "kind": "resource",
    });
    let location = match loc {
        Some(l) => {
            let mut phys = json!({
                "artifactLocation": {"uri": uri(&l.file), "uriBaseId": "%SRCROOT%"},
            });
            if l.line > 0 {
                phys["region"] = json!({"startLine": l.line});
            }
            json!({"physicalLocation": phys, "logicalLocations": [logical]})
        }
        None => json!({"logicalLocations": [logical]}),
    };
    json!({
        "ruleId": f.rule,
        "ruleIndex": rule_index,
        "level": level(f.severity),
        "message": {"text": text},
        "locations": [location],
        "partialFingerprints": {"surveyor/v1": format!("{}|{}", f.rule, f.resource.0)},
        "properties": {
            "severity": f.severity.as_str(),
            "category": f.category.as_str(),
            "resource": f.resource.0,
            "why": f.why,
        },
    })
}

/// A relative URI: forward slashes, no leading `./`, spaces and `%` percent-encoded.
fn uri(path: &str) -> String {
    let p = path.replace('\\', "/");
    let p = p.trim_start_matches("./");
    let mut out = String::with_capacity(p.len());
    for c in p.chars() {
        match c {
            ' ' => out.push_str("%20"),
            '%' => out.push_str("%25"),
            '#' => out.push_str("%23"),
            '?' => out.push_str("%3F"),
            c => out.push(c),
        }
    }
    out
}

fn pascal(id: &str) -> String {
    id.split('-')
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_uppercase().chain(c).collect::<String>(),
                None => String::new(),
            }
        })
        .collect()
}

fn first_paragraph(doc: &str, fallback: &str) -> String {
    let p = doc
        .split("\n\n")
        .map(|p| p.trim())
        .find(|p| !p.is_empty() && !p.starts_with('#'))
        .unwrap_or(fallback);
    p.to_string()
}
