//! The findings catalogue: one file per rule under `rules/`, each with its documentation
//! (What it fires on / Why it matters / What to do / Example), id, severity, category and the
//! check over the reconciled map. [`audit`] runs them all.
//!
//! PLACEHOLDER: no rules yet.

use surveyor_model::{Finding, FindingCategory, Map, Severity};

/// A rule's catalogue entry.
#[derive(Debug, Clone, Copy)]
pub struct RuleInfo {
    pub id: &'static str,
    pub severity: Severity,
    pub category: FindingCategory,
    pub summary: &'static str,
    /// The user documentation (Markdown), shown by `surveyor explain`.
    pub doc: &'static str,
}

/// Every rule, in catalogue order.
pub fn catalogue() -> Vec<RuleInfo> {
    Vec::new()
}

/// A rule's entry by id.
pub fn rule(id: &str) -> Option<RuleInfo> {
    catalogue().into_iter().find(|r| r.id == id)
}

/// Run every rule over the map.
pub fn audit(_map: &Map) -> Vec<Finding> {
    Vec::new()
}
