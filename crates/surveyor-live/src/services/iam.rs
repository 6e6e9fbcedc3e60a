//! IAM roles (global): names, paths and trust policies. Policies' contents are not read.

use surveyor_model::Resource;

use crate::pages;
use crate::runtime::{json_value, n, s, tags_of, CallError, Rc};

pub async fn collect(rc: &Rc<'_>) -> Result<Vec<Resource>, CallError> {
    let client = aws_sdk_iam::Client::new(&rc.config);
    let pages = pages!(rc, "iam", "ListRoles", client.list_roles())?;
    let mut out = Vec::new();
    for role in pages.iter().flat_map(|p| p.roles()) {
        let name = role.role_name();
        let mut r = rc.resource(
            "AWS::IAM::Role",
            Some(role.arn().to_string()),
            Some(name.to_string()),
            Some(name.to_string()),
        );
        r.attributes.insert("RoleName".into(), s(name));
        r.attributes.insert("Path".into(), s(role.path()));
        if let Some(doc) = role.assume_role_policy_document() {
            // IAM returns the document URL-encoded.
            let decoded = percent_decode(doc);
            r.attributes
                .insert("AssumeRolePolicyDocument".into(), json_value(&decoded));
        }
        if let Some(d) = role.description().filter(|d| !d.is_empty()) {
            r.attributes.insert("Description".into(), s(d));
        }
        if let Some(m) = role.max_session_duration() {
            r.attributes.insert("MaxSessionDuration".into(), n(m));
        }
        r.tags = tags_of(role.tags().iter().map(|t| (Some(t.key()), Some(t.value()))));
        out.push(r);
    }
    Ok(out)
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes.get(i) {
            Some(b'%') => {
                let hex = bytes
                    .get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                match hex {
                    Some(v) => {
                        out.push(v);
                        i += 3;
                    }
                    None => {
                        out.push(b'%');
                        i += 1;
                    }
                }
            }
            Some(&c) => {
                out.push(c);
                i += 1;
            }
            None => break,
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    #[test]
    fn decodes_trust_policies() {
        assert_eq!(
            super::percent_decode("%7B%22Version%22%3A%222012%22%7D"),
            "{\"Version\":\"2012\"}"
        );
        assert_eq!(super::percent_decode("100%"), "100%");
    }
}
