//! The Mermaid flowchart shared by the Markdown report. PLACEHOLDER.

use surveyor_model::Map;

pub fn flowchart(_map: &Map) -> String {
    String::from("```mermaid\nflowchart LR\n```\n")
}
