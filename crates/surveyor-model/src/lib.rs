//! The canonical model of surveyor: resources in AWS's own vocabulary (CloudFormation types and
//! property names), the values they hold (with references kept as references), where each was
//! declared, the edges between them, and the `Map` and `Snapshot` documents of the public
//! contract. It also owns the **type registry**: one entry per resource type with its
//! CloudFormation and Terraform names, category, identity rules and drift-compared properties.
//!
//! Every other crate reads into or works on these types only, so that code and live resources
//! are linked, reconciled, audited and rendered by the same code.

mod graph;
mod ids;
mod map;
pub mod registry;
mod resource;
mod snapshot;
pub mod sorted_map;
mod time;
mod value;

pub use graph::{Edge, EdgeKind, Origin};
pub use ids::{assign_stable_ids, rewrite_refs};
pub use map::{
    Category, Coverage, Drift, DriftKind, Finding, FindingCategory, Flow, Inventory, Location, Map,
    Note, NoteLevel, Probe, Severity, Source, SourceKind, Stack, MAP_SCHEMA,
};
pub use resource::{Provenance, Resource, ResourceId, StackRef};
pub use snapshot::{Snapshot, SNAPSHOT_SCHEMA};
pub use sorted_map::SortedMap;
pub use time::{now_rfc3339, rfc3339};
pub use value::Value;

/// A map of property names to values: `Value::Map` and a resource's attributes and state.
pub type ValueMap = SortedMap<String, Value>;
