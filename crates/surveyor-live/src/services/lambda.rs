//! Lambda functions (environment values redacted), their aliases, and event source mappings.

use surveyor_model::{Resource, Value, ValueMap};

use super::each;
use crate::pages;
use crate::runtime::{b, list, n, obj, s, strs, CallError, Rc};

pub const REDACTED: &str = "<redacted>";

/// Keys whose values are configuration, never credentials. Anything else is redacted unless
/// the value itself is plainly a reference (an ARN or a queue URL) or a flag.
const PLAIN_KEYS: &[&str] = &[
    "NODE_ENV",
    "LOG_LEVEL",
    "AWS_REGION",
    "TZ",
    "PYTHONUNBUFFERED",
    "AWS_NODEJS_CONNECTION_REUSE_ENABLED",
    "POWERTOOLS_SERVICE_NAME",
    "POWERTOOLS_LOG_LEVEL",
    "POWERTOOLS_METRICS_NAMESPACE",
];

/// The value kept for an environment variable: the value when plainly not secret, else
/// [`REDACTED`]. Conservative: unknown means redacted.
pub fn redact(key: &str, value: &str) -> String {
    let plain_value = value == "true"
        || value == "false"
        || (value.starts_with("arn:aws") && !value.contains(":secret:"))
        || (value.starts_with("https://sqs.") && !value.contains('@'));
    if PLAIN_KEYS.contains(&key) || plain_value {
        value.to_string()
    } else {
        REDACTED.to_string()
    }
}

/// Environment variables with values redacted, keys kept (ECS container definitions share it).
pub fn redacted_env<'a>(vars: impl IntoIterator<Item = (&'a String, &'a String)>) -> Value {
    Value::Map(
        vars.into_iter()
            .map(|(k, v)| (k.clone(), s(redact(k, v))))
            .collect::<ValueMap>(),
    )
}

pub async fn collect(rc: &Rc<'_>) -> Result<Vec<Resource>, CallError> {
    let client = aws_sdk_lambda::Client::new(&rc.config);
    let pages = pages!(rc, "lambda", "ListFunctions", client.list_functions())?;
    let fns: Vec<&aws_sdk_lambda::types::FunctionConfiguration> =
        pages.iter().flat_map(|p| p.functions()).collect();
    let mut out: Vec<Resource> = Vec::new();
    for f in &fns {
        out.push(function(rc, f));
    }
    let names: Vec<String> = fns
        .iter()
        .filter_map(|f| f.function_name().map(str::to_string))
        .collect();
    let aliases = each(&names, |name| {
        let client = &client;
        async move {
            match pages!(
                rc,
                "lambda",
                "ListAliases",
                client.list_aliases().function_name(name)
            ) {
                Ok(pages) => pages
                    .iter()
                    .flat_map(|p| p.aliases())
                    .map(|a| alias(rc, name, a))
                    .collect::<Vec<_>>(),
                Err(e) => {
                    rc.note_failed(&e);
                    Vec::new()
                }
            }
        }
    })
    .await;
    out.extend(aliases.into_iter().flatten());
    match pages!(
        rc,
        "lambda",
        "ListEventSourceMappings",
        client.list_event_source_mappings()
    ) {
        Ok(pages) => {
            for m in pages.iter().flat_map(|p| p.event_source_mappings()) {
                out.push(mapping(rc, m));
            }
        }
        Err(e) => rc.note_failed(&e),
    }
    Ok(out)
}

fn function(rc: &Rc<'_>, f: &aws_sdk_lambda::types::FunctionConfiguration) -> Resource {
    let name = f.function_name().unwrap_or_default().to_string();
    let arn = f
        .function_arn()
        .map(str::to_string)
        .or_else(|| rc.arn_of("AWS::Lambda::Function", &name));
    let mut r = rc.resource(
        "AWS::Lambda::Function",
        arn,
        Some(name.clone()),
        Some(name.clone()),
    );
    let a = &mut r.attributes;
    a.insert("FunctionName".into(), s(&name));
    let mut put = |k: &str, v: Option<Value>| {
        if let Some(v) = v {
            a.insert(k.to_string(), v);
        }
    };
    put("Runtime", f.runtime().map(|x| s(x.as_str())));
    put("Role", f.role().map(s));
    put("Handler", f.handler().map(s));
    put(
        "Description",
        f.description().filter(|d| !d.is_empty()).map(s),
    );
    put("Timeout", f.timeout().map(n));
    put("MemorySize", f.memory_size().map(n));
    put("PackageType", f.package_type().map(|x| s(x.as_str())));
    put("KmsKeyArn", f.kms_key_arn().map(s));
    put(
        "Architectures",
        Some(list(
            f.architectures()
                .iter()
                .map(|x| s(x.as_str()))
                .collect::<Vec<_>>(),
        ))
        .filter(|v| v.as_list().is_some_and(|l| !l.is_empty())),
    );
    put(
        "Environment",
        f.environment()
            .and_then(|e| e.variables())
            .map(|vars| obj([("Variables", Some(redacted_env(vars)))])),
    );
    put(
        "VpcConfig",
        f.vpc_config()
            .filter(|v| !v.subnet_ids().is_empty() || !v.security_group_ids().is_empty())
            .map(|v| {
                obj([
                    ("SubnetIds", Some(strs(v.subnet_ids()))),
                    ("SecurityGroupIds", Some(strs(v.security_group_ids()))),
                ])
            }),
    );
    put(
        "DeadLetterConfig",
        f.dead_letter_config()
            .and_then(|d| d.target_arn())
            .map(|t| obj([("TargetArn", Some(s(t)))])),
    );
    put(
        "TracingConfig",
        f.tracing_config()
            .and_then(|t| t.mode())
            .map(|m| obj([("Mode", Some(s(m.as_str())))])),
    );
    put(
        "Layers",
        (!f.layers().is_empty()).then(|| {
            list(
                f.layers()
                    .iter()
                    .filter_map(|l| l.arn().map(s))
                    .collect::<Vec<_>>(),
            )
        }),
    );
    put(
        "LoggingConfig",
        f.logging_config()
            .and_then(|l| l.log_group())
            .map(|g| obj([("LogGroup", Some(s(g)))])),
    );
    if let Some(st) = f.state() {
        r.state.insert("State".into(), s(st.as_str()));
    }
    if let Some(m) = f.last_modified() {
        r.state
            .insert(crate::state_keys::LAST_MODIFIED.into(), s(m));
    }
    r
}

fn alias(rc: &Rc<'_>, function: &str, a: &aws_sdk_lambda::types::AliasConfiguration) -> Resource {
    let arn = a.alias_arn().map(str::to_string);
    let mut r = rc.resource(
        "AWS::Lambda::Alias",
        arn.clone(),
        arn,
        a.name().map(|n| format!("{function}:{n}")),
    );
    let attrs = &mut r.attributes;
    attrs.insert("FunctionName".into(), s(function));
    if let Some(nm) = a.name() {
        attrs.insert("Name".into(), s(nm));
    }
    if let Some(v) = a.function_version() {
        attrs.insert("FunctionVersion".into(), s(v));
    }
    if let Some(w) = a
        .routing_config()
        .and_then(|c| c.additional_version_weights())
    {
        let weights: Vec<Value> = w
            .iter()
            .map(|(ver, wt)| {
                obj([
                    ("FunctionVersion", Some(s(ver))),
                    ("FunctionWeight", Some(crate::runtime::f(*wt))),
                ])
            })
            .collect();
        attrs.insert(
            "RoutingConfig".into(),
            obj([("AdditionalVersionWeights", Some(list(weights)))]),
        );
    }
    r
}

fn mapping(rc: &Rc<'_>, m: &aws_sdk_lambda::types::EventSourceMappingConfiguration) -> Resource {
    let uuid = m.uuid().unwrap_or_default().to_string();
    let mut r = rc.resource(
        "AWS::Lambda::EventSourceMapping",
        m.event_source_mapping_arn().map(str::to_string),
        Some(uuid.clone()),
        None,
    );
    let a = &mut r.attributes;
    for (k, v) in [
        ("EventSourceArn", m.event_source_arn().map(s)),
        ("FunctionName", m.function_arn().map(s)),
        ("BatchSize", m.batch_size().map(n)),
        (
            "MaximumBatchingWindowInSeconds",
            m.maximum_batching_window_in_seconds().map(n),
        ),
        (
            "StartingPosition",
            m.starting_position().map(|p| s(p.as_str())),
        ),
        (
            "BisectBatchOnFunctionError",
            m.bisect_batch_on_function_error().map(b),
        ),
        ("MaximumRetryAttempts", m.maximum_retry_attempts().map(n)),
        (
            "FunctionResponseTypes",
            (!m.function_response_types().is_empty()).then(|| {
                list(
                    m.function_response_types()
                        .iter()
                        .map(|t| s(t.as_str()))
                        .collect::<Vec<_>>(),
                )
            }),
        ),
        (
            "ScalingConfig",
            m.scaling_config()
                .and_then(|c| c.maximum_concurrency())
                .map(|c| obj([("MaximumConcurrency", Some(n(c)))])),
        ),
    ] {
        if let Some(v) = v {
            a.insert(k.to_string(), v);
        }
    }
    if let Some(st) = m.state() {
        a.insert("Enabled".into(), b(st == "Enabled" || st == "Enabling"));
        r.state.insert("State".into(), s(st));
    }
    r
}
