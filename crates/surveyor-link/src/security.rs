//! Security: `protects` (WAF web ACL associations, CloudFront's `WebACLId`, associations a
//! live web ACL lists) and `uses` (a resource → the KMS key, secret, parameter, role, log
//! group, image repository or certificate it references, wherever the reference sits:
//! `KmsKeyId`, `TaskRoleArn`, `Secrets[].ValueFrom`, `awslogs-group`, an image URI, …).
//! ECS services `use` their task definition.

use surveyor_model::{EdgeKind, Resource, ResourceId, Value};

use crate::resolve::FUNCTIONS;
use crate::{origin_of, Graph, Out};

const WEB_ACL: &[&str] = &[
    "AWS::WAFv2::WebACL",
    "AWS::WAF::WebACL",
    "AWS::WAFRegional::WebACL",
];

/// What `uses` points at.
const USED: &[&str] = &[
    "AWS::KMS::Key",
    "AWS::KMS::Alias",
    "AWS::SecretsManager::Secret",
    "AWS::SSM::Parameter",
    "AWS::IAM::Role",
    "AWS::IAM::InstanceProfile",
    "AWS::Logs::LogGroup",
    "AWS::ECR::Repository",
    "AWS::CertificateManager::Certificate",
];

/// Holders whose references to those types are not "uses": IAM documents that attach or
/// trust, and the targets' own plumbing.
const NOT_USERS: &[&str] = &[
    "AWS::IAM::Policy",
    "AWS::IAM::ManagedPolicy",
    "AWS::KMS::Alias",
    "AWS::SecretsManager::SecretTargetAttachment",
    "AWS::WAFv2::WebACLAssociation",
];

/// Properties that grant or trust rather than use.
const NOT_USE_KEYS: &[&str] = &["KeyPolicy", "AssumeRolePolicyDocument", "PolicyDocument"];

pub(crate) fn derive(g: &Graph, out: &mut Out) {
    for r in g.rs {
        let o = origin_of(r);
        match r.type_name.as_str() {
            "AWS::WAFv2::WebACLAssociation" | "AWS::WAFRegional::WebACLAssociation" => {
                let acls = g.refs_to(r.attr("WebACLArn").or(r.attr("WebACLId")), &r.id, WEB_ACL);
                for to in g.refs(r.attr("ResourceArn"), &r.id) {
                    for acl in &acls {
                        out.add(acl, to, EdgeKind::Protects, o, None);
                    }
                    out.claim(&r.id, to);
                }
                for acl in &acls {
                    out.claim(&r.id, acl);
                }
            }
            "AWS::CloudFront::Distribution" => {
                for acl in g.refs(r.attr("DistributionConfig.WebACLId"), &r.id) {
                    out.add(acl, &r.id, EdgeKind::Protects, o, None);
                }
            }
            t if WEB_ACL.contains(&t) => {
                for key in ["AssociatedResources", "ResourceArns"] {
                    for to in g.refs(r.attr(key).or(r.state.get(key)), &r.id) {
                        out.add(&r.id, to, EdgeKind::Protects, o, None);
                    }
                }
            }
            "AWS::SecretsManager::SecretTargetAttachment" => {
                let secrets = g.refs(r.attr("SecretId"), &r.id);
                for t in g.refs(r.attr("TargetId"), &r.id) {
                    for s in &secrets {
                        out.add(t, s, EdgeKind::Uses, o, Some("attached secret".into()));
                    }
                }
            }
            "AWS::Logs::LogGroup" => {
                // `/aws/lambda/${Function}`: the function writes here.
                for f in g.refs(r.attr("LogGroupName"), &r.id) {
                    if g.is(f, FUNCTIONS) {
                        out.add(f, &r.id, EdgeKind::Uses, o, None);
                    }
                }
            }
            "AWS::ECS::Service" => {
                for td in g.refs(r.attr("TaskDefinition"), &r.id) {
                    out.add(&r.id, td, EdgeKind::Uses, o, None);
                }
            }
            _ => {}
        }
        if !NOT_USERS.contains(&r.type_name.as_str()) {
            uses(g, out, r);
        }
    }
}

/// Every reference from `r` to a key, secret, parameter, role, log group, repository or
/// certificate; roles are labelled with the property (`TaskRoleArn`, `ExecutionRoleArn`).
fn uses(g: &Graph, out: &mut Out, r: &Resource) {
    let o = origin_of(r);
    for (k, v) in &r.attributes {
        if NOT_USE_KEYS.contains(&k.as_str()) {
            continue;
        }
        let mut found: Vec<(&str, &ResourceId)> = Vec::new();
        leaf_refs(g, r, v, k, &mut found);
        for (leaf, mut id) in found {
            // A secret attachment's `Ref` is the secret's ARN.
            if g.is(id, &["AWS::SecretsManager::SecretTargetAttachment"]) {
                let Some(secret) = g
                    .get(id)
                    .and_then(|a| g.refs(a.attr("SecretId"), &a.id).first().copied())
                else {
                    continue;
                };
                id = secret;
            }
            if id == &r.id || !g.is(id, USED) {
                continue;
            }
            let label = g
                .is(id, &["AWS::IAM::Role"])
                .then(|| leaf.to_string())
                .filter(|l| l != "Role" && l != "RoleArn");
            out.add(&r.id, id, EdgeKind::Uses, o, label);
        }
    }
}

/// References inside `v`, each with the property name it sits under.
fn leaf_refs<'a>(
    g: &'a Graph,
    holder: &Resource,
    v: &'a Value,
    key: &'a str,
    out: &mut Vec<(&'a str, &'a ResourceId)>,
) {
    match v {
        Value::Ref(id) => out.push((key, id)),
        Value::Unresolved(_) => {
            for id in g.refs(Some(v), &holder.id) {
                out.push((key, id));
            }
        }
        Value::Map(m) => {
            for (k, c) in m {
                if NOT_USE_KEYS.contains(&k.as_str()) {
                    continue;
                }
                leaf_refs(g, holder, c, k, out);
            }
        }
        Value::List(l) => l.iter().for_each(|c| leaf_refs(g, holder, c, key, out)),
        _ => {}
    }
}
