//! The map, indexed once for every rule: resources by id, ARN and physical id; edges in and
//! out; who refers to whom; the live value of each drifted property; AWS defaults.

use surveyor_model::{DriftKind, Edge, EdgeKind, Map, Resource, ResourceId, Value};
use surveyor_reconcile::fx::FxHashMap as HashMap;
use surveyor_reconcile::Defaults;

pub struct Ctx<'a> {
    pub map: &'a Map,
    by_key: HashMap<&'a str, usize>,
    out_edges: HashMap<&'a ResourceId, Vec<&'a Edge>>,
    in_edges: HashMap<&'a ResourceId, Vec<&'a Edge>>,
    referrers: Vec<Vec<(usize, &'a str)>>,
    live_values: HashMap<(&'a ResourceId, &'a str), &'a Value>,
    is_default: Vec<bool>,
    by_type: HashMap<&'a str, Vec<usize>>,
    /// Whether the account (or a snapshot) was read: only then can "not live" mean anything.
    pub live_read: bool,
    /// `YYYY-MM-DD` of the map, for date-dependent rules (runtime deprecation).
    pub today: String,
}

impl<'a> Ctx<'a> {
    pub fn new(map: &'a Map) -> Self {
        let mut by_key: HashMap<&str, usize> = HashMap::default();
        by_key.reserve(map.resources.len() * 2);
        for (i, r) in map.resources.iter().enumerate() {
            for k in [r.arn.as_deref(), r.physical_id.as_deref()]
                .into_iter()
                .flatten()
            {
                by_key.entry(k).or_insert(i);
            }
        }
        // Ids win over ARNs and physical ids that happen to be equal.
        for (i, r) in map.resources.iter().enumerate() {
            by_key.insert(r.id.as_str(), i);
        }
        let mut out_edges: HashMap<&ResourceId, Vec<&Edge>> = HashMap::default();
        let mut in_edges: HashMap<&ResourceId, Vec<&Edge>> = HashMap::default();
        for e in &map.edges {
            out_edges.entry(&e.from).or_default().push(e);
            in_edges.entry(&e.to).or_default().push(e);
        }
        let mut referrers: Vec<Vec<(usize, &str)>> = vec![Vec::new(); map.resources.len()];
        for (i, r) in map.resources.iter().enumerate() {
            for (prop, v) in &r.attributes {
                v.walk(&mut |x| {
                    let target = match x {
                        Value::Ref(id) => by_key.get(id.as_str()),
                        // Live values the linker has not turned into references yet.
                        Value::String(s) if s.starts_with("arn:") || s.starts_with("https://") => {
                            by_key.get(s.as_str())
                        }
                        _ => None,
                    };
                    if let Some(&t) = target {
                        if t != i {
                            if let Some(list) = referrers.get_mut(t) {
                                list.push((i, prop.as_str()));
                            }
                        }
                    }
                });
            }
        }
        let mut live_values = HashMap::default();
        for d in &map.drift {
            if d.kind != DriftKind::Changed {
                continue;
            }
            if let (Some(id), Some(attr), Some(live)) = (&d.resource, &d.attribute, &d.live) {
                live_values.insert((id, attr.as_str()), live);
            }
        }
        let defaults = Defaults::new(map.resources.iter().filter(|r| r.in_live));
        let is_default: Vec<bool> = map
            .resources
            .iter()
            .map(|r| !r.in_code && r.in_live && defaults.reason(r).is_some())
            .collect();
        let live_read = map.resources.iter().any(|r| r.in_live)
            || map.sources.iter().any(|s| {
                matches!(
                    s.kind,
                    surveyor_model::SourceKind::Live | surveyor_model::SourceKind::Snapshot
                )
            });
        let today = map.generated_at.get(..10).unwrap_or("").to_string();
        let mut by_type: HashMap<&str, Vec<usize>> = HashMap::default();
        for (i, r) in map.resources.iter().enumerate() {
            if !is_default[i] {
                by_type.entry(r.type_name.as_str()).or_default().push(i);
            }
        }
        Ctx {
            map,
            by_key,
            out_edges,
            in_edges,
            referrers,
            live_values,
            is_default,
            by_type,
            live_read,
            today,
        }
    }

    /// The audited resources: all but AWS's own defaults.
    pub fn resources(&self) -> impl Iterator<Item = &'a Resource> + '_ {
        self.map
            .resources
            .iter()
            .zip(&self.is_default)
            .filter(|(_, d)| !**d)
            .map(|(r, _)| r)
    }

    /// The audited resources of these types, in map order per type.
    pub fn of_type<'t>(&'t self, types: &'t [&'t str]) -> impl Iterator<Item = &'a Resource> + 't {
        types
            .iter()
            .flat_map(move |t| self.by_type.get(t).into_iter().flatten())
            .map(move |&i| &self.map.resources[i])
    }

    /// The property's value as the account has it when known (a drifted property's live
    /// value), else as the attributes say.
    pub fn value(&self, r: &'a Resource, path: &str) -> Option<&'a Value> {
        if let Some(v) = self.live_values.get(&(&r.id, path)) {
            return Some(v);
        }
        r.attr(path)
    }

    pub fn flag(&self, r: &'a Resource, path: &str) -> Option<bool> {
        self.value(r, path).and_then(Value::as_bool)
    }

    /// A runtime fact from `state`, as a number.
    pub fn state_num(r: &Resource, key: &str) -> Option<f64> {
        r.state.get(key).and_then(Value::as_f64)
    }

    pub fn state_str<'r>(r: &'r Resource, key: &str) -> Option<&'r str> {
        r.state.get(key).and_then(Value::as_str)
    }

    /// The resource a value points at: a reference, or an ARN/URL/id string.
    pub fn resolve(&self, v: &Value) -> Option<&'a Resource> {
        let key = match v {
            Value::Ref(id) => id.as_str(),
            Value::String(s) => s.as_str(),
            _ => return None,
        };
        self.by_key.get(key).map(|&i| &self.map.resources[i])
    }

    pub fn get(&self, id: &ResourceId) -> Option<&'a Resource> {
        self.by_key
            .get(id.as_str())
            .map(|&i| &self.map.resources[i])
    }

    pub fn out(&self, r: &Resource, kind: EdgeKind) -> impl Iterator<Item = &'a Edge> + '_ {
        self.out_edges
            .get(&r.id)
            .into_iter()
            .flatten()
            .copied()
            .filter(move |e| e.kind == kind)
    }

    pub fn into(&self, r: &Resource, kind: EdgeKind) -> impl Iterator<Item = &'a Edge> + '_ {
        self.in_edges
            .get(&r.id)
            .into_iter()
            .flatten()
            .copied()
            .filter(move |e| e.kind == kind)
    }

    /// Resources whose attributes refer to `r`, with the top-level property holding the
    /// reference.
    pub fn referrers(&self, r: &Resource) -> Vec<(&'a Resource, &'a str)> {
        let Some(&i) = self.by_key.get(r.id.as_str()) else {
            return Vec::new();
        };
        self.referrers
            .get(i)
            .into_iter()
            .flatten()
            .map(|&(j, p)| (&self.map.resources[j], p))
            .collect()
    }

    /// The resources this one sends failures to: `redrives` edges, or the properties that
    /// name a dead-letter queue (`RedrivePolicy`, `DeadLetterConfig`, `OnFailure`).
    pub fn dead_letter_targets(&self, r: &'a Resource) -> Vec<&'a Resource> {
        let mut out: Vec<&Resource> = self
            .out(r, EdgeKind::Redrives)
            .filter_map(|e| self.get(&e.to))
            .collect();
        for path in [
            "RedrivePolicy.deadLetterTargetArn",
            "DeadLetterConfig.TargetArn",
            "DestinationConfig.OnFailure.Destination",
        ] {
            if let Some(t) = self.value(r, path).and_then(|v| self.resolve(v)) {
                if !out.iter().any(|o| o.id == t.id) {
                    out.push(t);
                }
            }
        }
        out
    }

    /// The resources that send their failures to `q` (empty when `q` is not a DLQ).
    pub fn dead_letter_sources(&self, q: &'a Resource) -> Vec<&'a Resource> {
        let mut out: Vec<&Resource> = self
            .into(q, EdgeKind::Redrives)
            .filter_map(|e| self.get(&e.from))
            .collect();
        for (src, prop) in self.referrers(q) {
            if matches!(
                prop,
                "RedrivePolicy" | "DeadLetterConfig" | "DestinationConfig"
            ) && self.dead_letter_targets(src).iter().any(|t| t.id == q.id)
                && !out.iter().any(|o| o.id == src.id)
            {
                out.push(src);
            }
        }
        out
    }

    /// How many subscribers a topic has: `Some(n)` when known (the live count, `delivers`
    /// edges, confirmed subscription resources; in a code-only run, what the code declares),
    /// `None` when the account was read but this topic is not in it. Unconfirmed
    /// subscriptions deliver nothing and do not count.
    pub fn topic_subscribers(&self, topic: &'a Resource) -> Option<usize> {
        // The live count is the truth when a collector recorded it.
        if let Some(n) = Ctx::state_num(topic, crate::state_keys::SNS_SUBSCRIPTIONS_CONFIRMED) {
            return Some(n.max(0.0) as usize);
        }
        let edges = self.out(topic, EdgeKind::Delivers).count();
        let (confirmed, _) = self.topic_subscriptions(topic);
        let inline = self
            .value(topic, "Subscription")
            .and_then(Value::as_list)
            .map_or(0, <[Value]>::len);
        let declared = edges.max(confirmed).max(inline);
        if declared > 0 || topic.in_live || !self.live_read {
            return Some(declared);
        }
        None
    }

    /// Subscription resources of a topic: (confirmed or declared, pending confirmation).
    pub fn topic_subscriptions(&self, topic: &'a Resource) -> (usize, usize) {
        let mut confirmed = 0;
        let mut pending = 0;
        for (s, p) in self.referrers(topic) {
            if s.type_name != "AWS::SNS::Subscription" || p != "TopicArn" {
                continue;
            }
            let waiting = s
                .state
                .get(crate::state_keys::SNS_PENDING_CONFIRMATION)
                .and_then(Value::as_bool)
                == Some(true);
            if waiting {
                pending += 1;
            } else {
                confirmed += 1;
            }
        }
        (confirmed, pending)
    }

    /// An RDS/Neptune instance that belongs to a cluster: the cluster holds its storage,
    /// backups, encryption and deletion protection, so those are judged on the cluster.
    pub fn cluster_member(&self, r: &'a Resource) -> bool {
        self.value(r, "DBClusterIdentifier")
            .is_some_and(|v| !v.is_null())
            || self
                .value(r, "Engine")
                .and_then(Value::as_str)
                .is_some_and(|e| e.starts_with("aurora") || e == "neptune" || e == "docdb")
            || r.type_name == "AWS::Neptune::DBInstance"
    }

    /// Whether a property `r` leaves out takes its CloudFormation default. True for what code
    /// declares (the template gets the default); for a resource only read live, an absent
    /// property may just be one the collector did not read, so it says nothing.
    pub fn absent_means_default(r: &Resource) -> bool {
        r.in_code
    }

    /// A read replica takes its settings from its source.
    pub fn read_replica(&self, r: &'a Resource) -> bool {
        self.value(r, "SourceDBInstanceIdentifier")
            .is_some_and(|v| !v.is_null())
    }
}
