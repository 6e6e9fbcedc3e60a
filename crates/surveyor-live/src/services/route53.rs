//! Route 53 (global): hosted zones and their record sets. The apex SOA and NS records exist
//! in every zone and are left out.

use aws_sdk_route53::types::RrType;
use surveyor_model::{Resource, Value};

use super::each;
use crate::runtime::{b, obj, s, CallError, Rc};
use crate::{call, pages};

pub async fn collect(rc: &Rc<'_>) -> Result<Vec<Resource>, CallError> {
    let client = aws_sdk_route53::Client::new(&rc.config);
    let pages = pages!(rc, "route53", "ListHostedZones", client.list_hosted_zones())?;
    let zones: Vec<aws_sdk_route53::types::HostedZone> = pages
        .iter()
        .flat_map(|p| p.hosted_zones().iter().cloned())
        .collect();
    let mut out = Vec::new();
    for z in &zones {
        let id = z.id().trim_start_matches("/hostedzone/");
        let arn = format!("arn:{}:route53:::hostedzone/{id}", rc.ctx.partition);
        let mut r = rc.resource(
            "AWS::Route53::HostedZone",
            Some(arn),
            Some(id.to_string()),
            Some(z.name().to_string()),
        );
        r.attributes.insert("Name".into(), s(z.name()));
        if let Some(c) = z.config() {
            if let Some(cm) = c.comment().filter(|c| !c.is_empty()) {
                r.attributes
                    .insert("HostedZoneConfig".into(), obj([("Comment", Some(s(cm)))]));
            }
            r.state.insert("PrivateZone".into(), b(c.private_zone()));
        }
        out.push(r);
    }
    let records = each(&zones, |z| {
        let client = &client;
        async move { records(rc, client, z).await }
    })
    .await;
    out.extend(records.into_iter().flatten());
    Ok(out)
}

async fn records(
    rc: &Rc<'_>,
    client: &aws_sdk_route53::Client,
    z: &aws_sdk_route53::types::HostedZone,
) -> Vec<Resource> {
    let zone_id = z.id().trim_start_matches("/hostedzone/").to_string();
    let mut out = Vec::new();
    let mut start: Option<(String, RrType, Option<String>)> = None;
    for _page in 0..1000 {
        let (name, ty, ident) = match &start {
            Some((n, t, i)) => (Some(n.clone()), Some(t.clone()), i.clone()),
            None => (None, None, None),
        };
        let page = match call!(
            rc,
            "route53",
            "ListResourceRecordSets",
            client
                .list_resource_record_sets()
                .hosted_zone_id(&zone_id)
                .set_start_record_name(name)
                .set_start_record_type(ty)
                .set_start_record_identifier(ident)
        ) {
            Ok(p) => p,
            Err(e) => {
                rc.note_failed(&e);
                break;
            }
        };
        for rs in page.resource_record_sets() {
            let ty = rs.r#type().as_str();
            if (ty == "SOA" || ty == "NS") && rs.name() == z.name() {
                continue;
            }
            let key = match rs.set_identifier() {
                Some(i) => format!("{zone_id}|{}|{ty}|{i}", rs.name()),
                None => format!("{zone_id}|{}|{ty}", rs.name()),
            };
            let mut r = rc.resource(
                "AWS::Route53::RecordSet",
                None,
                Some(rs.name().to_string()),
                Some(format!("{} {ty}", rs.name())),
            );
            r.id = surveyor_model::ResourceId::of("AWS::Route53::RecordSet", &key);
            let a = &mut r.attributes;
            a.insert("HostedZoneId".into(), s(&zone_id));
            a.insert("Name".into(), s(rs.name()));
            a.insert("Type".into(), s(ty));
            if let Some(t) = rs.ttl() {
                a.insert("TTL".into(), s(t.to_string()));
            }
            if !rs.resource_records().is_empty() {
                a.insert(
                    "ResourceRecords".into(),
                    Value::List(rs.resource_records().iter().map(|x| s(x.value())).collect()),
                );
            }
            if let Some(t) = rs.alias_target() {
                a.insert(
                    "AliasTarget".into(),
                    obj([
                        ("DNSName", Some(s(t.dns_name()))),
                        ("HostedZoneId", Some(s(t.hosted_zone_id()))),
                        ("EvaluateTargetHealth", Some(b(t.evaluate_target_health()))),
                    ]),
                );
            }
            if let Some(i) = rs.set_identifier() {
                a.insert("SetIdentifier".into(), s(i));
            }
            if let Some(w) = rs.weight() {
                a.insert("Weight".into(), crate::runtime::n(w));
            }
            if let Some(h) = rs.health_check_id() {
                a.insert("HealthCheckId".into(), s(h));
            }
            out.push(r);
        }
        match (
            page.is_truncated(),
            page.next_record_name(),
            page.next_record_type(),
        ) {
            (true, Some(name), Some(ty)) => {
                start = Some((
                    name.to_string(),
                    ty.clone(),
                    page.next_record_identifier().map(str::to_string),
                ))
            }
            _ => break,
        }
    }
    out
}
