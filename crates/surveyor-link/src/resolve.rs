//! String → reference resolution. Live resources name each other by ARN, URL, id or name;
//! code resources already hold `Value::Ref`. This module rewrites every string that
//! identifies another resource of the map into `Value::Ref(id)`, so one set of edge rules
//! serves both.
//!
//! Only exact identities are used: a resource's ARN (also built from the registry's
//! template when only the name is known), its physical id when that is distinctive (a URL, an
//! ARN, a `vpc-…`-style id; never a bare name), ARN variants that still name the same
//! resource (a log group's `:*`, a Lambda qualifier, a secret's `:json-key::` suffix, an S3
//! object path), ECR image URIs, DNS names in alias records and origins, and names only in
//! properties that name a resource of a known type (`FunctionName`, alarm `Dimensions`, …).
//! Nothing is guessed from arbitrary strings.

use surveyor_model::registry::{self, PhysicalId, TypeInfo};
use surveyor_model::{Resource, ResourceId, Value};

use crate::FxMap as HashMap;

const AMBIGUOUS: u32 = u32::MAX;

pub(crate) const FUNCTIONS: &[&str] = &["AWS::Lambda::Function", "AWS::Serverless::Function"];
const TABLES: &[&str] = &[
    "AWS::DynamoDB::Table",
    "AWS::DynamoDB::GlobalTable",
    "AWS::Serverless::SimpleTable",
];

/// Properties whose plain-name value names a resource of these types.
const NAMED: &[(&str, &[&str])] = &[
    ("FunctionName", FUNCTIONS),
    ("FunctionArn", FUNCTIONS),
    ("TargetFunctionArn", FUNCTIONS),
    ("QueueName", &["AWS::SQS::Queue"]),
    ("TopicName", &["AWS::SNS::Topic"]),
    ("TableName", TABLES),
    ("BucketName", &["AWS::S3::Bucket"]),
    ("Bucket", &["AWS::S3::Bucket"]),
    ("S3Bucket", &["AWS::S3::Bucket"]),
    ("DestinationBucketName", &["AWS::S3::Bucket"]),
    ("S3BucketName", &["AWS::S3::Bucket"]),
    ("LogGroupName", &["AWS::Logs::LogGroup"]),
    ("LogGroup", &["AWS::Logs::LogGroup"]),
    ("awslogs-group", &["AWS::Logs::LogGroup"]),
    ("CloudWatchLogsLogGroupArn", &["AWS::Logs::LogGroup"]),
    (
        "DBClusterIdentifier",
        &["AWS::RDS::DBCluster", "AWS::Neptune::DBCluster"],
    ),
    (
        "ValueFrom",
        &["AWS::SSM::Parameter", "AWS::SecretsManager::Secret"],
    ),
    ("RoleName", &["AWS::IAM::Role"]),
    ("Roles", &["AWS::IAM::Role"]),
    ("DBSubnetGroupName", &["AWS::RDS::DBSubnetGroup"]),
    ("CacheSubnetGroupName", &["AWS::ElastiCache::SubnetGroup"]),
    ("DBInstanceIdentifier", &["AWS::RDS::DBInstance"]),
    ("RepositoryName", &["AWS::ECR::Repository"]),
    ("SecretId", &["AWS::SecretsManager::Secret"]),
    ("ClusterName", &["AWS::ECS::Cluster", "AWS::EKS::Cluster"]),
    ("Cluster", &["AWS::ECS::Cluster", "AWS::EKS::Cluster"]),
    ("ServiceName", &["AWS::ECS::Service"]),
    ("SourceSecurityGroupName", &["AWS::EC2::SecurityGroup"]),
    ("GroupName", &["AWS::Scheduler::ScheduleGroup"]),
    ("ScheduleGroupName", &["AWS::Scheduler::ScheduleGroup"]),
    ("IamInstanceProfile", &["AWS::IAM::InstanceProfile"]),
    ("InstanceProfileName", &["AWS::IAM::InstanceProfile"]),
    ("KmsKeyId", &["AWS::KMS::Alias"]),
    ("KmsMasterKeyId", &["AWS::KMS::Alias"]),
    ("KMSMasterKeyID", &["AWS::KMS::Alias"]),
    ("TargetKeyId", &["AWS::KMS::Alias"]),
    ("KmsKey", &["AWS::KMS::Alias"]),
    ("KmsKeyArn", &["AWS::KMS::Alias"]),
    ("KMSKeyArn", &["AWS::KMS::Alias"]),
    ("StateMachineName", &["AWS::StepFunctions::StateMachine"]),
    ("ApiName", &["AWS::ApiGateway::RestApi"]),
    ("CacheClusterId", &["AWS::ElastiCache::CacheCluster"]),
    (
        "ReplicationGroupId",
        &["AWS::ElastiCache::ReplicationGroup"],
    ),
    ("StreamName", &["AWS::Kinesis::Stream"]),
    ("RuleName", &["AWS::Events::Rule"]),
];

/// Property name → the types it names (the walk asks for every string it sees).
fn named_types(key: &str) -> &'static [&'static str] {
    use std::sync::OnceLock;
    static KEYS: OnceLock<HashMap<&'static str, &'static [&'static str]>> = OnceLock::new();
    KEYS.get_or_init(|| NAMED.iter().copied().collect())
        .get(key)
        .copied()
        .unwrap_or(&[])
}

/// Properties whose value is a DNS name that traffic is sent to.
fn is_dns_key(key: &str, in_origins: bool) -> bool {
    matches!(key, "DNSName" | "ResourceRecords" | "TargetDomainName")
        || (in_origins && key == "DomainName")
}

/// Identities of every resource of the map, built once.
pub struct Index {
    ids: Vec<ResourceId>,
    /// Each resource's (region, account), as an index into `places` (few distinct values).
    place_of: Vec<u16>,
    places: Vec<(Option<String>, Option<String>)>,
    exact: HashMap<String, u32>,
    names: HashMap<String, HashMap<String, u32>>,
    dns: HashMap<String, u32>,
    /// CloudWatch's names for load balancers and target groups (`app/name/id`).
    metric_names: HashMap<String, u32>,
    /// Code resources by `stack \u{1} logical id`, for references embedded in unresolved text.
    logical: HashMap<String, u32>,
    /// Registry types that have an ARN template, by service prefix.
    by_service: HashMap<&'static str, Vec<&'static TypeInfo>>,
}

fn put(map: &mut HashMap<String, u32>, key: String, i: u32) {
    if key.is_empty() {
        return;
    }
    map.entry(key)
        .and_modify(|v| {
            if *v != i {
                *v = AMBIGUOUS;
            }
        })
        .or_insert(i);
}

fn partition_of(region: &str) -> &'static str {
    if region.starts_with("cn-") {
        "aws-cn"
    } else if region.starts_with("us-gov-") {
        "aws-us-gov"
    } else {
        "aws"
    }
}

/// A host name as DNS compares it: lowercase, no scheme, path, port, trailing dot or
/// `dualstack.` prefix (ALB alias records add it).
pub(crate) fn normalize_host(s: &str) -> String {
    let s = s.trim();
    let s = s.split_once("://").map(|(_, r)| r).unwrap_or(s);
    let s = s.split(['/', '?']).next().unwrap_or(s);
    let s = s.split(':').next().unwrap_or(s);
    let s = s.trim_end_matches('.').to_ascii_lowercase();
    s.strip_prefix("dualstack.")
        .map(str::to_string)
        .unwrap_or(s)
}

fn distinctive_physical_id(info: Option<&TypeInfo>, pid: &str) -> bool {
    if pid.len() < 6 {
        return false;
    }
    match info.map(|t| t.physical_id) {
        Some(PhysicalId::Name) => false,
        Some(_) => true,
        None => pid.starts_with("arn:") || pid.starts_with("https://"),
    }
}

impl Index {
    pub fn build(resources: &[Resource]) -> Index {
        let mut by_service: HashMap<&'static str, Vec<&'static TypeInfo>> = HashMap::default();
        for t in registry::TYPES.iter().filter(|t| t.arn.is_some()) {
            by_service.entry(t.service).or_default().push(t);
        }
        let mut ix = Index {
            ids: Vec::with_capacity(resources.len()),
            place_of: Vec::with_capacity(resources.len()),
            places: Vec::new(),
            exact: {
                let mut m = HashMap::default();
                m.reserve(resources.len() * 2);
                m
            },
            names: HashMap::default(),
            dns: HashMap::default(),
            metric_names: HashMap::default(),
            logical: HashMap::default(),
            by_service,
        };
        let mut infos: HashMap<&str, Option<&'static TypeInfo>> = HashMap::default();
        for (i, r) in resources.iter().enumerate() {
            let i = i as u32;
            let info = *infos
                .entry(r.type_name.as_str())
                .or_insert_with(|| registry::lookup(&r.type_name));
            ix.ids.push(r.id.clone());
            let place = ix
                .places
                .iter()
                .position(|(reg, acct)| *reg == r.region && *acct == r.account)
                .unwrap_or_else(|| {
                    ix.places.push((r.region.clone(), r.account.clone()));
                    ix.places.len() - 1
                });
            ix.place_of.push(u16::try_from(place).unwrap_or(u16::MAX));
            ix.add(r, i, info);
        }
        ix
    }

    fn add(&mut self, r: &Resource, i: u32, info: Option<&'static TypeInfo>) {
        let ty = r.type_name.as_str();
        // An ARN is one resource: the first holder keeps it, duplicates are the same thing.
        let first = |map: &mut HashMap<String, u32>, k: String| {
            if !k.is_empty() {
                map.entry(k).or_insert(i);
            }
        };
        if r.arn.as_ref() != Some(&r.id.0) {
            first(&mut self.exact, r.id.0.clone());
        }
        // Readers embed references in unresolved text as `${LogicalId}` or, across stacks,
        // `${TYPE::address}` (the provisional id, before stable ids were given).
        if let Some(c) = &r.code {
            if let Some(addr) = &c.address {
                first(&mut self.exact, ResourceId::of(ty, addr).0);
            }
            if let (Some(st), Some(lid)) = (&c.stack, &c.logical_id) {
                put(&mut self.logical, format!("{st}\u{1}{lid}"), i);
            }
        }
        if let Some(st) = &r.stack {
            put(
                &mut self.logical,
                format!("{}\u{1}{}", st.name, st.logical_id),
                i,
            );
        }
        if let Some(arn) = &r.arn {
            first(&mut self.exact, arn.clone());
            if let Some(t) = arn.strip_suffix(":*") {
                first(&mut self.exact, t.to_string());
            }
            if ty.starts_with("AWS::ElasticLoadBalancing") {
                if let Some((_, rest)) = arn.split_once(":loadbalancer/") {
                    put(&mut self.metric_names, rest.to_string(), i);
                }
                if let Some(pos) = arn.find(":targetgroup/") {
                    put(&mut self.metric_names, arn[pos + 1..].to_string(), i);
                }
            }
        }
        let mut names: Vec<&str> = Vec::new();
        if let Some(n) = &r.name {
            names.push(n);
        }
        if let Some(pid) = &r.physical_id {
            if distinctive_physical_id(info, pid) {
                put(&mut self.exact, pid.clone(), i);
            } else if info.is_some_and(|t| t.physical_id == PhysicalId::Name) {
                names.push(pid);
            }
        }
        if let Some(np) = info.and_then(|t| t.name_property) {
            if let Some(n) = r.attr_str(np) {
                names.push(n);
            }
        }
        if ty == "AWS::KMS::Alias" {
            if let Some(n) = r.attr_str("AliasName") {
                names.push(n);
            }
        }
        names.sort_unstable();
        names.dedup();
        if !names.is_empty() {
            if !self.names.contains_key(ty) {
                self.names.insert(ty.to_string(), HashMap::default());
            }
            if let Some(by_name) = self.names.get_mut(ty) {
                for n in &names {
                    put(by_name, n.to_string(), i);
                }
            }
        }
        // ARNs and URLs a name implies, where the code did not say the ARN.
        if let (Some(name), Some(region), Some(account)) = (names.first(), &r.region, &r.account) {
            let part = partition_of(region);
            if r.arn.is_none() {
                if let Some(arn) = info.and_then(|t| t.arn_for(name, part, region, account)) {
                    first(&mut self.exact, arn);
                }
            }
            if ty == "AWS::SQS::Queue" && r.physical_id.is_none() {
                first(
                    &mut self.exact,
                    format!("https://sqs.{region}.amazonaws.com/{account}/{name}"),
                );
                first(
                    &mut self.exact,
                    format!("https://{region}.queue.amazonaws.com/{account}/{name}"),
                );
            }
        }
        // DNS names that alias records, origins and subscriptions point at.
        let mut hosts: Vec<String> = Vec::new();
        let mut host_of = |v: Option<&Value>| {
            if let Some(s) = v.and_then(Value::as_str) {
                hosts.push(normalize_host(s));
            }
        };
        match ty {
            "AWS::ElasticLoadBalancingV2::LoadBalancer"
            | "AWS::ElasticLoadBalancing::LoadBalancer" => {
                host_of(r.attr("DNSName"));
                host_of(r.state.get("DNSName"));
            }
            "AWS::CloudFront::Distribution" => {
                host_of(r.attr("DomainName"));
                host_of(r.state.get("DomainName"));
            }
            "AWS::Route53::RecordSet" => host_of(r.attr("Name")),
            "AWS::ApiGateway::DomainName" => {
                host_of(r.attr("DomainName"));
                host_of(r.attr("RegionalDomainName"));
                host_of(r.attr("DistributionDomainName"));
            }
            "AWS::ApiGatewayV2::DomainName" => {
                host_of(r.attr("DomainName"));
                for c in crate::items(r.attr("DomainNameConfigurations")) {
                    host_of(c.pointer("TargetDomainName"));
                }
            }
            "AWS::ApiGatewayV2::Api" => host_of(r.attr("ApiEndpoint")),
            "AWS::Lambda::Url" => {
                host_of(r.attr("FunctionUrl"));
                host_of(r.state.get("FunctionUrl"));
            }
            "AWS::ApiGateway::RestApi" => {
                if let (Some(id), Some(region)) = (&r.physical_id, &r.region) {
                    hosts.push(format!("{id}.execute-api.{region}.amazonaws.com"));
                }
            }
            _ => {}
        }
        for h in hosts {
            put(&mut self.dns, h, i);
        }
    }

    fn hit(&self, i: Option<&u32>) -> Option<u32> {
        i.copied().filter(|&i| i != AMBIGUOUS)
    }

    /// The resource an identity string names, without any property context.
    pub fn find(&self, s: &str) -> Option<u32> {
        if let Some(i) = self.hit(self.exact.get(s)) {
            return Some(i);
        }
        if s.starts_with("arn:") {
            return self.find_arn(s);
        }
        if s.contains(".dkr.ecr.") {
            return self.find_image(s);
        }
        if let Some(rest) = s
            .strip_prefix("https://sqs.")
            .or_else(|| s.strip_prefix("https://queue."))
        {
            let name = rest.rsplit('/').next().unwrap_or("");
            return self.find_name(&["AWS::SQS::Queue"], name);
        }
        None
    }

    fn find_arn(&self, s: &str) -> Option<u32> {
        // An API Gateway integration URI wraps the function's ARN.
        if let Some((_, rest)) = s.split_once(":path/2015-03-31/functions/") {
            let inner = rest.trim_end_matches("/invocations");
            return self.find(inner);
        }
        let mut cur = s.trim_end_matches(":*").trim_end_matches("/*");
        // A table's stream and a stream's consumer belong to the table and the stream.
        for sub in ["/stream/", "/consumer/"] {
            if let Some((head, _)) = cur.split_once(sub) {
                if head.contains(":table/") || head.contains(":stream/") {
                    cur = head;
                }
            }
        }
        if let Some(i) = self.hit(self.exact.get(cur)) {
            return Some(i);
        }
        // An S3 object or prefix ARN names its bucket.
        if cur.starts_with("arn:aws:s3:::") || cur.contains(":s3:::") {
            let b = cur.split('/').next().unwrap_or(cur);
            if let Some(i) = self.hit(self.exact.get(b)) {
                return Some(i);
            }
        }
        // Qualifiers after the resource part: `function:name:alias`, `secret:x:key::`,
        // `task-definition/family:3`.
        while cur.matches(':').count() > 5 {
            let Some((head, _)) = cur.rsplit_once(':') else {
                break;
            };
            cur = head;
            if let Some(i) = self.hit(self.exact.get(cur)) {
                return Some(i);
            }
        }
        self.find_arn_by_name(s)
    }

    /// An ARN of a resource the map knows only by name (code that did not say its ARN).
    fn find_arn_by_name(&self, s: &str) -> Option<u32> {
        let mut parts = s.splitn(6, ':');
        let (_, part, service, region, account) = (
            parts.next()?,
            parts.next()?,
            parts.next()?,
            parts.next()?,
            parts.next()?,
        );
        for t in self.by_service.get(service)? {
            let Some(mut name) = t.name_from_arn(s) else {
                continue;
            };
            // Lambda qualifiers and secret suffixes do not change the name's resource.
            if FUNCTIONS.contains(&t.cfn) {
                name = name.split(':').next().unwrap_or("").to_string();
            }
            let rebuilt = t.arn_for(&name, part, region, account);
            if rebuilt.as_deref().is_none_or(|r| !s.starts_with(r)) {
                continue;
            }
            if let Some(i) = self.find_name(&[t.cfn], &name) {
                let ok = |have: &Option<String>, want: &str| {
                    want.is_empty() || have.as_deref().is_none_or(|h| h == want)
                };
                let (reg, acct) = self
                    .place_of
                    .get(i as usize)
                    .and_then(|&p| self.places.get(usize::from(p)))
                    .cloned()
                    .unwrap_or_default();
                if ok(&reg, region) && ok(&acct, account) {
                    return Some(i);
                }
            }
        }
        None
    }

    /// `123.dkr.ecr.us-east-2.amazonaws.com/orders-api:v1` → the `orders-api` repository.
    fn find_image(&self, s: &str) -> Option<u32> {
        let (_, path) = s.split_once('/')?;
        let repo = path.split('@').next()?;
        let repo = repo.rsplit_once(':').map(|(r, _)| r).unwrap_or(repo);
        self.find_name(&["AWS::ECR::Repository"], repo)
    }

    pub fn find_name(&self, types: &[&str], name: &str) -> Option<u32> {
        let mut found = None;
        for t in types {
            if let Some(i) = self.names.get(*t).and_then(|m| self.hit(m.get(name))) {
                if found.is_some_and(|f| f != i) {
                    return None;
                }
                found = Some(i);
            }
        }
        found
    }

    /// A name in a property that names a resource of a known type.
    pub fn find_named(&self, key: &str, s: &str) -> Option<u32> {
        let types = named_types(key);
        if types.is_empty() {
            return None;
        }
        if types == ["AWS::KMS::Alias"] && !s.starts_with("alias/") {
            return None;
        }
        self.find_name(types, s).or_else(|| {
            // `function:alias` and `name:version` qualifiers.
            let (head, _) = s.split_once(':')?;
            (types == FUNCTIONS).then(|| self.find_name(types, head))?
        })
    }

    /// A host name traffic is sent to: a load balancer, distribution, API, bucket, record.
    pub fn find_dns(&self, s: &str) -> Option<u32> {
        let host = normalize_host(s);
        if let Some(i) = self.hit(self.dns.get(&host)) {
            return Some(i);
        }
        for sep in [".s3.", ".s3-website", ".s3-"] {
            if let Some((bucket, _)) = host.split_once(sep) {
                if host.ends_with(".amazonaws.com") {
                    return self.find_name(&["AWS::S3::Bucket"], bucket);
                }
            }
        }
        None
    }

    /// A CloudWatch dimension value: `Name` says what kind of resource `Value` names.
    pub fn find_dimension(&self, name: &str, value: &str) -> Option<u32> {
        match name {
            "LoadBalancer" | "TargetGroup" => self.hit(self.metric_names.get(value)),
            "StateMachineArn" | "TopicArn" => self.find(value),
            "DistributionId" | "ApiId" | "InstanceId" | "AutoScalingGroupName" => self
                .find(value)
                .or_else(|| self.find_name(&["AWS::AutoScaling::AutoScalingGroup"], value)),
            "Queue" => self.find_name(&["AWS::SQS::Queue"], value),
            _ => self.find_named(name, value),
        }
    }

    /// Resources named inside unresolved text: `${LogicalId}`, `${LogicalId.Attr}`,
    /// `${TYPE::address}`, `!GetAtt LogicalId.Attr`, `!Ref LogicalId`, resolved in the
    /// holder's `stack`.
    pub fn find_tokens(&self, text: &str, stack: Option<&str>) -> Vec<u32> {
        let mut out = Vec::new();
        let mut push = |token: &str| {
            let token = token.trim();
            if token.is_empty() || token.starts_with("AWS::") && token.matches("::").count() < 2 {
                return; // pseudo parameters: AWS::Region, AWS::AccountId, …
            }
            let hit = self.hit(self.exact.get(token)).or_else(|| {
                let lid = token.split('.').next().unwrap_or(token);
                let st = stack?;
                self.hit(self.logical.get(&format!("{st}\u{1}{lid}")))
            });
            if let Some(i) = hit {
                if !out.contains(&i) {
                    out.push(i);
                }
            }
        };
        let mut rest = text;
        while let Some(pos) = rest.find("${") {
            let after = &rest[pos + 2..];
            let Some(end) = after.find('}') else { break };
            push(&after[..end]);
            rest = &after[end + 1..];
        }
        for marker in ["!GetAtt ", "!Ref "] {
            let mut rest = text;
            while let Some(pos) = rest.find(marker) {
                let after = &rest[pos + marker.len()..];
                let end = after
                    .find(|c: char| c.is_whitespace() || matches!(c, ']' | ',' | '}' | ')'))
                    .unwrap_or(after.len());
                push(&after[..end]);
                rest = &after[end..];
            }
        }
        out
    }

    pub fn id(&self, i: u32) -> &ResourceId {
        &self.ids[i as usize]
    }

    /// Rewrite identity strings inside `v` (a property of resource `own`) into references.
    pub fn resolve_value(&self, v: &mut Value, key: &str, own: Option<u32>) {
        self.walk(v, key, false, own);
    }

    fn walk(&self, v: &mut Value, key: &str, in_origins: bool, own: Option<u32>) {
        match v {
            Value::Map(m) => {
                for (k, child) in m.iter_mut() {
                    self.walk(child, k, in_origins || k == "Origins", own);
                }
            }
            Value::List(l) if key == "Dimensions" => {
                for item in l.iter_mut() {
                    let Value::Map(m) = item else { continue };
                    let Some(name) = m.get("Name").and_then(Value::as_str).map(str::to_string)
                    else {
                        continue;
                    };
                    if let Some(Value::String(s)) = m.get("Value") {
                        if let Some(i) = self.find_dimension(&name, s).filter(|&i| Some(i) != own) {
                            m.insert("Value".into(), Value::Ref(self.id(i).clone()));
                        }
                    }
                }
            }
            Value::List(l) => {
                for child in l.iter_mut() {
                    self.walk(child, key, in_origins, own);
                }
            }
            Value::String(s) => {
                let found = self
                    .find(s)
                    .or_else(|| self.find_named(key, s))
                    .or_else(|| {
                        if is_dns_key(key, in_origins)
                            || (key == "Endpoint" && s.starts_with("https://"))
                        {
                            self.find_dns(s)
                        } else {
                            None
                        }
                    });
                if let Some(i) = found.filter(|&i| Some(i) != own) {
                    *v = Value::Ref(self.id(i).clone());
                }
            }
            _ => {}
        }
    }
}

/// Rewrite, in place, every string property that identifies another resource of the map
/// into `Value::Ref`, and return the index for later string lookups.
pub fn resolve(resources: &mut [Resource]) -> Index {
    let ix = Index::build(resources);
    for (i, r) in resources.iter_mut().enumerate() {
        let own = Some(i as u32);
        for (k, v) in r.attributes.iter_mut() {
            ix.walk(v, k, k == "Origins", own);
        }
    }
    ix
}
