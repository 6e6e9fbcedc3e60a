//! Flows: the paths people read a map for, named from their ends.
//!
//! - **request** flows start at each entry point — a DNS record, and a distribution,
//!   internet-facing load balancer, API or function URL that nothing routes to — and follow
//!   `routes` (and an API's `invokes`) to compute;
//! - **async** flows start where a chain of `notifies`/`delivers`/`triggers`/`invokes` begins
//!   (a bucket, topic, schedule, rule, SES rule, stream, queue nothing feeds) and follow it
//!   to compute.
//!
//! At the compute end a flow goes on to the databases its security groups may reach
//! (`allows` between the groups each side holds), and a queue or function that `redrives`
//! adds its dead-letter queue as the last step. Paths never revisit a node; the number of
//! flows is capped, longest first.

use std::collections::BTreeSet;

use crate::{FxMap as HashMap, FxSet as HashSet};

use surveyor_model::{Edge, EdgeKind, Flow, Resource, ResourceId};

/// At most this many flows, longest first.
pub const MAX_FLOWS: usize = 30;
/// Paths explored from one entry point, and their length, before giving up.
const MAX_PATHS_PER_START: usize = 16;
const MAX_DEPTH: usize = 12;

const COMPUTE: &[&str] = &[
    "AWS::ECS::Service",
    "AWS::ECS::TaskDefinition",
    "AWS::Lambda::Function",
    "AWS::Serverless::Function",
    "AWS::EC2::Instance",
    "AWS::AutoScaling::AutoScalingGroup",
    "AWS::StepFunctions::StateMachine",
    "AWS::Batch::JobQueue",
    "AWS::AppRunner::Service",
    "AWS::EKS::Cluster",
];
const DATA: &[&str] = &[
    "AWS::RDS::DBInstance",
    "AWS::RDS::DBCluster",
    "AWS::RDS::DBProxy",
    "AWS::ElastiCache::ReplicationGroup",
    "AWS::ElastiCache::CacheCluster",
    "AWS::Neptune::DBCluster",
    "AWS::OpenSearchService::Domain",
    "AWS::DocDB::DBCluster",
    "AWS::Redshift::Cluster",
    "AWS::MemoryDB::Cluster",
];
const SG: &str = "AWS::EC2::SecurityGroup";
const ALARMS: &[&str] = &["AWS::CloudWatch::Alarm", "AWS::CloudWatch::CompositeAlarm"];

struct View<'a> {
    by_id: HashMap<&'a str, &'a Resource>,
    out: HashMap<&'a str, Vec<&'a Edge>>,
    incoming: HashMap<(&'a str, EdgeKind), usize>,
}

impl<'a> View<'a> {
    fn ty(&self, id: &str) -> &'a str {
        self.by_id
            .get(id)
            .map(|r| r.type_name.as_str())
            .unwrap_or("")
    }
    fn label(&self, id: &str) -> String {
        match self.by_id.get(id) {
            Some(r) => r.label().trim_end_matches('.').to_string(),
            None => id.to_string(),
        }
    }
    fn has_in(&self, id: &str, kinds: &[EdgeKind]) -> bool {
        kinds
            .iter()
            .any(|k| self.incoming.get(&(id, *k)).is_some_and(|n| *n > 0))
    }
    fn next(&self, id: &str, kinds: &[EdgeKind]) -> Vec<&'a ResourceId> {
        self.out
            .get(id)
            .map(|es| {
                es.iter()
                    .filter(|e| kinds.contains(&e.kind))
                    .map(|e| &e.to)
                    .collect()
            })
            .unwrap_or_default()
    }
    fn sgs(&self, id: &str) -> Vec<&'a ResourceId> {
        self.out
            .get(id)
            .map(|es| {
                es.iter()
                    .filter(|e| e.kind == EdgeKind::Depends && self.ty(e.to.as_str()) == SG)
                    .map(|e| &e.to)
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// Named request paths (from each entry point) and async pipelines through the graph.
pub fn flows(resources: &[Resource], edges: &[Edge]) -> Vec<Flow> {
    let mut v = View {
        by_id: resources.iter().map(|r| (r.id.as_str(), r)).collect(),
        out: HashMap::default(),
        incoming: HashMap::default(),
    };
    for e in edges {
        v.out.entry(e.from.as_str()).or_default().push(e);
    }
    for e in edges {
        // An alarm is not where work comes from: the topic it notifies still starts the
        // alerting flow (topic → on-call email).
        if !ALARMS.contains(&v.ty(e.from.as_str())) {
            *v.incoming.entry((e.to.as_str(), e.kind)).or_default() += 1;
        }
    }
    for list in v.out.values_mut() {
        list.sort_by(|a, b| (&a.to, a.kind).cmp(&(&b.to, b.kind)));
    }
    // Data stores by the security groups they hold, for the compute → database step.
    let mut data_by_sg: HashMap<&str, BTreeSet<&ResourceId>> = HashMap::default();
    for r in resources {
        if DATA.contains(&r.type_name.as_str()) {
            for sg in v.sgs(r.id.as_str()) {
                data_by_sg.entry(sg.as_str()).or_default().insert(&r.id);
            }
        }
    }

    let mut found: Vec<Candidate> = Vec::new();
    let mut seen: HashSet<Vec<&ResourceId>> = HashSet::default();
    let request = [EdgeKind::Routes];
    let request_api = [EdgeKind::Routes, EdgeKind::Invokes];
    let async_kinds = [
        EdgeKind::Notifies,
        EdgeKind::Delivers,
        EdgeKind::Triggers,
        EdgeKind::Invokes,
    ];
    for r in resources {
        let id = r.id.as_str();
        let ty = r.type_name.as_str();
        let is_entry = match ty {
            "AWS::Route53::RecordSet" | "AWS::Route53::RecordSetGroup" => true,
            "AWS::CloudFront::Distribution"
            | "AWS::ApiGateway::RestApi"
            | "AWS::ApiGatewayV2::Api"
            | "AWS::Lambda::Url" => !v.has_in(id, &request),
            "AWS::ElasticLoadBalancingV2::LoadBalancer"
            | "AWS::ElasticLoadBalancing::LoadBalancer" => {
                // CloudFormation's default scheme is internet-facing.
                r.attr_str("Scheme")
                    .is_none_or(|s| s.eq_ignore_ascii_case("internet-facing"))
                    && !v.has_in(id, &request)
            }
            _ => false,
        };
        if is_entry && !v.next(id, &request_api).is_empty() {
            for p in paths(&v, &r.id, &|from: &str| {
                if v.ty(from).contains("ApiGateway") {
                    &request_api[..]
                } else {
                    &request[..]
                }
            }) {
                push(&v, &data_by_sg, &mut found, &mut seen, p, "request");
            }
            continue;
        }
        let is_source = !COMPUTE.contains(&ty)
            && !ALARMS.contains(&ty)
            && !v.next(id, &async_kinds).is_empty()
            && !v.has_in(id, &async_kinds);
        if is_source {
            for p in paths(&v, &r.id, &|_: &str| &async_kinds[..]) {
                push(&v, &data_by_sg, &mut found, &mut seen, p, "async");
            }
        }
    }
    found.sort_by(|a, b| {
        b.steps
            .len()
            .cmp(&a.steps.len())
            .then_with(|| a.name.cmp(&b.name))
    });
    found.truncate(MAX_FLOWS);
    found.sort_by_key(|f| f.kind != "request");
    found
        .into_iter()
        .map(|c| Flow {
            name: c.name,
            steps: c.steps.into_iter().cloned().collect(),
            kind: Some(c.kind.to_string()),
        })
        .collect()
}

/// Every maximal simple path from `start` along the kinds `follow` allows at each node.
fn paths<'a>(
    v: &View<'a>,
    start: &'a ResourceId,
    follow: &dyn Fn(&str) -> &'a [EdgeKind],
) -> Vec<Vec<&'a ResourceId>> {
    let mut done = Vec::new();
    let mut stack: Vec<Vec<&'a ResourceId>> = vec![vec![start]];
    while let Some(path) = stack.pop() {
        if done.len() >= MAX_PATHS_PER_START {
            break;
        }
        let Some(last) = path.last() else { continue };
        let nexts: Vec<&ResourceId> = v
            .next(last.as_str(), follow(last.as_str()))
            .into_iter()
            .filter(|n| !path.contains(n))
            .collect();
        if nexts.is_empty() || path.len() >= MAX_DEPTH {
            done.push(path);
            continue;
        }
        // Reverse so the first edge (in sorted order) is explored first.
        for n in nexts.into_iter().rev() {
            let mut p = path.clone();
            p.push(n);
            stack.push(p);
        }
    }
    done
}

/// A flow before the cut: steps borrowed, so the many that do not make it cost little.
struct Candidate<'a> {
    name: String,
    steps: Vec<&'a ResourceId>,
    kind: &'static str,
}

fn push<'a>(
    v: &View<'a>,
    data_by_sg: &HashMap<&str, BTreeSet<&'a ResourceId>>,
    found: &mut Vec<Candidate<'a>>,
    seen: &mut HashSet<Vec<&'a ResourceId>>,
    path: Vec<&'a ResourceId>,
    kind: &'static str,
) {
    if path.len() < 2 {
        return;
    }
    let (Some(first), Some(last)) = (path.first(), path.last()) else {
        return;
    };
    let (a, b) = (v.label(first.as_str()), v.label(last.as_str()));
    let name = if a == b {
        // A queue and its function often share a name: say which is which.
        let d = |id: &ResourceId| surveyor_model::registry::display_of(v.ty(id.as_str()));
        format!("{} {a} → {} {b}", d(first), d(last))
    } else {
        format!("{a} → {b}")
    };
    let mut steps: Vec<&ResourceId> = path.clone();
    // Compute → the databases its security groups may reach.
    if COMPUTE.contains(&v.ty(last.as_str())) {
        let mut reached: BTreeSet<&ResourceId> = BTreeSet::new();
        for sg in v.sgs(last.as_str()) {
            for to in v.next(sg.as_str(), &[EdgeKind::Allows]) {
                if let Some(ds) = data_by_sg.get(to.as_str()) {
                    reached.extend(ds.iter().copied());
                }
            }
        }
        steps.extend(reached.into_iter().filter(|d| !path.contains(d)));
    }
    // Failures: a queue or function on the path that redrives adds its dead-letter queue.
    for id in &path {
        for dlq in v.next(id.as_str(), &[EdgeKind::Redrives]) {
            if !steps.contains(&dlq) {
                steps.push(dlq);
            }
        }
    }
    if seen.insert(steps.clone()) {
        found.push(Candidate { name, steps, kind });
    }
}
