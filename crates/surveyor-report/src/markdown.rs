//! `map.md`: the seeds' document — at a glance, diagram, flows, one table per area with
//! `file:line`, stacks, drift, findings, sources. PLACEHOLDER until the report lands.

use surveyor_model::Map;

pub fn render(map: &Map) -> String {
    let mut out = String::from("# Infrastructure map\n\n");
    out.push_str(&crate::mermaid::flowchart(map));
    out
}
