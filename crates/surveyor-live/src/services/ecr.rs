//! ECR repositories: scanning, tag mutability and encryption.

use surveyor_model::Resource;

use crate::pages;
use crate::runtime::{b, obj, s, CallError, Rc};

pub async fn collect(rc: &Rc<'_>) -> Result<Vec<Resource>, CallError> {
    let client = aws_sdk_ecr::Client::new(&rc.config);
    let pages = pages!(
        rc,
        "ecr",
        "DescribeRepositories",
        client.describe_repositories()
    )?;
    let mut out = Vec::new();
    for repo in pages.iter().flat_map(|p| p.repositories()) {
        let Some(name) = repo.repository_name() else {
            continue;
        };
        let arn = repo
            .repository_arn()
            .map(str::to_string)
            .or_else(|| rc.arn_of("AWS::ECR::Repository", name));
        let mut r = rc.resource(
            "AWS::ECR::Repository",
            arn,
            Some(name.to_string()),
            Some(name.to_string()),
        );
        let a = &mut r.attributes;
        a.insert("RepositoryName".into(), s(name));
        if let Some(c) = repo.image_scanning_configuration() {
            a.insert(
                "ImageScanningConfiguration".into(),
                obj([("ScanOnPush", Some(b(c.scan_on_push())))]),
            );
        }
        if let Some(m) = repo.image_tag_mutability() {
            a.insert("ImageTagMutability".into(), s(m.as_str()));
        }
        if let Some(e) = repo.encryption_configuration() {
            a.insert(
                "EncryptionConfiguration".into(),
                obj([
                    ("EncryptionType", Some(s(e.encryption_type().as_str()))),
                    ("KmsKey", e.kms_key().map(s)),
                ]),
            );
        }
        if let Some(u) = repo.repository_uri() {
            r.state.insert("RepositoryUri".into(), s(u));
        }
        out.push(r);
    }
    Ok(out)
}
