//! Code ↔ reality: matching code resources to live ones (stack resources, state ids, ARNs,
//! names, tags — never by guess alone), drift (`unmanaged`, `missing`, `changed`, `count`),
//! AWS default resources suppressed, the ignore file, and coverage.
//!
//! PLACEHOLDER: passes code through and appends live resources unmatched, until the real
//! matcher lands.

use surveyor_model::{Coverage, Drift, Inventory, Note, Resource};

/// Patterns from `.surveyorignore`: drift and findings the user accepts.
#[derive(Debug, Clone, Default)]
pub struct IgnoreRules {
    pub patterns: Vec<String>,
}

/// The merged resource list and what the comparison found.
#[derive(Debug, Default)]
pub struct Reconciled {
    pub resources: Vec<Resource>,
    pub drift: Vec<Drift>,
    pub coverage: Option<Coverage>,
    pub notes: Vec<Note>,
}

/// Merge `code` with `live` (when the account or a snapshot was read).
pub fn reconcile(code: Inventory, live: Option<Inventory>, _ignore: &IgnoreRules) -> Reconciled {
    let mut resources = code.resources;
    let coverage = live.as_ref().map(|_| Coverage::new(0, 0, 0));
    if let Some(live) = live {
        resources.extend(live.resources);
    }
    Reconciled {
        resources,
        drift: Vec::new(),
        coverage,
        notes: Vec::new(),
    }
}
