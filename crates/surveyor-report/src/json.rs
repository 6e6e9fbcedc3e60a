//! `map.json`: the contract document, pretty-printed, deterministic.

use surveyor_model::Map;

pub fn render(map: &Map) -> String {
    let mut s =
        serde_json::to_string_pretty(map).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"));
    s.push('\n');
    s
}
