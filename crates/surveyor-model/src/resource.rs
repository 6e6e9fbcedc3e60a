use serde::{Deserialize, Serialize};
use std::fmt;

use crate::{SortedMap, SourceKind, Value, ValueMap};

/// A resource's identity in the map: the ARN when one is known, else `TYPE::name-or-address`
/// (see [`crate::assign_stable_ids`]). Readers may use provisional ids of the same form.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default)]
#[serde(transparent)]
pub struct ResourceId(pub String);

impl ResourceId {
    pub fn new(s: impl Into<String>) -> Self {
        ResourceId(s.into())
    }
    /// The provisional id of a resource known only by type and a name or code address.
    pub fn of(type_name: &str, name_or_address: &str) -> Self {
        ResourceId(format!("{type_name}::{name_or_address}"))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ResourceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for ResourceId {
    fn from(s: &str) -> Self {
        ResourceId(s.to_string())
    }
}

/// Where a resource is declared. `line` is 1-based and points at the declaration in the user's
/// own source; `file` is relative to the PATH given on the command line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Provenance {
    pub file: String,
    pub line: u32,
    /// CDK construct path, CloudFormation `stack/LogicalId`, or Terraform address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stack: Option<String>,
    pub source_kind: SourceKind,
    /// CloudFormation logical id, where the resource came from a template.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logical_id: Option<String>,
    /// The template (or `.tf` file) and line the resource was read from, when `file:line`
    /// points elsewhere (CDK: the app source; the template is the synthesized file).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template_line: Option<u32>,
    /// Terraform module call chain, outermost first (`["module.queues[\"jobs\"]"]`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub module: Vec<String>,
}

/// The CloudFormation stack that manages a live resource.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StackRef {
    pub name: String,
    pub logical_id: String,
}

/// One resource, from code, from the account, or both after reconciliation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Resource {
    pub id: ResourceId,
    /// The CloudFormation resource type, e.g. `AWS::SQS::Queue`.
    #[serde(rename = "type")]
    pub type_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub physical_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    #[serde(default)]
    pub in_code: bool,
    #[serde(default)]
    pub in_live: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<Provenance>,
    /// CloudFormation property names and nesting, whatever the source.
    #[serde(default)]
    pub attributes: ValueMap,
    /// Live runtime facts code never declares (queue depth, alarm state, running count, …).
    #[serde(default, skip_serializing_if = "SortedMap::is_empty")]
    pub state: ValueMap,
    #[serde(default, skip_serializing_if = "SortedMap::is_empty")]
    pub tags: SortedMap<String, String>,
    /// The CloudFormation stack that manages this resource (live) or declares it (code).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stack: Option<StackRef>,
}

impl Resource {
    pub fn new(id: ResourceId, type_name: impl Into<String>) -> Self {
        Resource {
            id,
            type_name: type_name.into(),
            ..Default::default()
        }
    }

    pub fn attr(&self, path: &str) -> Option<&Value> {
        let (head, rest) = match path.split_once('.') {
            Some((h, r)) => (h, Some(r)),
            None => (path, None),
        };
        let v = self.attributes.get(head)?;
        match rest {
            Some(r) => v.pointer(r),
            None => Some(v),
        }
    }

    pub fn attr_str(&self, path: &str) -> Option<&str> {
        self.attr(path).and_then(Value::as_str)
    }

    pub fn state_value(&self, key: &str) -> Option<&Value> {
        self.state.get(key)
    }

    /// The best short label for people: the name, else the last segment of the address.
    pub fn label(&self) -> String {
        if let Some(n) = &self.name {
            return n.clone();
        }
        if let Some(a) = self.code.as_ref().and_then(|c| c.address.as_ref()) {
            let trimmed = a.trim_end_matches("/Resource");
            return trimmed.rsplit('/').next().unwrap_or(trimmed).to_string();
        }
        self.id
            .0
            .rsplit("::")
            .next()
            .unwrap_or(&self.id.0)
            .to_string()
    }

    /// Every reference held in the attributes, with the top-level property it sits under.
    pub fn references(&self) -> Vec<(&str, &ResourceId)> {
        let mut out = Vec::new();
        for (k, v) in &self.attributes {
            for id in v.refs() {
                out.push((k.as_str(), id));
            }
        }
        out
    }
}
