//! Edges and flows. Every edge is derived from canonical properties (CloudFormation names),
//! one module per relationship family, so the same code links resources read from code and
//! from the live account. Live resources refer to each other by ARN, URL or name strings;
//! [`link`] first turns those strings into references, then derives the edges.
//!
//! PLACEHOLDER: `depends` edges from references only, until the link families land.

use surveyor_model::{Edge, EdgeKind, Flow, Origin, Resource};

/// Resolve string references and derive every edge between `resources` (pseudo-nodes such as
/// `internet` are appended to `resources` when an edge needs them).
#[allow(clippy::ptr_arg)] // pseudo-nodes are pushed once the real families land
pub fn link(resources: &mut Vec<Resource>) -> Vec<Edge> {
    let known: std::collections::HashSet<_> = resources.iter().map(|r| r.id.clone()).collect();
    let mut edges = Vec::new();
    for r in resources.iter() {
        let origin = if r.in_live && !r.in_code {
            Origin::Live
        } else {
            Origin::Code
        };
        for (_, to) in r.references() {
            if known.contains(to) && to != &r.id {
                edges.push(Edge::new(
                    r.id.clone(),
                    to.clone(),
                    EdgeKind::Depends,
                    origin,
                ));
            }
        }
    }
    edges.sort_by(|a, b| (&a.from, &a.to, a.kind).cmp(&(&b.from, &b.to, b.kind)));
    edges.dedup_by(|a, b| a.from == b.from && a.to == b.to && a.kind == b.kind);
    edges
}

/// Named request paths (from each entry point) and async pipelines through the graph.
pub fn flows(_resources: &[Resource], _edges: &[Edge]) -> Vec<Flow> {
    Vec::new()
}
