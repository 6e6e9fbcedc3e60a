import * as cdk from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as lambdaEvents from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as route53Targets from 'aws-cdk-lib/aws-route53-targets';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subs from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';

export interface ServiceStackProps extends cdk.StackProps {
  vpc: ec2.IVpc;
  albSecurityGroup: ec2.ISecurityGroup;
  serviceSecurityGroup: ec2.ISecurityGroup;
  workerSecurityGroup: ec2.ISecurityGroup;
  database: rds.DatabaseInstance;
  ingestQueue: sqs.IQueue;
  ordersTable: dynamodb.ITable;
  uploadsBucket: s3.IBucket;
}

export class ServiceStack extends cdk.Stack {
  public readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  public readonly eventsFunction: lambda.Function;

  constructor(scope: Construct, id: string, props: ServiceStackProps) {
    super(scope, id, props);

    const zone = new route53.PublicHostedZone(this, 'Zone', { zoneName: 'orders.example.com' });
    const certificate = new acm.Certificate(this, 'ApiCertificate', {
      domainName: 'api.orders.example.com',
      validation: acm.CertificateValidation.fromDns(zone),
    });

    const cluster = new ecs.Cluster(this, 'Cluster', {
      clusterName: 'orders',
      vpc: props.vpc,
      containerInsightsV2: ecs.ContainerInsights.ENABLED,
    });

    const apiRepo = new ecr.Repository(this, 'ApiRepo', {
      repositoryName: 'orders-api',
      imageScanOnPush: true,
    });
    const workerRepo = new ecr.Repository(this, 'WorkerRepo', {
      repositoryName: 'orders-worker',
      imageScanOnPush: false,
    });

    // --- API: Fargate behind the public load balancer ---------------------
    const apiLogs = new logs.LogGroup(this, 'ApiLogs', {
      logGroupName: '/orders/api',
      retention: logs.RetentionDays.ONE_MONTH,
    });
    const apiTask = new ecs.FargateTaskDefinition(this, 'ApiTask', {
      family: 'orders-api',
      cpu: 512,
      memoryLimitMiB: 1024,
      runtimePlatform: { cpuArchitecture: ecs.CpuArchitecture.ARM64 },
    });
    apiTask.addContainer('api', {
      image: ecs.ContainerImage.fromEcrRepository(apiRepo, 'v1.8.2'),
      portMappings: [{ containerPort: 8080 }],
      environment: { TABLE_NAME: props.ordersTable.tableName, PORT: '8080' },
      secrets: { DB_PASSWORD: ecs.Secret.fromSecretsManager(props.database.secret!, 'password') },
      logging: ecs.LogDrivers.awsLogs({ logGroup: apiLogs, streamPrefix: 'api' }),
    });
    props.ordersTable.grantReadWriteData(apiTask.taskRole);

    const apiService = new ecs.FargateService(this, 'ApiService', {
      serviceName: 'orders-api',
      cluster,
      taskDefinition: apiTask,
      desiredCount: 2,
      securityGroups: [props.serviceSecurityGroup],
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      circuitBreaker: { rollback: true },
    });

    this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'Alb', {
      loadBalancerName: 'orders-alb',
      vpc: props.vpc,
      internetFacing: true,
      securityGroup: props.albSecurityGroup,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
    });
    this.loadBalancer.addListener('Http', {
      port: 80,
      open: false,
      defaultAction: elbv2.ListenerAction.redirect({ protocol: 'HTTPS', port: '443', permanent: true }),
    });
    const apiTargets = new elbv2.ApplicationTargetGroup(this, 'ApiTargets', {
      vpc: props.vpc,
      port: 8080,
      protocol: elbv2.ApplicationProtocol.HTTP,
      targets: [apiService],
      healthCheck: { path: '/api/health', healthyHttpCodes: '200' },
      deregistrationDelay: cdk.Duration.seconds(30),
    });
    this.loadBalancer.addListener('Https', {
      port: 443,
      open: false,
      certificates: [certificate],
      sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
      defaultAction: elbv2.ListenerAction.forward([apiTargets]),
    });

    new route53.ARecord(this, 'ApiRecord', {
      zone,
      recordName: 'api',
      target: route53.RecordTarget.fromAlias(new route53Targets.LoadBalancerTarget(this.loadBalancer)),
    });

    const webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      name: 'orders-api',
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: 'orders-api', sampledRequestsEnabled: true },
      rules: [{
        name: 'AWSManagedRulesCommonRuleSet',
        priority: 0,
        overrideAction: { none: {} },
        statement: { managedRuleGroupStatement: { vendorName: 'AWS', name: 'AWSManagedRulesCommonRuleSet' } },
        visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: 'common', sampledRequestsEnabled: true },
      }],
    });
    new wafv2.CfnWebACLAssociation(this, 'WebAclAlb', {
      resourceArn: this.loadBalancer.loadBalancerArn,
      webAclArn: webAcl.attrArn,
    });

    // --- Worker: Fargate consuming the ingest queue (no load balancer) ----
    const workerLogs = new logs.LogGroup(this, 'WorkerLogs', {
      logGroupName: '/orders/worker',
      retention: logs.RetentionDays.INFINITE,
    });
    const workerTask = new ecs.FargateTaskDefinition(this, 'WorkerTask', {
      family: 'orders-worker',
      cpu: 256,
      memoryLimitMiB: 512,
      runtimePlatform: { cpuArchitecture: ecs.CpuArchitecture.ARM64 },
    });
    workerTask.addContainer('worker', {
      image: ecs.ContainerImage.fromEcrRepository(workerRepo, 'v1.8.2'),
      environment: {
        QUEUE_URL: props.ingestQueue.queueUrl,
        BUCKET: props.uploadsBucket.bucketName,
        TABLE_NAME: props.ordersTable.tableName,
      },
      secrets: { DB_PASSWORD: ecs.Secret.fromSecretsManager(props.database.secret!, 'password') },
      logging: ecs.LogDrivers.awsLogs({ logGroup: workerLogs, streamPrefix: 'worker' }),
    });
    props.ingestQueue.grantConsumeMessages(workerTask.taskRole);
    props.uploadsBucket.grantRead(workerTask.taskRole);
    props.ordersTable.grantReadWriteData(workerTask.taskRole);

    new ecs.FargateService(this, 'WorkerService', {
      serviceName: 'orders-worker',
      cluster,
      taskDefinition: workerTask,
      desiredCount: 1,
      securityGroups: [props.workerSecurityGroup],
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    });

    // --- Events: topic -> queue -> function ------------------------------
    const eventsQueue = new sqs.Queue(this, 'EventsQueue', {
      queueName: 'orders-events',
      visibilityTimeout: cdk.Duration.seconds(90),
    });

    const notifications = new sns.Topic(this, 'Notifications', {
      topicName: 'orders-notifications',
    });
    notifications.addSubscription(new subs.SqsSubscription(eventsQueue, { rawMessageDelivery: true }));
    notifications.addSubscription(new subs.EmailSubscription('orders-team@example.com'));

    this.eventsFunction = new lambda.Function(this, 'EventsFunction', {
      functionName: 'orders-events-handler',
      runtime: lambda.Runtime.PYTHON_3_12,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: lambda.Code.fromInline([
        'import json',
        'def handler(event, context):',
        '    records = event.get("Records", [])',
        '    for r in records:',
        '        print(json.dumps({"event": r.get("body", "")[:200]}))',
        '    return {"processed": len(records)}',
      ].join('\n')),
      timeout: cdk.Duration.seconds(30),
      memorySize: 256,
      environment: { TABLE_NAME: props.ordersTable.tableName },
    });
    this.eventsFunction.addEventSource(new lambdaEvents.SqsEventSource(eventsQueue, { batchSize: 10 }));
    props.ordersTable.grantReadData(this.eventsFunction);

    new events.Rule(this, 'NightlyReport', {
      ruleName: 'orders-nightly-report',
      description: 'Nightly order report at 03:00 UTC',
      schedule: events.Schedule.cron({ minute: '0', hour: '3' }),
      targets: [new targets.LambdaFunction(this.eventsFunction)],
    });

    new scheduler.Schedule(this, 'WeeklyReconcile', {
      scheduleName: 'orders-weekly-reconcile',
      description: 'Weekly reconciliation (paused)',
      schedule: scheduler.ScheduleExpression.cron({ minute: '30', hour: '4', weekDay: 'MON' }),
      target: new schedulerTargets.LambdaInvoke(this.eventsFunction, {}),
      enabled: false,
    });

    new ssm.StringParameter(this, 'ApiUrlParam', {
      parameterName: '/orders/api/url',
      stringValue: 'https://api.orders.example.com',
    });
    new ssm.StringParameter(this, 'IngestQueueUrlParam', {
      parameterName: '/orders/ingest/queue-url',
      stringValue: props.ingestQueue.queueUrl,
    });

    new cdk.CfnOutput(this, 'ApiUrl', { value: 'https://api.orders.example.com' });
    new cdk.CfnOutput(this, 'AlbDnsName', { value: this.loadBalancer.loadBalancerDnsName });
    // Used by the hand-written CloudFormation in ../cloudformation/edge.yaml.
    new cdk.CfnOutput(this, 'HostedZoneId', { value: zone.hostedZoneId, exportName: 'orders-hosted-zone-id' });
  }
}
