#!/usr/bin/env node
import * as cdk from 'aws-cdk-lib';
import { NetworkStack } from '../lib/network-stack';
import { DataStack } from '../lib/data-stack';
import { ServiceStack } from '../lib/service-stack';
import { OpsStack } from '../lib/ops-stack';

const app = new cdk.App();

// One account, one region: the "orders" production environment.
const env = { account: '111111111111', region: 'us-east-2' };

const network = new NetworkStack(app, 'OrdersNetwork', {
  env,
  description: 'orders: VPC, subnets, NAT and security groups',
});

const data = new DataStack(app, 'OrdersData', {
  env,
  description: 'orders: Postgres, uploads bucket, ingest queue, orders table',
  vpc: network.vpc,
  dbSecurityGroup: network.dbSecurityGroup,
});

const service = new ServiceStack(app, 'OrdersService', {
  env,
  description: 'orders: ALB, API and worker on Fargate, events function',
  vpc: network.vpc,
  albSecurityGroup: network.albSecurityGroup,
  serviceSecurityGroup: network.serviceSecurityGroup,
  workerSecurityGroup: network.workerSecurityGroup,
  database: data.database,
  ingestQueue: data.ingestQueue,
  ordersTable: data.ordersTable,
  uploadsBucket: data.uploadsBucket,
});

const ops = new OpsStack(app, 'OrdersOps', {
  env,
  description: 'orders: alarms and the ops alert topic',
  ingestDlq: data.ingestDlq,
  loadBalancer: service.loadBalancer,
  eventsFunction: service.eventsFunction,
});
ops.addStackDependency(service, 'alarms watch the service');

cdk.Tags.of(app).add('app', 'orders');
cdk.Tags.of(app).add('env', 'prod');
