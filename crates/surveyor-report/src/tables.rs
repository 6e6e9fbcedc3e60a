//! One table per area (compute, network, data, …), and inside an area one table per kind of
//! resource with the columns that matter for it: the seeds' columns (runtime, arch, memory,
//! timeout, packaging; CIDR, AZs; engine, class, multi-AZ, backups, encryption; expression,
//! state, target; FIFO, visibility, DLQ, depth; …). Declared values come from `attributes`;
//! measured ones from `state` and are shown beside them. Every row ends with where the
//! resource is declared. Long tables keep their first rows and fold the rest.

use std::collections::BTreeMap;
use std::fmt::Write;

use surveyor_model::{Category, EdgeKind, Resource, Value};

use crate::layout::{self, Context};
use crate::text::{self, cell, seconds};

type CellFn = fn(&Resource, &Context) -> String;

struct TypeTable {
    title: &'static str,
    types: &'static [&'static str],
    columns: &'static [(&'static str, CellFn)],
    /// The column rows are counted by in the summary line of a long table.
    status: Option<CellFn>,
}

/// Rows shown before the rest of a table is folded into `<details>`.
const FOLD_AFTER: usize = 12;

/// Rows listed at most per table; the rest are counted and left to map.json and map.html, so
/// that map.md stays small enough for GitHub to render for any account.
const MAX_ROWS: usize = 250;

/// A declared attribute; when it drifted, the live value beside it.
fn attr(r: &Resource, ctx: &Context, path: &str) -> String {
    let declared = r
        .attr(path)
        .map(|v| text::value(v, ctx))
        .unwrap_or_default();
    match ctx.drifted(&r.id, path) {
        Some(live) => format!("{declared} → {} (live) ⚠", text::value(live, ctx)),
        None => declared,
    }
}

fn state(r: &Resource, ctx: &Context, keys: &[&str]) -> String {
    keys.iter()
        .find_map(|k| r.state.get(*k))
        .map(|v| text::value(v, ctx))
        .unwrap_or_default()
}

fn yes_no(r: &Resource, path: &str, default: &str) -> String {
    match r.attr(path) {
        Some(Value::Unresolved(t)) => text::unresolved(t),
        Some(v) => match v.as_bool() {
            Some(true) => "yes".into(),
            Some(false) => "no".into(),
            None => v.display(),
        },
        None => default.into(),
    }
}

/// Declared and measured side by side: `2 → 1 (measured)`.
fn declared_measured(declared: String, measured: String) -> String {
    match (declared.is_empty(), measured.is_empty()) {
        (_, true) => declared,
        (true, false) => format!("{measured} (measured)"),
        (false, false) if declared == measured => format!("{declared} ✓"),
        (false, false) => format!("{declared} → {measured} (measured)"),
    }
}

fn targets(r: &Resource, ctx: &Context, kinds: &[EdgeKind]) -> String {
    let mut out: Vec<String> = ctx
        .edges_from(&r.id)
        .filter(|e| kinds.contains(&e.kind))
        .map(|e| ctx.ref_label(&e.to))
        .collect();
    out.dedup();
    out.join(", ")
}

fn sources(r: &Resource, ctx: &Context, kinds: &[EdgeKind]) -> String {
    let mut out: Vec<String> = ctx
        .edges_to(&r.id)
        .filter(|e| kinds.contains(&e.kind))
        .map(|e| ctx.ref_label(&e.from))
        .collect();
    out.dedup();
    out.join(", ")
}

fn encryption(r: &Resource, ctx: &Context) -> String {
    for p in [
        "KmsMasterKeyId",
        "KmsKeyId",
        "SqsManagedSseEnabled",
        "StorageEncrypted",
        "BucketEncryption.ServerSideEncryptionConfiguration.0.ServerSideEncryptionByDefault.SSEAlgorithm",
        "SSESpecification.SSEEnabled",
        "Encrypted",
    ] {
        // Terraform state writes an unset key as `""`: that is no key, not a key named "".
        if let Some(v) = r
            .attr(p)
            .filter(|v| !v.is_null() && v.as_str() != Some(""))
        {
            let s = text::value(v, ctx);
            return match p {
                "KmsMasterKeyId" | "KmsKeyId" => format!("KMS {s}"),
                _ => s,
            };
        }
    }
    String::new()
}

fn lambda_cols() -> &'static [(&'static str, CellFn)] {
    &[
        ("Runtime", |r, c| attr(r, c, "Runtime")),
        ("Arch", |r, _| layout::lambda_arch(r)),
        ("Memory", |r, c| {
            let m = attr(r, c, "MemorySize");
            if m.is_empty() {
                "128 MB (default)".into()
            } else {
                format!("{m} MB")
            }
        }),
        ("Timeout", |r, _| {
            r.attr("Timeout")
                .map(seconds)
                .unwrap_or_else(|| "3 s (default)".into())
        }),
        ("Package", |r, _| layout::lambda_packaging(r).into()),
        ("Triggered by", |r, c| {
            sources(
                r,
                c,
                &[
                    EdgeKind::Triggers,
                    EdgeKind::Invokes,
                    EdgeKind::Delivers,
                    EdgeKind::Notifies,
                    EdgeKind::Routes,
                ],
            )
        }),
        ("Measured", |r, c| {
            let mut p = Vec::new();
            let s = state(r, c, &["State"]);
            if !s.is_empty() {
                p.push(s);
            }
            for (k, label) in [
                ("Invocations24h", "invocations/24h"),
                ("Errors24h", "errors/24h"),
                ("Throttles24h", "throttles/24h"),
            ] {
                if let Some(v) = r.state.get(k) {
                    p.push(format!("{} {label}", text::value(v, c)));
                }
            }
            p.join(" · ")
        }),
    ]
}

static TABLES: &[TypeTable] = &[
    // --- compute
    TypeTable {
        title: "Lambda functions",
        types: &["AWS::Lambda::Function", "AWS::Serverless::Function"],
        columns: &[],
        status: Some(|r, _| format!("{} {}", layout::lambda_arch(r), layout::lambda_packaging(r))),
    },
    TypeTable {
        title: "ECS services",
        types: &["AWS::ECS::Service"],
        columns: &[
            ("Runs on", |r, c| match layout::compute_kind(r, c) {
                Some(layout::ComputeKind::Fargate) => "Fargate".into(),
                Some(_) => "EC2".into(),
                None => String::new(),
            }),
            ("Task cpu/memory", |r, c| {
                let td = r
                    .attr("TaskDefinition")
                    .and_then(Value::as_ref_id)
                    .and_then(|id| c.get(id));
                match td {
                    Some(td) => {
                        let cpu = attr(td, c, "Cpu");
                        let mem = attr(td, c, "Memory");
                        if cpu.is_empty() && mem.is_empty() {
                            String::new()
                        } else {
                            format!("{cpu} / {mem} MB")
                        }
                    }
                    None => attr(r, c, "TaskDefinition"),
                }
            }),
            ("Image", |r, c| {
                r.attr("TaskDefinition")
                    .and_then(Value::as_ref_id)
                    .and_then(|id| c.get(id))
                    .and_then(|td| td.attr("ContainerDefinitions"))
                    .and_then(Value::as_list)
                    .map(|l| {
                        l.iter()
                            .filter_map(|cd| cd.pointer("Image"))
                            .map(|v| image(v, c))
                            .collect::<Vec<_>>()
                            .join(", ")
                    })
                    .unwrap_or_default()
            }),
            ("Desired / running", |r, c| {
                let d = attr(r, c, "DesiredCount");
                let d = if d.is_empty() { "1".to_string() } else { d };
                let run = state(r, c, &["RunningCount"]);
                if run.is_empty() {
                    d
                } else {
                    let warn = if run != d { " ⚠" } else { "" };
                    format!("{d} / {run} running (measured){warn}")
                }
            }),
            ("Load balancer", |r, c| sources(r, c, &[EdgeKind::Routes])),
        ],
        status: Some(|r, c| state(r, c, &["Status"])),
    },
    TypeTable {
        title: "EC2 instances and Auto Scaling groups",
        types: &["AWS::EC2::Instance", "AWS::AutoScaling::AutoScalingGroup"],
        columns: &[
            ("Type / capacity", |r, c| {
                if r.type_name == "AWS::EC2::Instance" {
                    attr(r, c, "InstanceType")
                } else {
                    format!(
                        "min {} · max {} · desired {}",
                        attr(r, c, "MinSize"),
                        attr(r, c, "MaxSize"),
                        attr(r, c, "DesiredCapacity")
                    )
                }
            }),
            ("Image / template", |r, c| {
                let a = attr(r, c, "ImageId");
                if a.is_empty() {
                    attr(r, c, "LaunchTemplate.LaunchTemplateId")
                } else {
                    a
                }
            }),
            ("Public IP", |r, c| {
                let s = state(r, c, &["PublicIpAddress"]);
                if s.is_empty() {
                    attr(r, c, "NetworkInterfaces.0.AssociatePublicIpAddress")
                } else {
                    s
                }
            }),
            ("State", |r, c| state(r, c, &["State", "InstanceState"])),
        ],
        status: Some(|r, c| state(r, c, &["State", "InstanceState"])),
    },
    // --- network
    TypeTable {
        title: "VPCs",
        types: &["AWS::EC2::VPC"],
        columns: &[
            ("CIDR", |r, c| attr(r, c, "CidrBlock")),
            ("Subnets", |r, c| {
                let subnets: Vec<&Resource> = c
                    .map
                    .resources
                    .iter()
                    .filter(|s| {
                        s.type_name == "AWS::EC2::Subnet"
                            && s.attr("VpcId").and_then(Value::as_ref_id) == Some(&r.id)
                    })
                    .collect();
                let mut tiers: BTreeMap<&str, usize> = BTreeMap::new();
                let mut azs = std::collections::BTreeSet::new();
                for s in &subnets {
                    *tiers.entry(layout::subnet_tier(s, c).as_str()).or_default() += 1;
                    if let Some(a) = s.attr("AvailabilityZone") {
                        azs.insert(text::value(a, c));
                    }
                }
                let mut out = tiers
                    .iter()
                    .map(|(t, n)| format!("{n} {t}"))
                    .collect::<Vec<_>>()
                    .join(", ");
                if !azs.is_empty() {
                    out.push_str(&format!(" · {} AZ", azs.len()));
                }
                out
            }),
            ("NAT gateways", |r, c| {
                let n = c
                    .map
                    .resources
                    .iter()
                    .filter(|x| x.type_name == "AWS::EC2::NatGateway")
                    .filter(|x| {
                        x.attr("SubnetId")
                            .and_then(Value::as_ref_id)
                            .and_then(|s| c.get(s))
                            .and_then(|s| s.attr("VpcId"))
                            .and_then(Value::as_ref_id)
                            == Some(&r.id)
                    })
                    .count();
                n.to_string()
            }),
            ("DNS", |r, _| {
                format!(
                    "hostnames {} · support {}",
                    yes_no(r, "EnableDnsHostnames", "no"),
                    yes_no(r, "EnableDnsSupport", "yes")
                )
            }),
        ],
        status: None,
    },
    TypeTable {
        title: "Subnets",
        types: &["AWS::EC2::Subnet"],
        columns: &[
            ("Tier", |r, c| layout::subnet_tier(r, c).as_str().into()),
            ("CIDR", |r, c| attr(r, c, "CidrBlock")),
            ("AZ", |r, c| attr(r, c, "AvailabilityZone")),
            ("Public IP on launch", |r, _| {
                yes_no(r, "MapPublicIpOnLaunch", "no")
            }),
        ],
        status: Some(|r, c| layout::subnet_tier(r, c).as_str().into()),
    },
    TypeTable {
        title: "Security groups",
        types: &["AWS::EC2::SecurityGroup"],
        columns: &[
            ("Description", |r, c| attr(r, c, "GroupDescription")),
            ("Ingress", |r, c| sg_ingress(r, c)),
            ("Used by", |r, c| {
                let m = c.sg_members(&r.id);
                let names: Vec<String> = m
                    .iter()
                    .take(4)
                    .map(|&i| layout::label(&c.map.resources[i]))
                    .collect();
                let mut s = names.join(", ");
                if m.len() > 4 {
                    s.push_str(&format!(" +{}", m.len() - 4));
                }
                s
            }),
        ],
        status: None,
    },
    TypeTable {
        title: "Load balancers",
        types: &[
            "AWS::ElasticLoadBalancingV2::LoadBalancer",
            "AWS::ElasticLoadBalancing::LoadBalancer",
        ],
        columns: &[
            ("Type", |r, c| {
                let t = attr(r, c, "Type");
                if t.is_empty() {
                    "application".into()
                } else {
                    t
                }
            }),
            ("Scheme", |r, c| {
                let s = attr(r, c, "Scheme");
                if s.is_empty() {
                    "internet-facing".into()
                } else {
                    s
                }
            }),
            ("Listeners", |r, c| {
                c.map
                    .resources
                    .iter()
                    .filter(|l| {
                        l.type_name == "AWS::ElasticLoadBalancingV2::Listener"
                            && l.attr("LoadBalancerArn").and_then(Value::as_ref_id) == Some(&r.id)
                    })
                    .map(|l| {
                        let action = l
                            .attr("DefaultActions.0.Type")
                            .map(|v| text::value(v, c))
                            .unwrap_or_default();
                        format!(
                            "{} {} → {action}",
                            attr(l, c, "Protocol"),
                            attr(l, c, "Port")
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(" · ")
            }),
            ("Routes to", |r, c| targets(r, c, &[EdgeKind::Routes])),
            ("WAF", |r, c| sources(r, c, &[EdgeKind::Protects])),
        ],
        status: None,
    },
    TypeTable {
        title: "Target groups",
        types: &["AWS::ElasticLoadBalancingV2::TargetGroup"],
        columns: &[
            ("Protocol:port", |r, c| {
                format!("{}:{}", attr(r, c, "Protocol"), attr(r, c, "Port"))
            }),
            ("Target type", |r, c| attr(r, c, "TargetType")),
            ("Health check", |r, c| attr(r, c, "HealthCheckPath")),
            ("Targets", |r, c| targets(r, c, &[EdgeKind::Routes])),
        ],
        status: None,
    },
    // --- data
    TypeTable {
        title: "Databases",
        types: &[
            "AWS::RDS::DBInstance",
            "AWS::RDS::DBCluster",
            "AWS::Neptune::DBCluster",
            "AWS::ElastiCache::ReplicationGroup",
            "AWS::ElastiCache::CacheCluster",
        ],
        columns: &[
            ("Engine", |r, c| {
                let e = attr(r, c, "Engine");
                let v = attr(r, c, "EngineVersion");
                let live = if c.drifted(&r.id, "EngineVersion").is_some() {
                    String::new()
                } else {
                    state(r, c, &["EngineVersion"])
                };
                declared_measured(format!("{e} {v}").trim().to_string(), live)
            }),
            ("Class", |r, c| {
                let a = attr(r, c, "DBInstanceClass");
                if a.is_empty() {
                    let s = attr(r, c, "ServerlessV2ScalingConfiguration.MaxCapacity");
                    if s.is_empty() {
                        attr(r, c, "CacheNodeType")
                    } else {
                        format!(
                            "serverless v2 {}–{s} ACU",
                            attr(r, c, "ServerlessV2ScalingConfiguration.MinCapacity")
                        )
                    }
                } else {
                    a
                }
            }),
            ("Multi-AZ", |r, _| yes_no(r, "MultiAZ", "no")),
            ("Backup", |r, c| {
                let b = attr(r, c, "BackupRetentionPeriod");
                if b.is_empty() {
                    "1 d (default)".into()
                } else {
                    format!("{b} d")
                }
            }),
            ("Encrypted", |r, c| {
                let e = yes_no(r, "StorageEncrypted", "no");
                match r.attr("KmsKeyId") {
                    Some(k) => format!("{e} (KMS {})", text::value(k, c)),
                    None => e,
                }
            }),
            ("Deletion protection", |r, _| {
                yes_no(r, "DeletionProtection", "no")
            }),
            ("Public", |r, _| yes_no(r, "PubliclyAccessible", "no")),
            ("Status", |r, c| {
                state(r, c, &["Status", "DBInstanceStatus"])
            }),
        ],
        status: None,
    },
    TypeTable {
        title: "DynamoDB tables",
        types: &[
            "AWS::DynamoDB::Table",
            "AWS::DynamoDB::GlobalTable",
            "AWS::Serverless::SimpleTable",
        ],
        columns: &[
            ("Keys", |r, c| {
                r.attr("KeySchema")
                    .and_then(Value::as_list)
                    .map(|l| {
                        l.iter()
                            .map(|k| {
                                format!(
                                    "{} ({})",
                                    k.pointer("AttributeName")
                                        .map(|v| text::value(v, c))
                                        .unwrap_or_default(),
                                    k.pointer("KeyType")
                                        .map(|v| text::value(v, c))
                                        .unwrap_or_default()
                                )
                            })
                            .collect::<Vec<_>>()
                            .join(", ")
                    })
                    .unwrap_or_else(|| attr(r, c, "PrimaryKey.Name"))
            }),
            ("Billing", |r, c| {
                let b = attr(r, c, "BillingMode");
                if b.is_empty() {
                    "PROVISIONED (default)".into()
                } else {
                    b
                }
            }),
            ("PITR", |r, _| {
                yes_no(
                    r,
                    "PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled",
                    "no",
                )
            }),
            ("Encryption", |r, c| {
                let e = encryption(r, c);
                if e.is_empty() {
                    "AWS owned key".into()
                } else {
                    e
                }
            }),
        ],
        status: None,
    },
    TypeTable {
        title: "S3 buckets",
        types: &["AWS::S3::Bucket"],
        columns: &[
            ("Versioning", |r, c| {
                let v = attr(r, c, "VersioningConfiguration.Status");
                if v.is_empty() {
                    "off".into()
                } else {
                    v
                }
            }),
            ("Encryption", |r, c| {
                let e = encryption(r, c);
                if e.is_empty() {
                    "SSE-S3 (default)".into()
                } else {
                    e
                }
            }),
            ("Public access block", |r, _| {
                match r
                    .attr("PublicAccessBlockConfiguration")
                    .and_then(Value::as_map)
                {
                    Some(m) if m.values().all(|v| v.as_bool() == Some(true)) => {
                        "all blocked".into()
                    }
                    Some(_) => "partial".into(),
                    None => "not set".into(),
                }
            }),
            ("Notifies", |r, c| targets(r, c, &[EdgeKind::Notifies])),
            ("Lifecycle", |r, c| {
                r.attr("LifecycleConfiguration.Rules")
                    .and_then(Value::as_list)
                    .map(|l| {
                        l.iter()
                            .filter_map(|x| x.pointer("ExpirationInDays"))
                            .map(|v| format!("expire {} d", text::value(v, c)))
                            .collect::<Vec<_>>()
                            .join(", ")
                    })
                    .unwrap_or_default()
            }),
        ],
        status: None,
    },
    // --- messaging
    TypeTable {
        title: "SQS queues",
        types: &["AWS::SQS::Queue"],
        columns: &[
            ("FIFO", |r, _| yes_no(r, "FifoQueue", "no")),
            ("Visibility", |r, _| {
                r.attr("VisibilityTimeout")
                    .map(seconds)
                    .unwrap_or_else(|| "30 s (default)".into())
            }),
            ("Retention", |r, _| {
                r.attr("MessageRetentionPeriod")
                    .map(seconds)
                    .unwrap_or_else(|| "4 d (default)".into())
            }),
            ("DLQ", |r, c| {
                let t = r
                    .attr("RedrivePolicy.deadLetterTargetArn")
                    .map(|v| text::value(v, c));
                let n = r
                    .attr("RedrivePolicy.maxReceiveCount")
                    .map(|v| text::value(v, c));
                match (t, n) {
                    (Some(t), Some(n)) => format!("{t} after {n} receives"),
                    (Some(t), None) => t,
                    _ => {
                        let s = sources(r, c, &[EdgeKind::Redrives]);
                        if s.is_empty() {
                            "none".into()
                        } else {
                            format!("DLQ of {s}")
                        }
                    }
                }
            }),
            ("Encryption", |r, c| encryption(r, c)),
            ("Consumers", |r, c| {
                targets(r, c, &[EdgeKind::Triggers, EdgeKind::Delivers])
            }),
            ("Messages", |r, c| {
                let v = state(r, c, &["ApproximateNumberOfMessages"]);
                if v.is_empty() {
                    v
                } else {
                    let warn = if v != "0" && !sources(r, c, &[EdgeKind::Redrives]).is_empty() {
                        " ⚠"
                    } else {
                        ""
                    };
                    format!("{v} (measured){warn}")
                }
            }),
        ],
        status: None,
    },
    TypeTable {
        title: "SNS topics",
        types: &["AWS::SNS::Topic"],
        columns: &[
            ("Subscribers", |r, c| {
                let s = targets(r, c, &[EdgeKind::Delivers]);
                if s.is_empty() {
                    let n = state(r, c, &["SubscriptionsConfirmed"]);
                    if n.is_empty() {
                        "none".into()
                    } else {
                        format!("{n} confirmed (measured)")
                    }
                } else {
                    s
                }
            }),
            ("Published by", |r, c| sources(r, c, &[EdgeKind::Notifies])),
            // SNS has no default encryption at rest.
            ("Encryption", |r, c| {
                let e = encryption(r, c);
                if e.is_empty() {
                    "none".into()
                } else {
                    e
                }
            }),
        ],
        status: None,
    },
    // --- orchestration
    TypeTable {
        title: "Schedules and rules",
        types: &["AWS::Events::Rule", "AWS::Scheduler::Schedule"],
        columns: &[
            ("Expression", |r, c| {
                let s = attr(r, c, "ScheduleExpression");
                if s.is_empty() {
                    r.attr("EventPattern")
                        .map(|v| text::truncate(&text::value(v, c), 60))
                        .unwrap_or_default()
                } else {
                    s
                }
            }),
            ("State", |r, c| schedule_state(r, c)),
            ("Target", |r, c| {
                let t = targets(r, c, &[EdgeKind::Invokes]);
                if t.is_empty() {
                    attr(r, c, "Target.Arn")
                } else {
                    t
                }
            }),
        ],
        status: Some(schedule_state),
    },
    TypeTable {
        title: "State machines",
        types: &["AWS::StepFunctions::StateMachine"],
        columns: &[
            ("Type", |r, c| {
                let t = attr(r, c, "StateMachineType");
                if t.is_empty() {
                    "STANDARD".into()
                } else {
                    t
                }
            }),
            ("Invokes", |r, c| targets(r, c, &[EdgeKind::Invokes])),
        ],
        status: None,
    },
    // --- edge
    TypeTable {
        title: "CloudFront distributions",
        types: &["AWS::CloudFront::Distribution"],
        columns: &[
            ("Aliases", |r, c| attr(r, c, "DistributionConfig.Aliases")),
            ("Origins", |r, c| {
                let t = targets(r, c, &[EdgeKind::Routes]);
                if t.is_empty() {
                    r.attr("DistributionConfig.Origins")
                        .and_then(Value::as_list)
                        .map(|l| {
                            l.iter()
                                .filter_map(|o| o.pointer("DomainName"))
                                .map(|v| text::value(v, c))
                                .collect::<Vec<_>>()
                                .join(", ")
                        })
                        .unwrap_or_default()
                } else {
                    t
                }
            }),
            ("WAF", |r, c| {
                let s = sources(r, c, &[EdgeKind::Protects]);
                if s.is_empty() {
                    let w = attr(r, c, "DistributionConfig.WebACLId");
                    if w.is_empty() {
                        "none".into()
                    } else {
                        w
                    }
                } else {
                    s
                }
            }),
            ("Certificate", |r, c| {
                attr(
                    r,
                    c,
                    "DistributionConfig.ViewerCertificate.AcmCertificateArn",
                )
            }),
        ],
        status: None,
    },
    TypeTable {
        title: "DNS",
        types: &["AWS::Route53::HostedZone", "AWS::Route53::RecordSet"],
        columns: &[
            ("Type", |r, c| {
                if r.type_name == "AWS::Route53::HostedZone" {
                    "hosted zone".into()
                } else {
                    attr(r, c, "Type")
                }
            }),
            ("Points to", |r, c| {
                let t = targets(r, c, &[EdgeKind::Routes]);
                if !t.is_empty() {
                    return t;
                }
                let a = attr(r, c, "AliasTarget.DNSName");
                if a.is_empty() {
                    attr(r, c, "ResourceRecords")
                } else {
                    a
                }
            }),
        ],
        status: None,
    },
    TypeTable {
        title: "WAF web ACLs",
        types: &["AWS::WAFv2::WebACL"],
        columns: &[
            ("Scope", |r, c| attr(r, c, "Scope")),
            ("Rules", |r, c| {
                r.attr("Rules")
                    .and_then(Value::as_list)
                    .map(|l| {
                        l.iter()
                            .map(|x| {
                                x.pointer("Statement.ManagedRuleGroupStatement.Name")
                                    .or_else(|| x.pointer("Name"))
                                    .map(|v| text::value(v, c))
                                    .unwrap_or_default()
                            })
                            .collect::<Vec<_>>()
                            .join(", ")
                    })
                    .unwrap_or_default()
            }),
            ("Protects", |r, c| {
                let t = targets(r, c, &[EdgeKind::Protects]);
                if t.is_empty() {
                    "nothing".into()
                } else {
                    t
                }
            }),
        ],
        status: None,
    },
    TypeTable {
        title: "Certificates",
        types: &["AWS::CertificateManager::Certificate"],
        columns: &[
            ("Domain", |r, c| attr(r, c, "DomainName")),
            ("Validation", |r, c| attr(r, c, "ValidationMethod")),
            ("Status", |r, c| {
                state(r, c, &["CertificateStatus", "Status"])
            }),
        ],
        status: None,
    },
    // --- security
    TypeTable {
        title: "KMS keys",
        types: &["AWS::KMS::Key"],
        columns: &[
            ("Rotation", |r, _| yes_no(r, "EnableKeyRotation", "no")),
            ("Aliases", |r, c| {
                c.map
                    .resources
                    .iter()
                    .filter(|a| {
                        a.type_name == "AWS::KMS::Alias"
                            && a.attr("TargetKeyId").and_then(Value::as_ref_id) == Some(&r.id)
                    })
                    .map(|a| attr(a, c, "AliasName"))
                    .collect::<Vec<_>>()
                    .join(", ")
            }),
            ("Used by", |r, c| sources(r, c, &[EdgeKind::Uses])),
        ],
        status: None,
    },
    TypeTable {
        title: "Secrets",
        types: &["AWS::SecretsManager::Secret"],
        columns: &[
            ("Rotation", |r, c| {
                let rot = c.map.resources.iter().find(|x| {
                    x.type_name == "AWS::SecretsManager::RotationSchedule"
                        && x.attr("SecretId").and_then(Value::as_ref_id) == Some(&r.id)
                });
                match rot {
                    Some(x) => {
                        let d = attr(x, c, "RotationRules.AutomaticallyAfterDays");
                        if d.is_empty() {
                            "yes".into()
                        } else {
                            format!("every {d} d")
                        }
                    }
                    None => {
                        let s = state(r, c, &["RotationEnabled"]);
                        if s.is_empty() {
                            "none".into()
                        } else {
                            format!("{s} (measured)")
                        }
                    }
                }
            }),
            ("Generated", |r, _| {
                if r.attr("GenerateSecretString").is_some() {
                    "yes".into()
                } else {
                    "no".into()
                }
            }),
        ],
        status: None,
    },
    TypeTable {
        title: "SSM parameters",
        types: &["AWS::SSM::Parameter"],
        columns: &[
            ("Type", |r, c| attr(r, c, "Type")),
            ("Value", |r, c| {
                if r.attr_str("Type")
                    .is_some_and(|t| t.eq_ignore_ascii_case("SecureString"))
                {
                    "(secret)".into()
                } else {
                    text::truncate(&attr(r, c, "Value"), 60)
                }
            }),
        ],
        status: None,
    },
    TypeTable {
        title: "IAM roles",
        types: &["AWS::IAM::Role"],
        columns: &[
            ("Assumed by", |r, c| {
                r.attr("AssumeRolePolicyDocument.Statement")
                    .and_then(Value::as_list)
                    .map(|l| {
                        l.iter()
                            .filter_map(|s| {
                                s.pointer("Principal.Service")
                                    .or_else(|| s.pointer("Principal.Federated"))
                            })
                            .map(|v| text::value(v, c))
                            .collect::<Vec<_>>()
                            .join(", ")
                    })
                    .unwrap_or_default()
            }),
            ("Managed policies", |r, c| {
                r.attr("ManagedPolicyArns")
                    .and_then(Value::as_list)
                    .map(|l| {
                        l.iter()
                            .map(|v| {
                                let s = text::value(v, c);
                                s.rsplit('/').next().unwrap_or(&s).to_string()
                            })
                            .collect::<Vec<_>>()
                            .join(", ")
                    })
                    .unwrap_or_default()
            }),
        ],
        status: None,
    },
    // --- observability
    TypeTable {
        title: "Alarms",
        types: &["AWS::CloudWatch::Alarm", "AWS::CloudWatch::CompositeAlarm"],
        columns: &[
            ("Metric", |r, c| {
                let ns = attr(r, c, "Namespace");
                let m = attr(r, c, "MetricName");
                if m.is_empty() {
                    if r.attr("Metrics").is_some() {
                        "metric math".into()
                    } else {
                        attr(r, c, "AlarmRule")
                    }
                } else {
                    format!("{ns} {m}").trim().to_string()
                }
            }),
            ("Condition", |r, c| {
                let op = match r.attr_str("ComparisonOperator").unwrap_or("") {
                    "GreaterThanOrEqualToThreshold" => "≥",
                    "GreaterThanThreshold" => ">",
                    "LessThanThreshold" => "<",
                    "LessThanOrEqualToThreshold" => "≤",
                    "" => "",
                    other => other,
                };
                let th = attr(r, c, "Threshold");
                if op.is_empty() && th.is_empty() {
                    return String::new();
                }
                let p = attr(r, c, "EvaluationPeriods");
                let per = attr(r, c, "Period");
                let mut s = format!("{op} {th}");
                if !p.is_empty() {
                    s.push_str(&format!(
                        " for {p}×{}",
                        if per.is_empty() {
                            "?".into()
                        } else {
                            format!("{per}s")
                        }
                    ));
                }
                s
            }),
            ("Actions", |r, c| {
                let t = targets(r, c, &[EdgeKind::Notifies]);
                if t.is_empty() {
                    let a = attr(r, c, "AlarmActions");
                    if a.is_empty() {
                        "none".into()
                    } else {
                        a
                    }
                } else {
                    t
                }
            }),
            ("State", |r, c| {
                let s = state(r, c, &["StateValue", "State"]);
                if s == "ALARM" {
                    "ALARM ⚠".into()
                } else {
                    s
                }
            }),
        ],
        status: Some(|r, c| state(r, c, &["StateValue", "State"])),
    },
    TypeTable {
        title: "Log groups",
        types: &["AWS::Logs::LogGroup"],
        columns: &[("Retention", |r, c| {
            let d = attr(r, c, "RetentionInDays");
            if d.is_empty() {
                "forever".into()
            } else {
                format!("{d} d")
            }
        })],
        status: Some(|r, c| {
            if attr(r, c, "RetentionInDays").is_empty() {
                "forever".into()
            } else {
                "set".into()
            }
        }),
    },
    // --- delivery
    TypeTable {
        title: "Image repositories",
        types: &["AWS::ECR::Repository"],
        columns: &[
            ("Scan on push", |r, _| {
                yes_no(r, "ImageScanningConfiguration.ScanOnPush", "no")
            }),
            ("Tags", |r, c| {
                let t = attr(r, c, "ImageTagMutability");
                if t.is_empty() {
                    "MUTABLE".into()
                } else {
                    t
                }
            }),
            ("Lifecycle", |r, _| {
                if r.attr("LifecyclePolicy").is_some() {
                    "yes".into()
                } else {
                    "none".into()
                }
            }),
        ],
        status: None,
    },
];

/// A container image; CDK's ECR URIs (`…dkr.ecr…/${Repo}:tag`) as the repository and tag.
fn image(v: &Value, c: &Context) -> String {
    if let Value::Unresolved(t) = v {
        if t.contains(".dkr.ecr.") {
            if let Some(tail) = t.rsplit('/').next() {
                let (repo, tag) = tail.split_once(':').unwrap_or((tail, ""));
                let logical = repo.trim_start_matches("${").trim_end_matches('}');
                let name = c
                    .by_logical_id(logical)
                    .map(layout::label)
                    .unwrap_or_else(|| logical.to_string());
                let tag = if tag.is_empty() {
                    String::new()
                } else {
                    format!(":{tag}")
                };
                return format!("ECR {name}{tag}");
            }
        }
    }
    text::value(v, c)
}

fn schedule_state(r: &Resource, c: &Context) -> String {
    let declared = attr(r, c, "State");
    let declared = if declared.is_empty() {
        "ENABLED".to_string()
    } else {
        declared
    };
    declared_measured(declared, state(r, c, &["State"]))
}

fn sg_ingress(r: &Resource, c: &Context) -> String {
    let mut rules: Vec<String> = Vec::new();
    if let Some(l) = r.attr("SecurityGroupIngress").and_then(Value::as_list) {
        for x in l {
            rules.push(ingress_rule(x, c));
        }
    }
    for x in c.map.resources.iter().filter(|x| {
        x.type_name == "AWS::EC2::SecurityGroupIngress"
            && x.attr("GroupId").and_then(Value::as_ref_id) == Some(&r.id)
    }) {
        let v = Value::Map(x.attributes.clone());
        rules.push(ingress_rule(&v, c));
    }
    if rules.is_empty() {
        let from = sources(r, c, &[EdgeKind::Allows]);
        if from.is_empty() {
            return "none".into();
        }
        return format!("from {from}");
    }
    rules.dedup();
    rules.join("; ")
}

fn ingress_rule(x: &Value, c: &Context) -> String {
    let get = |k: &str| x.pointer(k).map(|v| text::value(v, c)).unwrap_or_default();
    let proto = get("IpProtocol");
    let (from, to) = (get("FromPort"), get("ToPort"));
    let ports = if from.is_empty() {
        "all".to_string()
    } else if from == to || to.is_empty() {
        from
    } else {
        format!("{from}-{to}")
    };
    let src = [
        "CidrIp",
        "CidrIpv6",
        "SourceSecurityGroupId",
        "SourcePrefixListId",
    ]
    .iter()
    .map(|k| get(k))
    .find(|s| !s.is_empty())
    .unwrap_or_else(|| "?".into());
    let proto = if proto == "-1" { "all".into() } else { proto };
    format!("{proto}/{ports} from {src}")
}

/// Renders every area that has resources, in category order, as `## Area` sections.
pub fn areas(out: &mut String, ctx: &Context) {
    let mut by_cat: BTreeMap<Category, Vec<&Resource>> = BTreeMap::new();
    for r in &ctx.map.resources {
        if layout::is_pseudo(r) || r.type_name == "AWS::CDK::Metadata" {
            continue;
        }
        by_cat.entry(layout::category(r)).or_default().push(r);
    }
    for cat in Category::ALL {
        let Some(rs) = by_cat.get(&cat) else { continue };
        let _ = writeln!(out, "## {}\n", cat.title());
        let mut done = vec![false; rs.len()];
        for t in TABLES {
            let mut rows: Vec<&Resource> = Vec::new();
            for (i, r) in rs.iter().enumerate() {
                if !done[i] && t.types.contains(&r.type_name.as_str()) {
                    done[i] = true;
                    rows.push(r);
                }
            }
            if rows.is_empty() {
                continue;
            }
            let cols: &[(&str, CellFn)] = if t.title == "Lambda functions" {
                lambda_cols()
            } else {
                t.columns
            };
            table(out, ctx, t.title, cols, t.status, &rows);
        }
        let rest: Vec<&Resource> = rs
            .iter()
            .enumerate()
            .filter(|(i, _)| !done[*i])
            .map(|(_, r)| *r)
            .collect();
        if !rest.is_empty() {
            let title = if rest.len() == rs.len() { "" } else { "Other" };
            table(
                out,
                ctx,
                title,
                &[
                    ("Type", |r, _| layout::display(r)),
                    ("Key attributes", |r, c| key_attributes(r, c)),
                ],
                Some(|r, _| layout::display(r)),
                &rest,
            );
        }
    }
}

fn key_attributes(r: &Resource, c: &Context) -> String {
    let mut parts = Vec::new();
    for (k, v) in &r.attributes {
        if matches!(v, Value::Map(_) | Value::List(_)) || k == "Tags" {
            continue;
        }
        parts.push(format!("{k}={}", text::truncate(&text::value(v, c), 40)));
        if parts.len() == 3 {
            break;
        }
    }
    parts.join(" · ")
}

fn name_cell(r: &Resource, ctx: &Context) -> String {
    let m = ctx.marks(&r.id);
    let mut s = String::new();
    if m.any() {
        s.push_str("⚠ ");
    }
    s.push_str(&format!("**{}**", layout::label(r).replace('*', "\\*")));
    if layout::is_provider_function(r) {
        s.push_str(" (CDK custom-resource provider)");
    }
    if m.unmanaged {
        s.push_str(" (unmanaged)");
    } else if m.missing {
        s.push_str(" (missing live)");
    } else if m.drifted {
        s.push_str(" (drift)");
    }
    s
}

fn table(
    out: &mut String,
    ctx: &Context,
    title: &str,
    cols: &[(&str, CellFn)],
    status: Option<CellFn>,
    rows: &[&Resource],
) {
    if !title.is_empty() {
        let _ = writeln!(out, "### {title} ({})\n", rows.len());
    }
    if rows.len() > FOLD_AFTER {
        if let Some(st) = status {
            let mut counts: BTreeMap<String, usize> = BTreeMap::new();
            for r in rows {
                let s = st(r, ctx);
                *counts
                    .entry(if s.is_empty() { "unknown".into() } else { s })
                    .or_default() += 1;
            }
            let parts: Vec<String> = counts.iter().map(|(k, n)| format!("{n} {k}")).collect();
            let _ = writeln!(
                out,
                "{} ×{}: {}.\n",
                if title.is_empty() { "resources" } else { title },
                rows.len(),
                parts.join(", ")
            );
        }
    }
    let header = |out: &mut String| {
        let _ = write!(out, "| Name |");
        for (h, _) in cols {
            let _ = write!(out, " {h} |");
        }
        let _ = writeln!(out, " Declared at |");
        let _ = write!(out, "|---|");
        for _ in cols {
            let _ = write!(out, "---|");
        }
        let _ = writeln!(out, "---|");
    };
    // Flagged rows first in long tables, so nothing that needs attention is folded away.
    let mut ordered: Vec<&Resource> = rows.to_vec();
    if rows.len() > FOLD_AFTER {
        ordered.sort_by_key(|r| !ctx.marks(&r.id).any());
    }
    header(out);
    for (i, r) in ordered.iter().enumerate() {
        if i == MAX_ROWS {
            let _ = writeln!(
                out,
                "\n… and {} more, listed in map.json and map.html.",
                ordered.len() - MAX_ROWS
            );
            break;
        }
        if i == FOLD_AFTER {
            let _ = writeln!(
                out,
                "\n<details><summary>{} more</summary>\n",
                ordered.len() - FOLD_AFTER
            );
            header(out);
        }
        let _ = write!(out, "| {} |", cell(&name_cell(r, ctx)));
        for (_, f) in cols {
            let _ = write!(out, " {} |", cell(&f(r, ctx)));
        }
        let _ = writeln!(out, " {} |", cell(&text::declared_at(r)));
    }
    if ordered.len() > FOLD_AFTER {
        let _ = writeln!(out, "\n</details>");
    }
    out.push('\n');
}
