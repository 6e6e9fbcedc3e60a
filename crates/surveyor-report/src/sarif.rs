//! `findings.sarif`: SARIF 2.1.0 for code-scanning tools. PLACEHOLDER.

use surveyor_model::Map;

pub fn render(_map: &Map) -> String {
    serde_json::json!({"version": "2.1.0", "runs": []}).to_string()
}
