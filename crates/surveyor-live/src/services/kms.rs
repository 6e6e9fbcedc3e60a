//! KMS customer-managed keys (metadata only: DescribeKey) and aliases. AWS-managed keys and
//! `alias/aws/*` are the service's own and left out.

use surveyor_model::Resource;

use super::each;
use crate::runtime::{b, s, CallError, Rc};
use crate::{call, pages};

pub async fn collect(rc: &Rc<'_>) -> Result<Vec<Resource>, CallError> {
    let client = aws_sdk_kms::Client::new(&rc.config);
    let pages = pages!(rc, "kms", "ListKeys", client.list_keys())?;
    let ids: Vec<String> = pages
        .iter()
        .flat_map(|p| p.keys())
        .filter_map(|k| k.key_id().map(str::to_string))
        .collect();
    let keys = each(&ids, |id| {
        let client = &client;
        async move {
            match call!(rc, "kms", "DescribeKey", client.describe_key().key_id(id)) {
                Ok(o) => {
                    let m = o.key_metadata()?;
                    if m.key_manager().map(|x| x.as_str()) == Some("AWS") {
                        return None;
                    }
                    let mut r = rc.resource(
                        "AWS::KMS::Key",
                        m.arn().map(str::to_string),
                        Some(id.clone()),
                        Some(id.clone()),
                    );
                    let a = &mut r.attributes;
                    if let Some(d) = m.description().filter(|d| !d.is_empty()) {
                        a.insert("Description".into(), s(d));
                    }
                    if let Some(u) = m.key_usage() {
                        a.insert("KeyUsage".into(), s(u.as_str()));
                    }
                    if let Some(sp) = m.key_spec() {
                        a.insert("KeySpec".into(), s(sp.as_str()));
                    }
                    a.insert("Enabled".into(), b(m.enabled()));
                    if let Some(mr) = m.multi_region() {
                        a.insert("MultiRegion".into(), b(mr));
                    }
                    if let Some(st) = m.key_state() {
                        r.state.insert("KeyState".into(), s(st.as_str()));
                    }
                    Some(r)
                }
                Err(e) => {
                    rc.note_failed(&e);
                    None
                }
            }
        }
    })
    .await;
    let mut out: Vec<Resource> = keys.into_iter().flatten().collect();
    match pages!(rc, "kms", "ListAliases", client.list_aliases()) {
        Ok(pages) => {
            for al in pages.iter().flat_map(|p| p.aliases()) {
                let Some(name) = al.alias_name() else {
                    continue;
                };
                if name.starts_with("alias/aws/") {
                    continue;
                }
                let mut r = rc.resource(
                    "AWS::KMS::Alias",
                    al.alias_arn().map(str::to_string),
                    Some(name.to_string()),
                    Some(name.to_string()),
                );
                r.attributes.insert("AliasName".into(), s(name));
                if let Some(t) = al.target_key_id() {
                    r.attributes.insert("TargetKeyId".into(), s(t));
                }
                out.push(r);
            }
        }
        Err(e) => rc.note_failed(&e),
    }
    Ok(out)
}
