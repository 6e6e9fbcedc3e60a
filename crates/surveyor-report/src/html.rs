//! `map.html`: one self-contained page with the architecture diagram. PLACEHOLDER.

use surveyor_model::Map;

pub fn render(map: &Map) -> String {
    format!(
        "<!doctype html><title>surveyor map</title><p>{} resources</p>",
        map.resources.len()
    )
}
