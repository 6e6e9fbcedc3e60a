//! ECS clusters, services (desired/running/pending as state, load balancers and awsvpc
//! placement as CloudFormation properties) and the task definitions they run (container
//! environment values redacted; secrets listed by name and source ARN only).

use std::collections::BTreeSet;

use surveyor_model::{Resource, Value};

use super::each;
use super::lambda::redact;
use crate::runtime::{b, list, n, obj, s, strs, tags_of, CallError, Rc};
use crate::{call, pages, state_keys as k};

pub async fn collect(rc: &Rc<'_>) -> Result<Vec<Resource>, CallError> {
    let client = aws_sdk_ecs::Client::new(&rc.config);
    let pages = pages!(rc, "ecs", "ListClusters", client.list_clusters())?;
    let cluster_arns: Vec<String> = pages
        .iter()
        .flat_map(|p| p.cluster_arns().iter().cloned())
        .collect();
    let mut out = Vec::new();
    for chunk in cluster_arns.chunks(100) {
        match call!(
            rc,
            "ecs",
            "DescribeClusters",
            client
                .describe_clusters()
                .set_clusters(Some(chunk.to_vec()))
        ) {
            Ok(o) => {
                for c in o.clusters() {
                    let name = c.cluster_name().unwrap_or_default();
                    let mut r = rc.resource(
                        "AWS::ECS::Cluster",
                        c.cluster_arn().map(str::to_string),
                        Some(name.to_string()),
                        Some(name.to_string()),
                    );
                    r.attributes.insert("ClusterName".into(), s(name));
                    if !c.capacity_providers().is_empty() {
                        r.attributes
                            .insert("CapacityProviders".into(), strs(c.capacity_providers()));
                    }
                    r.tags = tags_of(c.tags().iter().map(|t| (t.key(), t.value())));
                    if let Some(st) = c.status() {
                        r.state.insert(k::STATUS.into(), s(st));
                    }
                    r.state
                        .insert("RunningTasksCount".into(), n(c.running_tasks_count()));
                    r.state
                        .insert("ActiveServicesCount".into(), n(c.active_services_count()));
                    out.push(r);
                }
            }
            Err(e) => rc.note_failed(&e),
        }
    }
    let services = each(&cluster_arns, |cluster| {
        let client = &client;
        async move { services(rc, client, cluster).await }
    })
    .await;
    let services: Vec<Resource> = services.into_iter().flatten().collect();
    let task_defs: BTreeSet<String> = services
        .iter()
        .filter_map(|r| r.attr_str("TaskDefinition").map(str::to_string))
        .collect();
    out.extend(services);
    let task_defs: Vec<String> = task_defs.into_iter().collect();
    let tds = each(&task_defs, |td| {
        let client = &client;
        async move {
            match call!(
                rc,
                "ecs",
                "DescribeTaskDefinition",
                client.describe_task_definition().task_definition(td)
            ) {
                Ok(o) => o.task_definition().map(|t| task_definition(rc, t)),
                Err(e) => {
                    rc.note_failed(&e);
                    None
                }
            }
        }
    })
    .await;
    out.extend(tds.into_iter().flatten());
    Ok(out)
}

async fn services(rc: &Rc<'_>, client: &aws_sdk_ecs::Client, cluster: &str) -> Vec<Resource> {
    let arns: Vec<String> = match pages!(
        rc,
        "ecs",
        "ListServices",
        client.list_services().cluster(cluster)
    ) {
        Ok(p) => p
            .iter()
            .flat_map(|p| p.service_arns().iter().cloned())
            .collect(),
        Err(e) => {
            rc.note_failed(&e);
            return Vec::new();
        }
    };
    let mut out = Vec::new();
    for chunk in arns.chunks(10) {
        match call!(
            rc,
            "ecs",
            "DescribeServices",
            client
                .describe_services()
                .cluster(cluster)
                .set_services(Some(chunk.to_vec()))
        ) {
            Ok(o) => out.extend(o.services().iter().map(|sv| service(rc, sv))),
            Err(e) => rc.note_failed(&e),
        }
    }
    out
}

fn service(rc: &Rc<'_>, sv: &aws_sdk_ecs::types::Service) -> Resource {
    let arn = sv.service_arn().map(str::to_string);
    let name = sv.service_name().unwrap_or_default();
    let mut r = rc.resource(
        "AWS::ECS::Service",
        arn.clone(),
        arn,
        Some(name.to_string()),
    );
    let a = &mut r.attributes;
    a.insert("ServiceName".into(), s(name));
    if let Some(c) = sv.cluster_arn() {
        a.insert("Cluster".into(), s(c));
    }
    if let Some(td) = sv.task_definition() {
        a.insert("TaskDefinition".into(), s(td));
    }
    if let Some(lt) = sv.launch_type() {
        a.insert("LaunchType".into(), s(lt.as_str()));
    }
    a.insert("DesiredCount".into(), n(sv.desired_count()));
    if !sv.load_balancers().is_empty() {
        a.insert(
            "LoadBalancers".into(),
            list(
                sv.load_balancers()
                    .iter()
                    .map(|lb| {
                        obj([
                            ("TargetGroupArn", lb.target_group_arn().map(s)),
                            ("LoadBalancerName", lb.load_balancer_name().map(s)),
                            ("ContainerName", lb.container_name().map(s)),
                            ("ContainerPort", lb.container_port().map(n)),
                        ])
                    })
                    .collect::<Vec<_>>(),
            ),
        );
    }
    if let Some(v) = sv
        .network_configuration()
        .and_then(|c| c.awsvpc_configuration())
    {
        a.insert(
            "NetworkConfiguration".into(),
            obj([(
                "AwsvpcConfiguration",
                Some(obj([
                    ("Subnets", Some(strs(v.subnets()))),
                    ("SecurityGroups", Some(strs(v.security_groups()))),
                    (
                        "AssignPublicIp",
                        v.assign_public_ip().map(|x| s(x.as_str())),
                    ),
                ])),
            )]),
        );
    }
    if !sv.service_registries().is_empty() {
        a.insert(
            "ServiceRegistries".into(),
            list(
                sv.service_registries()
                    .iter()
                    .map(|x| obj([("RegistryArn", x.registry_arn().map(s))]))
                    .collect::<Vec<_>>(),
            ),
        );
    }
    if !sv.capacity_provider_strategy().is_empty() {
        a.insert(
            "CapacityProviderStrategy".into(),
            list(
                sv.capacity_provider_strategy()
                    .iter()
                    .map(|c| {
                        obj([
                            ("CapacityProvider", Some(s(c.capacity_provider()))),
                            ("Weight", Some(n(c.weight()))),
                            ("Base", Some(n(c.base()))),
                        ])
                    })
                    .collect::<Vec<_>>(),
            ),
        );
    }
    if let Some(cb) = sv
        .deployment_configuration()
        .and_then(|d| d.deployment_circuit_breaker())
    {
        a.insert(
            "DeploymentConfiguration".into(),
            obj([(
                "DeploymentCircuitBreaker",
                Some(obj([
                    ("Enable", Some(b(cb.enable()))),
                    ("Rollback", Some(b(cb.rollback()))),
                ])),
            )]),
        );
    }
    r.tags = tags_of(sv.tags().iter().map(|t| (t.key(), t.value())));
    r.state
        .insert(k::DESIRED_COUNT.into(), n(sv.desired_count()));
    r.state
        .insert(k::RUNNING_COUNT.into(), n(sv.running_count()));
    r.state
        .insert(k::PENDING_COUNT.into(), n(sv.pending_count()));
    if let Some(st) = sv.status() {
        r.state.insert(k::STATUS.into(), s(st));
    }
    r
}

fn task_definition(rc: &Rc<'_>, t: &aws_sdk_ecs::types::TaskDefinition) -> Resource {
    let arn = t.task_definition_arn().map(str::to_string);
    let family = t.family().unwrap_or_default();
    let mut r = rc.resource(
        "AWS::ECS::TaskDefinition",
        arn.clone(),
        arn,
        Some(format!("{family}:{}", t.revision())),
    );
    let a = &mut r.attributes;
    a.insert("Family".into(), s(family));
    for (key, v) in [
        ("TaskRoleArn", t.task_role_arn()),
        ("ExecutionRoleArn", t.execution_role_arn()),
        ("Cpu", t.cpu()),
        ("Memory", t.memory()),
    ] {
        if let Some(v) = v {
            a.insert(key.into(), s(v));
        }
    }
    if let Some(m) = t.network_mode() {
        a.insert("NetworkMode".into(), s(m.as_str()));
    }
    if !t.requires_compatibilities().is_empty() {
        a.insert(
            "RequiresCompatibilities".into(),
            list(
                t.requires_compatibilities()
                    .iter()
                    .map(|c| s(c.as_str()))
                    .collect::<Vec<_>>(),
            ),
        );
    }
    let containers: Vec<Value> = t
        .container_definitions()
        .iter()
        .map(|c| {
            let env: Vec<Value> = c
                .environment()
                .iter()
                .filter_map(|kv| {
                    let key = kv.name()?;
                    Some(obj([
                        ("Name", Some(s(key))),
                        ("Value", Some(s(redact(key, kv.value().unwrap_or(""))))),
                    ]))
                })
                .collect();
            let secrets: Vec<Value> = c
                .secrets()
                .iter()
                .map(|x| {
                    obj([
                        ("Name", Some(s(x.name()))),
                        ("ValueFrom", Some(s(x.value_from()))),
                    ])
                })
                .collect();
            obj([
                ("Name", c.name().map(s)),
                ("Image", c.image().map(s)),
                ("Essential", c.essential().map(b)),
                ("Memory", c.memory().map(n)),
                (
                    "PortMappings",
                    (!c.port_mappings().is_empty()).then(|| {
                        list(
                            c.port_mappings()
                                .iter()
                                .map(|p| {
                                    obj([
                                        ("ContainerPort", p.container_port().map(n)),
                                        ("HostPort", p.host_port().map(n)),
                                        ("Protocol", p.protocol().map(|x| s(x.as_str()))),
                                    ])
                                })
                                .collect::<Vec<_>>(),
                        )
                    }),
                ),
                ("Environment", (!env.is_empty()).then_some(Value::List(env))),
                (
                    "Secrets",
                    (!secrets.is_empty()).then_some(Value::List(secrets)),
                ),
                (
                    "LogConfiguration",
                    c.log_configuration().map(|l| {
                        obj([
                            ("LogDriver", Some(s(l.log_driver().as_str()))),
                            (
                                "Options",
                                l.options().map(|o| {
                                    Value::Map(o.iter().map(|(k, v)| (k.clone(), s(v))).collect())
                                }),
                            ),
                        ])
                    }),
                ),
            ])
        })
        .collect();
    a.insert("ContainerDefinitions".into(), Value::List(containers));
    if let Some(st) = t.status() {
        r.state.insert(k::STATUS.into(), s(st.as_str()));
    }
    r
}
