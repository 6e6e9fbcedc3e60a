//! DynamoDB tables (DescribeTable per table: the list call gives names only).

use surveyor_model::{Resource, Value};

use super::each;
use crate::runtime::{b, list, n, obj, s, CallError, Rc};
use crate::{call, pages, state_keys as k};
use aws_sdk_dynamodb::types::KeySchemaElement;

fn keys(ks: &[KeySchemaElement]) -> Value {
    list(
        ks.iter()
            .map(|e| {
                obj([
                    ("AttributeName", Some(s(e.attribute_name()))),
                    ("KeyType", Some(s(e.key_type().as_str()))),
                ])
            })
            .collect::<Vec<_>>(),
    )
}

pub async fn collect(rc: &Rc<'_>) -> Result<Vec<Resource>, CallError> {
    let client = aws_sdk_dynamodb::Client::new(&rc.config);
    let pages = pages!(rc, "dynamodb", "ListTables", client.list_tables())?;
    let names: Vec<String> = pages
        .iter()
        .flat_map(|p| p.table_names().iter().cloned())
        .collect();
    let out = each(&names, |name| {
        let client = &client;
        async move {
            let arn = rc.arn_of("AWS::DynamoDB::Table", name);
            let mut r = rc.resource(
                "AWS::DynamoDB::Table",
                arn,
                Some(name.clone()),
                Some(name.clone()),
            );
            r.attributes.insert("TableName".into(), s(name));
            match call!(
                rc,
                "dynamodb",
                "DescribeTable",
                client.describe_table().table_name(name)
            ) {
                Ok(o) => {
                    if let Some(t) = o.table() {
                        if let Some(arn) = t.table_arn() {
                            r.arn = Some(arn.to_string());
                            r.id = surveyor_model::ResourceId::new(arn);
                        }
                        let a = &mut r.attributes;
                        a.insert("KeySchema".into(), keys(t.key_schema()));
                        a.insert(
                            "AttributeDefinitions".into(),
                            list(
                                t.attribute_definitions()
                                    .iter()
                                    .map(|d| {
                                        obj([
                                            ("AttributeName", Some(s(d.attribute_name()))),
                                            ("AttributeType", Some(s(d.attribute_type().as_str()))),
                                        ])
                                    })
                                    .collect::<Vec<_>>(),
                            ),
                        );
                        let mode = t
                            .billing_mode_summary()
                            .and_then(|m| m.billing_mode())
                            .map(|m| m.as_str().to_string())
                            .unwrap_or_else(|| "PROVISIONED".to_string());
                        if mode == "PROVISIONED" {
                            if let Some(p) = t.provisioned_throughput() {
                                a.insert(
                                    "ProvisionedThroughput".into(),
                                    obj([
                                        ("ReadCapacityUnits", p.read_capacity_units().map(n)),
                                        ("WriteCapacityUnits", p.write_capacity_units().map(n)),
                                    ]),
                                );
                            }
                        }
                        a.insert("BillingMode".into(), s(mode));
                        if !t.global_secondary_indexes().is_empty() {
                            a.insert(
                                "GlobalSecondaryIndexes".into(),
                                list(
                                    t.global_secondary_indexes()
                                        .iter()
                                        .map(|g| {
                                            obj([
                                                ("IndexName", g.index_name().map(s)),
                                                ("KeySchema", Some(keys(g.key_schema()))),
                                            ])
                                        })
                                        .collect::<Vec<_>>(),
                                ),
                            );
                        }
                        if let Some(sp) = t.stream_specification().filter(|x| x.stream_enabled()) {
                            a.insert(
                                "StreamSpecification".into(),
                                obj([(
                                    "StreamViewType",
                                    sp.stream_view_type().map(|v| s(v.as_str())),
                                )]),
                            );
                        }
                        if let Some(sse) = t.sse_description() {
                            let enabled = sse.status().map(|x| x.as_str()) == Some("ENABLED");
                            a.insert(
                                "SSESpecification".into(),
                                obj([
                                    ("SSEEnabled", Some(b(enabled))),
                                    ("SSEType", sse.sse_type().map(|x| s(x.as_str()))),
                                    ("KMSMasterKeyId", sse.kms_master_key_arn().map(s)),
                                ]),
                            );
                        }
                        if let Some(d) = t.deletion_protection_enabled() {
                            a.insert("DeletionProtectionEnabled".into(), b(d));
                        }
                        if let Some(arn) = t.latest_stream_arn() {
                            r.state.insert("StreamArn".into(), s(arn));
                        }
                        if let Some(st) = t.table_status() {
                            r.state.insert("TableStatus".into(), s(st.as_str()));
                        }
                        if let Some(c) = t.item_count() {
                            r.state.insert(k::ITEM_COUNT.into(), n(c));
                        }
                    }
                }
                Err(e) => rc.note_failed(&e),
            }
            r
        }
    })
    .await;
    Ok(out)
}
