//! What the visual formats (Markdown + Mermaid, HTML + SVG) share: how resources are grouped
//! and classified for people. Everything here reads a [`Map`] and returns plain data; nothing
//! renders text in a particular syntax, so the HTML page and the Mermaid block draw the same
//! picture.
//!
//! The API, for a renderer:
//!
//! - [`Context::new`] indexes a map once (ids → resources, marks, SG membership, placement).
//! - [`is_plumbing`] — resources left out of diagrams (IAM, permissions, routes, SG rules, CDK
//!   metadata, custom-resource providers, log groups, …); they stay in the tables.
//! - [`compute_kind`] and [`ComputeSummary`] — the "Is it EC2?" answer.
//! - [`Marks`] via [`Context::marks`] — drifted / unmanaged / missing / finding flags.
//! - [`subnet_tier`] — public / private / isolated, from CDK tags, names,
//!   `MapPublicIpOnLaunch` and routes to an internet gateway or NAT.
//! - [`entry_points`] — where requests come in (DNS records, distributions, APIs, internet-facing
//!   load balancers, function URLs).
//! - [`diagram`] — the grouped graph: [`Group`]s (VPC → subnet tier, or stacks), [`Node`]s (one
//!   resource, or `Lambda function ×58` for a cohort of the same type with the same neighbours)
//!   and [`DiagramEdge`]s (flow edges, SG ingress projected onto the resources that use the
//!   groups, plumbing bypassed).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use surveyor_model::registry::{category_of, display_of};
use surveyor_model::{
    Category, DriftKind, Edge, EdgeKind, Map, Resource, ResourceId, Severity, SourceKind, Value,
};

/// A cohort of this many resources of one type with the same neighbours becomes one node.
pub const GROUP_MIN: usize = 4;

pub const INTERNET: &str = "internet";

/// Resource types that are wiring rather than architecture: drawn nowhere, listed in tables.
const PLUMBING: &[&str] = &[
    "AWS::IAM::Role",
    "AWS::IAM::Policy",
    "AWS::IAM::ManagedPolicy",
    "AWS::IAM::InstanceProfile",
    "AWS::Lambda::Permission",
    "AWS::Lambda::Version",
    "AWS::Lambda::LayerVersion",
    "AWS::Lambda::EventSourceMapping",
    "AWS::EC2::Route",
    "AWS::EC2::RouteTable",
    "AWS::EC2::SubnetRouteTableAssociation",
    "AWS::EC2::VPCGatewayAttachment",
    "AWS::EC2::InternetGateway",
    "AWS::EC2::NatGateway",
    "AWS::EC2::EIP",
    "AWS::EC2::SecurityGroupIngress",
    "AWS::EC2::SecurityGroupEgress",
    "AWS::EC2::SecurityGroup",
    "AWS::EC2::NetworkInterface",
    "AWS::EC2::NetworkAcl",
    "AWS::EC2::FlowLog",
    "AWS::EC2::LaunchTemplate",
    "AWS::EC2::VPC",
    "AWS::EC2::Subnet",
    "AWS::CDK::Metadata",
    "AWS::Logs::LogGroup",
    "AWS::Logs::MetricFilter",
    "AWS::Logs::SubscriptionFilter",
    "AWS::SQS::QueuePolicy",
    "AWS::SNS::TopicPolicy",
    "AWS::SNS::Subscription",
    "AWS::S3::BucketPolicy",
    "AWS::KMS::Alias",
    "AWS::ElasticLoadBalancingV2::Listener",
    "AWS::ElasticLoadBalancingV2::ListenerRule",
    "AWS::ECS::TaskDefinition",
    "AWS::ECS::Cluster",
    "AWS::RDS::DBSubnetGroup",
    "AWS::RDS::DBParameterGroup",
    "AWS::RDS::DBClusterParameterGroup",
    "AWS::ElastiCache::SubnetGroup",
    "AWS::ApiGateway::Deployment",
    "AWS::ApiGateway::Resource",
    "AWS::ApiGateway::Method",
    "AWS::ApiGateway::Stage",
    "AWS::ApiGatewayV2::Stage",
    "AWS::ApiGatewayV2::Route",
    "AWS::ApiGatewayV2::Integration",
    "AWS::SecretsManager::RotationSchedule",
    "AWS::SecretsManager::SecretTargetAttachment",
    "AWS::CloudFront::OriginAccessControl",
    "AWS::CloudFront::CloudFrontOriginAccessIdentity",
    "AWS::WAFv2::WebACLAssociation",
    "AWS::Scheduler::ScheduleGroup",
    "AWS::CodeStarConnections::Connection",
    "AWS::CloudFormation::Stack",
];

/// Types drawn only when an edge reaches them: supporting pieces, not architecture.
const SUPPORT: &[&str] = &[
    "AWS::KMS::Key",
    "AWS::SecretsManager::Secret",
    "AWS::SSM::Parameter",
    "AWS::CertificateManager::Certificate",
    "AWS::ECR::Repository",
    "AWS::Route53::HostedZone",
    "AWS::CloudWatch::Dashboard",
    "AWS::Budgets::Budget",
    "AWS::Events::EventBus",
];

/// Names CDK gives the Lambda functions behind its own custom resources.
const PROVIDER_HINTS: &[&str] = &[
    "CustomResourceProvider",
    "AWS679f53fac002430cb0da5b7982bd2287",
    "BucketNotificationsHandler",
    "LogRetention",
    "CustomS3AutoDeleteObjects",
    "CustomVpcRestrictDefaultSG",
    "CDKBucketDeployment",
    "Provider/framework",
];

/// Left out of diagrams (kept in tables): IAM, permissions, routes, SG rules, CDK metadata,
/// custom resources and their provider functions, log groups, policies, listeners, …
pub fn is_plumbing(r: &Resource) -> bool {
    if PLUMBING.contains(&r.type_name.as_str()) || r.type_name.starts_with("Custom::") {
        return true;
    }
    if r.type_name == "AWS::CloudFormation::CustomResource" {
        return true;
    }
    if r.type_name == "AWS::Lambda::Function" || r.type_name == "AWS::Lambda::LayerVersion" {
        let addr = r
            .code
            .as_ref()
            .and_then(|c| c.address.as_deref())
            .unwrap_or("");
        let name = r.name.as_deref().unwrap_or("");
        return PROVIDER_HINTS
            .iter()
            .any(|h| addr.contains(h) || name.contains(h));
    }
    false
}

/// Supporting resources: drawn only when a drawn edge reaches them.
pub fn is_support(r: &Resource) -> bool {
    SUPPORT.contains(&r.type_name.as_str())
}

/// Last segments of construct paths that say nothing alone (`…/publicSubnet1/Subnet`).
const GENERIC_SEGMENTS: &[&str] = &[
    "Resource",
    "Default",
    "Subnet",
    "RouteTable",
    "RouteTableAssociation",
    "DefaultRoute",
    "EIP",
    "NATGateway",
    "IGW",
    "VPCGW",
    "Role",
    "ServiceRole",
    "TaskRole",
    "ExecutionRole",
    "Policy",
    "DefaultPolicy",
    "LogGroup",
    "Secret",
    "Attachment",
    "SubnetGroup",
    "Service",
    "Handler",
    "Alias",
    "Notifications",
    "Http",
    "Https",
    "Listener",
    "Provider",
];

/// The label people read: the name, else the construct path's last meaningful segments
/// (`publicSubnet1/Subnet`, `ApiTask/TaskRole`), else the model's label.
pub fn label(r: &Resource) -> String {
    if r.name.is_some() {
        let l = r.label();
        // DNS names are written fully qualified (`api.example.com.`); people drop the dot.
        if r.type_name.starts_with("AWS::Route53::") && l.len() > 1 {
            return l.trim_end_matches('.').to_string();
        }
        return l;
    }
    if let Some(a) = r.code.as_ref().and_then(|c| c.address.as_deref()) {
        let t = a.trim_end_matches("/Resource");
        let segs: Vec<&str> = t.split('/').filter(|s| !s.is_empty()).collect();
        if let [.., parent, last] = segs.as_slice() {
            if segs.len() >= 3 && GENERIC_SEGMENTS.contains(last) {
                return format!("{parent}/{last}");
            }
        }
    }
    r.label()
}

/// CDK's own custom-resource provider functions, which are no workload of the user's.
pub fn is_provider_function(r: &Resource) -> bool {
    matches!(
        r.type_name.as_str(),
        "AWS::Lambda::Function" | "AWS::Serverless::Function"
    ) && is_plumbing(r)
}

pub fn is_pseudo(r: &Resource) -> bool {
    r.type_name.starts_with("Surveyor::")
}

/// The area a resource is listed under (pseudo-nodes: `Other`).
pub fn category(r: &Resource) -> Category {
    category_of(&r.type_name)
}

/// What a resource is called for people: `Lambda function`, `SQS queue`, …
pub fn display(r: &Resource) -> String {
    match r.type_name.as_str() {
        "Surveyor::Internet" => "Internet".into(),
        "Surveyor::External" => "External endpoint".into(),
        "AWS::Serverless::Function" => "Lambda function".into(),
        t => display_of(t),
    }
}

// --- compute ---------------------------------------------------------------------------

/// Where a workload runs, for the "Is it EC2?" answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ComputeKind {
    Lambda,
    Fargate,
    EcsOnEc2,
    Ec2Instance,
    AutoScaling,
    AppRunner,
    Batch,
    Eks,
}

impl ComputeKind {
    pub fn on_ec2(self) -> bool {
        matches!(
            self,
            ComputeKind::EcsOnEc2 | ComputeKind::Ec2Instance | ComputeKind::AutoScaling
        )
    }
    fn noun(self, n: usize) -> String {
        let (one, many) = match self {
            ComputeKind::Lambda => ("Lambda function", "Lambda functions"),
            ComputeKind::Fargate => ("Fargate service", "Fargate services"),
            ComputeKind::EcsOnEc2 => ("ECS service on EC2", "ECS services on EC2"),
            ComputeKind::Ec2Instance => ("EC2 instance", "EC2 instances"),
            ComputeKind::AutoScaling => ("Auto Scaling group", "Auto Scaling groups"),
            ComputeKind::AppRunner => ("App Runner service", "App Runner services"),
            ComputeKind::Batch => ("Batch job queue", "Batch job queues"),
            ComputeKind::Eks => ("EKS cluster", "EKS clusters"),
        };
        format!("{n} {}", if n == 1 { one } else { many })
    }
}

/// How a compute resource runs; `None` for anything that is not a workload (and for CDK's
/// own custom-resource functions).
pub fn compute_kind(r: &Resource, ctx: &Context) -> Option<ComputeKind> {
    match r.type_name.as_str() {
        "AWS::Lambda::Function" | "AWS::Serverless::Function" if !is_plumbing(r) => {
            Some(ComputeKind::Lambda)
        }
        "AWS::ECS::Service" => {
            let launch = r.attr_str("LaunchType").unwrap_or("");
            let fargate_cp = r
                .attr("CapacityProviderStrategy")
                .map(|v| v.display().contains("FARGATE"))
                .unwrap_or(false);
            let td_fargate = r
                .attr("TaskDefinition")
                .and_then(Value::as_ref_id)
                .and_then(|id| ctx.get(id))
                .and_then(|td| td.attr("RequiresCompatibilities"))
                .map(|v| v.display().contains("FARGATE"))
                .unwrap_or(false);
            if launch.eq_ignore_ascii_case("FARGATE") || fargate_cp {
                Some(ComputeKind::Fargate)
            } else if launch.eq_ignore_ascii_case("EC2") || launch.eq_ignore_ascii_case("EXTERNAL")
            {
                Some(ComputeKind::EcsOnEc2)
            } else if td_fargate {
                Some(ComputeKind::Fargate)
            } else {
                Some(ComputeKind::EcsOnEc2)
            }
        }
        "AWS::EC2::Instance" => Some(ComputeKind::Ec2Instance),
        "AWS::AutoScaling::AutoScalingGroup" => Some(ComputeKind::AutoScaling),
        "AWS::AppRunner::Service" => Some(ComputeKind::AppRunner),
        "AWS::Batch::JobQueue" => Some(ComputeKind::Batch),
        "AWS::EKS::Cluster" => Some(ComputeKind::Eks),
        _ => None,
    }
}

/// Lambda packaging: `image` or `zip`.
pub fn lambda_packaging(r: &Resource) -> &'static str {
    let image = r
        .attr_str("PackageType")
        .is_some_and(|p| p.eq_ignore_ascii_case("Image"))
        || r.attr("Code.ImageUri").is_some()
        || r.attr("ImageUri").is_some();
    if image {
        "image"
    } else {
        "zip"
    }
}

/// Lambda architecture (`x86_64` when the code leaves it to the default).
pub fn lambda_arch(r: &Resource) -> String {
    r.attr("Architectures")
        .and_then(Value::as_list)
        .and_then(|l| l.first())
        .and_then(Value::as_str)
        .unwrap_or("x86_64")
        .to_string()
}

/// The counts behind "Is it EC2?".
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ComputeSummary {
    pub by_kind: BTreeMap<ComputeKind, usize>,
    /// Lambda functions by architecture.
    pub lambda_arch: BTreeMap<String, usize>,
    pub lambda_images: usize,
    /// EC2-based resources that no code declares (named).
    pub unmanaged_ec2: Vec<String>,
}

impl ComputeSummary {
    pub fn of(ctx: &Context) -> ComputeSummary {
        let mut s = ComputeSummary::default();
        for r in &ctx.map.resources {
            let Some(kind) = compute_kind(r, ctx) else {
                continue;
            };
            // EC2 made by hand is called out apart, so the answer says what the code runs.
            if kind.on_ec2() && r.in_live && !r.in_code {
                s.unmanaged_ec2.push(label(r));
                continue;
            }
            *s.by_kind.entry(kind).or_default() += 1;
            if kind == ComputeKind::Lambda {
                *s.lambda_arch.entry(lambda_arch(r)).or_default() += 1;
                if lambda_packaging(r) == "image" {
                    s.lambda_images += 1;
                }
            }
        }
        s
    }

    pub fn on_ec2(&self) -> bool {
        self.by_kind.keys().any(|k| k.on_ec2())
    }

    /// The seed's answer: "Compute is not on EC2 — 3 Lambda functions (arm64, 1 container
    /// image) and 2 Fargate services".
    pub fn sentence(&self) -> String {
        if self.by_kind.is_empty() && self.unmanaged_ec2.is_empty() {
            return "No compute is declared or found.".into();
        }
        let parts: Vec<String> = self
            .by_kind
            .iter()
            .map(|(k, n)| {
                let mut p = k.noun(*n);
                if *k == ComputeKind::Lambda {
                    let mut q: Vec<String> = Vec::new();
                    if self.lambda_arch.len() == 1 {
                        if let Some(a) = self.lambda_arch.keys().next() {
                            q.push(if *n > 1 {
                                format!("all {a}")
                            } else {
                                a.clone()
                            });
                        }
                    } else {
                        q.extend(self.lambda_arch.iter().map(|(a, c)| format!("{c} {a}")));
                    }
                    if self.lambda_images > 0 {
                        q.push(format!(
                            "{} container image{}",
                            self.lambda_images,
                            plural(self.lambda_images)
                        ));
                    }
                    if !q.is_empty() {
                        p.push_str(&format!(" ({})", q.join(", ")));
                    }
                }
                p
            })
            .collect();
        let list = join_and(&parts);
        let mut out = if parts.is_empty() {
            "No compute is declared in the code.".to_string()
        } else if self.on_ec2() {
            format!("Compute runs on EC2 — {list}.")
        } else {
            format!("Compute is not on EC2 — {list}.")
        };
        if !self.unmanaged_ec2.is_empty() {
            out.push_str(&format!(
                " ⚠ {}{} EC2 resource{} run{} outside the code: {}.",
                if self.on_ec2() || parts.is_empty() {
                    ""
                } else {
                    "But "
                },
                self.unmanaged_ec2.len(),
                plural(self.unmanaged_ec2.len()),
                if self.unmanaged_ec2.len() == 1 {
                    "s"
                } else {
                    ""
                },
                self.unmanaged_ec2.join(", ")
            ));
        }
        out
    }
}

/// "4 stacks", "1 Terraform root module", "2 stacks and 1 Terraform root module": a
/// Terraform root module is the map's unit of deployment as a stack is; say which.
pub fn deploy_units(map: &surveyor_model::Map) -> String {
    let roots = map
        .stacks
        .iter()
        .filter(|s| s.source_kind == surveyor_model::SourceKind::Terraform)
        .count();
    let stacks = map.stacks.len() - roots;
    let mut units = Vec::new();
    if stacks > 0 || roots == 0 {
        units.push(format!("{stacks} stack{}", plural(stacks)));
    }
    if roots > 0 {
        units.push(format!("{roots} Terraform root module{}", plural(roots)));
    }
    units.join(" and ")
}

pub fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

pub fn join_and(parts: &[String]) -> String {
    match parts {
        [] => String::new(),
        [a] => a.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

// --- marks ------------------------------------------------------------------------------

/// What a resource is flagged with, for styling and the ⚠ marker.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Marks {
    pub drifted: bool,
    pub unmanaged: bool,
    pub missing: bool,
    pub finding: Option<Severity>,
}

impl Marks {
    pub fn any(&self) -> bool {
        self.drifted || self.unmanaged || self.missing || self.finding.is_some()
    }
    fn merge(&mut self, o: Marks) {
        self.drifted |= o.drifted;
        self.unmanaged |= o.unmanaged;
        self.missing |= o.missing;
        self.finding = self.finding.max(o.finding);
    }
}

// --- context ----------------------------------------------------------------------------

/// A map indexed once for rendering.
pub struct Context<'a> {
    pub map: &'a Map,
    index: HashMap<&'a ResourceId, usize>,
    marks: HashMap<&'a ResourceId, Marks>,
    /// Security group id → resources that use it (not the group's own rules).
    sg_members: HashMap<&'a ResourceId, Vec<usize>>,
    /// Resource → the subnets it is placed in.
    placement: HashMap<usize, Vec<usize>>,
    route_tiers: HashMap<usize, Tier>,
    out_edges: HashMap<&'a ResourceId, Vec<usize>>,
    in_edges: HashMap<&'a ResourceId, Vec<usize>>,
    /// (resource, attribute path) → the live value of a `changed` drift item.
    drifted: HashMap<(&'a ResourceId, &'a str), &'a Value>,
    /// CloudFormation logical id → resource, for unresolved text that names one.
    logical: HashMap<&'a str, usize>,
    pub live: bool,
}

impl<'a> Context<'a> {
    pub fn new(map: &'a Map) -> Context<'a> {
        let index: HashMap<&ResourceId, usize> = map
            .resources
            .iter()
            .enumerate()
            .map(|(i, r)| (&r.id, i))
            .collect();
        let live = map
            .sources
            .iter()
            .any(|s| matches!(s.kind, SourceKind::Live | SourceKind::Snapshot))
            || map.resources.iter().any(|r| r.in_live);
        let mut marks: HashMap<&ResourceId, Marks> = HashMap::new();
        for r in &map.resources {
            if r.in_live && !r.in_code && !is_pseudo(r) {
                marks.entry(&r.id).or_default().unmanaged = true;
            }
        }
        for d in &map.drift {
            let Some(id) = &d.resource else { continue };
            let Some(&i) = index.get(id) else { continue };
            let m = marks.entry(&map.resources[i].id).or_default();
            match d.kind {
                DriftKind::Unmanaged => m.unmanaged = true,
                DriftKind::Missing => m.missing = true,
                DriftKind::Changed | DriftKind::Count => m.drifted = true,
            }
        }
        for f in &map.findings {
            let Some(&i) = index.get(&f.resource) else {
                continue;
            };
            let m = marks.entry(&map.resources[i].id).or_default();
            m.finding = m.finding.max(Some(f.severity));
        }
        let mut sg_members: HashMap<&ResourceId, Vec<usize>> = HashMap::new();
        let mut placement: HashMap<usize, Vec<usize>> = HashMap::new();
        let is_type = |id: &ResourceId, t: &str| {
            index
                .get(id)
                .is_some_and(|&i| map.resources[i].type_name == t)
        };
        for (i, r) in map.resources.iter().enumerate() {
            if matches!(
                r.type_name.as_str(),
                "AWS::EC2::SecurityGroup"
                    | "AWS::EC2::SecurityGroupIngress"
                    | "AWS::EC2::SecurityGroupEgress"
            ) {
                continue;
            }
            let mut subnets = Vec::new();
            for (_, id) in r.references() {
                if is_type(id, "AWS::EC2::SecurityGroup") {
                    if let Some((k, _)) = index.get_key_value(id) {
                        let v = sg_members.entry(*k).or_default();
                        if v.last() != Some(&i) {
                            v.push(i);
                        }
                    }
                } else if r.type_name != "AWS::EC2::SubnetRouteTableAssociation"
                    && r.type_name != "AWS::EC2::NatGateway"
                    && r.type_name != "AWS::EC2::Route"
                {
                    if let Some(&j) = index.get(id) {
                        let t = map.resources[j].type_name.as_str();
                        if t == "AWS::EC2::Subnet" {
                            subnets.push(j);
                        } else if t.ends_with("SubnetGroup") {
                            for (_, sid) in map.resources[j].references() {
                                if let Some(&k) = index.get(sid) {
                                    if map.resources[k].type_name == "AWS::EC2::Subnet" {
                                        subnets.push(k);
                                    }
                                }
                            }
                        }
                    }
                }
            }
            if !subnets.is_empty() {
                placement.insert(i, subnets);
            }
        }
        for e in &map.edges {
            if e.kind != EdgeKind::Contains {
                continue;
            }
            let (Some(&f), Some(&t)) = (index.get(&e.from), index.get(&e.to)) else {
                continue;
            };
            if map.resources[f].type_name == "AWS::EC2::Subnet" {
                let v = placement.entry(t).or_default();
                if !v.contains(&f) {
                    v.push(f);
                }
            }
        }
        for v in placement.values_mut() {
            v.sort_unstable();
            v.dedup();
        }
        let route_tiers = route_tiers(map, &index);
        let mut out_edges: HashMap<&ResourceId, Vec<usize>> = HashMap::new();
        let mut in_edges: HashMap<&ResourceId, Vec<usize>> = HashMap::new();
        for (i, e) in map.edges.iter().enumerate() {
            out_edges.entry(&e.from).or_default().push(i);
            in_edges.entry(&e.to).or_default().push(i);
        }
        let mut drifted = HashMap::new();
        for d in &map.drift {
            if let (DriftKind::Changed, Some(id), Some(a), Some(v)) =
                (d.kind, &d.resource, &d.attribute, &d.live)
            {
                drifted.insert((id, a.as_str()), v);
            }
        }
        let logical = map
            .resources
            .iter()
            .enumerate()
            .filter_map(|(i, r)| Some((r.code.as_ref()?.logical_id.as_deref()?, i)))
            .collect();
        Context {
            drifted,
            logical,
            out_edges,
            in_edges,
            map,
            index,
            marks,
            sg_members,
            placement,
            route_tiers,
            live,
        }
    }

    /// The live value of an attribute that drifted from the code.
    pub fn drifted(&self, id: &ResourceId, attribute: &str) -> Option<&'a Value> {
        self.drifted.get(&(id, attribute)).copied()
    }

    /// The resource a CloudFormation logical id names (the first, across templates).
    pub fn by_logical_id(&self, logical_id: &str) -> Option<&'a Resource> {
        self.logical
            .get(logical_id)
            .map(|&i| &self.map.resources[i])
    }

    /// Edges leaving a resource.
    pub fn edges_from(&self, id: &ResourceId) -> impl Iterator<Item = &'a Edge> + '_ {
        self.out_edges
            .get(id)
            .into_iter()
            .flatten()
            .map(|&i| &self.map.edges[i])
    }

    /// Edges reaching a resource.
    pub fn edges_to(&self, id: &ResourceId) -> impl Iterator<Item = &'a Edge> + '_ {
        self.in_edges
            .get(id)
            .into_iter()
            .flatten()
            .map(|&i| &self.map.edges[i])
    }

    pub fn get(&self, id: &ResourceId) -> Option<&'a Resource> {
        self.index.get(id).map(|&i| &self.map.resources[i])
    }

    pub fn position(&self, id: &ResourceId) -> Option<usize> {
        self.index.get(id).copied()
    }

    pub fn marks(&self, id: &ResourceId) -> Marks {
        self.marks.get(id).copied().unwrap_or_default()
    }

    /// The label a reference is shown as: the target's label, else the id's tail.
    pub fn ref_label(&self, id: &ResourceId) -> String {
        match self.get(id) {
            Some(r) => label(r),
            None => short_id(id.as_str()),
        }
    }

    /// The subnets a resource is placed in (by `contains` edges or its own references).
    pub fn subnets_of(&self, i: usize) -> &[usize] {
        self.placement.get(&i).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The resources that use a security group.
    pub fn sg_members(&self, id: &ResourceId) -> &[usize] {
        self.sg_members.get(id).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The VPC a subnet (or anything with `VpcId`) belongs to.
    pub fn vpc_of(&self, r: &Resource) -> Option<usize> {
        let id = r.attr("VpcId").and_then(Value::as_ref_id)?;
        self.position(id)
    }

    pub fn has_placement(&self) -> bool {
        !self.placement.is_empty()
    }
}

/// The readable tail of an ARN or provisional id.
pub fn short_id(id: &str) -> String {
    if let Some(rest) = id.strip_prefix("arn:") {
        let tail = rest.splitn(5, ':').nth(4).unwrap_or(rest);
        return tail.rsplit(['/', ':']).next().unwrap_or(tail).to_string();
    }
    id.rsplit("::").next().unwrap_or(id).to_string()
}

// --- network ----------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Tier {
    Public,
    Private,
    Isolated,
}

impl Tier {
    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Public => "public",
            Tier::Private => "private",
            Tier::Isolated => "isolated",
        }
    }
}

/// A subnet's tier, from (in order) CDK's `aws-cdk:subnet-type` tag, `MapPublicIpOnLaunch`,
/// its route table's routes (internet gateway → public, NAT → private), then its name.
pub fn subnet_tier(subnet: &Resource, ctx: &Context) -> Tier {
    if let Some(t) = subnet.tags.get("aws-cdk:subnet-type") {
        match t.to_ascii_lowercase().as_str() {
            "public" => return Tier::Public,
            "private" => return Tier::Private,
            "isolated" => return Tier::Isolated,
            _ => {}
        }
    }
    if subnet.attr("MapPublicIpOnLaunch").and_then(Value::as_bool) == Some(true) {
        return Tier::Public;
    }
    if let Some(t) = route_tier(subnet, ctx) {
        return t;
    }
    let name = subnet
        .tags
        .get("Name")
        .cloned()
        .unwrap_or_else(|| label(subnet))
        .to_ascii_lowercase();
    if name.contains("public") {
        Tier::Public
    } else if name.contains("isolated") || name.contains("data") || name.contains("db") {
        Tier::Isolated
    } else {
        // `private`, `app`, and anything unnamed: the common default for workloads.
        Tier::Private
    }
}

fn route_tier(subnet: &Resource, ctx: &Context) -> Option<Tier> {
    ctx.position(&subnet.id)
        .and_then(|i| ctx.route_tiers.get(&i).copied())
}

/// Subnet position → tier by its route tables: subnet ← association → route table ← routes
/// (`GatewayId` → internet gateway: public; `NatGatewayId`: private; neither: isolated).
fn route_tiers(map: &Map, index: &HashMap<&ResourceId, usize>) -> HashMap<usize, Tier> {
    let mut table_tier: HashMap<&ResourceId, Tier> = HashMap::new();
    for r in map
        .resources
        .iter()
        .filter(|r| r.type_name == "AWS::EC2::Route")
    {
        let Some(rt) = r.attr("RouteTableId").and_then(Value::as_ref_id) else {
            continue;
        };
        let to_igw = r
            .attr("GatewayId")
            .map(|v| match v {
                Value::Ref(id) => index
                    .get(id)
                    .is_some_and(|&g| map.resources[g].type_name == "AWS::EC2::InternetGateway"),
                Value::String(s) => s.starts_with("igw-"),
                _ => false,
            })
            .unwrap_or(false);
        let t = if to_igw {
            Tier::Public
        } else if r.attr("NatGatewayId").is_some() {
            Tier::Private
        } else {
            Tier::Isolated
        };
        let e = table_tier.entry(rt).or_insert(t);
        *e = (*e).min(t);
    }
    let mut out = HashMap::new();
    for r in map
        .resources
        .iter()
        .filter(|r| r.type_name == "AWS::EC2::SubnetRouteTableAssociation")
    {
        let (Some(sid), Some(rt)) = (
            r.attr("SubnetId").and_then(Value::as_ref_id),
            r.attr("RouteTableId").and_then(Value::as_ref_id),
        ) else {
            continue;
        };
        if let Some(&si) = index.get(sid) {
            out.insert(si, table_tier.get(rt).copied().unwrap_or(Tier::Isolated));
        }
    }
    out
}

// --- entry points -----------------------------------------------------------------------

/// Where requests enter: DNS records, distributions, APIs, internet-facing load balancers,
/// function URLs.
pub fn is_entry_point(r: &Resource) -> bool {
    match r.type_name.as_str() {
        "AWS::Route53::RecordSet"
        | "AWS::CloudFront::Distribution"
        | "AWS::ApiGateway::RestApi"
        | "AWS::ApiGatewayV2::Api"
        | "AWS::Lambda::Url" => true,
        "AWS::ElasticLoadBalancingV2::LoadBalancer" | "AWS::ElasticLoadBalancing::LoadBalancer" => {
            r.attr_str("Scheme")
                .map(|s| s.eq_ignore_ascii_case("internet-facing"))
                // The default scheme is internet-facing.
                .unwrap_or(true)
        }
        _ => false,
    }
}

/// Entry points that nothing else routes to (a load balancer behind a DNS record is reached
/// through the record, so the record is the entry point).
pub fn entry_points<'a>(ctx: &Context<'a>) -> Vec<&'a Resource> {
    ctx.map
        .resources
        .iter()
        .filter(|r| is_entry_point(r))
        .filter(|r| {
            // A DNS name is always somewhere people start, even when a CDN routes to it too.
            r.type_name == "AWS::Route53::RecordSet"
                || !ctx.edges_to(&r.id).any(|e| {
                    e.kind == EdgeKind::Routes && ctx.get(&e.from).is_some_and(is_entry_point)
                })
        })
        .collect()
}

// --- diagram ----------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum GroupKind {
    Vpc,
    Tier(Tier),
    Stack,
    /// A Terraform module call (`module.queues`), for resources outside any stack.
    Module,
    Outside,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub label: String,
    pub kind: GroupKind,
    pub parent: Option<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The resources behind the node (one, or the whole cohort).
    pub members: Vec<ResourceId>,
    pub type_name: String,
    /// `orders-api`, or `Lambda function ×58` for a cohort.
    pub label: String,
    /// What it is: `ECS service · Fargate`.
    pub detail: String,
    pub group: Option<usize>,
    pub category: Category,
    pub marks: Marks,
    /// How many members carry a mark (for cohorts).
    pub marked: usize,
    pub entry: bool,
}

impl Node {
    pub fn count(&self) -> usize {
        self.members.len()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct DiagramEdge {
    pub from: usize,
    pub to: usize,
    pub kind: EdgeKind,
    pub label: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Diagram {
    pub groups: Vec<Group>,
    pub nodes: Vec<Node>,
    pub edges: Vec<DiagramEdge>,
    /// Resources left out (plumbing, unconnected support), for a note under the diagram.
    pub omitted: usize,
    /// 0 as drawn; 1 when repeated resources merged whatever their neighbours; 2 when stacks
    /// were merged too (see [`diagram_within`]).
    pub simplified: u8,
}

/// The diagram of a map: plumbing left out, cohorts grouped, nodes placed in VPC → subnet tier
/// subgraphs when placement is known, else in their stacks.
pub fn diagram(ctx: &Context) -> Diagram {
    diagram_within(ctx, MAX_NODES, MAX_EDGES)
}

/// The most nodes and edges a diagram is allowed before it is simplified; beyond these a
/// Mermaid chart stops being readable (and GitHub stops rendering it: 500 edges at most).
pub const MAX_NODES: usize = 150;
pub const MAX_EDGES: usize = 300;

/// The diagram, simplified step by step until it fits: first repeated resources of one type
/// in one group merge whatever their neighbours, then stacks are no longer kept apart.
pub fn diagram_within(ctx: &Context, max_nodes: usize, max_edges: usize) -> Diagram {
    let mut d = build(ctx, 0);
    for level in 1..=2 {
        if d.nodes.len() <= max_nodes && d.edges.len() <= max_edges {
            break;
        }
        d = build(ctx, level);
    }
    d
}

type Signature = BTreeSet<(u8, EdgeKind, String)>;
type NeighbourKey<'s> = (Option<usize>, &'s str, &'s Signature);

fn build(ctx: &Context, level: u8) -> Diagram {
    let map = ctx.map;
    let n = map.resources.len();
    // 1. Which resources may be drawn.
    let mut drawable: Vec<bool> = map
        .resources
        .iter()
        .map(|r| !is_plumbing(r) && !is_support(r))
        .collect();
    let support: Vec<bool> = map.resources.iter().map(is_support).collect();

    // 2. Resource-level edges.
    let mut redges: Vec<(usize, usize, EdgeKind, Option<String>)> = Vec::new();
    let mut out_flow: HashMap<usize, Vec<(usize, EdgeKind, Option<String>)>> = HashMap::new();
    let mut in_flow: HashMap<usize, Vec<(usize, EdgeKind, Option<String>)>> = HashMap::new();
    let internet = map
        .resources
        .iter()
        .position(|r| r.type_name == "Surveyor::Internet" || r.id.as_str() == INTERNET);
    for e in &map.edges {
        let (Some(f), Some(t)) = (ctx.position(&e.from), ctx.position(&e.to)) else {
            continue;
        };
        if f == t {
            continue;
        }
        match e.kind {
            EdgeKind::Allows => {
                let from_members: Vec<usize> = if Some(f) == internet {
                    vec![f]
                } else {
                    ctx.sg_members(&e.from).to_vec()
                };
                let to_members = ctx.sg_members(&e.to);
                if from_members.len() * to_members.len() > 64 {
                    continue;
                }
                for &a in &from_members {
                    for &b in to_members {
                        if a != b {
                            redges.push((a, b, EdgeKind::Allows, e.label.clone()));
                        }
                    }
                }
            }
            EdgeKind::Contains => {}
            k if k.is_flow() || k == EdgeKind::Protects => {
                redges.push((f, t, k, e.label.clone()));
                out_flow.entry(f).or_default().push((t, k, e.label.clone()));
                in_flow.entry(t).or_default().push((f, k, e.label.clone()));
            }
            EdgeKind::Uses | EdgeKind::Depends => {
                let target = &map.resources[t];
                let worth = matches!(category(target), Category::Data | Category::Messaging)
                    || matches!(
                        target.type_name.as_str(),
                        "AWS::SecretsManager::Secret" | "AWS::SSM::Parameter"
                    );
                if worth && !is_plumbing(&map.resources[f]) {
                    redges.push((f, t, e.kind, e.label.clone()));
                }
            }
            _ => {}
        }
    }
    // Bypass plumbing that sits in the middle of a flow (API → integration → function).
    for (&p, ins) in &in_flow {
        if drawable[p] || support[p] {
            continue;
        }
        let Some(outs) = out_flow.get(&p) else {
            continue;
        };
        if ins.len() * outs.len() > 16 {
            continue;
        }
        for (a, _, la) in ins {
            for (b, k, lb) in outs {
                if a != b {
                    redges.push((*a, *b, *k, lb.clone().or_else(|| la.clone())));
                }
            }
        }
    }
    redges.retain(|(a, b, _, _)| {
        (drawable[*a] || support[*a] || Some(*a) == internet)
            && (drawable[*b] || support[*b] || Some(*b) == internet)
    });
    // Support nodes appear only when reached.
    for (a, b, _, _) in &redges {
        drawable[*a] = true;
        drawable[*b] = true;
    }
    redges.retain(|(a, b, _, _)| drawable[*a] && drawable[*b]);

    // Synthesised internet node when the map has none but entry points exist.
    let mut extra_internet = false;
    let has_in_route: HashSet<usize> = redges
        .iter()
        .filter(|(_, _, k, _)| matches!(k, EdgeKind::Routes | EdgeKind::Allows))
        .map(|(_, b, _, _)| *b)
        .collect();
    let entry_targets: Vec<usize> = (0..n)
        .filter(|&i| {
            let r = &map.resources[i];
            drawable[i]
                && is_entry_point(r)
                && (!has_in_route.contains(&i) || r.type_name == "AWS::Route53::RecordSet")
        })
        .collect();
    if internet.is_none() && !entry_targets.is_empty() {
        extra_internet = true;
    }

    // 3. Groups.
    let mut groups: Vec<Group> = Vec::new();
    let mut group_of: Vec<Option<usize>> = vec![None; n];
    let mut group_key: HashMap<(GroupKind, String), usize> = HashMap::new();
    let mut get_group = |groups: &mut Vec<Group>,
                         kind: GroupKind,
                         key: String,
                         label: String,
                         parent: Option<usize>|
     -> usize {
        *group_key.entry((kind.clone(), key)).or_insert_with(|| {
            groups.push(Group {
                label,
                kind,
                parent,
            });
            groups.len() - 1
        })
    };
    // Stacks in declared (deploy) order first, so subgraphs read in a stable order.
    for s in &map.stacks {
        let _ = get_group(
            &mut groups,
            GroupKind::Stack,
            s.name.clone(),
            format!("stack {}", s.name),
            None,
        );
    }
    let multi_region = map.regions.len() > 1;
    for i in 0..n {
        if !drawable[i] {
            continue;
        }
        let r = &map.resources[i];
        if is_pseudo(r) {
            continue;
        }
        let subnets = ctx.subnets_of(i);
        if let Some(&s0) = subnets.first() {
            let subnet = &map.resources[s0];
            let tier = subnets
                .iter()
                .map(|&s| subnet_tier(&map.resources[s], ctx))
                .min()
                .unwrap_or(Tier::Private);
            let vpc = ctx.vpc_of(subnet);
            let vpc_key = vpc
                .map(|v| map.resources[v].id.0.clone())
                .unwrap_or_default();
            let vpc_label = match vpc {
                Some(v) => {
                    let vr = &map.resources[v];
                    let mut l = format!("VPC {}", label(vr));
                    if let Some(c) = vr.attr("CidrBlock").and_then(Value::as_str) {
                        l.push_str(&format!(" {c}"));
                    }
                    if multi_region {
                        if let Some(reg) = &vr.region {
                            l.push_str(&format!(" ({reg})"));
                        }
                    }
                    l
                }
                None => "VPC".to_string(),
            };
            let g = get_group(
                &mut groups,
                GroupKind::Vpc,
                vpc_key.clone(),
                vpc_label,
                None,
            );
            let azs: BTreeSet<String> = subnets
                .iter()
                .filter_map(|&s| {
                    map.resources[s]
                        .attr("AvailabilityZone")
                        .map(|v| v.display())
                })
                .collect();
            let tier_label = if azs.len() > 1 {
                format!("{} subnets ({} AZ)", tier.as_str(), azs.len())
            } else {
                format!("{} subnets", tier.as_str())
            };
            let t = get_group(
                &mut groups,
                GroupKind::Tier(tier),
                format!("{vpc_key}|{}", tier.as_str()),
                tier_label,
                Some(g),
            );
            group_of[i] = Some(t);
        } else if let Some(stack) = r
            .code
            .as_ref()
            .and_then(|c| c.stack.clone())
            .or_else(|| r.stack.as_ref().map(|s| s.name.clone()))
        {
            if level < 2 {
                let label = format!("stack {stack}");
                group_of[i] = Some(get_group(&mut groups, GroupKind::Stack, stack, label, None));
            }
        } else if let Some(module) = r
            .code
            .as_ref()
            .and_then(|c| c.module.first())
            .filter(|_| level < 2)
        {
            // One subgraph per module call, whatever its `count`/`for_each` key.
            let call = module.split('[').next().unwrap_or(module).to_string();
            let label = call.replacen("module.", "module ", 1);
            group_of[i] = Some(get_group(&mut groups, GroupKind::Module, call, label, None));
        } else if r.in_live && !r.in_code {
            group_of[i] = Some(get_group(
                &mut groups,
                GroupKind::Outside,
                String::new(),
                "not in code (live only)".into(),
                None,
            ));
        }
    }

    // 4. Cohorts: same group and type, with the same neighbours.
    let mut cohort: HashMap<(Option<usize>, &str), Vec<usize>> = HashMap::new();
    for i in 0..n {
        if drawable[i] && !is_pseudo(&map.resources[i]) {
            cohort
                .entry((group_of[i], map.resources[i].type_name.as_str()))
                .or_default()
                .push(i);
        }
    }
    let min = if level == 0 { GROUP_MIN } else { 2 };
    let big: HashSet<usize> = cohort
        .values()
        .filter(|v| v.len() >= min)
        .flatten()
        .copied()
        .collect();
    let mut neighbours: HashMap<usize, Signature> = HashMap::new();
    let key_of = |j: usize| -> String {
        if big.contains(&j) {
            format!("cohort:{:?}:{}", group_of[j], map.resources[j].type_name)
        } else {
            map.resources[j].id.0.clone()
        }
    };
    for (a, b, k, _) in &redges {
        neighbours
            .entry(*a)
            .or_default()
            .insert((0, *k, key_of(*b)));
        neighbours
            .entry(*b)
            .or_default()
            .insert((1, *k, key_of(*a)));
    }
    let empty = BTreeSet::new();
    let mut node_of: Vec<Option<usize>> = vec![None; n];
    let mut nodes: Vec<Node> = Vec::new();
    if extra_internet {
        nodes.push(Node {
            members: vec![ResourceId::new(INTERNET)],
            type_name: "Surveyor::Internet".into(),
            label: "Internet".into(),
            detail: String::new(),
            group: None,
            category: Category::Other,
            marks: Marks::default(),
            marked: 0,
            entry: false,
        });
    }
    // Members of a cohort with the same neighbours, found once (not by pairwise comparison).
    let mut buckets: HashMap<NeighbourKey, Vec<usize>> = HashMap::new();
    for (key, members) in &cohort {
        if members.len() < min {
            continue;
        }
        for &j in members {
            let sig = neighbours.get(&j).unwrap_or(&empty);
            buckets.entry((key.0, key.1, sig)).or_default().push(j);
        }
    }
    let mut assigned: Vec<bool> = vec![false; n];
    // Order: pseudo-nodes, entry points, then resources in map order.
    let mut order: Vec<usize> = (0..n).filter(|&i| drawable[i]).collect();
    order.sort_by_key(|&i| {
        let r = &map.resources[i];
        (
            !is_pseudo(r),
            !is_entry_point(r),
            category_rank(category(r)),
            i,
        )
    });
    for &i in &order {
        if assigned[i] {
            continue;
        }
        let r = &map.resources[i];
        let key = (group_of[i], r.type_name.as_str());
        let members: Vec<usize> = match cohort.get(&key) {
            Some(c) if c.len() >= min && !is_pseudo(r) => {
                let same: Vec<usize> = if level > 0 {
                    c.iter().copied().filter(|&j| !assigned[j]).collect()
                } else {
                    let sig = neighbours.get(&i).unwrap_or(&empty);
                    buckets
                        .get(&(key.0, key.1, sig))
                        .map(|b| b.iter().copied().filter(|&j| !assigned[j]).collect())
                        .unwrap_or_default()
                };
                if same.len() >= min {
                    same
                } else {
                    vec![i]
                }
            }
            _ => vec![i],
        };
        let idx = nodes.len();
        let mut marks = Marks::default();
        let mut marked = 0;
        for &m in &members {
            assigned[m] = true;
            node_of[m] = Some(idx);
            let mk = ctx.marks(&map.resources[m].id);
            if mk.any() {
                marked += 1;
            }
            marks.merge(mk);
        }
        let (label, detail) = if r.type_name == "Surveyor::Internet" {
            ("Internet".to_string(), String::new())
        } else if r.type_name == "Surveyor::External" {
            (label(r), "external".to_string())
        } else if members.len() > 1 {
            (
                format!("{} ×{}", display(r), members.len()),
                cohort_detail(&members, ctx),
            )
        } else {
            (label(r), node_detail(r, ctx))
        };
        nodes.push(Node {
            members: members
                .iter()
                .map(|&m| map.resources[m].id.clone())
                .collect(),
            type_name: r.type_name.clone(),
            label,
            detail,
            group: group_of[i],
            category: category(r),
            marks,
            marked,
            entry: is_entry_point(r),
        });
    }

    // 5. Node-level edges, merged.
    let mut seen: HashMap<(usize, usize, EdgeKind), usize> = HashMap::new();
    let mut edges: Vec<DiagramEdge> = Vec::new();
    // Requests come from the internet to every entry point nothing else routes to.
    let internet_node = if extra_internet {
        Some(0)
    } else {
        internet.and_then(|i| node_of[i])
    };
    if let Some(inet) = internet_node {
        for &t in &entry_targets {
            if let Some(tn) = node_of[t] {
                if tn != inet
                    && seen
                        .insert((inet, tn, EdgeKind::Routes), edges.len())
                        .is_none()
                {
                    edges.push(DiagramEdge {
                        from: inet,
                        to: tn,
                        kind: EdgeKind::Routes,
                        label: None,
                    });
                }
            }
        }
    }
    for (a, b, k, l) in &redges {
        let (Some(fa), Some(fb)) = (node_of[*a], node_of[*b]) else {
            continue;
        };
        if fa == fb {
            continue;
        }
        match seen.get(&(fa, fb, *k)) {
            Some(&e) => {
                let cur = &mut edges[e];
                if let Some(l) = l {
                    match &mut cur.label {
                        Some(existing)
                            if !existing.split(", ").any(|x| x == l) && existing.len() < 40 =>
                        {
                            existing.push_str(", ");
                            existing.push_str(l);
                        }
                        None => cur.label = Some(l.clone()),
                        _ => {}
                    }
                }
            }
            None => {
                seen.insert((fa, fb, *k), edges.len());
                edges.push(DiagramEdge {
                    from: fa,
                    to: fb,
                    kind: *k,
                    label: l.clone(),
                });
            }
        }
    }
    // Request paths first, then network access, then messages and events, then dependencies:
    // Mermaid lays nodes out in the order edges name them.
    let rank = |k: EdgeKind| match k {
        EdgeKind::Routes => 0,
        EdgeKind::Allows => 1,
        EdgeKind::Protects => 2,
        EdgeKind::Invokes => 3,
        EdgeKind::Notifies => 4,
        EdgeKind::Delivers => 5,
        EdgeKind::Triggers => 6,
        EdgeKind::Redrives => 7,
        EdgeKind::Uses => 8,
        _ => 9,
    };
    edges.sort_by_key(|e| (rank(e.kind), e.from, e.to));
    // A `uses`/`depends` line next to a flow line between the same nodes says nothing more.
    let flow_pairs: HashSet<(usize, usize)> = edges
        .iter()
        .filter(|e| e.kind.is_flow())
        .map(|e| (e.from, e.to))
        .collect();
    edges.retain(|e| {
        !(matches!(e.kind, EdgeKind::Uses | EdgeKind::Depends)
            && flow_pairs.contains(&(e.from, e.to)))
    });
    // Drop groups no node uses (stacks made only of plumbing).
    let mut used = vec![false; groups.len()];
    for nd in &nodes {
        let mut g = nd.group;
        while let Some(x) = g {
            used[x] = true;
            g = groups[x].parent;
        }
    }
    let mut remap = vec![None; groups.len()];
    let mut kept = Vec::new();
    for (i, g) in groups.into_iter().enumerate() {
        if used[i] {
            remap[i] = Some(kept.len());
            kept.push(g);
        }
    }
    for g in &mut kept {
        g.parent = g.parent.and_then(|p| remap[p]);
    }
    for nd in &mut nodes {
        nd.group = nd.group.and_then(|g| remap[g]);
    }
    let drawn: usize = nodes
        .iter()
        .filter(|nd| nd.type_name != "Surveyor::Internet" || !extra_internet)
        .map(Node::count)
        .sum();
    Diagram {
        groups: kept,
        omitted: map.resources.len().saturating_sub(drawn),
        simplified: level,
        nodes,
        edges,
    }
}

fn category_rank(c: Category) -> usize {
    Category::ALL.iter().position(|x| *x == c).unwrap_or(99)
}

/// The second line of a node: what it is, with the one fact that tells it apart.
pub fn node_detail(r: &Resource, ctx: &Context) -> String {
    let d = display(r);
    let extra: Option<String> = match r.type_name.as_str() {
        "AWS::Lambda::Function" | "AWS::Serverless::Function" => {
            let mut p = Vec::new();
            if let Some(rt) = r.attr_str("Runtime") {
                p.push(rt.to_string());
            }
            p.push(lambda_arch(r));
            if lambda_packaging(r) == "image" {
                p.push("image".into());
            }
            Some(p.join(" "))
        }
        "AWS::ECS::Service" => compute_kind(r, ctx).map(|k| match k {
            ComputeKind::Fargate => "Fargate".to_string(),
            _ => "EC2".to_string(),
        }),
        "AWS::RDS::DBInstance" | "AWS::RDS::DBCluster" => {
            let e = r.attr_str("Engine").unwrap_or("");
            let v = r
                .attr("EngineVersion")
                .map(|v| v.display())
                .unwrap_or_default();
            Some(format!("{e} {v}").trim().to_string()).filter(|s| !s.is_empty())
        }
        "AWS::SQS::Queue" => r
            .attr("FifoQueue")
            .and_then(Value::as_bool)
            .filter(|b| *b)
            .map(|_| "FIFO".to_string()),
        "AWS::EC2::Instance" => r.attr_str("InstanceType").map(str::to_string),
        "AWS::ElasticLoadBalancingV2::LoadBalancer" => r
            .attr_str("Type")
            .map(|t| match t {
                "network" => "NLB".to_string(),
                "gateway" => "GWLB".to_string(),
                _ => "ALB".to_string(),
            })
            .or(Some("ALB".to_string())),
        "AWS::Route53::RecordSet" => r.attr_str("Type").map(str::to_string),
        _ => None,
    };
    match extra {
        Some(x) if !x.is_empty() => format!("{d} · {x}"),
        _ => d,
    }
}

fn cohort_detail(members: &[usize], ctx: &Context) -> String {
    let map = ctx.map;
    let Some(first) = members.first().map(|&i| &map.resources[i]) else {
        return String::new();
    };
    let mut names: Vec<String> = members
        .iter()
        .take(2)
        .map(|&i| label(&map.resources[i]))
        .collect();
    if members.len() > 2 {
        names.push("…".into());
    }
    let mut d = names.join(", ");
    if first.type_name == "AWS::Lambda::Function" {
        let archs: BTreeSet<String> = members
            .iter()
            .map(|&i| lambda_arch(&map.resources[i]))
            .collect();
        d = format!(
            "{} · {}",
            archs.into_iter().collect::<Vec<_>>().join("/"),
            d
        );
    }
    d
}
