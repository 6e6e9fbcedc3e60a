//! S3 buckets, read once per account (bucket names are global) and placed in their own region:
//! notifications, default encryption, public access block, versioning and lifecycle.
//! "Not configured" answers (no encryption configuration, no public access block, no
//! lifecycle) are facts and leave the property absent; only real failures become notes.

use aws_config::Region;
use surveyor_model::{Resource, Value};

use super::each;
use crate::runtime::{b, list, n, obj, s, CallError, Rc};
use crate::{call, pages};

pub async fn collect(rc: &Rc<'_>) -> Result<Vec<Resource>, CallError> {
    let client = client_for(rc, &rc.region);
    let pages = pages!(
        rc,
        "s3",
        "ListBuckets",
        client.list_buckets().max_buckets(1000)
    )?;
    let buckets: Vec<(String, Option<String>)> = pages
        .iter()
        .flat_map(|p| p.buckets())
        .filter_map(|bk| {
            Some((
                bk.name()?.to_string(),
                bk.bucket_region().map(str::to_string),
            ))
        })
        .collect();
    let out = each(&buckets, |(name, region)| {
        let client = &client;
        async move { bucket(rc, client, name, region.clone()).await }
    })
    .await;
    Ok(out
        .into_iter()
        .flatten()
        .filter(|r| {
            r.region
                .as_ref()
                .is_none_or(|reg| rc.ctx.regions.is_empty() || rc.ctx.regions.contains(reg))
        })
        .collect())
}

fn client_for(rc: &Rc<'_>, region: &str) -> aws_sdk_s3::Client {
    let conf = aws_sdk_s3::config::Builder::from(&rc.config)
        .region(Region::new(region.to_string()))
        .force_path_style(rc.custom_endpoint)
        .build();
    aws_sdk_s3::Client::from_conf(conf)
}

/// Keeps a "not configured" answer as `None`, notes real failures.
fn absent_ok<T>(rc: &Rc<'_>, r: Result<T, CallError>) -> Option<T> {
    match r {
        Ok(v) => Some(v),
        Err(e) if e.is_absent() => None,
        // Some endpoints answer an unconfigured bucket with an empty 200 body.
        Err(e) if e.code.is_none() && e.message.contains("no root element") => None,
        Err(e) => {
            rc.note_failed(&e);
            None
        }
    }
}

async fn bucket(
    rc: &Rc<'_>,
    list_client: &aws_sdk_s3::Client,
    name: &str,
    region: Option<String>,
) -> Option<Resource> {
    let region = match region {
        Some(r) => r,
        None => {
            let loc = call!(
                rc,
                "s3",
                "GetBucketLocation",
                list_client.get_bucket_location().bucket(name)
            );
            match loc {
                Ok(o) => match o.location_constraint().map(|c| c.as_str().to_string()) {
                    Some(c) if c == "EU" => "eu-west-1".to_string(),
                    Some(c) if !c.is_empty() => c,
                    _ => "us-east-1".to_string(),
                },
                Err(e) if e.is_absent() => return None,
                Err(e) => {
                    rc.note_failed(&e);
                    rc.region.clone()
                }
            }
        }
    };
    let client = client_for(rc, &region);
    let arn = format!("arn:{}:s3:::{name}", rc.ctx.partition);
    let mut r = rc.resource(
        "AWS::S3::Bucket",
        Some(arn),
        Some(name.to_string()),
        Some(name.to_string()),
    );
    r.region = Some(region);
    r.attributes.insert("BucketName".into(), s(name));

    let (notif, enc, pab, ver, life) = tokio::join!(
        async {
            call!(
                rc,
                "s3",
                "GetBucketNotificationConfiguration",
                client.get_bucket_notification_configuration().bucket(name)
            )
        },
        async {
            call!(
                rc,
                "s3",
                "GetBucketEncryption",
                client.get_bucket_encryption().bucket(name)
            )
        },
        async {
            call!(
                rc,
                "s3",
                "GetPublicAccessBlock",
                client.get_public_access_block().bucket(name)
            )
        },
        async {
            call!(
                rc,
                "s3",
                "GetBucketVersioning",
                client.get_bucket_versioning().bucket(name)
            )
        },
        async {
            call!(
                rc,
                "s3",
                "GetBucketLifecycleConfiguration",
                client.get_bucket_lifecycle_configuration().bucket(name)
            )
        },
    );
    if let Some(o) = absent_ok(rc, notif) {
        let filter = |f: Option<&aws_sdk_s3::types::NotificationConfigurationFilter>| {
            let rules: Vec<Value> = f
                .and_then(|f| f.key())
                .map(|k| k.filter_rules())
                .unwrap_or_default()
                .iter()
                .map(|fr| {
                    obj([
                        ("Name", fr.name().map(|x| s(x.as_str()))),
                        ("Value", fr.value().map(s)),
                    ])
                })
                .collect();
            (!rules.is_empty())
                .then(|| obj([("S3Key", Some(obj([("Rules", Some(Value::List(rules)))])))]))
        };
        let mut cfg = surveyor_model::ValueMap::new();
        let queues: Vec<Value> = o
            .queue_configurations()
            .iter()
            .flat_map(|q| {
                q.events().iter().map(move |ev| {
                    obj([
                        ("Event", Some(s(ev.as_str()))),
                        ("Queue", Some(s(q.queue_arn()))),
                        ("Filter", filter(q.filter())),
                    ])
                })
            })
            .collect();
        let topics: Vec<Value> = o
            .topic_configurations()
            .iter()
            .flat_map(|t| {
                t.events().iter().map(move |ev| {
                    obj([
                        ("Event", Some(s(ev.as_str()))),
                        ("Topic", Some(s(t.topic_arn()))),
                        ("Filter", filter(t.filter())),
                    ])
                })
            })
            .collect();
        let lambdas: Vec<Value> = o
            .lambda_function_configurations()
            .iter()
            .flat_map(|l| {
                l.events().iter().map(move |ev| {
                    obj([
                        ("Event", Some(s(ev.as_str()))),
                        ("Function", Some(s(l.lambda_function_arn()))),
                        ("Filter", filter(l.filter())),
                    ])
                })
            })
            .collect();
        if !queues.is_empty() {
            cfg.insert("QueueConfigurations".to_string(), Value::List(queues));
        }
        if !topics.is_empty() {
            cfg.insert("TopicConfigurations".to_string(), Value::List(topics));
        }
        if !lambdas.is_empty() {
            cfg.insert("LambdaConfigurations".to_string(), Value::List(lambdas));
        }
        if o.event_bridge_configuration().is_some() {
            cfg.insert(
                "EventBridgeConfiguration".to_string(),
                obj([("EventBridgeEnabled", Some(b(true)))]),
            );
        }
        if !cfg.is_empty() {
            r.attributes
                .insert("NotificationConfiguration".into(), Value::Map(cfg));
        }
    }
    if let Some(o) = absent_ok(rc, enc) {
        if let Some(c) = o.server_side_encryption_configuration() {
            let rules: Vec<Value> = c
                .rules()
                .iter()
                .map(|rule| {
                    obj([
                        (
                            "ServerSideEncryptionByDefault",
                            rule.apply_server_side_encryption_by_default().map(|d| {
                                obj([
                                    ("SSEAlgorithm", Some(s(d.sse_algorithm().as_str()))),
                                    ("KMSMasterKeyID", d.kms_master_key_id().map(s)),
                                ])
                            }),
                        ),
                        ("BucketKeyEnabled", rule.bucket_key_enabled().map(b)),
                    ])
                })
                .collect();
            r.attributes.insert(
                "BucketEncryption".into(),
                obj([("ServerSideEncryptionConfiguration", Some(list(rules)))]),
            );
        }
    }
    if let Some(o) = absent_ok(rc, pab) {
        if let Some(c) = o.public_access_block_configuration() {
            r.attributes.insert(
                "PublicAccessBlockConfiguration".into(),
                obj([
                    ("BlockPublicAcls", c.block_public_acls().map(b)),
                    ("BlockPublicPolicy", c.block_public_policy().map(b)),
                    ("IgnorePublicAcls", c.ignore_public_acls().map(b)),
                    ("RestrictPublicBuckets", c.restrict_public_buckets().map(b)),
                ]),
            );
        }
    }
    if let Some(o) = absent_ok(rc, ver) {
        if let Some(st) = o.status() {
            r.attributes.insert(
                "VersioningConfiguration".into(),
                obj([("Status", Some(s(st.as_str())))]),
            );
        }
    }
    if let Some(o) = absent_ok(rc, life) {
        let rules: Vec<Value> = o
            .rules()
            .iter()
            .map(|rule| {
                obj([
                    ("Id", rule.id().map(s)),
                    ("Status", Some(s(rule.status().as_str()))),
                    (
                        "Prefix",
                        rule.filter()
                            .and_then(|f| f.prefix())
                            .filter(|p| !p.is_empty())
                            .map(s),
                    ),
                    (
                        "ExpirationInDays",
                        rule.expiration().and_then(|e| e.days()).map(n),
                    ),
                    (
                        "NoncurrentVersionExpiration",
                        rule.noncurrent_version_expiration()
                            .map(|e| obj([("NoncurrentDays", e.noncurrent_days().map(n))])),
                    ),
                    (
                        "AbortIncompleteMultipartUpload",
                        rule.abort_incomplete_multipart_upload().map(|a| {
                            obj([("DaysAfterInitiation", a.days_after_initiation().map(n))])
                        }),
                    ),
                    (
                        "Transitions",
                        (!rule.transitions().is_empty()).then(|| {
                            list(rule.transitions().iter().map(|t| {
                                obj([
                                    ("TransitionInDays", t.days().map(n)),
                                    ("StorageClass", t.storage_class().map(|c| s(c.as_str()))),
                                ])
                            }))
                        }),
                    ),
                ])
            })
            .collect();
        if !rules.is_empty() {
            r.attributes.insert(
                "LifecycleConfiguration".into(),
                obj([("Rules", Some(list(rules)))]),
            );
        }
    }
    Some(r)
}
