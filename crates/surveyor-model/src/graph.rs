use serde::{Deserialize, Serialize};

use crate::ResourceId;

/// The contract's fixed edge vocabulary; the direction is the direction of flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EdgeKind {
    /// Request path: DNS → LB/distribution/API → target group → service; API → integration.
    Routes,
    /// Schedule, event rule, state machine, API → its target.
    Invokes,
    /// Event source mapping: queue/stream/table → function.
    Triggers,
    /// Bucket → queue/topic/function; alarm → action; SES receipt rule → bucket/topic.
    Notifies,
    /// Topic → subscriber.
    Delivers,
    /// Queue or function → its dead-letter queue.
    Redrives,
    /// Network ingress: source SG (or `internet`) → destination SG.
    Allows,
    /// WAF web ACL → protected resource.
    Protects,
    /// VPC → subnet; subnet → resource placed in it.
    Contains,
    /// Resource → key, secret, parameter, role, log group, repository, certificate.
    Uses,
    /// Any other declared dependency or reference.
    Depends,
}

impl EdgeKind {
    pub const ALL: [EdgeKind; 11] = [
        EdgeKind::Routes,
        EdgeKind::Invokes,
        EdgeKind::Triggers,
        EdgeKind::Notifies,
        EdgeKind::Delivers,
        EdgeKind::Redrives,
        EdgeKind::Allows,
        EdgeKind::Protects,
        EdgeKind::Contains,
        EdgeKind::Uses,
        EdgeKind::Depends,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EdgeKind::Routes => "routes",
            EdgeKind::Invokes => "invokes",
            EdgeKind::Triggers => "triggers",
            EdgeKind::Notifies => "notifies",
            EdgeKind::Delivers => "delivers",
            EdgeKind::Redrives => "redrives",
            EdgeKind::Allows => "allows",
            EdgeKind::Protects => "protects",
            EdgeKind::Contains => "contains",
            EdgeKind::Uses => "uses",
            EdgeKind::Depends => "depends",
        }
    }

    /// Edges that carry requests or data (drawn in diagrams and followed by flows), as opposed
    /// to structure (`contains`), permissions (`uses`) and plain dependencies.
    pub fn is_flow(self) -> bool {
        matches!(
            self,
            EdgeKind::Routes
                | EdgeKind::Invokes
                | EdgeKind::Triggers
                | EdgeKind::Notifies
                | EdgeKind::Delivers
                | EdgeKind::Redrives
        )
    }
}

/// Where an edge was seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    #[default]
    Code,
    Live,
    Both,
}

impl Origin {
    pub fn merge(self, other: Origin) -> Origin {
        if self == other {
            self
        } else {
            Origin::Both
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Edge {
    pub from: ResourceId,
    pub to: ResourceId,
    pub kind: EdgeKind,
    pub origin: Origin,
    /// A short qualifier for people: ports (`tcp/5432`), an event (`s3:ObjectCreated:* incoming/`),
    /// a listener (`:443`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

impl Edge {
    pub fn new(from: ResourceId, to: ResourceId, kind: EdgeKind, origin: Origin) -> Self {
        Edge {
            from,
            to,
            kind,
            origin,
            label: None,
        }
    }
    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }
}
