import * as cdk from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';

export class NetworkStack extends cdk.Stack {
  public readonly vpc: ec2.Vpc;
  public readonly albSecurityGroup: ec2.SecurityGroup;
  public readonly serviceSecurityGroup: ec2.SecurityGroup;
  public readonly workerSecurityGroup: ec2.SecurityGroup;
  public readonly dbSecurityGroup: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, props: cdk.StackProps) {
    super(scope, id, props);

    // 2 AZs, one NAT gateway (cost over availability).
    this.vpc = new ec2.Vpc(this, 'Vpc', {
      vpcName: 'orders-vpc',
      ipAddresses: ec2.IpAddresses.cidr('10.40.0.0/16'),
      maxAzs: 2,
      natGateways: 1,
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
        { name: 'app', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 22 },
        { name: 'data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 26 },
      ],
    });

    this.albSecurityGroup = new ec2.SecurityGroup(this, 'AlbSg', {
      vpc: this.vpc,
      securityGroupName: 'orders-alb',
      description: 'Public load balancer',
      allowAllOutbound: true,
    });
    this.albSecurityGroup.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(80), 'HTTP from anywhere (redirected)');
    this.albSecurityGroup.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS from anywhere');

    this.serviceSecurityGroup = new ec2.SecurityGroup(this, 'ServiceSg', {
      vpc: this.vpc,
      securityGroupName: 'orders-api',
      description: 'API tasks',
    });
    this.serviceSecurityGroup.addIngressRule(this.albSecurityGroup, ec2.Port.tcp(8080), 'API from the load balancer');

    this.workerSecurityGroup = new ec2.SecurityGroup(this, 'WorkerSg', {
      vpc: this.vpc,
      securityGroupName: 'orders-worker',
      description: 'Ingest worker tasks (no inbound)',
    });

    this.dbSecurityGroup = new ec2.SecurityGroup(this, 'DbSg', {
      vpc: this.vpc,
      securityGroupName: 'orders-db',
      description: 'Postgres',
      allowAllOutbound: false,
    });
    this.dbSecurityGroup.addIngressRule(this.serviceSecurityGroup, ec2.Port.tcp(5432), 'Postgres from the API');
    this.dbSecurityGroup.addIngressRule(this.workerSecurityGroup, ec2.Port.tcp(5432), 'Postgres from the worker');

    new cdk.CfnOutput(this, 'VpcId', { value: this.vpc.vpcId });
  }
}
