//! CloudFront distributions (global): aliases, origins, default behaviour, certificate, WAF.

use surveyor_model::{Resource, Value};

use crate::pages;
use crate::runtime::{b, list, obj, s, strs, CallError, Rc};
use crate::state_keys as k;

pub async fn collect(rc: &Rc<'_>) -> Result<Vec<Resource>, CallError> {
    let client = aws_sdk_cloudfront::Client::new(&rc.config);
    let pages = pages!(
        rc,
        "cloudfront",
        "ListDistributions",
        client.list_distributions()
    )?;
    let mut out = Vec::new();
    for d in pages
        .iter()
        .filter_map(|p| p.distribution_list())
        .flat_map(|l| l.items())
    {
        let mut r = rc.resource(
            "AWS::CloudFront::Distribution",
            Some(d.arn().to_string()),
            Some(d.id().to_string()),
            Some(d.domain_name().to_string()),
        );
        let origins: Vec<Value> = d
            .origins()
            .map(|o| o.items())
            .unwrap_or_default()
            .iter()
            .map(|o| {
                obj([
                    ("Id", Some(s(o.id()))),
                    ("DomainName", Some(s(o.domain_name()))),
                    (
                        "OriginPath",
                        o.origin_path().filter(|p| !p.is_empty()).map(s),
                    ),
                    (
                        "OriginAccessControlId",
                        o.origin_access_control_id()
                            .filter(|p| !p.is_empty())
                            .map(s),
                    ),
                    (
                        "S3OriginConfig",
                        o.s3_origin_config().map(|c| {
                            obj([("OriginAccessIdentity", Some(s(c.origin_access_identity())))])
                        }),
                    ),
                    (
                        "CustomOriginConfig",
                        o.custom_origin_config().map(|c| {
                            obj([(
                                "OriginProtocolPolicy",
                                Some(s(c.origin_protocol_policy().as_str())),
                            )])
                        }),
                    ),
                ])
            })
            .collect();
        let aliases: Vec<String> = d.aliases().map(|a| a.items().to_vec()).unwrap_or_default();
        let config = obj([
            ("Enabled", Some(b(d.enabled()))),
            (
                "Comment",
                Some(d.comment()).filter(|c| !c.is_empty()).map(s),
            ),
            ("Aliases", (!aliases.is_empty()).then(|| strs(&aliases))),
            ("Origins", Some(list(origins))),
            (
                "DefaultCacheBehavior",
                d.default_cache_behavior().map(|c| {
                    obj([
                        ("TargetOriginId", Some(s(c.target_origin_id()))),
                        (
                            "ViewerProtocolPolicy",
                            Some(s(c.viewer_protocol_policy().as_str())),
                        ),
                        ("CachePolicyId", c.cache_policy_id().map(s)),
                    ])
                }),
            ),
            ("PriceClass", Some(s(d.price_class().as_str()))),
            ("HttpVersion", Some(s(d.http_version().as_str()))),
            ("IPV6Enabled", Some(b(d.is_ipv6_enabled()))),
            (
                "WebACLId",
                Some(d.web_acl_id()).filter(|w| !w.is_empty()).map(s),
            ),
            (
                "ViewerCertificate",
                d.viewer_certificate().map(|v| {
                    obj([
                        ("AcmCertificateArn", v.acm_certificate_arn().map(s)),
                        (
                            "CloudFrontDefaultCertificate",
                            v.cloud_front_default_certificate().map(b),
                        ),
                        (
                            "MinimumProtocolVersion",
                            v.minimum_protocol_version().map(|x| s(x.as_str())),
                        ),
                        (
                            "SslSupportMethod",
                            v.ssl_support_method().map(|x| s(x.as_str())),
                        ),
                    ])
                }),
            ),
        ]);
        r.attributes.insert("DistributionConfig".into(), config);
        r.state.insert("DomainName".into(), s(d.domain_name()));
        r.state.insert(k::STATUS.into(), s(d.status()));
        if !d.web_acl_id().is_empty() {
            r.state.insert(k::WEB_ACL.into(), s(d.web_acl_id()));
        }
        out.push(r);
    }
    Ok(out)
}
