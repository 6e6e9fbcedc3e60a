//! Auto Scaling groups: size, placement, target groups and launch template; in-service
//! instances as state.

use surveyor_model::Resource;

use crate::pages;
use crate::runtime::{list, n, obj, s, strs, CallError, Rc};
use crate::state_keys as k;

pub async fn collect(rc: &Rc<'_>) -> Result<Vec<Resource>, CallError> {
    let client = aws_sdk_autoscaling::Client::new(&rc.config);
    let pages = pages!(
        rc,
        "autoscaling",
        "DescribeAutoScalingGroups",
        client.describe_auto_scaling_groups()
    )?;
    let mut out = Vec::new();
    for g in pages.iter().flat_map(|p| p.auto_scaling_groups()) {
        let name = g.auto_scaling_group_name().unwrap_or_default();
        let mut r = rc.resource(
            "AWS::AutoScaling::AutoScalingGroup",
            g.auto_scaling_group_arn().map(str::to_string),
            Some(name.to_string()),
            Some(name.to_string()),
        );
        let a = &mut r.attributes;
        a.insert("AutoScalingGroupName".into(), s(name));
        for (key, v) in [
            ("MinSize", g.min_size()),
            ("MaxSize", g.max_size()),
            ("DesiredCapacity", g.desired_capacity()),
        ] {
            if let Some(v) = v {
                // CloudFormation declares the sizes as strings.
                a.insert(key.into(), s(v.to_string()));
            }
        }
        if let Some(z) = g.vpc_zone_identifier().filter(|z| !z.is_empty()) {
            a.insert(
                "VPCZoneIdentifier".into(),
                list(z.split(',').map(|x| s(x.trim())).collect::<Vec<_>>()),
            );
        }
        if !g.target_group_arns().is_empty() {
            a.insert("TargetGroupARNs".into(), strs(g.target_group_arns()));
        }
        if !g.load_balancer_names().is_empty() {
            a.insert("LoadBalancerNames".into(), strs(g.load_balancer_names()));
        }
        if let Some(lt) = g.launch_template() {
            a.insert(
                "LaunchTemplate".into(),
                obj([
                    ("LaunchTemplateId", lt.launch_template_id().map(s)),
                    ("LaunchTemplateName", lt.launch_template_name().map(s)),
                    ("Version", lt.version().map(s)),
                ]),
            );
        }
        if let Some(lc) = g.launch_configuration_name() {
            a.insert("LaunchConfigurationName".into(), s(lc));
        }
        if let Some(h) = g.health_check_type() {
            a.insert("HealthCheckType".into(), s(h));
        }
        r.tags = g
            .tags()
            .iter()
            .filter_map(|t| Some((t.key()?.to_string(), t.value().unwrap_or("").to_string())))
            .collect();
        let ids: Vec<String> = g
            .instances()
            .iter()
            .filter_map(|i| i.instance_id().map(str::to_string))
            .collect();
        r.state.insert(k::INSTANCES.into(), strs(&ids));
        if let Some(d) = g.desired_capacity() {
            r.state.insert(k::DESIRED_COUNT.into(), n(d));
        }
        let in_service = g
            .instances()
            .iter()
            .filter(|i| i.lifecycle_state().map(|l| l.as_str()) == Some("InService"))
            .count();
        r.state
            .insert(k::RUNNING_COUNT.into(), n(in_service as i64));
        out.push(r);
    }
    Ok(out)
}
