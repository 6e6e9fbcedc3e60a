//! Resources AWS creates on its own — the default VPC and what hangs off it, default security
//! groups, route tables, network ACLs and DHCP options, `aws/*` KMS aliases and AWS-managed
//! keys, service-linked roles, the CDK bootstrap stack, default event bus and schedule group,
//! log groups services create, and the like. They are not drift: no code is expected to
//! declare them. driftctl's lesson: without this, "unmanaged" is mostly noise.

use std::collections::HashSet;

use surveyor_model::{Resource, Value};

use crate::state_keys as k;

/// Why a resource is an AWS default, with the context some decisions need (which VPCs are the
/// default ones, which hosted zones exist).
#[derive(Debug, Default, Clone)]
pub struct Defaults {
    default_vpcs: HashSet<String>,
    zones: HashSet<String>,
}

fn flag(r: &Resource, key: &str) -> bool {
    r.attributes
        .get(key)
        .or_else(|| r.state.get(key))
        .and_then(Value::as_bool)
        .unwrap_or(false)
}

fn attr_str<'a>(r: &'a Resource, key: &str) -> Option<&'a str> {
    r.attributes
        .get(key)
        .or_else(|| r.state.get(key))
        .and_then(Value::as_str)
}

/// The service's own name for it: the collected name, else the ARN's or id's last part.
fn name_of(r: &Resource) -> &str {
    r.name
        .as_deref()
        .or(r.physical_id.as_deref())
        .or(r.arn.as_deref())
        .unwrap_or("")
}

impl Defaults {
    /// Learn the context from the live resources (the default VPC ids, hosted zone names).
    pub fn new<'a>(live: impl IntoIterator<Item = &'a Resource>) -> Self {
        let mut d = Defaults::default();
        for r in live {
            match r.type_name.as_str() {
                "AWS::EC2::VPC" if flag(r, k::IS_DEFAULT) => {
                    for id in [r.physical_id.as_deref(), attr_str(r, "VpcId")]
                        .into_iter()
                        .flatten()
                    {
                        d.default_vpcs.insert(id.to_string());
                    }
                }
                "AWS::Route53::HostedZone" => {
                    if let Some(n) = r.name.as_deref().or(attr_str(r, "Name")) {
                        d.zones.insert(n.trim_end_matches('.').to_ascii_lowercase());
                    }
                }
                _ => {}
            }
        }
        d
    }

    fn in_default_vpc(&self, r: &Resource) -> bool {
        attr_str(r, "VpcId").is_some_and(|v| self.default_vpcs.contains(v))
    }

    /// `Some(reason)` when AWS made this resource itself (only ever asked of live resources).
    pub fn reason(&self, r: &Resource) -> Option<&'static str> {
        let name = name_of(r);
        let arn = r.arn.as_deref().unwrap_or("");
        let pid = r.physical_id.as_deref().unwrap_or("");
        let mentions =
            |needle: &str| name.contains(needle) || arn.contains(needle) || pid.contains(needle);
        if r.stack.as_ref().is_some_and(|s| s.name == "CDKToolkit")
            || r.tags
                .get(k::TAG_STACK_NAME)
                .is_some_and(|s| s == "CDKToolkit")
            || mentions("cdk-hnb659fds-")
            || name.starts_with("/cdk-bootstrap/")
        {
            return Some("the CDK bootstrap stack (CDKToolkit)");
        }
        let ty = r.type_name.as_str();
        let reason = match ty {
            "AWS::EC2::VPC" if flag(r, k::IS_DEFAULT) => "the default VPC",
            "AWS::EC2::Subnet" if flag(r, k::DEFAULT_FOR_AZ) || self.in_default_vpc(r) => {
                "a default subnet"
            }
            "AWS::EC2::SecurityGroup"
                if attr_str(r, "GroupName").or(r.name.as_deref()) == Some("default") =>
            {
                "a default security group"
            }
            "AWS::EC2::RouteTable"
                if flag(r, k::MAIN_ROUTE_TABLE)
                    || self.in_default_vpc(r)
                    || r.attributes
                        .get("Associations")
                        .and_then(Value::as_list)
                        .is_some_and(|l| {
                            l.iter().any(|a| {
                                a.pointer(k::MAIN_ROUTE_TABLE).and_then(Value::as_bool)
                                    == Some(true)
                            })
                        }) =>
            {
                "a main (default) route table"
            }
            "AWS::EC2::NetworkAcl" if flag(r, k::IS_DEFAULT) || self.in_default_vpc(r) => {
                "a default network ACL"
            }
            "AWS::EC2::InternetGateway" if self.in_default_vpc(r) => {
                "the default VPC's internet gateway"
            }
            "AWS::EC2::DHCPOptions" => "DHCP options (AWS creates the default set)",
            "AWS::EC2::NetworkInterface" => "a network interface (created by the service using it)",
            "AWS::KMS::Alias" if name.starts_with("alias/aws/") || arn.contains(":alias/aws/") => {
                "an AWS-managed KMS alias"
            }
            "AWS::KMS::Key" if attr_str(r, k::KMS_KEY_MANAGER) == Some("AWS") => {
                "an AWS-managed KMS key"
            }
            "AWS::IAM::Role"
                if arn.contains(":role/aws-service-role/")
                    || arn.contains(":role/aws-reserved/")
                    || attr_str(r, "Path").is_some_and(|p| {
                        p.starts_with("/aws-service-role/") || p.starts_with("/aws-reserved/")
                    }) =>
            {
                "a service-linked or reserved role"
            }
            "AWS::IAM::ManagedPolicy" if arn.contains(":iam::aws:policy/") => {
                "an AWS-managed policy"
            }
            "AWS::Events::EventBus" if name == "default" || arn.ends_with(":event-bus/default") => {
                "the default event bus"
            }
            "AWS::Scheduler::ScheduleGroup"
                if name == "default" || arn.ends_with(":schedule-group/default") =>
            {
                "the default schedule group"
            }
            "AWS::RDS::DBParameterGroup"
            | "AWS::RDS::DBClusterParameterGroup"
            | "AWS::RDS::OptionGroup"
            | "AWS::ElastiCache::ParameterGroup"
                if name.starts_with("default.") || name.starts_with("default:") =>
            {
                "a default parameter group"
            }
            "AWS::RDS::DBSubnetGroup" | "AWS::ElastiCache::SubnetGroup" if name == "default" => {
                "a default subnet group"
            }
            "AWS::Logs::LogGroup" if name.starts_with("/aws/") => {
                "a log group an AWS service created"
            }
            "AWS::SecretsManager::Secret" if name.starts_with("rds!") => "a secret RDS manages",
            "AWS::Route53::RecordSet" => {
                let rtype = attr_str(r, "Type").unwrap_or("");
                let rname = attr_str(r, "Name")
                    .unwrap_or(name)
                    .trim_end_matches('.')
                    .to_ascii_lowercase();
                if rtype == "SOA" || (rtype == "NS" && self.zones.contains(&rname)) {
                    "a hosted zone's own SOA/NS record"
                } else {
                    return None;
                }
            }
            _ => return None,
        };
        Some(reason)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use surveyor_model::{ResourceId, StackRef};

    fn live(ty: &str, name: &str) -> Resource {
        let mut r = Resource::new(ResourceId::of(ty, name), ty);
        r.name = Some(name.into());
        r.in_live = true;
        r
    }

    #[test]
    fn default_vpc_and_its_subnets_are_defaults_but_a_custom_subnet_is_not() {
        let mut vpc = live("AWS::EC2::VPC", "vpc-1");
        vpc.physical_id = Some("vpc-1".into());
        vpc.attributes.insert("IsDefault".into(), Value::Bool(true));
        let mut sub = live("AWS::EC2::Subnet", "subnet-1");
        sub.attributes.insert("VpcId".into(), Value::str("vpc-1"));
        let mut other = live("AWS::EC2::Subnet", "subnet-2");
        other.attributes.insert("VpcId".into(), Value::str("vpc-2"));
        let d = Defaults::new([&vpc, &sub, &other]);
        assert!(d.reason(&vpc).is_some());
        assert!(d.reason(&sub).is_some());
        assert!(d.reason(&other).is_none());
    }

    #[test]
    fn aws_owned_things_are_defaults() {
        let d = Defaults::default();
        assert!(d.reason(&live("AWS::KMS::Alias", "alias/aws/s3")).is_some());
        assert!(d.reason(&live("AWS::KMS::Alias", "alias/app")).is_none());
        let mut role = live("AWS::IAM::Role", "AWSServiceRoleForECS");
        role.arn = Some(
            "arn:aws:iam::1:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS".into(),
        );
        assert!(d.reason(&role).is_some());
        assert!(d.reason(&live("AWS::IAM::Role", "app-role")).is_none());
        let mut boot = live("AWS::S3::Bucket", "cdk-hnb659fds-assets-1-us-east-2");
        boot.stack = Some(StackRef {
            name: "CDKToolkit".into(),
            logical_id: "StagingBucket".into(),
        });
        assert!(d.reason(&boot).is_some());
        assert!(d
            .reason(&live("AWS::Events::EventBus", "default"))
            .is_some());
        assert!(d.reason(&live("AWS::Events::EventBus", "orders")).is_none());
        assert!(d
            .reason(&live("AWS::Scheduler::ScheduleGroup", "default"))
            .is_some());
        let mut sg = live("AWS::EC2::SecurityGroup", "sg-1");
        sg.attributes
            .insert("GroupName".into(), Value::str("default"));
        assert!(d.reason(&sg).is_some());
        assert!(d
            .reason(&live("AWS::Logs::LogGroup", "/aws/lambda/x"))
            .is_some());
        assert!(d.reason(&live("AWS::Logs::LogGroup", "/app/api")).is_none());
    }
}
