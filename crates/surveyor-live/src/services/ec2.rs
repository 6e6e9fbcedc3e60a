//! EC2 networking and compute: VPCs, subnets, route tables (with routes and associations),
//! internet and NAT gateways, Elastic IPs, security groups (rules as CloudFormation
//! `SecurityGroupIngress`/`SecurityGroupEgress` entries), VPC endpoints, the network interfaces
//! that place tasks and functions, and instances (with their runtime state).

use surveyor_model::{Resource, Value};

use crate::runtime::{b, list, n, obj, s, strs, tags_of, CallError, Rc};
use crate::{pages, state_keys as k};
use aws_sdk_ec2::types::Tag;

pub async fn enabled_regions(rc: &Rc<'_>) -> Result<Vec<String>, CallError> {
    let client = aws_sdk_ec2::Client::new(&rc.config);
    let out = crate::call!(rc, "ec2", "DescribeRegions", client.describe_regions())?;
    Ok(out
        .regions()
        .iter()
        .filter(|r| r.opt_in_status() != Some("not-opted-in"))
        .filter_map(|r| r.region_name().map(str::to_string))
        .collect())
}

fn tags(t: &[Tag]) -> surveyor_model::SortedMap<String, String> {
    tags_of(t.iter().map(|t| (t.key(), t.value())))
}

/// An EC2 resource: ARN built from its id, name from the `Name` tag or else the id.
fn res(rc: &Rc<'_>, ty: &str, kind: &str, id: &str, t: &[Tag]) -> Resource {
    let tags = tags(t);
    let arn = format!(
        "arn:{}:ec2:{}:{}:{kind}/{id}",
        rc.ctx.partition, rc.region, rc.ctx.account
    );
    let name = tags.get("Name").cloned().unwrap_or_else(|| id.to_string());
    let mut r = rc.resource(ty, Some(arn), Some(id.to_string()), Some(name));
    r.tags = tags;
    r
}

macro_rules! attrs {
    ($r:expr, { $($k:literal => $v:expr),* $(,)? }) => {
        $( if let Some(v) = $v { $r.attributes.insert($k.to_string(), v); } )*
    };
}

pub async fn collect(rc: &Rc<'_>) -> Result<Vec<Resource>, CallError> {
    let client = aws_sdk_ec2::Client::new(&rc.config);
    let c = &client;
    let (vpcs, subnets, rts, igws, nats, eips, sgs, endpoints, enis, instances) = tokio::join!(
        async { pages!(rc, "ec2", "DescribeVpcs", c.describe_vpcs()) },
        async { pages!(rc, "ec2", "DescribeSubnets", c.describe_subnets()) },
        async { pages!(rc, "ec2", "DescribeRouteTables", c.describe_route_tables()) },
        async {
            pages!(
                rc,
                "ec2",
                "DescribeInternetGateways",
                c.describe_internet_gateways()
            )
        },
        async { pages!(rc, "ec2", "DescribeNatGateways", c.describe_nat_gateways()) },
        async { crate::call!(rc, "ec2", "DescribeAddresses", c.describe_addresses()) },
        async {
            pages!(
                rc,
                "ec2",
                "DescribeSecurityGroups",
                c.describe_security_groups()
            )
        },
        async {
            pages!(
                rc,
                "ec2",
                "DescribeVpcEndpoints",
                c.describe_vpc_endpoints()
            )
        },
        async {
            pages!(
                rc,
                "ec2",
                "DescribeNetworkInterfaces",
                c.describe_network_interfaces()
            )
        },
        async { pages!(rc, "ec2", "DescribeInstances", c.describe_instances()) },
    );
    // Without VPCs nothing else here makes sense: fail the service as a whole.
    let vpcs = vpcs?;
    let mut out = Vec::new();
    for v in vpcs.iter().flat_map(|p| p.vpcs()) {
        let Some(id) = v.vpc_id() else { continue };
        let mut r = res(rc, "AWS::EC2::VPC", "vpc", id, v.tags());
        attrs!(r, {
            "CidrBlock" => v.cidr_block().map(s),
            "InstanceTenancy" => v.instance_tenancy().map(|t| s(t.as_str())),
        });
        if v.is_default() == Some(true) {
            r.state.insert("IsDefault".into(), b(true));
        }
        out.push(r);
    }
    match subnets {
        Ok(pages) => {
            for sn in pages.iter().flat_map(|p| p.subnets()) {
                let Some(id) = sn.subnet_id() else { continue };
                let mut r = res(rc, "AWS::EC2::Subnet", "subnet", id, sn.tags());
                attrs!(r, {
                    "VpcId" => sn.vpc_id().map(s),
                    "CidrBlock" => sn.cidr_block().map(s),
                    "AvailabilityZone" => sn.availability_zone().map(s),
                    "MapPublicIpOnLaunch" => sn.map_public_ip_on_launch().map(b),
                });
                if let Some(c) = sn.available_ip_address_count() {
                    r.state.insert("AvailableIpAddressCount".into(), n(c));
                }
                if sn.default_for_az() == Some(true) {
                    r.state.insert("IsDefault".into(), b(true));
                }
                out.push(r);
            }
        }
        Err(e) => rc.note_failed(&e),
    }
    match rts {
        Ok(pages) => {
            for rt in pages.iter().flat_map(|p| p.route_tables()) {
                let Some(id) = rt.route_table_id() else {
                    continue;
                };
                let mut r = res(rc, "AWS::EC2::RouteTable", "route-table", id, rt.tags());
                attrs!(r, { "VpcId" => rt.vpc_id().map(s) });
                if rt.associations().iter().any(|a| a.main() == Some(true)) {
                    r.state.insert("Main".into(), b(true));
                }
                out.push(r);
                for route in rt.routes() {
                    let dest = route
                        .destination_cidr_block()
                        .or(route.destination_ipv6_cidr_block())
                        .or(route.destination_prefix_list_id())
                        .unwrap_or("");
                    // The local route is implicit in every VPC; code never declares it.
                    if route.gateway_id() == Some("local") {
                        continue;
                    }
                    let pid = format!("{id}|{dest}");
                    let mut rr = rc.resource("AWS::EC2::Route", None, Some(pid.clone()), Some(pid));
                    attrs!(rr, {
                        "RouteTableId" => Some(s(id)),
                        "DestinationCidrBlock" => route.destination_cidr_block().map(s),
                        "DestinationIpv6CidrBlock" => route.destination_ipv6_cidr_block().map(s),
                        "DestinationPrefixListId" => route.destination_prefix_list_id().map(s),
                        "GatewayId" => route.gateway_id().map(s),
                        "NatGatewayId" => route.nat_gateway_id().map(s),
                        "InstanceId" => route.instance_id().map(s),
                        "TransitGatewayId" => route.transit_gateway_id().map(s),
                        "VpcPeeringConnectionId" => route.vpc_peering_connection_id().map(s),
                        "NetworkInterfaceId" => route.network_interface_id().map(s),
                    });
                    if let Some(st) = route.state() {
                        rr.state.insert(k::STATE.into(), s(st.as_str()));
                    }
                    out.push(rr);
                }
                for a in rt.associations() {
                    let (Some(aid), Some(subnet)) = (a.route_table_association_id(), a.subnet_id())
                    else {
                        continue;
                    };
                    let mut ar = rc.resource(
                        "AWS::EC2::SubnetRouteTableAssociation",
                        None,
                        Some(aid.to_string()),
                        Some(aid.to_string()),
                    );
                    attrs!(ar, {
                        "RouteTableId" => Some(s(id)),
                        "SubnetId" => Some(s(subnet)),
                    });
                    out.push(ar);
                }
            }
        }
        Err(e) => rc.note_failed(&e),
    }
    match igws {
        Ok(pages) => {
            for g in pages.iter().flat_map(|p| p.internet_gateways()) {
                let Some(id) = g.internet_gateway_id() else {
                    continue;
                };
                out.push(res(
                    rc,
                    "AWS::EC2::InternetGateway",
                    "internet-gateway",
                    id,
                    g.tags(),
                ));
                for att in g.attachments() {
                    let Some(vpc) = att.vpc_id() else { continue };
                    let pid = format!("IGW|{vpc}");
                    let mut ar = rc.resource(
                        "AWS::EC2::VPCGatewayAttachment",
                        None,
                        Some(pid.clone()),
                        Some(format!("{id}|{vpc}")),
                    );
                    attrs!(ar, {
                        "VpcId" => Some(s(vpc)),
                        "InternetGatewayId" => Some(s(id)),
                    });
                    out.push(ar);
                }
            }
        }
        Err(e) => rc.note_failed(&e),
    }
    match nats {
        Ok(pages) => {
            for g in pages.iter().flat_map(|p| p.nat_gateways()) {
                let Some(id) = g.nat_gateway_id() else {
                    continue;
                };
                let mut r = res(rc, "AWS::EC2::NatGateway", "natgateway", id, g.tags());
                let primary = g.nat_gateway_addresses().first();
                attrs!(r, {
                    "SubnetId" => g.subnet_id().map(s),
                    "ConnectivityType" => g.connectivity_type().map(|c| s(c.as_str())),
                    "AllocationId" => primary.and_then(|a| a.allocation_id()).map(s),
                });
                if let Some(st) = g.state() {
                    r.state.insert(k::STATE.into(), s(st.as_str()));
                }
                if let Some(ip) = primary.and_then(|a| a.public_ip()) {
                    r.state.insert(k::PUBLIC_IP.into(), s(ip));
                }
                out.push(r);
            }
        }
        Err(e) => rc.note_failed(&e),
    }
    match eips {
        Ok(o) => {
            for a in o.addresses() {
                let Some(ip) = a.public_ip() else { continue };
                let alloc = a.allocation_id().unwrap_or(ip);
                let mut r = res(rc, "AWS::EC2::EIP", "elastic-ip", alloc, a.tags());
                // CloudFormation's Ref of an EIP is the address itself.
                r.physical_id = Some(ip.to_string());
                attrs!(r, {
                    "Domain" => a.domain().map(|d| s(d.as_str())),
                    "InstanceId" => a.instance_id().map(s),
                });
                r.state.insert(k::PUBLIC_IP.into(), s(ip));
                if let Some(al) = a.allocation_id() {
                    r.state.insert("AllocationId".into(), s(al));
                }
                if let Some(eni) = a.network_interface_id() {
                    r.state.insert("NetworkInterfaceId".into(), s(eni));
                }
                out.push(r);
            }
        }
        Err(e) => rc.note_failed(&e),
    }
    match sgs {
        Ok(pages) => {
            for g in pages.iter().flat_map(|p| p.security_groups()) {
                let Some(id) = g.group_id() else { continue };
                let mut r = res(
                    rc,
                    "AWS::EC2::SecurityGroup",
                    "security-group",
                    id,
                    g.tags(),
                );
                if let Some(arn) = g.security_group_arn() {
                    r.arn = Some(arn.to_string());
                    r.id = surveyor_model::ResourceId::new(arn);
                }
                if !r.tags.contains_key("Name") {
                    r.name = g.group_name().map(str::to_string);
                }
                attrs!(r, {
                    "GroupName" => g.group_name().map(s),
                    "GroupDescription" => g.description().map(s),
                    "VpcId" => g.vpc_id().map(s),
                    "SecurityGroupIngress" => Some(rules(g.ip_permissions(), false)),
                    "SecurityGroupEgress" => Some(rules(g.ip_permissions_egress(), true)),
                });
                if g.group_name() == Some("default") {
                    r.state.insert("IsDefault".into(), b(true));
                }
                out.push(r);
            }
        }
        Err(e) => rc.note_failed(&e),
    }
    match endpoints {
        Ok(pages) => {
            for ep in pages.iter().flat_map(|p| p.vpc_endpoints()) {
                let Some(id) = ep.vpc_endpoint_id() else {
                    continue;
                };
                let mut r = res(rc, "AWS::EC2::VPCEndpoint", "vpc-endpoint", id, ep.tags());
                attrs!(r, {
                    "VpcId" => ep.vpc_id().map(s),
                    "ServiceName" => ep.service_name().map(s),
                    "VpcEndpointType" => ep.vpc_endpoint_type().map(|t| s(t.as_str())),
                    "PrivateDnsEnabled" => ep.private_dns_enabled().map(b),
                    "RouteTableIds" => (!ep.route_table_ids().is_empty()).then(|| strs(ep.route_table_ids())),
                    "SubnetIds" => (!ep.subnet_ids().is_empty()).then(|| strs(ep.subnet_ids())),
                    "SecurityGroupIds" => (!ep.groups().is_empty()).then(|| list(ep.groups().iter().filter_map(|g| g.group_id().map(s)).collect::<Vec<_>>())),
                });
                if let Some(st) = ep.state() {
                    r.state.insert(k::STATE.into(), s(st.as_str()));
                }
                out.push(r);
            }
        }
        Err(e) => rc.note_failed(&e),
    }
    match enis {
        Ok(pages) => {
            for ni in pages.iter().flat_map(|p| p.network_interfaces()) {
                let Some(id) = ni.network_interface_id() else {
                    continue;
                };
                let desc = ni.description().unwrap_or("");
                let itype = ni.interface_type().map(|t| t.as_str()).unwrap_or("");
                // Only the interfaces that place tasks and functions: instances, load
                // balancers and NAT gateways are already resources of their own.
                let placement = itype == "lambda"
                    || desc.starts_with("AWS Lambda VPC ENI")
                    || desc.starts_with("arn:aws:ecs:")
                    || desc.contains("ecs-task");
                if !placement {
                    continue;
                }
                let mut r = res(
                    rc,
                    "AWS::EC2::NetworkInterface",
                    "network-interface",
                    id,
                    ni.tag_set(),
                );
                attrs!(r, {
                    "Description" => Some(desc).filter(|d| !d.is_empty()).map(s),
                    "SubnetId" => ni.subnet_id().map(s),
                    "GroupSet" => Some(list(ni.groups().iter().filter_map(|g| g.group_id().map(s)).collect::<Vec<_>>())),
                    "InterfaceType" => Some(itype).filter(|t| !t.is_empty()).map(s),
                });
                if let Some(ip) = ni.association().and_then(|a| a.public_ip()) {
                    r.state.insert(k::PUBLIC_IP.into(), s(ip));
                }
                if let Some(ip) = ni.private_ip_address() {
                    r.state.insert(k::PRIVATE_IP.into(), s(ip));
                }
                if let Some(st) = ni.status() {
                    r.state.insert(k::STATUS.into(), s(st.as_str()));
                }
                out.push(r);
            }
        }
        Err(e) => rc.note_failed(&e),
    }
    match instances {
        Ok(pages) => {
            for i in pages
                .iter()
                .flat_map(|p| p.reservations())
                .flat_map(|r| r.instances())
            {
                let Some(id) = i.instance_id() else { continue };
                let state = i
                    .state()
                    .and_then(|s| s.name())
                    .map(|n| n.as_str().to_string());
                if state.as_deref() == Some("terminated") {
                    continue;
                }
                let mut r = res(rc, "AWS::EC2::Instance", "instance", id, i.tags());
                attrs!(r, {
                    "ImageId" => i.image_id().map(s),
                    "InstanceType" => i.instance_type().map(|t| s(t.as_str())),
                    "SubnetId" => i.subnet_id().map(s),
                    "KeyName" => i.key_name().map(s),
                    "SecurityGroupIds" => Some(list(i.security_groups().iter().filter_map(|g| g.group_id().map(s)).collect::<Vec<_>>())),
                    "IamInstanceProfile" => i.iam_instance_profile().and_then(|p| p.arn()).map(s),
                    "AvailabilityZone" => i.placement().and_then(|p| p.availability_zone()).map(s),
                });
                if let Some(st) = state {
                    r.state.insert(k::STATE.into(), s(st));
                }
                if let Some(ip) = i.public_ip_address() {
                    r.state.insert(k::PUBLIC_IP.into(), s(ip));
                }
                if let Some(ip) = i.private_ip_address() {
                    r.state.insert(k::PRIVATE_IP.into(), s(ip));
                }
                if let Some(t) = i.launch_time() {
                    r.state
                        .insert(k::LAUNCH_TIME.into(), crate::runtime::datetime(t));
                }
                if let Some(vpc) = i.vpc_id() {
                    r.state.insert("VpcId".into(), s(vpc));
                }
                out.push(r);
            }
        }
        Err(e) => rc.note_failed(&e),
    }
    Ok(out)
}

/// Security group permissions as CloudFormation rule entries: one entry per source, as
/// `AWS::EC2::SecurityGroup` `SecurityGroupIngress`/`SecurityGroupEgress` items are written.
fn rules(perms: &[aws_sdk_ec2::types::IpPermission], egress: bool) -> Value {
    let mut out = Vec::new();
    for p in perms {
        let base = |extra: (&str, Value), desc: Option<&str>| {
            let port = |v: Option<i32>| v.filter(|_| p.ip_protocol() != Some("-1")).map(n);
            obj([
                ("IpProtocol", p.ip_protocol().map(s)),
                ("FromPort", port(p.from_port())),
                ("ToPort", port(p.to_port())),
                (extra.0, Some(extra.1)),
                ("Description", desc.map(s)),
            ])
        };
        for r in p.ip_ranges() {
            if let Some(c) = r.cidr_ip() {
                out.push(base(("CidrIp", s(c)), r.description()));
            }
        }
        for r in p.ipv6_ranges() {
            if let Some(c) = r.cidr_ipv6() {
                out.push(base(("CidrIpv6", s(c)), r.description()));
            }
        }
        for g in p.user_id_group_pairs() {
            if let Some(id) = g.group_id() {
                let key = if egress {
                    "DestinationSecurityGroupId"
                } else {
                    "SourceSecurityGroupId"
                };
                out.push(base((key, s(id)), g.description()));
            }
        }
        for pl in p.prefix_list_ids() {
            if let Some(id) = pl.prefix_list_id() {
                let key = if egress {
                    "DestinationPrefixListId"
                } else {
                    "SourcePrefixListId"
                };
                out.push(base((key, s(id)), pl.description()));
            }
        }
    }
    Value::List(out)
}
