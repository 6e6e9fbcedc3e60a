use serde::{Deserialize, Serialize};

use crate::{Edge, Resource, ResourceId, Value};

pub const MAP_SCHEMA: &str = "surveyor.map/v1";

/// What kind of input a resource or source came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    #[default]
    Cdk,
    Cloudformation,
    Terraform,
    Tfstate,
    Tfplan,
    Live,
    Snapshot,
}

impl SourceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::Cdk => "cdk",
            SourceKind::Cloudformation => "cloudformation",
            SourceKind::Terraform => "terraform",
            SourceKind::Tfstate => "tfstate",
            SourceKind::Tfplan => "tfplan",
            SourceKind::Live => "live",
            SourceKind::Snapshot => "snapshot",
        }
    }
}

/// The area a resource belongs to, for tables, diagram styling and counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    Compute,
    Network,
    Data,
    Messaging,
    Orchestration,
    Edge,
    Security,
    Observability,
    Delivery,
    Other,
}

impl Category {
    pub const ALL: [Category; 10] = [
        Category::Compute,
        Category::Network,
        Category::Data,
        Category::Messaging,
        Category::Orchestration,
        Category::Edge,
        Category::Security,
        Category::Observability,
        Category::Delivery,
        Category::Other,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Compute => "compute",
            Category::Network => "network",
            Category::Data => "data",
            Category::Messaging => "messaging",
            Category::Orchestration => "orchestration",
            Category::Edge => "edge",
            Category::Security => "security",
            Category::Observability => "observability",
            Category::Delivery => "delivery",
            Category::Other => "other",
        }
    }
    pub fn title(self) -> &'static str {
        match self {
            Category::Compute => "Compute",
            Category::Network => "Network",
            Category::Data => "Data",
            Category::Messaging => "Messaging",
            Category::Orchestration => "Orchestration & schedules",
            Category::Edge => "Edge",
            Category::Security => "Security",
            Category::Observability => "Observability",
            Category::Delivery => "Delivery (CI/CD)",
            Category::Other => "Other",
        }
    }
}

/// One input that was read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Source {
    pub kind: SourceKind,
    pub path: String,
    pub resources: usize,
}

/// A deployable unit of code: a CloudFormation/CDK stack or a Terraform root/module.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Stack {
    pub name: String,
    pub source_kind: SourceKind,
    /// The template or folder it was read from.
    pub path: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Names of the stacks this one must be deployed after.
    #[serde(default)]
    pub depends_on: Vec<String>,
    /// CDK stage or nested-assembly path, where there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stage: Option<String>,
    /// Where the stack is created in the user's source (CDK).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    pub resources: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Location {
    pub file: String,
    pub line: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DriftKind {
    Unmanaged,
    Missing,
    Changed,
    Count,
}

impl DriftKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DriftKind::Unmanaged => "unmanaged",
            DriftKind::Missing => "missing",
            DriftKind::Changed => "changed",
            DriftKind::Count => "count",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Drift {
    pub kind: DriftKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<ResourceId>,
    #[serde(rename = "type")]
    pub type_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribute: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub live: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code_location: Option<Location>,
    /// For `count`: the stack or module the counts are for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
    pub fn parse(s: &str) -> Option<Severity> {
        match s.to_ascii_lowercase().as_str() {
            "info" => Some(Severity::Info),
            "low" => Some(Severity::Low),
            "medium" => Some(Severity::Medium),
            "high" => Some(Severity::High),
            "critical" => Some(Severity::Critical),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FindingCategory {
    Security,
    Reliability,
    Cost,
    Operations,
    Hygiene,
}

impl FindingCategory {
    pub fn as_str(self) -> &'static str {
        match self {
            FindingCategory::Security => "security",
            FindingCategory::Reliability => "reliability",
            FindingCategory::Cost => "cost",
            FindingCategory::Operations => "operations",
            FindingCategory::Hygiene => "hygiene",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    pub rule: String,
    pub severity: Severity,
    pub category: FindingCategory,
    pub resource: ResourceId,
    pub title: String,
    pub why: String,
    pub action: String,
    pub evidence: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code_location: Option<Location>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Flow {
    pub name: String,
    pub steps: Vec<ResourceId>,
    /// `request` (from an entry point) or `async` (a pipeline through queues and topics).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Coverage {
    pub managed: usize,
    pub unmanaged: usize,
    pub missing: usize,
    pub percent: f64,
}

impl Coverage {
    pub fn new(managed: usize, unmanaged: usize, missing: usize) -> Self {
        let total = managed + unmanaged;
        let percent = if total == 0 {
            100.0
        } else {
            (managed as f64 * 1000.0 / total as f64).round() / 10.0
        };
        Coverage {
            managed,
            unmanaged,
            missing,
            percent,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Probe {
    pub url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ms: Option<u64>,
    pub summary: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NoteLevel {
    Info,
    Warning,
    Error,
}

/// Something the run could not read, chose to skip, or wants the reader to know.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Note {
    pub level: NoteLevel,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    pub message: String,
}

impl Note {
    pub fn new(level: NoteLevel, message: impl Into<String>) -> Self {
        Note {
            level,
            service: None,
            region: None,
            file: None,
            line: None,
            message: message.into(),
        }
    }
    pub fn warning(message: impl Into<String>) -> Self {
        Note::new(NoteLevel::Warning, message)
    }
    pub fn info(message: impl Into<String>) -> Self {
        Note::new(NoteLevel::Info, message)
    }
    pub fn at(mut self, file: impl Into<String>, line: Option<u32>) -> Self {
        self.file = Some(file.into());
        self.line = line;
        self
    }
    pub fn service(mut self, service: impl Into<String>, region: Option<String>) -> Self {
        self.service = Some(service.into());
        self.region = region;
        self
    }
}

/// The document `map.json` holds: the contract's `surveyor.map/v1`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Map {
    pub schema: String,
    pub generated_at: String,
    #[serde(default)]
    pub account: Option<String>,
    #[serde(default)]
    pub regions: Vec<String>,
    #[serde(default)]
    pub sources: Vec<Source>,
    #[serde(default)]
    pub stacks: Vec<Stack>,
    #[serde(default)]
    pub resources: Vec<Resource>,
    #[serde(default)]
    pub edges: Vec<Edge>,
    #[serde(default)]
    pub drift: Vec<Drift>,
    #[serde(default)]
    pub findings: Vec<Finding>,
    #[serde(default)]
    pub flows: Vec<Flow>,
    #[serde(default)]
    pub coverage: Option<Coverage>,
    #[serde(default)]
    pub probes: Vec<Probe>,
    #[serde(default)]
    pub notes: Vec<Note>,
}

impl Default for Map {
    fn default() -> Self {
        Map {
            schema: MAP_SCHEMA.to_string(),
            generated_at: String::new(),
            account: None,
            regions: Vec::new(),
            sources: Vec::new(),
            stacks: Vec::new(),
            resources: Vec::new(),
            edges: Vec::new(),
            drift: Vec::new(),
            findings: Vec::new(),
            flows: Vec::new(),
            coverage: None,
            probes: Vec::new(),
            notes: Vec::new(),
        }
    }
}

impl Map {
    /// Index from id to position in `resources`; rebuild after changing the list.
    pub fn index(&self) -> std::collections::HashMap<&ResourceId, usize> {
        self.resources
            .iter()
            .enumerate()
            .map(|(i, r)| (&r.id, i))
            .collect()
    }

    pub fn resource(&self, id: &ResourceId) -> Option<&Resource> {
        self.resources.iter().find(|r| &r.id == id)
    }
}

/// What one side (code, or the account) contributes before reconciliation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Inventory {
    pub resources: Vec<Resource>,
    pub stacks: Vec<Stack>,
    pub sources: Vec<Source>,
    pub notes: Vec<Note>,
    /// The account and regions, where the inputs say (CDK env, state ARNs, STS).
    pub account: Option<String>,
    pub regions: Vec<String>,
    /// Live inventories: the types read completely (see `Snapshot::collected_types`); empty
    /// when unknown.
    pub collected_types: Vec<String>,
}

impl Inventory {
    /// Append another inventory (a second PATH, a second region).
    pub fn extend(&mut self, other: Inventory) {
        // The common case is one input: take its list over instead of copying it.
        if self.resources.is_empty() {
            self.resources = other.resources;
        } else {
            self.resources.extend(other.resources);
        }
        self.stacks.extend(other.stacks);
        self.sources.extend(other.sources);
        self.notes.extend(other.notes);
        if self.account.is_none() {
            self.account = other.account;
        }
        for r in other.regions {
            if !self.regions.contains(&r) {
                self.regions.push(r);
            }
        }
        for t in other.collected_types {
            if !self.collected_types.contains(&t) {
                self.collected_types.push(t);
            }
        }
    }
}
