//! The SAM transform (`AWS::Serverless-2016-10-31`), applied to the parsed template before it
//! is evaluated: `AWS::Serverless::*` resources become the CloudFormation resources SAM would
//! deploy, with the logical ids SAM gives them (`MyFunctionRole`, `MyFunctionMySqsEvent`,
//! `ServerlessRestApi`, …), so that code matches the live stack resource by resource.
//!
//! Generated resources carry the line of the SAM resource they come from. What SAM derives from
//! a hash of the content (`…Deployment1a2b3c4d5e`, `…Version…`, layer versions) is either left
//! out (API deployments) or given the unhashed id (`MyLayer`, `MyFunctionVersion`), since a
//! reader cannot compute SAM's hash and a stable id matters more than the exact suffix.

use std::collections::{BTreeMap, HashMap};

use surveyor_model::Note;

use super::node::{Entry, Node, N};

pub const SAM_TRANSFORM: &str = "AWS::Serverless-2016-10-31";

/// Resource attributes that SAM copies from a SAM resource onto what it generates.
const CARRIED: &[&str] = &[
    "Condition",
    "DependsOn",
    "DeletionPolicy",
    "UpdateReplacePolicy",
    "Metadata",
];

struct Out<'a> {
    file: &'a str,
    /// The SAM resource being expanded: only its main resource takes its attributes.
    current: String,
    notes: &'a mut Vec<Note>,
    resources: Vec<Entry>,
}

impl Out<'_> {
    fn push(&mut self, id: &str, line: u32, ty: &str, props: Vec<(&str, Node)>, from: &Node) {
        let mut body = vec![("Type", Node::str(line, ty))];
        for a in CARRIED {
            if let Some(v) = from.get(a) {
                if *a == "Condition" || id == self.current {
                    body.push((a, v.clone()));
                }
            }
        }
        let props: Vec<(&str, Node)> = props.into_iter().filter(|(_, v)| !is_absent(v)).collect();
        body.push(("Properties", Node::map(line, props)));
        self.resources.push(Entry {
            key: id.to_string(),
            line,
            value: Node::map(line, body),
        });
    }
    fn info(&mut self, line: u32, msg: String) {
        self.notes.push(Note::info(msg).at(self.file, Some(line)));
    }
    fn warn(&mut self, line: u32, msg: String) {
        self.notes
            .push(Note::warning(msg).at(self.file, Some(line)));
    }
}

/// A placeholder for "no such property", dropped by [`Out::push`].
fn absent() -> Node {
    Node::new(
        0,
        N::Map(vec![Entry {
            key: "\u{0}absent".into(),
            line: 0,
            value: Node::new(0, N::Null),
        }]),
    )
}

fn is_absent(n: &Node) -> bool {
    n.entries().first().is_some_and(|e| e.key == "\u{0}absent")
}

fn opt(n: Option<&Node>) -> Node {
    n.cloned().unwrap_or_else(absent)
}

fn s(line: u32, v: &str) -> Node {
    Node::str(line, v)
}
fn r(line: u32, id: &str) -> Node {
    Node::map(line, vec![("Ref", s(line, id))])
}
fn att(line: u32, id: &str, a: &str) -> Node {
    Node::map(
        line,
        vec![(
            "Fn::GetAtt",
            Node::list(line, vec![s(line, id), s(line, a)]),
        )],
    )
}
fn sub(line: u32, t: &str) -> Node {
    Node::map(line, vec![("Fn::Sub", s(line, t))])
}

/// The transforms a template declares (a string or a list).
pub fn transforms(root: &Node) -> Vec<String> {
    match root.get("Transform") {
        Some(t) => match &t.v {
            N::Str(x) => vec![x.clone()],
            N::List(l) => l
                .iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect(),
            _ => Vec::new(),
        },
        None => Vec::new(),
    }
}

/// Apply the SAM transform in place, and note transforms that are not applied.
pub fn expand(root: &mut Node, file: &str, notes: &mut Vec<Note>) {
    let line = root.get("Transform").map(|t| t.line).unwrap_or(1);
    let ts = transforms(root);
    for t in &ts {
        match t.as_str() {
            SAM_TRANSFORM => {}
            "AWS::LanguageExtensions" => notes.push(
                Note::info(
                    "transform AWS::LanguageExtensions is applied in part (Fn::Length, Fn::ToJsonString, FindInMap defaults; not Fn::ForEach)",
                )
                .at(file, Some(line)),
            ),
            other => notes.push(
                Note::warning(format!(
                    "transform {other} is not applied: resources and values it would add are not mapped"
                ))
                .at(file, Some(line)),
            ),
        }
    }
    let Some(resources) = root.get("Resources") else {
        return;
    };
    let has_sam = resources.entries().iter().any(|e| {
        e.value
            .get("Type")
            .and_then(Node::as_str)
            .is_some_and(|t| t.starts_with("AWS::Serverless::"))
    });
    if !has_sam {
        return;
    }
    if !ts.iter().any(|t| t == SAM_TRANSFORM) {
        notes.push(
            Note::info(format!(
                "the template uses AWS::Serverless types without `Transform: {SAM_TRANSFORM}`; expanded as SAM"
            ))
            .at(file, Some(line)),
        );
    }
    let resources_line = resources.line;
    let globals = root.remove("Globals");
    let original: Vec<Entry> = match root.remove("Resources") {
        Some(Node { v: N::Map(m), .. }) => m,
        _ => return,
    };
    let mut out = Out {
        current: String::new(),
        file,
        notes,
        resources: Vec::new(),
    };
    let mut sam = Sam {
        original: &original,
        globals: globals.as_ref(),
        rest_paths: BTreeMap::new(),
        http_paths: BTreeMap::new(),
        bucket_events: HashMap::new(),
        codedeploy: false,
    };
    for e in &original {
        let ty = e.value.get("Type").and_then(Node::as_str).unwrap_or("");
        if !ty.starts_with("AWS::Serverless::") {
            continue;
        }
        let kind = ty.trim_start_matches("AWS::Serverless::");
        let props = sam.props(kind, e.value.get("Properties"));
        out.current = e.key.clone();
        match kind {
            "Function" => sam.function(&mut out, e, &props),
            "StateMachine" => sam.state_machine(&mut out, e, &props),
            "SimpleTable" => simple_table(&mut out, e, &props),
            "LayerVersion" => layer(&mut out, e, &props),
            "Api" | "HttpApi" => {} // after the functions, which add their paths
            "Application" => {
                if props.get("Location").is_some_and(Node::is_map) {
                    out.info(
                        e.line,
                        format!(
                            "SAM application {}: a Serverless Application Repository application; its resources are not read",
                            e.key
                        ),
                    );
                }
                out.push(
                    &e.key,
                    e.line,
                    "AWS::CloudFormation::Stack",
                    vec![
                        ("TemplateURL", opt(props.get("Location"))),
                        ("Parameters", opt(props.get("Parameters"))),
                        ("NotificationARNs", opt(props.get("NotificationARNs"))),
                        ("TimeoutInMinutes", opt(props.get("TimeoutInMinutes"))),
                        ("Tags", tag_list(props.get("Tags"), None, e.line)),
                    ],
                    &e.value,
                );
            }
            "Connector" => out.info(
                e.line,
                format!(
                    "SAM connector {}: the IAM policies it grants are not mapped",
                    e.key
                ),
            ),
            other => out.warn(
                e.line,
                format!(
                    "resource {}: AWS::Serverless::{other} is not expanded",
                    e.key
                ),
            ),
        }
    }
    for e in &original {
        let ty = e.value.get("Type").and_then(Node::as_str).unwrap_or("");
        let kind = ty.trim_start_matches("AWS::Serverless::");
        if ty.starts_with("AWS::Serverless::") && (kind == "Api" || kind == "HttpApi") {
            let props = sam.props(kind, e.value.get("Properties"));
            out.current = e.key.clone();
            if kind == "Api" {
                sam.rest_api(&mut out, &e.key, e.line, &props, &e.value);
            } else {
                sam.http_api(&mut out, &e.key, e.line, &props, &e.value);
            }
        }
    }
    let first_line = original.first().map(|e| e.line).unwrap_or(1);
    let empty = Node::map(first_line, vec![]);
    if sam.rest_paths.contains_key("ServerlessRestApi")
        && !original.iter().any(|e| e.key == "ServerlessRestApi")
    {
        let props = sam.props("Api", None);
        out.current = "ServerlessRestApi".into();
        sam.rest_api(&mut out, "ServerlessRestApi", first_line, &props, &empty);
    }
    if sam.http_paths.contains_key("ServerlessHttpApi")
        && !original.iter().any(|e| e.key == "ServerlessHttpApi")
    {
        let props = sam.props("HttpApi", None);
        out.current = "ServerlessHttpApi".into();
        sam.http_api(&mut out, "ServerlessHttpApi", first_line, &props, &empty);
    }
    // Keep the template's own order: plain resources where they were, generated ones after
    // the SAM resource they come from.
    let mut generated = out.resources;
    let mut merged = Vec::with_capacity(original.len() + generated.len());
    let bucket_events = std::mem::take(&mut sam.bucket_events);
    for e in original {
        let ty = e.value.get("Type").and_then(Node::as_str).unwrap_or("");
        if ty.starts_with("AWS::Serverless::") {
            let (mine, rest): (Vec<Entry>, Vec<Entry>) =
                generated.into_iter().partition(|g| g.line == e.line);
            merged.extend(mine);
            generated = rest;
            continue;
        }
        let mut e = e;
        if let Some(configs) = bucket_events.get(&e.key) {
            add_bucket_notifications(&mut e.value, configs);
        }
        merged.push(e);
    }
    merged.extend(generated);
    root.set("Resources", Node::new(resources_line, N::Map(merged)));
}

fn add_bucket_notifications(bucket: &mut Node, configs: &[Node]) {
    let line = bucket.line;
    if bucket.get("Properties").is_none() {
        bucket.set("Properties", Node::map(line, vec![]));
    }
    let Some(props) = bucket.get_mut("Properties") else {
        return;
    };
    if props.get("NotificationConfiguration").is_none() {
        props.set("NotificationConfiguration", Node::map(line, vec![]));
    }
    let Some(nc) = props.get_mut("NotificationConfiguration") else {
        return;
    };
    let mut list = nc
        .get("LambdaConfigurations")
        .map(|l| l.items().to_vec())
        .unwrap_or_default();
    list.extend(configs.iter().cloned());
    nc.set("LambdaConfigurations", Node::list(line, list));
}

/// One API path (REST or HTTP) that an event adds: `(path, method) → integration`.
type Paths = BTreeMap<String, BTreeMap<(String, String), Node>>;

struct Sam<'a> {
    original: &'a [Entry],
    globals: Option<&'a Node>,
    rest_paths: Paths,
    http_paths: Paths,
    bucket_events: HashMap<String, Vec<Node>>,
    /// The CodeDeploy application SAM adds once for all gradual deployments.
    codedeploy: bool,
}

impl Sam<'_> {
    /// A SAM resource's properties with the template's `Globals` for its kind merged in.
    fn props(&self, kind: &str, own: Option<&Node>) -> Node {
        let own = own.cloned().unwrap_or_else(|| Node::map(0, vec![]));
        match self.globals.and_then(|g| g.get(kind)) {
            Some(g) => merge(g, &own),
            None => own,
        }
    }

    fn stage_of(&self, api: &str) -> String {
        let stage = self.original.iter().find(|e| e.key == api).and_then(|e| {
            self.props("Api", e.value.get("Properties"))
                .get("StageName")
                .cloned()
        });
        stage_suffix(stage.as_ref())
    }

    fn function(&mut self, out: &mut Out, e: &Entry, p: &Node) {
        let (id, l) = (e.key.as_str(), e.line);
        let role = match p.get("Role") {
            Some(role) => role.clone(),
            None => att(l, &format!("{id}Role"), "Arn"),
        };
        let code = if let Some(inline) = p.get("InlineCode") {
            Node::map(l, vec![("ZipFile", inline.clone())])
        } else if let Some(image) = p.get("ImageUri") {
            Node::map(l, vec![("ImageUri", image.clone())])
        } else {
            s3_location(
                p.get("CodeUri"),
                l,
                ("S3Bucket", "S3Key", "S3ObjectVersion"),
            )
        };
        let tags = tag_list(p.get("Tags"), Some("lambda:createdBy"), l);
        let mut props = vec![("Code", code), ("Role", role), ("Tags", tags.clone())];
        for k in [
            "Handler",
            "Runtime",
            "MemorySize",
            "Timeout",
            "Description",
            "Environment",
            "VpcConfig",
            "Layers",
            "ReservedConcurrentExecutions",
            "KmsKeyArn",
            "FunctionName",
            "Architectures",
            "EphemeralStorage",
            "PackageType",
            "ImageConfig",
            "FileSystemConfigs",
            "LoggingConfig",
            "RuntimeManagementConfig",
            "SnapStart",
            "CodeSigningConfigArn",
            "RecursiveLoop",
        ] {
            props.push((k, opt(p.get(k))));
        }
        if let Some(t) = p.get("Tracing") {
            props.push(("TracingConfig", Node::map(l, vec![("Mode", t.clone())])));
        }
        if let Some(d) = p.get("DeadLetterQueue").and_then(|d| d.get("TargetArn")) {
            props.push((
                "DeadLetterConfig",
                Node::map(l, vec![("TargetArn", d.clone())]),
            ));
        }
        out.push(id, l, "AWS::Lambda::Function", props, &e.value);
        if p.get("Role").is_none() {
            let mut managed = vec![sub(
                l,
                "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
            )];
            let inline = policies(p.get("Policies"), &format!("{id}Role"), l, &mut managed);
            out.push(
                &format!("{id}Role"),
                l,
                "AWS::IAM::Role",
                vec![
                    (
                        "AssumeRolePolicyDocument",
                        assume_role(l, "lambda.amazonaws.com"),
                    ),
                    ("ManagedPolicyArns", Node::list(l, managed)),
                    (
                        "Policies",
                        if inline.is_empty() {
                            absent()
                        } else {
                            Node::list(l, inline)
                        },
                    ),
                    ("PermissionsBoundary", opt(p.get("PermissionsBoundary"))),
                    ("Tags", tags),
                ],
                &e.value,
            );
        }
        if let Some(alias) = p.get("AutoPublishAlias") {
            let version = format!("{id}Version");
            out.push(
                &version,
                l,
                "AWS::Lambda::Version",
                vec![("FunctionName", r(l, id))],
                &e.value,
            );
            let name = alias.as_str().map(alnum).unwrap_or_default();
            out.push(
                &format!("{id}Alias{name}"),
                l,
                "AWS::Lambda::Alias",
                vec![
                    ("Name", alias.clone()),
                    ("FunctionName", r(l, id)),
                    ("FunctionVersion", att(l, &version, "Version")),
                ],
                &e.value,
            );
        }
        if let Some(pref) = p.get("DeploymentPreference") {
            if !self.codedeploy {
                self.codedeploy = true;
                out.push(
                    "ServerlessDeploymentApplication",
                    l,
                    "AWS::CodeDeploy::Application",
                    vec![("ComputePlatform", s(l, "Lambda"))],
                    &Node::map(l, vec![]),
                );
                out.push(
                    "CodeDeployServiceRole",
                    l,
                    "AWS::IAM::Role",
                    vec![(
                        "AssumeRolePolicyDocument",
                        assume_role(l, "codedeploy.amazonaws.com"),
                    )],
                    &Node::map(l, vec![]),
                );
            }
            out.push(
                &format!("{id}DeploymentGroup"),
                l,
                "AWS::CodeDeploy::DeploymentGroup",
                vec![
                    ("ApplicationName", r(l, "ServerlessDeploymentApplication")),
                    ("ServiceRoleArn", att(l, "CodeDeployServiceRole", "Arn")),
                    ("DeploymentConfigName", opt(pref.get("Type"))),
                    (
                        "AlarmConfiguration",
                        match pref.get("Alarms") {
                            Some(a) => Node::map(
                                l,
                                vec![
                                    ("Alarms", a.clone()),
                                    ("Enabled", Node::new(l, N::Bool(true))),
                                ],
                            ),
                            None => absent(),
                        },
                    ),
                ],
                &e.value,
            );
        }
        if let Some(url) = p.get("FunctionUrlConfig") {
            out.push(
                &format!("{id}Url"),
                l,
                "AWS::Lambda::Url",
                vec![
                    ("TargetFunctionArn", r(l, id)),
                    ("AuthType", opt(url.get("AuthType"))),
                    ("Cors", opt(url.get("Cors"))),
                    ("InvokeMode", opt(url.get("InvokeMode"))),
                ],
                &e.value,
            );
        }
        for ev in p.get("Events").map(Node::entries).unwrap_or(&[]) {
            self.function_event(out, e, ev);
        }
    }

    fn function_event(&mut self, out: &mut Out, f: &Entry, ev: &Entry) {
        let (fid, l) = (f.key.as_str(), f.line);
        let eid = format!("{fid}{}", ev.key);
        let ty = ev.value.get("Type").and_then(Node::as_str).unwrap_or("");
        let empty = Node::map(l, vec![]);
        let p = ev.value.get("Properties").unwrap_or(&empty);
        let from = &f.value;
        let permission = |out: &mut Out, id: &str, principal: &str, source: Node, account: bool| {
            out.push(
                id,
                l,
                "AWS::Lambda::Permission",
                vec![
                    ("Action", s(l, "lambda:InvokeFunction")),
                    ("FunctionName", r(l, fid)),
                    ("Principal", s(l, principal)),
                    ("SourceArn", source),
                    (
                        "SourceAccount",
                        if account {
                            r(l, "AWS::AccountId")
                        } else {
                            absent()
                        },
                    ),
                ],
                from,
            );
        };
        match ty {
            "SQS" | "Kinesis" | "DynamoDB" | "MSK" | "MQ" | "SelfManagedKafka" | "DocumentDB" => {
                let mut props = vec![("FunctionName", r(l, fid))];
                let mut rest = Vec::new();
                for e in p.entries() {
                    match e.key.as_str() {
                        "Queue" | "Stream" | "Broker" | "Cluster" => {
                            props.push(("EventSourceArn", e.value.clone()))
                        }
                        "DestinationConfig" => {
                            let mut d = e.value.clone();
                            if let Some(of) = d.get_mut("OnFailure") {
                                of.remove("Type");
                            }
                            rest.push((e.key.as_str(), d));
                        }
                        _ => rest.push((e.key.as_str(), e.value.clone())),
                    }
                }
                props.extend(rest);
                out.push(&eid, l, "AWS::Lambda::EventSourceMapping", props, from);
            }
            "Schedule" | "CloudWatchEvent" | "EventBridgeRule" => {
                let mut target = vec![
                    ("Arn", att(l, fid, "Arn")),
                    ("Id", s(l, &format!("{eid}LambdaTarget"))),
                ];
                for k in ["Input", "InputPath", "InputTransformer", "RetryPolicy"] {
                    target.push((k, opt(p.get(k))));
                }
                if let Some(dlq) = p.get("DeadLetterConfig").and_then(|d| d.get("Arn")) {
                    target.push(("DeadLetterConfig", Node::map(l, vec![("Arn", dlq.clone())])));
                }
                let props = vec![
                    (
                        if ty == "Schedule" {
                            "ScheduleExpression"
                        } else {
                            "EventPattern"
                        },
                        opt(p.get(if ty == "Schedule" {
                            "Schedule"
                        } else {
                            "Pattern"
                        })),
                    ),
                    ("EventBusName", opt(p.get("EventBusName"))),
                    ("Name", opt(p.get("Name").or_else(|| p.get("RuleName")))),
                    ("Description", opt(p.get("Description"))),
                    ("State", rule_state(p, l)),
                    ("Targets", Node::list(l, vec![Node::map(l, target)])),
                ];
                out.push(&eid, l, "AWS::Events::Rule", props, from);
                permission(
                    out,
                    &format!("{eid}Permission"),
                    "events.amazonaws.com",
                    att(l, &eid, "Arn"),
                    false,
                );
            }
            "ScheduleV2" => {
                let role = match p.get("RoleArn") {
                    Some(role) => role.clone(),
                    None => {
                        out.push(
                            &format!("{eid}Role"),
                            l,
                            "AWS::IAM::Role",
                            vec![(
                                "AssumeRolePolicyDocument",
                                assume_role(l, "scheduler.amazonaws.com"),
                            )],
                            from,
                        );
                        att(l, &format!("{eid}Role"), "Arn")
                    }
                };
                out.push(
                    &eid,
                    l,
                    "AWS::Scheduler::Schedule",
                    schedule_v2(p, l, &eid, att(l, fid, "Arn"), role),
                    from,
                );
            }
            "SNS" => {
                out.push(
                    &eid,
                    l,
                    "AWS::SNS::Subscription",
                    vec![
                        ("Endpoint", att(l, fid, "Arn")),
                        ("Protocol", s(l, "lambda")),
                        ("TopicArn", opt(p.get("Topic"))),
                        ("FilterPolicy", opt(p.get("FilterPolicy"))),
                        ("FilterPolicyScope", opt(p.get("FilterPolicyScope"))),
                        ("Region", opt(p.get("Region"))),
                        ("RedrivePolicy", opt(p.get("RedrivePolicy"))),
                    ],
                    from,
                );
                permission(
                    out,
                    &format!("{eid}Permission"),
                    "sns.amazonaws.com",
                    opt(p.get("Topic")),
                    false,
                );
            }
            "S3" => {
                let bucket = p
                    .get("Bucket")
                    .and_then(|b| b.get("Ref"))
                    .and_then(Node::as_str);
                let events = match p.get("Events") {
                    Some(n) if matches!(n.v, N::List(_)) => n.items().to_vec(),
                    Some(n) => vec![n.clone()],
                    None => Vec::new(),
                };
                if let Some(b) = bucket {
                    for event in events {
                        let cfg = Node::map(
                            l,
                            vec![("Event", event), ("Function", att(l, fid, "Arn"))]
                                .into_iter()
                                .chain(p.get("Filter").map(|f| ("Filter", f.clone())))
                                .collect(),
                        );
                        self.bucket_events
                            .entry(b.to_string())
                            .or_default()
                            .push(cfg);
                    }
                    let arn = sub(l, &format!("arn:${{AWS::Partition}}:s3:::${{{b}}}"));
                    permission(
                        out,
                        &format!("{eid}Permission"),
                        "s3.amazonaws.com",
                        arn,
                        true,
                    );
                } else {
                    out.warn(
                        l,
                        format!(
                            "S3 event {eid}: its Bucket must be a Ref to a bucket of this template"
                        ),
                    );
                }
            }
            "CloudWatchLogs" => {
                out.push(
                    &eid,
                    l,
                    "AWS::Logs::SubscriptionFilter",
                    vec![
                        ("DestinationArn", att(l, fid, "Arn")),
                        ("FilterPattern", opt(p.get("FilterPattern"))),
                        ("LogGroupName", opt(p.get("LogGroupName"))),
                    ],
                    from,
                );
                permission(
                    out,
                    &format!("{eid}Permission"),
                    "logs.amazonaws.com",
                    absent(),
                    false,
                );
            }
            "IoTRule" => {
                out.push(
                    &eid,
                    l,
                    "AWS::IoT::TopicRule",
                    vec![(
                        "TopicRulePayload",
                        Node::map(
                            l,
                            vec![
                                ("Sql", opt(p.get("Sql"))),
                                ("AwsIotSqlVersion", opt(p.get("AwsIotSqlVersion"))),
                                (
                                    "Actions",
                                    Node::list(
                                        l,
                                        vec![Node::map(
                                            l,
                                            vec![(
                                                "Lambda",
                                                Node::map(
                                                    l,
                                                    vec![("FunctionArn", att(l, fid, "Arn"))],
                                                ),
                                            )],
                                        )],
                                    ),
                                ),
                                ("RuleDisabled", Node::new(l, N::Bool(false))),
                            ],
                        ),
                    )],
                    from,
                );
                permission(
                    out,
                    &format!("{eid}Permission"),
                    "iot.amazonaws.com",
                    att(l, &eid, "Arn"),
                    true,
                );
            }
            "Api" => {
                let api = p
                    .get("RestApiId")
                    .and_then(|a| a.get("Ref"))
                    .and_then(Node::as_str)
                    .unwrap_or("ServerlessRestApi")
                    .to_string();
                let stage = if api == "ServerlessRestApi" {
                    "Prod".to_string()
                } else {
                    self.stage_of(&api)
                };
                let path = p
                    .get("Path")
                    .and_then(Node::as_str)
                    .unwrap_or("/")
                    .to_string();
                let method = p
                    .get("Method")
                    .and_then(Node::as_str)
                    .unwrap_or("any")
                    .to_lowercase();
                let uri = sub(
                    l,
                    &format!("arn:${{AWS::Partition}}:apigateway:${{AWS::Region}}:lambda:path/2015-03-31/functions/${{{fid}.Arn}}/invocations"),
                );
                let integration = Node::map(
                    l,
                    vec![
                        ("type", s(l, "aws_proxy")),
                        ("httpMethod", s(l, "POST")),
                        ("uri", uri),
                    ],
                );
                self.rest_paths
                    .entry(api.clone())
                    .or_default()
                    .insert((path, method), integration);
                let source = sub(l, &format!("arn:${{AWS::Partition}}:execute-api:${{AWS::Region}}:${{AWS::AccountId}}:${{{api}}}/*"));
                permission(
                    out,
                    &format!("{eid}Permission{stage}"),
                    "apigateway.amazonaws.com",
                    source,
                    false,
                );
            }
            "HttpApi" => {
                let api = p
                    .get("ApiId")
                    .and_then(|a| a.get("Ref"))
                    .and_then(Node::as_str)
                    .unwrap_or("ServerlessHttpApi")
                    .to_string();
                let (path, method) = match (
                    p.get("Path").and_then(Node::as_str),
                    p.get("Method").and_then(Node::as_str),
                ) {
                    (Some(path), m) => (path.to_string(), m.unwrap_or("any").to_lowercase()),
                    (None, _) => ("$default".to_string(), "any".to_string()),
                };
                let integration = Node::map(
                    l,
                    vec![
                        ("type", s(l, "aws_proxy")),
                        ("httpMethod", s(l, "POST")),
                        ("uri", sub(l, &format!("arn:${{AWS::Partition}}:apigateway:${{AWS::Region}}:lambda:path/2015-03-31/functions/${{{fid}.Arn}}/invocations"))),
                        ("payloadFormatVersion", opt(p.get("PayloadFormatVersion")).clone()),
                    ]
                    .into_iter()
                    .filter(|(_, v)| !is_absent(v))
                    .collect(),
                );
                self.http_paths
                    .entry(api.clone())
                    .or_default()
                    .insert((path, method), integration);
                let source = sub(l, &format!("arn:${{AWS::Partition}}:execute-api:${{AWS::Region}}:${{AWS::AccountId}}:${{{api}}}/*"));
                permission(
                    out,
                    &format!("{eid}Permission"),
                    "apigateway.amazonaws.com",
                    source,
                    false,
                );
            }
            "AlexaSkill" => permission(
                out,
                &format!("{eid}Permission"),
                "alexa-appkit.amazon.com",
                absent(),
                false,
            ),
            "Cognito" => {
                let pool = opt(p.get("UserPool"));
                let arn = match pool.get("Ref").and_then(Node::as_str) {
                    Some(id) => att(l, id, "Arn"),
                    None => absent(),
                };
                permission(
                    out,
                    &format!("{eid}Permission"),
                    "cognito-idp.amazonaws.com",
                    arn,
                    false,
                )
            }
            other => out.info(
                l,
                format!(
                    "event {} of function {fid}: type {other} is not expanded",
                    ev.key
                ),
            ),
        }
    }

    fn state_machine(&mut self, out: &mut Out, e: &Entry, p: &Node) {
        let (id, l) = (e.key.as_str(), e.line);
        let role = match p.get("Role") {
            Some(role) => role.clone(),
            None => att(l, &format!("{id}Role"), "Arn"),
        };
        let tags = tag_list(p.get("Tags"), Some("stateMachine:createdBy"), l);
        out.push(
            id,
            l,
            "AWS::StepFunctions::StateMachine",
            vec![
                ("Definition", opt(p.get("Definition"))),
                (
                    "DefinitionS3Location",
                    match p.get("DefinitionUri") {
                        Some(_) => {
                            s3_location(p.get("DefinitionUri"), l, ("Bucket", "Key", "Version"))
                        }
                        None => absent(),
                    },
                ),
                (
                    "DefinitionSubstitutions",
                    opt(p.get("DefinitionSubstitutions")),
                ),
                ("StateMachineName", opt(p.get("Name"))),
                ("StateMachineType", opt(p.get("Type"))),
                ("LoggingConfiguration", opt(p.get("Logging"))),
                ("TracingConfiguration", opt(p.get("Tracing"))),
                ("RoleArn", role),
                ("Tags", tags.clone()),
            ],
            &e.value,
        );
        if p.get("Role").is_none() {
            let mut managed = Vec::new();
            let inline = policies(p.get("Policies"), &format!("{id}Role"), l, &mut managed);
            out.push(
                &format!("{id}Role"),
                l,
                "AWS::IAM::Role",
                vec![
                    (
                        "AssumeRolePolicyDocument",
                        assume_role(l, "states.amazonaws.com"),
                    ),
                    (
                        "ManagedPolicyArns",
                        if managed.is_empty() {
                            absent()
                        } else {
                            Node::list(l, managed)
                        },
                    ),
                    (
                        "Policies",
                        if inline.is_empty() {
                            absent()
                        } else {
                            Node::list(l, inline)
                        },
                    ),
                    ("PermissionsBoundary", opt(p.get("PermissionsBoundary"))),
                    ("Tags", tags),
                ],
                &e.value,
            );
        }
        for ev in p.get("Events").map(Node::entries).unwrap_or(&[]) {
            let el = e.line;
            let eid = format!("{id}{}", ev.key);
            let ty = ev.value.get("Type").and_then(Node::as_str).unwrap_or("");
            let empty = Node::map(el, vec![]);
            let ep = ev.value.get("Properties").unwrap_or(&empty);
            let role_id = format!("{eid}Role");
            let push_role = |out: &mut Out, principal: &str| {
                out.push(
                    &role_id,
                    el,
                    "AWS::IAM::Role",
                    vec![("AssumeRolePolicyDocument", assume_role(el, principal))],
                    &e.value,
                );
            };
            match ty {
                "Schedule" | "CloudWatchEvent" | "EventBridgeRule" => {
                    let target = Node::map(
                        el,
                        vec![
                            ("Arn", r(el, id)),
                            ("Id", s(el, &format!("{eid}StepFunctionsTarget"))),
                            ("RoleArn", att(el, &role_id, "Arn")),
                            ("Input", opt(ep.get("Input"))),
                            ("InputPath", opt(ep.get("InputPath"))),
                        ]
                        .into_iter()
                        .filter(|(_, v)| !is_absent(v))
                        .collect(),
                    );
                    let sched = ty == "Schedule";
                    out.push(
                        &eid,
                        el,
                        "AWS::Events::Rule",
                        vec![
                            (
                                if sched {
                                    "ScheduleExpression"
                                } else {
                                    "EventPattern"
                                },
                                opt(ep.get(if sched { "Schedule" } else { "Pattern" })),
                            ),
                            ("EventBusName", opt(ep.get("EventBusName"))),
                            ("Name", opt(ep.get("Name").or_else(|| ep.get("RuleName")))),
                            ("Description", opt(ep.get("Description"))),
                            ("State", rule_state(ep, el)),
                            ("Targets", Node::list(el, vec![target])),
                        ],
                        &e.value,
                    );
                    push_role(out, "events.amazonaws.com");
                }
                "ScheduleV2" => {
                    let role = match ep.get("RoleArn") {
                        Some(role) => role.clone(),
                        None => {
                            push_role(out, "scheduler.amazonaws.com");
                            att(el, &role_id, "Arn")
                        }
                    };
                    out.push(
                        &eid,
                        el,
                        "AWS::Scheduler::Schedule",
                        schedule_v2(ep, el, &eid, r(el, id), role),
                        &e.value,
                    );
                }
                "Api" => {
                    let api = ep
                        .get("RestApiId")
                        .and_then(|a| a.get("Ref"))
                        .and_then(Node::as_str)
                        .unwrap_or("ServerlessRestApi")
                        .to_string();
                    let path = ep
                        .get("Path")
                        .and_then(Node::as_str)
                        .unwrap_or("/")
                        .to_string();
                    let method = ep
                        .get("Method")
                        .and_then(Node::as_str)
                        .unwrap_or("post")
                        .to_lowercase();
                    let integration = Node::map(
                        el,
                        vec![
                            ("type", s(el, "aws")),
                            ("httpMethod", s(el, "POST")),
                            ("uri", sub(el, "arn:${AWS::Partition}:apigateway:${AWS::Region}:states:action/StartExecution")),
                            ("credentials", att(el, &role_id, "Arn")),
                        ],
                    );
                    self.rest_paths
                        .entry(api)
                        .or_default()
                        .insert((path, method), integration);
                    push_role(out, "apigateway.amazonaws.com");
                }
                other => out.info(
                    el,
                    format!(
                        "event {} of state machine {id}: type {other} is not expanded",
                        ev.key
                    ),
                ),
            }
        }
    }

    fn rest_api(&mut self, out: &mut Out, id: &str, l: u32, p: &Node, from: &Node) {
        let body = match p.get("DefinitionBody") {
            Some(b) => b.clone(),
            None if p.get("DefinitionUri").is_some() => absent(),
            None => Node::map(
                l,
                vec![
                    ("swagger", s(l, "2.0")),
                    (
                        "info",
                        Node::map(
                            l,
                            vec![("version", s(l, "1.0")), ("title", r(l, "AWS::StackName"))],
                        ),
                    ),
                    ("paths", paths(self.rest_paths.get(id), l)),
                ],
            ),
        };
        let endpoint = match p.get("EndpointConfiguration") {
            Some(n) if n.as_str().is_some() => {
                Node::map(l, vec![("Types", Node::list(l, vec![n.clone()]))])
            }
            Some(n) => match n.get("Type") {
                Some(t) => Node::map(
                    l,
                    vec![
                        ("Types", Node::list(l, vec![t.clone()])),
                        ("VpcEndpointIds", opt(n.get("VPCEndpointIds"))),
                    ]
                    .into_iter()
                    .filter(|(_, v)| !is_absent(v))
                    .collect(),
                ),
                None => n.clone(),
            },
            None => absent(),
        };
        out.push(
            id,
            l,
            "AWS::ApiGateway::RestApi",
            vec![
                ("Name", opt(p.get("Name"))),
                ("Body", body),
                (
                    "BodyS3Location",
                    match p.get("DefinitionUri") {
                        Some(u) if p.get("DefinitionBody").is_none() => {
                            s3_location(Some(u), l, ("Bucket", "Key", "Version"))
                        }
                        _ => absent(),
                    },
                ),
                ("Description", opt(p.get("Description"))),
                ("BinaryMediaTypes", opt(p.get("BinaryMediaTypes"))),
                (
                    "MinimumCompressionSize",
                    opt(p.get("MinimumCompressionSize")),
                ),
                ("ApiKeySourceType", opt(p.get("ApiKeySourceType"))),
                (
                    "DisableExecuteApiEndpoint",
                    opt(p.get("DisableExecuteApiEndpoint")),
                ),
                ("Mode", opt(p.get("Mode"))),
                ("EndpointConfiguration", endpoint),
                ("Policy", opt(p.get("Policy"))),
            ],
            from,
        );
        let stage_name = p.get("StageName").cloned().unwrap_or_else(|| s(l, "Prod"));
        let suffix = stage_suffix(Some(&stage_name));
        let stage_id = if stage_name.as_str().is_some() {
            format!("{id}{suffix}Stage")
        } else {
            format!("{id}Stage")
        };
        out.push(
            &stage_id,
            l,
            "AWS::ApiGateway::Stage",
            vec![
                ("RestApiId", r(l, id)),
                ("StageName", stage_name),
                ("Variables", opt(p.get("Variables"))),
                ("TracingEnabled", opt(p.get("TracingEnabled"))),
                ("MethodSettings", opt(p.get("MethodSettings"))),
                ("AccessLogSetting", opt(p.get("AccessLogSetting"))),
                ("CacheClusterEnabled", opt(p.get("CacheClusterEnabled"))),
                ("CacheClusterSize", opt(p.get("CacheClusterSize"))),
                ("Tags", tag_list(p.get("Tags"), None, l)),
            ],
            from,
        );
    }

    fn http_api(&mut self, out: &mut Out, id: &str, l: u32, p: &Node, from: &Node) {
        let body = match p.get("DefinitionBody") {
            Some(b) => b.clone(),
            None if p.get("DefinitionUri").is_some() => absent(),
            None => Node::map(
                l,
                vec![
                    ("openapi", s(l, "3.0.1")),
                    (
                        "info",
                        Node::map(
                            l,
                            vec![("version", s(l, "1.0")), ("title", r(l, "AWS::StackName"))],
                        ),
                    ),
                    ("paths", paths(self.http_paths.get(id), l)),
                ],
            ),
        };
        out.push(
            id,
            l,
            "AWS::ApiGatewayV2::Api",
            vec![
                ("Name", opt(p.get("Name"))),
                ("Body", body),
                (
                    "BodyS3Location",
                    match p.get("DefinitionUri") {
                        Some(u) if p.get("DefinitionBody").is_none() => {
                            s3_location(Some(u), l, ("Bucket", "Key", "Version"))
                        }
                        _ => absent(),
                    },
                ),
                ("Description", opt(p.get("Description"))),
                (
                    "DisableExecuteApiEndpoint",
                    opt(p.get("DisableExecuteApiEndpoint")),
                ),
                (
                    "CorsConfiguration",
                    opt(p.get("CorsConfiguration").filter(|c| c.is_map())),
                ),
                ("Tags", opt(p.get("Tags"))),
            ],
            from,
        );
        let (stage_id, stage_name) = match p.get("StageName") {
            Some(n) => (
                format!("{id}{}Stage", n.as_str().map(alnum).unwrap_or_default()),
                n.clone(),
            ),
            None => (format!("{id}ApiGatewayDefaultStage"), s(l, "$default")),
        };
        out.push(
            &stage_id,
            l,
            "AWS::ApiGatewayV2::Stage",
            vec![
                ("ApiId", r(l, id)),
                ("StageName", stage_name),
                ("AutoDeploy", Node::new(l, N::Bool(true))),
                ("AccessLogSettings", opt(p.get("AccessLogSettings"))),
                ("DefaultRouteSettings", opt(p.get("DefaultRouteSettings"))),
                ("RouteSettings", opt(p.get("RouteSettings"))),
                ("StageVariables", opt(p.get("StageVariables"))),
                ("Tags", opt(p.get("Tags"))),
            ],
            from,
        );
    }
}

fn simple_table(out: &mut Out, e: &Entry, p: &Node) {
    let l = e.line;
    let (name, ty) = match p.get("PrimaryKey") {
        Some(k) => (
            opt(k.get("Name")),
            k.get("Type").and_then(Node::as_str).unwrap_or("String"),
        ),
        None => (s(l, "id"), "String"),
    };
    let short = match ty {
        "Number" => "N",
        "Binary" => "B",
        _ => "S",
    };
    let throughput = p.get("ProvisionedThroughput");
    out.push(
        &e.key,
        l,
        "AWS::DynamoDB::Table",
        vec![
            (
                "AttributeDefinitions",
                Node::list(
                    l,
                    vec![Node::map(
                        l,
                        vec![
                            ("AttributeName", name.clone()),
                            ("AttributeType", s(l, short)),
                        ],
                    )],
                ),
            ),
            (
                "KeySchema",
                Node::list(
                    l,
                    vec![Node::map(
                        l,
                        vec![("AttributeName", name), ("KeyType", s(l, "HASH"))],
                    )],
                ),
            ),
            ("ProvisionedThroughput", opt(throughput)),
            (
                "BillingMode",
                if throughput.is_none() {
                    s(l, "PAY_PER_REQUEST")
                } else {
                    absent()
                },
            ),
            ("TableName", opt(p.get("TableName"))),
            ("SSESpecification", opt(p.get("SSESpecification"))),
            (
                "PointInTimeRecoverySpecification",
                opt(p.get("PointInTimeRecoverySpecification")),
            ),
            ("Tags", tag_list(p.get("Tags"), None, l)),
        ],
        &e.value,
    );
}

fn layer(out: &mut Out, e: &Entry, p: &Node) {
    let l = e.line;
    out.push(
        &e.key,
        l,
        "AWS::Lambda::LayerVersion",
        vec![
            (
                "Content",
                s3_location(
                    p.get("ContentUri"),
                    l,
                    ("S3Bucket", "S3Key", "S3ObjectVersion"),
                ),
            ),
            ("LayerName", opt(p.get("LayerName"))),
            ("Description", opt(p.get("Description"))),
            ("CompatibleRuntimes", opt(p.get("CompatibleRuntimes"))),
            (
                "CompatibleArchitectures",
                opt(p.get("CompatibleArchitectures")),
            ),
            ("LicenseInfo", opt(p.get("LicenseInfo"))),
        ],
        &e.value,
    );
}

fn schedule_v2(p: &Node, l: u32, eid: &str, target: Node, role: Node) -> Vec<(&'static str, Node)> {
    let mut t = vec![("Arn", target), ("RoleArn", role)];
    for k in ["Input", "RetryPolicy", "DeadLetterConfig"] {
        t.push((k, opt(p.get(k))));
    }
    let t: Vec<(&str, Node)> = t.into_iter().filter(|(_, v)| !is_absent(v)).collect();
    vec![
        ("ScheduleExpression", opt(p.get("ScheduleExpression"))),
        (
            "FlexibleTimeWindow",
            p.get("FlexibleTimeWindow")
                .cloned()
                .unwrap_or_else(|| Node::map(l, vec![("Mode", s(l, "OFF"))])),
        ),
        ("Name", p.get("Name").cloned().unwrap_or_else(|| s(l, eid))),
        ("Description", opt(p.get("Description"))),
        ("State", opt(p.get("State"))),
        ("GroupName", opt(p.get("GroupName"))),
        ("StartDate", opt(p.get("StartDate"))),
        ("EndDate", opt(p.get("EndDate"))),
        (
            "ScheduleExpressionTimezone",
            opt(p.get("ScheduleExpressionTimezone")),
        ),
        ("KmsKeyArn", opt(p.get("KmsKeyArn"))),
        ("Target", Node::map(l, t)),
    ]
}

fn rule_state(p: &Node, l: u32) -> Node {
    if let Some(st) = p.get("State") {
        return st.clone();
    }
    match p.get("Enabled").map(|e| &e.v) {
        Some(N::Bool(true)) => s(l, "ENABLED"),
        Some(N::Bool(false)) => s(l, "DISABLED"),
        _ => absent(),
    }
}

fn paths(p: Option<&BTreeMap<(String, String), Node>>, l: u32) -> Node {
    let mut by_path: BTreeMap<&str, Vec<(String, Node)>> = BTreeMap::new();
    for ((path, method), integration) in p.into_iter().flatten() {
        let m = if method == "any" {
            "x-amazon-apigateway-any-method".to_string()
        } else {
            method.clone()
        };
        by_path.entry(path).or_default().push((
            m,
            Node::map(
                l,
                vec![
                    ("x-amazon-apigateway-integration", integration.clone()),
                    ("responses", Node::map(l, vec![])),
                ],
            ),
        ));
    }
    Node::new(
        l,
        N::Map(
            by_path
                .into_iter()
                .map(|(path, methods)| Entry {
                    key: path.to_string(),
                    line: l,
                    value: Node::new(
                        l,
                        N::Map(
                            methods
                                .into_iter()
                                .map(|(k, v)| Entry {
                                    key: k,
                                    line: l,
                                    value: v,
                                })
                                .collect(),
                        ),
                    ),
                })
                .collect(),
        ),
    )
}

fn assume_role(l: u32, principal: &str) -> Node {
    Node::map(
        l,
        vec![
            ("Version", s(l, "2012-10-17")),
            (
                "Statement",
                Node::list(
                    l,
                    vec![Node::map(
                        l,
                        vec![
                            ("Effect", s(l, "Allow")),
                            ("Action", Node::list(l, vec![s(l, "sts:AssumeRole")])),
                            (
                                "Principal",
                                Node::map(
                                    l,
                                    vec![("Service", Node::list(l, vec![s(l, principal)]))],
                                ),
                            ),
                        ],
                    )],
                ),
            ),
        ],
    )
}

/// SAM `Policies`: managed policy names or ARNs (into `managed`), policy documents and policy
/// templates (returned as inline policies named `<Role>Policy<i>`, as SAM names them).
fn policies(p: Option<&Node>, role: &str, l: u32, managed: &mut Vec<Node>) -> Vec<Node> {
    let items: Vec<Node> = match p {
        None => return Vec::new(),
        Some(n) if matches!(n.v, N::List(_)) => n.items().to_vec(),
        Some(n) => vec![n.clone()],
    };
    let mut inline = Vec::new();
    for item in items {
        if let Some(name) = item.as_str() {
            if name.starts_with("arn:") {
                managed.push(item.clone());
            } else {
                managed.push(sub(
                    l,
                    &format!("arn:${{AWS::Partition}}:iam::aws:policy/{name}"),
                ));
            }
            continue;
        }
        if item.intrinsic().is_some() {
            managed.push(item);
            continue;
        }
        let name = s(l, &format!("{role}Policy{}", inline.len()));
        let doc = if item.get("Statement").is_some() {
            item
        } else {
            // A policy template (SQSPollerPolicy, DynamoDBCrudPolicy, …): kept with its
            // parameters, which name the resources it grants access to.
            Node::map(
                l,
                vec![
                    ("Version", s(l, "2012-10-17")),
                    ("Statement", Node::list(l, vec![])),
                    ("SamPolicyTemplates", item),
                ],
            )
        };
        inline.push(Node::map(
            l,
            vec![("PolicyName", name), ("PolicyDocument", doc)],
        ));
    }
    inline
}

/// `CodeUri`/`ContentUri`/`DefinitionUri`: `s3://bucket/key` or `{Bucket, Key, Version}`.
/// A local path (a template not yet packaged) has no S3 location.
fn s3_location(uri: Option<&Node>, l: u32, keys: (&str, &str, &str)) -> Node {
    match uri {
        Some(n) => match (&n.v, n.get("Bucket")) {
            (N::Str(u), _) => match u.strip_prefix("s3://").and_then(|r| r.split_once('/')) {
                Some((b, k)) => Node::map(l, vec![(keys.0, s(l, b)), (keys.1, s(l, k))]),
                None => absent(),
            },
            (_, Some(b)) => Node::map(
                l,
                vec![
                    (keys.0, b.clone()),
                    (keys.1, opt(n.get("Key"))),
                    (keys.2, opt(n.get("Version"))),
                ]
                .into_iter()
                .filter(|(_, v)| !is_absent(v))
                .collect(),
            ),
            _ => absent(),
        },
        None => absent(),
    }
}

/// SAM tags (a mapping) as a CloudFormation tag list, with SAM's own `createdBy` tag first.
fn tag_list(tags: Option<&Node>, created_by: Option<&str>, l: u32) -> Node {
    let mut out = Vec::new();
    if let Some(k) = created_by {
        out.push(Node::map(l, vec![("Key", s(l, k)), ("Value", s(l, "SAM"))]));
    }
    match tags {
        Some(t) if t.is_map() && t.intrinsic().is_none() => {
            for e in t.entries() {
                out.push(Node::map(
                    e.line,
                    vec![("Key", s(e.line, &e.key)), ("Value", e.value.clone())],
                ));
            }
        }
        Some(t) if matches!(t.v, N::List(_)) => out.extend(t.items().iter().cloned()),
        _ => {}
    }
    if out.is_empty() {
        absent()
    } else {
        Node::list(l, out)
    }
}

/// SAM's Globals merge: mappings merge key by key, lists append, the resource's scalars win.
fn merge(global: &Node, own: &Node) -> Node {
    match (&global.v, &own.v) {
        (N::Map(g), N::Map(o)) if own.intrinsic().is_none() && global.intrinsic().is_none() => {
            let mut out: Vec<Entry> = Vec::new();
            for ge in g {
                match o.iter().find(|oe| oe.key == ge.key) {
                    Some(oe) => out.push(Entry {
                        key: ge.key.clone(),
                        line: oe.line,
                        value: merge(&ge.value, &oe.value),
                    }),
                    None => out.push(ge.clone()),
                }
            }
            for oe in o {
                if !g.iter().any(|ge| ge.key == oe.key) {
                    out.push(oe.clone());
                }
            }
            Node::new(own.line, N::Map(out))
        }
        (N::List(g), N::List(o)) => Node::list(own.line, g.iter().chain(o).cloned().collect()),
        _ => own.clone(),
    }
}

/// How SAM names a stage in logical ids: its literal name without punctuation, or `Stage`
/// when the name is an expression.
fn stage_suffix(stage: Option<&Node>) -> String {
    match stage {
        None => "Prod".to_string(),
        Some(n) => match n.as_str() {
            Some(name) => alnum(name),
            None => "Stage".to_string(),
        },
    }
}

fn alnum(s: &str) -> String {
    s.chars().filter(char::is_ascii_alphanumeric).collect()
}
