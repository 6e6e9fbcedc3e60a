import * as cdk from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface OpsStackProps extends cdk.StackProps {
  ingestDlq: sqs.IQueue;
  loadBalancer: elbv2.ApplicationLoadBalancer;
  eventsFunction: lambda.IFunction;
}

export class OpsStack extends cdk.Stack {
  constructor(scope: Construct, id: string, props: OpsStackProps) {
    super(scope, id, props);

    // Nobody has subscribed to this yet.
    const alerts = new sns.Topic(this, 'OpsAlerts', { topicName: 'orders-ops-alerts' });

    const dlqDepth = new cloudwatch.Alarm(this, 'IngestDlqDepth', {
      alarmName: 'orders-ingest-dlq-not-empty',
      alarmDescription: 'Messages are piling up in the ingest dead-letter queue',
      metric: props.ingestDlq.metricApproximateNumberOfMessagesVisible({ period: cdk.Duration.minutes(5) }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    dlqDepth.addAlarmAction(new cwActions.SnsAction(alerts));

    const alb5xx = new cloudwatch.Alarm(this, 'Alb5xx', {
      alarmName: 'orders-alb-5xx',
      metric: props.loadBalancer.metrics.httpCodeElb(elbv2.HttpCodeElb.ELB_5XX_COUNT, {
        period: cdk.Duration.minutes(1),
        statistic: 'Sum',
      }),
      threshold: 10,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alb5xx.addAlarmAction(new cwActions.SnsAction(alerts));

    // No action: fires silently.
    new cloudwatch.Alarm(this, 'EventsErrors', {
      alarmName: 'orders-events-handler-errors',
      metric: props.eventsFunction.metricErrors({ period: cdk.Duration.minutes(5) }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    });
  }
}
