//! The short summary printed on stdout after a run.

use surveyor_model::Map;

pub fn summary(map: &Map) -> String {
    format!(
        "{} resources, {} edges, {} drift items, {} findings\n",
        map.resources.len(),
        map.edges.len(),
        map.drift.len(),
        map.findings.len()
    )
}
