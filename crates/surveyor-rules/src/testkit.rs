//! Fixtures for the rules' own tests: resources from JSON, a map, one rule run.

use surveyor_model::ValueMap;
use surveyor_model::{
    Edge, EdgeKind, Finding, Map, Origin, Provenance, Resource, ResourceId, SourceKind, Value,
};

use crate::{Ctx, RULES};

fn attrs(json: &str) -> ValueMap {
    match serde_json::from_str::<Value>(json) {
        Ok(Value::Map(m)) => m,
        other => panic!("fixture attributes must be a JSON object: {other:?}"),
    }
}

/// A resource declared in code (at `main.tf:7`), named `name`.
pub fn code(ty: &str, name: &str, attributes: &str) -> Resource {
    let mut r = Resource::new(ResourceId::of(ty, name), ty);
    r.name = Some(name.into());
    r.in_code = true;
    r.attributes = attrs(attributes);
    r.code = Some(Provenance {
        file: "main.tf".into(),
        line: 7,
        address: Some(name.into()),
        source_kind: SourceKind::Terraform,
        ..Provenance::default()
    });
    r
}

/// A resource read from the account, with runtime facts in `state`.
pub fn live(ty: &str, name: &str, attributes: &str, state: &str) -> Resource {
    let mut r = Resource::new(ResourceId::of(ty, name), ty);
    r.name = Some(name.into());
    r.in_live = true;
    r.attributes = attrs(attributes);
    r.state = attrs(state);
    r
}

/// Code and live, merged.
pub fn both(ty: &str, name: &str, attributes: &str, state: &str) -> Resource {
    let mut r = code(ty, name, attributes);
    r.in_live = true;
    r.state = attrs(state);
    r
}

pub fn edge(from: &Resource, to: &Resource, kind: EdgeKind) -> Edge {
    Edge::new(from.id.clone(), to.id.clone(), kind, Origin::Live)
}

pub fn map(resources: Vec<Resource>, edges: Vec<Edge>) -> Map {
    Map {
        generated_at: "2026-12-01T12:00:00Z".into(),
        resources,
        edges,
        ..Map::default()
    }
}

/// The findings of one rule over `map`.
pub fn run(rule: &str, map: &Map) -> Vec<Finding> {
    let e = RULES
        .iter()
        .find(|e| e.meta.id == rule)
        .unwrap_or_else(|| panic!("no rule {rule}"));
    (e.run)(&Ctx::new(map))
}

/// The ids of the resources a rule fires on.
pub fn fired(rule: &str, map: &Map) -> Vec<String> {
    run(rule, map).into_iter().map(|f| f.resource.0).collect()
}
