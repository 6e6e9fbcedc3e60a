use serde::{Deserialize, Serialize};

use crate::{Inventory, Note, Resource, Source, SourceKind};

pub const SNAPSHOT_SCHEMA: &str = "surveyor.snapshot/v1";

/// What `surveyor scan` writes and `--snapshot` reads: the account as collected, before any
/// code is compared with it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    pub schema: String,
    pub taken_at: String,
    #[serde(default)]
    pub account: Option<String>,
    #[serde(default = "default_partition")]
    pub partition: String,
    #[serde(default)]
    pub regions: Vec<String>,
    #[serde(default)]
    pub resources: Vec<Resource>,
    #[serde(default)]
    pub notes: Vec<Note>,
    /// Resource types the scan read completely (their service answered without a failure):
    /// a code resource of one of these types with no live match is `missing`. Absent in
    /// older snapshots, where the types present stand in for it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub collected_types: Vec<String>,
}

impl Snapshot {
    /// The live side of the pipeline: the snapshot's resources, account, regions and
    /// collected types, with one source entry of `kind` at `path`. The one conversion both
    /// `--snapshot` and `--live` use, so the two give the same map.
    pub fn inventory(&self, kind: SourceKind, path: &str) -> Inventory {
        Inventory {
            resources: self.resources.clone(),
            account: self.account.clone(),
            regions: self.regions.clone(),
            notes: Vec::new(),
            sources: vec![Source {
                kind,
                path: path.to_string(),
                resources: self.resources.len(),
            }],
            stacks: Vec::new(),
            collected_types: self.collected_types.clone(),
        }
    }
}

fn default_partition() -> String {
    "aws".to_string()
}
