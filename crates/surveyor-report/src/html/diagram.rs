//! The diagram model behind `map.html`: which resources are drawn, how they nest into groups
//! (account → region → VPC → subnet tier, or stacks/modules), which repeated resources collapse
//! into one node, and which edges connect the drawn nodes.
//!
//! Accounting, so that what the page draws can be checked against `map.json`:
//! - every resource is either a **member** of exactly one drawn node, or **omitted plumbing**
//!   (IAM roles and policies, route tables, listeners, permissions, … — see [`is_plumbing`]);
//!   omitted resources are *attached* to the drawn node they belong to where one can be found
//!   (shown in its details, found by search). Plumbing with drift or findings is always drawn.
//! - every map edge is either **drawn** (merged with others of the same kind between the same
//!   two nodes), `contains` (shown by nesting), **internal** (both ends in one node), touching an
//!   **omitted** resource with no drawn owner, or **dangling** (an end not in the map).

use std::collections::{BTreeMap, HashMap};

use crate::layout;
use surveyor_model::{registry, Category, DriftKind, EdgeKind, Map, Origin, Resource, Severity};

/// Resources of one type in one group collapse into one node from this many on.
pub const COLLAPSE_AT: usize = 4;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    /// account → region → VPC → subnet tier, edge services left, support services below.
    Network,
    /// One group per CloudFormation/CDK stack or Terraform module.
    Stacks,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum GroupKind {
    Root,
    Internet,
    Account,
    Edge,
    Region,
    Vpc,
    Tier,
    Category,
    Stack,
    External,
}

impl GroupKind {
    pub fn as_str(self) -> &'static str {
        match self {
            GroupKind::Root => "root",
            GroupKind::Internet => "internet",
            GroupKind::Account => "account",
            GroupKind::Edge => "edge",
            GroupKind::Region => "region",
            GroupKind::Vpc => "vpc",
            GroupKind::Tier => "tier",
            GroupKind::Category => "category",
            GroupKind::Stack => "stack",
            GroupKind::External => "external",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Group {
    pub label: String,
    pub kind: GroupKind,
    pub parent: Option<usize>,
    pub children: Vec<usize>,
    pub nodes: Vec<usize>,
    /// The resources the box stands for (the VPC, a tier's subnets), shown when its title
    /// is clicked.
    pub resources: Vec<usize>,
    /// Sort key among siblings: columns left to right.
    pub order: (u8, String),
    /// The category of a category group (support categories are placed below the flow).
    pub category: Option<Category>,
}

#[derive(Debug, Clone)]
pub struct Node {
    /// Indices into `map.resources`; more than one for a collapsed node.
    pub members: Vec<usize>,
    pub group: usize,
    pub category: Category,
    pub label: String,
    pub sub: String,
    /// The strongest drift mark of the members: `missing`, `unmanaged` or `changed`.
    pub drift: Option<DriftKind>,
    pub severity: Option<Severity>,
    pub findings: usize,
    /// Omitted plumbing that belongs to this node.
    pub attached: Vec<usize>,
}

#[derive(Debug, Clone)]
pub struct DiagramEdge {
    pub from: usize,
    pub to: usize,
    pub kind: EdgeKind,
    /// How many map edges this drawn edge stands for.
    pub count: usize,
    pub label: Option<String>,
    pub origin: Origin,
}

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Stats {
    pub resources: usize,
    pub drawn_resources: usize,
    pub omitted_resources: usize,
    /// Resources drawn as the box around others (a VPC, subnets).
    pub boxed_resources: usize,
    pub attached_resources: usize,
    pub nodes: usize,
    pub collapsed_nodes: usize,
    pub edges: usize,
    pub drawn_edges: usize,
    pub drawn_edge_facts: usize,
    pub contains_edges: usize,
    pub internal_edges: usize,
    pub omitted_edges: usize,
    pub dangling_edges: usize,
}

#[derive(Debug, Clone)]
pub struct Diagram {
    pub view: View,
    pub groups: Vec<Group>,
    pub nodes: Vec<Node>,
    pub edges: Vec<DiagramEdge>,
    pub stats: Stats,
}

/// Wiring and permission resources that would crowd the picture; what they say is shown in
/// the details of the node they belong to. `Custom::*` are CDK's provider plumbing.
pub fn is_plumbing(type_name: &str) -> bool {
    type_name.starts_with("Custom::")
        || type_name == "AWS::CloudFormation::CustomResource"
        || matches!(
            type_name,
            "AWS::IAM::Role"
                | "AWS::IAM::Policy"
                | "AWS::IAM::ManagedPolicy"
                | "AWS::IAM::InstanceProfile"
                | "AWS::EC2::RouteTable"
                | "AWS::EC2::Route"
                | "AWS::EC2::SubnetRouteTableAssociation"
                | "AWS::EC2::VPCGatewayAttachment"
                | "AWS::EC2::EIP"
                | "AWS::EC2::SecurityGroupIngress"
                | "AWS::EC2::SecurityGroupEgress"
                | "AWS::ElasticLoadBalancingV2::Listener"
                | "AWS::ElasticLoadBalancingV2::ListenerRule"
                | "AWS::Lambda::Permission"
                | "AWS::Lambda::Version"
                | "AWS::Lambda::EventSourceMapping"
                | "AWS::SQS::QueuePolicy"
                | "AWS::SNS::TopicPolicy"
                | "AWS::SNS::Subscription"
                | "AWS::S3::BucketPolicy"
                | "AWS::RDS::DBSubnetGroup"
                | "AWS::RDS::DBParameterGroup"
                | "AWS::RDS::DBClusterParameterGroup"
                | "AWS::ElastiCache::SubnetGroup"
                | "AWS::ApiGateway::Deployment"
                | "AWS::ApiGateway::Resource"
                | "AWS::ApiGateway::Method"
                | "AWS::WAFv2::WebACLAssociation"
                | "AWS::CloudFront::OriginAccessControl"
                | "AWS::CloudFront::CloudFrontOriginAccessIdentity"
                | "AWS::KMS::Alias"
                | "AWS::SecretsManager::SecretTargetAttachment"
                | "AWS::SecretsManager::RotationSchedule"
                | "AWS::Logs::MetricFilter"
                | "AWS::ECS::TaskDefinition"
                | "AWS::CDK::Metadata"
        )
}

/// What people call a resource: its name, else the end of its code address with the parent
/// segment kept (`Api/Service` and `Worker/Service`, not two `Service`s).
pub fn label(r: &Resource) -> String {
    if let Some(n) = r.name.as_ref().filter(|n| !n.is_empty()) {
        return n.clone();
    }
    if let Some(a) = r.code.as_ref().and_then(|c| c.address.as_deref()) {
        let a = a.trim_end_matches("/Resource").trim_end_matches("/Default");
        let parts: Vec<&str> = a.split('/').filter(|p| !p.is_empty()).collect();
        let keep = parts.len().saturating_sub(2).max(1).min(parts.len());
        if let Some(tail) = parts.get(keep..).filter(|t| !t.is_empty()) {
            return tail.join("/");
        }
    }
    r.label()
}

/// Functions CDK adds to implement its own constructs, known by their construct ids.
fn is_cdk_provider(r: &Resource) -> bool {
    const HINTS: &[&str] = &[
        "BucketNotificationsHandler",
        "CustomResourceProvider",
        "LogRetention",
        "AWS679f53fac002430cb0da5b7982bd2287",
        "Provider/framework",
    ];
    r.type_name == "AWS::Lambda::Function"
        && r.code
            .as_ref()
            .and_then(|c| c.address.as_deref())
            .is_some_and(|a| HINTS.iter().any(|h| a.contains(h)))
}

pub fn category_of(type_name: &str) -> Category {
    match type_name {
        "Surveyor::Internet" | "Surveyor::External" => Category::Edge,
        t => registry::category_of(t),
    }
}

pub fn display_of(type_name: &str) -> String {
    match type_name {
        "Surveyor::Internet" => "Internet".into(),
        "Surveyor::External" => "External endpoint".into(),
        t => registry::display_of(t),
    }
}

/// Security, observability, delivery and the rest serve everything: drawn below the flow.
pub fn is_support(c: Category) -> bool {
    matches!(
        c,
        Category::Security | Category::Observability | Category::Delivery | Category::Other
    )
}

fn category_rank(c: Category) -> u8 {
    match c {
        Category::Edge => 0,
        Category::Network => 1,
        Category::Orchestration => 2,
        Category::Messaging => 3,
        Category::Compute => 4,
        Category::Data => 5,
        Category::Security => 6,
        Category::Observability => 7,
        Category::Delivery => 8,
        Category::Other => 9,
    }
}

/// Per-resource marks from the drift list and the findings.
struct Marks {
    drift: Vec<Option<DriftKind>>,
    severity: Vec<Option<Severity>>,
    findings: Vec<usize>,
}

fn drift_rank(k: DriftKind) -> u8 {
    match k {
        DriftKind::Missing => 3,
        DriftKind::Unmanaged => 2,
        DriftKind::Changed => 1,
        DriftKind::Count => 0,
    }
}

fn stronger_drift(a: Option<DriftKind>, b: Option<DriftKind>) -> Option<DriftKind> {
    match (a, b) {
        (Some(x), Some(y)) => Some(if drift_rank(y) > drift_rank(x) { y } else { x }),
        (x, None) => x,
        (None, y) => y,
    }
}

fn marks(map: &Map, index: &HashMap<&str, usize>) -> Marks {
    let n = map.resources.len();
    let mut m = Marks {
        drift: vec![None; n],
        severity: vec![None; n],
        findings: vec![0; n],
    };
    for d in &map.drift {
        if d.kind == DriftKind::Count {
            continue;
        }
        if let Some(&i) = d.resource.as_ref().and_then(|id| index.get(id.as_str())) {
            m.drift[i] = stronger_drift(m.drift[i], Some(d.kind));
        }
    }
    for f in &map.findings {
        if let Some(&i) = index.get(f.resource.as_str()) {
            m.findings[i] += 1;
            m.severity[i] = m.severity[i].max(Some(f.severity));
        }
    }
    m
}

fn tag<'a>(r: &'a Resource, key: &str) -> Option<&'a str> {
    if let Some(v) = r.tags.get(key) {
        return Some(v);
    }
    // Templates keep tags as a `[{Key, Value}]` list in the attributes.
    r.attributes.get("Tags")?.as_list()?.iter().find_map(|t| {
        let m = t.as_map()?;
        (m.get("Key")?.as_str()? == key)
            .then(|| m.get("Value")?.as_str())
            .flatten()
    })
}

/// A subnet's tier: its kind from the shared classification ([`layout::subnet_tier`]: CDK
/// tags, `MapPublicIpOnLaunch`, routes to a gateway, names), which orders tiers public →
/// private → isolated, and its name (CDK's subnet group name, else the `Name` tag without its
/// AZ number).
fn subnet_tier(r: &Resource, ctx: &layout::Context) -> (u8, String) {
    let tier = layout::subnet_tier(r, ctx);
    let kind = tier.as_str().to_string();
    let rank = match tier {
        layout::Tier::Public => 0,
        layout::Tier::Private => 1,
        layout::Tier::Isolated => 2,
    };
    let name = tag(r, "aws-cdk:subnet-name")
        .map(str::to_string)
        .or_else(|| {
            tag(r, "Name").map(|n| {
                let last = n.rsplit('/').next().unwrap_or(n);
                last.trim_end_matches(|c: char| c.is_ascii_digit() || c == '-')
                    .trim_end_matches("Subnet")
                    .trim_end_matches(['-', '_'])
                    .to_string()
            })
        })
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| kind.clone());
    let label = if name.eq_ignore_ascii_case(&kind) {
        format!("{name} subnets")
    } else {
        format!("{name} subnets ({kind})")
    };
    (rank, label)
}

fn account_of(map: &Map, r: &Resource) -> String {
    r.account
        .clone()
        .or_else(|| map.account.clone())
        .unwrap_or_else(|| "account".into())
}

fn region_of(map: &Map, r: &Resource) -> String {
    r.region
        .clone()
        .or_else(|| map.regions.first().cloned())
        .unwrap_or_else(|| "region".into())
}

struct Builder {
    groups: Vec<Group>,
    by_key: BTreeMap<String, usize>,
}

impl Builder {
    fn new() -> Self {
        let root = Group {
            label: String::new(),
            kind: GroupKind::Root,
            parent: None,
            children: Vec::new(),
            nodes: Vec::new(),
            resources: Vec::new(),
            order: (0, String::new()),
            category: None,
        };
        Builder {
            groups: vec![root],
            by_key: BTreeMap::new(),
        }
    }

    fn group(
        &mut self,
        key: String,
        parent: usize,
        kind: GroupKind,
        label: impl Into<String>,
        order: (u8, String),
    ) -> usize {
        if let Some(&g) = self.by_key.get(&key) {
            return g;
        }
        let id = self.groups.len();
        self.groups.push(Group {
            label: label.into(),
            kind,
            parent: Some(parent),
            children: Vec::new(),
            nodes: Vec::new(),
            resources: Vec::new(),
            order,
            category: None,
        });
        if let Some(p) = self.groups.get_mut(parent) {
            p.children.push(id);
        }
        self.by_key.insert(key, id);
        id
    }
}

/// Where each resource sits in the network view: VPC and tier from subnet and VPC references
/// (directly, through a subnet group, or from `contains` edges).
struct Placement {
    /// resource → (vpc resource, Some(tier subnet) or None for VPC-level)
    vpc: Vec<Option<(usize, Option<usize>)>>,
}

fn placement(map: &Map, index: &HashMap<&str, usize>) -> Placement {
    let n = map.resources.len();
    let ty = |i: usize| map.resources.get(i).map(|r| r.type_name.as_str());
    let refs_of = |i: usize| -> Vec<usize> {
        map.resources
            .get(i)
            .map(|r| {
                r.references()
                    .into_iter()
                    .filter_map(|(_, id)| index.get(id.as_str()).copied())
                    .collect()
            })
            .unwrap_or_default()
    };
    let subnet_vpc = |s: usize| -> Option<usize> {
        refs_of(s)
            .into_iter()
            .find(|&v| ty(v) == Some("AWS::EC2::VPC"))
    };
    let place_one = |i: usize| -> Option<(usize, Option<usize>)> {
        match ty(i) {
            Some("AWS::EC2::VPC") => return None,
            Some("AWS::EC2::Subnet") => return subnet_vpc(i).map(|v| (v, Some(i))),
            _ => {}
        }
        let refs = refs_of(i);
        let mut subnet = refs
            .iter()
            .copied()
            .find(|&s| ty(s) == Some("AWS::EC2::Subnet"));
        if subnet.is_none() {
            // Through a DB or cache subnet group.
            subnet = refs
                .iter()
                .filter(|&&g| ty(g).is_some_and(|t| t.ends_with("SubnetGroup")))
                .flat_map(|&g| refs_of(g))
                .find(|&s| ty(s) == Some("AWS::EC2::Subnet"));
        }
        if let Some(s) = subnet {
            return subnet_vpc(s).map(|v| (v, Some(s)));
        }
        refs.iter()
            .copied()
            .find(|&v| ty(v) == Some("AWS::EC2::VPC"))
            .or_else(|| {
                // Through a security group it uses.
                refs.iter()
                    .filter(|&&g| ty(g) == Some("AWS::EC2::SecurityGroup"))
                    .flat_map(|&g| refs_of(g))
                    .find(|&v| ty(v) == Some("AWS::EC2::VPC"))
            })
            .map(|v| (v, None))
    };
    let mut vpc: Vec<Option<(usize, Option<usize>)>> = (0..n).map(place_one).collect();
    // Gateways are tied to their VPC only by an attachment that refers to both.
    for i in 0..n {
        if ty(i) == Some("AWS::EC2::VPCGatewayAttachment") {
            let refs = refs_of(i);
            if let Some(v) = refs
                .iter()
                .copied()
                .find(|&v| ty(v) == Some("AWS::EC2::VPC"))
            {
                for g in refs {
                    if let Some(slot) = vpc.get_mut(g).filter(|p| p.is_none() && g != v) {
                        *slot = Some((v, None));
                    }
                }
            }
        }
    }
    // Placement the linker found (subnet → resource, VPC → subnet) wins where it is given.
    for e in &map.edges {
        if e.kind != EdgeKind::Contains {
            continue;
        }
        let (Some(&from), Some(&to)) = (index.get(e.from.as_str()), index.get(e.to.as_str()))
        else {
            continue;
        };
        match (ty(from), ty(to)) {
            (Some("AWS::EC2::Subnet"), Some(t)) if t != "AWS::EC2::Subnet" => {
                if let Some(v) = vpc.get(from).copied().flatten().map(|p| p.0) {
                    if let Some(slot) = vpc.get_mut(to) {
                        *slot = Some((v, Some(from)));
                    }
                }
            }
            (Some("AWS::EC2::VPC"), Some(_)) => {
                if let Some(slot) = vpc.get_mut(to).filter(|p| p.is_none()) {
                    *slot = Some((from, None));
                }
            }
            _ => {}
        }
    }
    Placement { vpc }
}

fn leaf_group_network(
    b: &mut Builder,
    map: &Map,
    i: usize,
    place: &Placement,
    tiers: &HashMap<usize, (u8, String)>,
) -> usize {
    let Some(r) = map.resources.get(i) else {
        return 0;
    };
    match r.type_name.as_str() {
        "Surveyor::Internet" => {
            return b.group(
                "internet".into(),
                0,
                GroupKind::Internet,
                "Internet",
                (0, String::new()),
            )
        }
        "Surveyor::External" => {
            return b.group(
                "external".into(),
                0,
                GroupKind::External,
                "External endpoints",
                (9, String::new()),
            )
        }
        _ => {}
    }
    let vpc_place = place.vpc.get(i).copied().flatten();
    let anchor = vpc_place
        .and_then(|(v, _)| map.resources.get(v))
        .unwrap_or(r);
    let account = account_of(map, anchor);
    let acct = b.group(
        format!("acct:{account}"),
        0,
        GroupKind::Account,
        format!("AWS account {account}"),
        (5, account.clone()),
    );
    let cat = category_of(&r.type_name);
    if vpc_place.is_none() && cat == Category::Edge {
        return b.group(
            format!("edge:{account}"),
            acct,
            GroupKind::Edge,
            "Edge & DNS",
            (0, String::new()),
        );
    }
    let region = region_of(map, anchor);
    let reg = b.group(
        format!("region:{account}/{region}"),
        acct,
        GroupKind::Region,
        format!("Region {region}"),
        (5, region.clone()),
    );
    if let Some((v, tier)) = vpc_place {
        let vg = vpc_group(b, map, v, reg);
        return match tier.and_then(|s| tiers.get(&s)) {
            Some((rank, label)) => b.group(
                format!("tier:{v}/{label}"),
                vg,
                GroupKind::Tier,
                label.clone(),
                (*rank, label.clone()),
            ),
            None => vg,
        };
    }
    let g = b.group(
        format!("cat:{account}/{region}/{}", cat.as_str()),
        reg,
        GroupKind::Category,
        cat.title(),
        (2 + category_rank(cat), String::new()),
    );
    if let Some(gr) = b.groups.get_mut(g) {
        gr.category = Some(cat);
    }
    g
}

fn vpc_group(b: &mut Builder, map: &Map, v: usize, region_group: usize) -> usize {
    let vr = map.resources.get(v);
    let cidr = vr
        .and_then(|x| x.attr_str("CidrBlock"))
        .map(|c| format!(" {c}"))
        .unwrap_or_default();
    let name = vr.map(label).unwrap_or_default();
    let vg = b.group(
        format!("vpc:{v}"),
        region_group,
        GroupKind::Vpc,
        format!("VPC {name}{cidr}"),
        (1, name),
    );
    if let Some(g) = b.groups.get_mut(vg) {
        if !g.resources.contains(&v) {
            g.resources.push(v);
        }
    }
    vg
}

fn stack_name(r: &Resource) -> Option<String> {
    if let Some(c) = &r.code {
        if let Some(m) = c.module.first() {
            return Some(format!("Module {m}"));
        }
        if let Some(s) = &c.stack {
            return Some(format!("Stack {s}"));
        }
        return Some(format!("{} {}", c.source_kind.as_str(), c.file));
    }
    r.stack.as_ref().map(|s| format!("Stack {}", s.name))
}

fn leaf_group_stacks(b: &mut Builder, r: &Resource) -> usize {
    match r.type_name.as_str() {
        "Surveyor::Internet" => b.group(
            "internet".into(),
            0,
            GroupKind::Internet,
            "Internet",
            (0, String::new()),
        ),
        "Surveyor::External" => b.group(
            "external".into(),
            0,
            GroupKind::External,
            "External endpoints",
            (9, String::new()),
        ),
        _ => match stack_name(r) {
            Some(s) => b.group(format!("stack:{s}"), 0, GroupKind::Stack, s.clone(), (5, s)),
            None => b.group(
                "stack:(live)".into(),
                0,
                GroupKind::Stack,
                "Not in code (live only)",
                (8, String::new()),
            ),
        },
    }
}

/// The longest common prefix of the labels, cut back to a word boundary, when it says
/// something (`rfq-scrape-` of `rfq-scrape-mic`, `rfq-scrape-ec21`, …).
fn common_prefix(labels: &[String]) -> Option<String> {
    let first = labels.first()?;
    let mut len = first.len();
    for l in labels.iter().skip(1) {
        len = len.min(
            first
                .bytes()
                .zip(l.bytes())
                .take_while(|(a, b)| a == b)
                .count(),
        );
    }
    while len > 0 && !first.is_char_boundary(len) {
        len -= 1;
    }
    let p = first.get(..len)?;
    let cut = p
        .rfind(['-', '_', '/', '.', ' '])
        .map(|i| i + 1)
        .unwrap_or(len);
    let p = p.get(..cut)?;
    (p.len() >= 3).then(|| format!("{p}*"))
}

pub fn build(map: &Map, view: View) -> Diagram {
    let n = map.resources.len();
    let index: HashMap<&str, usize> = map
        .resources
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.as_str(), i))
        .collect();
    let mk = marks(map, &index);
    let plumbing: Vec<bool> = (0..n)
        .map(|i| {
            // CDK's own provider functions (bucket notifications, log retention) are wiring.
            map.resources.get(i).is_some_and(|r| {
                is_plumbing(&r.type_name) || layout::is_provider_function(r) || is_cdk_provider(r)
            }) && mk.drift.get(i).copied().flatten().is_none()
                && mk.findings.get(i).copied().unwrap_or(0) == 0
        })
        .collect();
    let place = placement(map, &index);
    let shared = layout::Context::new(map);
    // How each resource is connected: (outgoing?, kind, type at the other end), flow and
    // network edges only.
    let mut signature: Vec<Vec<(bool, EdgeKind, String)>> = vec![Vec::new(); n];
    for e in &map.edges {
        if matches!(
            e.kind,
            EdgeKind::Contains | EdgeKind::Uses | EdgeKind::Depends
        ) {
            continue;
        }
        let (Some(&f), Some(&t)) = (index.get(e.from.as_str()), index.get(e.to.as_str())) else {
            continue;
        };
        let ty = |i: usize| {
            map.resources
                .get(i)
                .map(|r| r.type_name.clone())
                .unwrap_or_default()
        };
        if let Some(sig) = signature.get_mut(f) {
            sig.push((true, e.kind, ty(t)));
        }
        if let Some(sig) = signature.get_mut(t) {
            sig.push((false, e.kind, ty(f)));
        }
    }
    for sig in &mut signature {
        sig.sort();
        sig.dedup();
    }
    let tiers: HashMap<usize, (u8, String)> = map
        .resources
        .iter()
        .enumerate()
        .filter(|(_, r)| r.type_name == "AWS::EC2::Subnet")
        .map(|(i, r)| (i, subnet_tier(r, &shared)))
        .collect();

    let vpc_used: std::collections::BTreeSet<usize> =
        place.vpc.iter().flatten().map(|p| p.0).collect();
    let mut boxed: std::collections::BTreeSet<usize> = std::collections::BTreeSet::new();
    let mut b = Builder::new();
    // Leaf group → (type, stack, neighbours) → members, in resource order: only alike
    // resources collapse — one type, declared together, connected alike (58 functions each
    // invoked by a schedule do; security groups with different ingress do not).
    type Key = (String, String, Vec<(bool, EdgeKind, String)>);
    let mut members: BTreeMap<usize, BTreeMap<Key, Vec<usize>>> = BTreeMap::new();
    for (i, r) in map.resources.iter().enumerate() {
        if plumbing.get(i).copied().unwrap_or(false) {
            continue;
        }
        if view == View::Network && vpc_used.contains(&i) {
            // The VPC is drawn as the box around what it holds.
            let account = account_of(map, r);
            let region = region_of(map, r);
            let acct = b.group(
                format!("acct:{account}"),
                0,
                GroupKind::Account,
                format!("AWS account {account}"),
                (5, account.clone()),
            );
            let reg = b.group(
                format!("region:{account}/{region}"),
                acct,
                GroupKind::Region,
                format!("Region {region}"),
                (5, region.clone()),
            );
            vpc_group(&mut b, map, i, reg);
            boxed.insert(i);
            continue;
        }
        if view == View::Network
            && r.type_name == "AWS::EC2::Subnet"
            && place.vpc.get(i).copied().flatten().is_some()
        {
            // A subnet is drawn as (part of) the box of its tier.
            let g = leaf_group_network(&mut b, map, i, &place, &tiers);
            if let Some(gr) = b.groups.get_mut(g) {
                gr.resources.push(i);
            }
            boxed.insert(i);
            continue;
        }
        let g = match view {
            View::Network => leaf_group_network(&mut b, map, i, &place, &tiers),
            View::Stacks => leaf_group_stacks(&mut b, r),
        };
        members
            .entry(g)
            .or_default()
            .entry((
                r.type_name.clone(),
                stack_name(r).unwrap_or_default(),
                signature.get(i).cloned().unwrap_or_default(),
            ))
            .or_default()
            .push(i);
    }
    let mut nodes: Vec<Node> = Vec::new();
    let mut node_of: Vec<Option<usize>> = vec![None; n];
    for (&g, types) in &members {
        let mut keyed: Vec<(u8, String, Vec<usize>)> = Vec::new();
        for ((t, _, _), ms) in types {
            let cat = category_of(t);
            if ms.len() >= COLLAPSE_AT {
                keyed.push((category_rank(cat), t.clone(), ms.clone()));
            } else {
                for &m in ms {
                    keyed.push((category_rank(cat), t.clone(), vec![m]));
                }
            }
        }
        keyed.sort_by(|a, b| {
            let la = a.2.first().and_then(|&i| map.resources.get(i)).map(label);
            let lb = b.2.first().and_then(|&i| map.resources.get(i)).map(label);
            (a.0, &a.1, la).cmp(&(b.0, &b.1, lb))
        });
        for (_, t, ms) in keyed {
            let id = nodes.len();
            let display = display_of(&t);
            let labels: Vec<String> = ms
                .iter()
                .filter_map(|&i| map.resources.get(i))
                .map(label)
                .collect();
            let (label, sub) = if ms.len() == 1 {
                let sub = match map.resources.get(ms[0]) {
                    Some(r) if r.type_name == "AWS::EC2::Subnet" => {
                        let az = r.attr_str("AvailabilityZone").unwrap_or("");
                        let cidr = r.attr_str("CidrBlock").unwrap_or("");
                        format!("Subnet {az} {cidr}").trim().to_string()
                    }
                    _ => display.clone(),
                };
                (labels.first().cloned().unwrap_or_default(), sub)
            } else {
                let plural = format!("{} × {display}", ms.len());
                match common_prefix(&labels) {
                    Some(p) => (p, plural),
                    None => (format!("{} {display}s", ms.len()), plural),
                }
            };
            let mut drift = None;
            let mut severity = None;
            let mut findings = 0;
            for &m in &ms {
                drift = stronger_drift(drift, mk.drift.get(m).copied().flatten());
                severity = severity.max(mk.severity.get(m).copied().flatten());
                findings += mk.findings.get(m).copied().unwrap_or(0);
                if let Some(slot) = node_of.get_mut(m) {
                    *slot = Some(id);
                }
            }
            nodes.push(Node {
                members: ms,
                group: g,
                category: category_of(&t),
                label,
                sub,
                drift,
                severity,
                findings,
                attached: Vec::new(),
            });
            if let Some(gr) = b.groups.get_mut(g) {
                gr.nodes.push(id);
            }
        }
    }

    // Omitted plumbing (and VPCs drawn as boxes) attach to a drawn owner: the first drawn
    // resource they refer to, else the first drawn resource referring to them; a few rounds
    // so that a policy reaches its function through the role.
    let mut referrers: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, r) in map.resources.iter().enumerate() {
        for (_, id) in r.references() {
            if let Some(&t) = index.get(id.as_str()) {
                if let Some(v) = referrers.get_mut(t) {
                    v.push(i);
                }
            }
        }
    }
    let mut attached_to: Vec<Option<usize>> = vec![None; n];
    for _round in 0..3 {
        for i in 0..n {
            if node_of.get(i).copied().flatten().is_some()
                || attached_to.get(i).copied().flatten().is_some()
                || boxed.contains(&i)
            {
                continue;
            }
            let owner_of = |j: usize| {
                node_of
                    .get(j)
                    .copied()
                    .flatten()
                    .or_else(|| attached_to.get(j).copied().flatten())
            };
            let found = map
                .resources
                .get(i)
                .into_iter()
                .flat_map(|r| r.references())
                .filter_map(|(_, id)| index.get(id.as_str()).copied())
                .find_map(owner_of)
                .or_else(|| {
                    referrers
                        .get(i)
                        .into_iter()
                        .flatten()
                        .copied()
                        .find_map(owner_of)
                });
            if let Some(slot) = attached_to.get_mut(i) {
                *slot = found;
            }
        }
    }
    let mut stats = Stats {
        resources: n,
        nodes: nodes.len(),
        collapsed_nodes: nodes.iter().filter(|x| x.members.len() > 1).count(),
        drawn_resources: nodes.iter().map(|x| x.members.len()).sum(),
        ..Stats::default()
    };
    stats.boxed_resources = boxed.len();
    stats.omitted_resources = n - stats.drawn_resources - stats.boxed_resources;
    for (i, a) in attached_to.iter().enumerate() {
        if let Some(nd) = *a {
            if let Some(node) = nodes.get_mut(nd) {
                node.attached.push(i);
            }
            if let Some(slot) = node_of.get_mut(i) {
                *slot = Some(nd);
            }
            stats.attached_resources += 1;
        }
    }

    let mut merged: BTreeMap<(usize, usize, EdgeKind), DiagramEdge> = BTreeMap::new();
    stats.edges = map.edges.len();
    for e in &map.edges {
        if e.kind == EdgeKind::Contains {
            stats.contains_edges += 1;
            continue;
        }
        let (Some(&f), Some(&t)) = (index.get(e.from.as_str()), index.get(e.to.as_str())) else {
            stats.dangling_edges += 1;
            continue;
        };
        let (Some(a), Some(z)) = (
            node_of.get(f).copied().flatten(),
            node_of.get(t).copied().flatten(),
        ) else {
            stats.omitted_edges += 1;
            continue;
        };
        if a == z {
            stats.internal_edges += 1;
            continue;
        }
        stats.drawn_edge_facts += 1;
        let d = merged.entry((a, z, e.kind)).or_insert_with(|| DiagramEdge {
            from: a,
            to: z,
            kind: e.kind,
            count: 0,
            label: e.label.clone(),
            origin: e.origin,
        });
        d.count += 1;
        d.origin = d.origin.merge(e.origin);
        if d.label != e.label {
            d.label = None;
        }
    }
    let edges: Vec<DiagramEdge> = merged.into_values().collect();
    stats.drawn_edges = edges.len();

    // Siblings in a stable order: columns by kind, then by name.
    let mut groups = b.groups;
    let orders: Vec<(u8, String, String)> = groups
        .iter()
        .map(|g| (g.order.0, g.order.1.clone(), g.label.clone()))
        .collect();
    for g in &mut groups {
        g.children
            .sort_by(|&a, &b| orders.get(a).cmp(&orders.get(b)));
    }
    Diagram {
        view,
        groups,
        nodes,
        edges,
        stats,
    }
}
