"""A small account: a queue with a dead-letter queue, a topic, a bucket and a function.

usage: small.py ACCOUNT_ID"""

import json
import sys

from common import client, emit, lambda_zip, session

ACCOUNT = sys.argv[1] if len(sys.argv) > 1 else "210987654329"
s, creds = session(ACCOUNT)
sqs = client(s, "sqs")
dlq = sqs.create_queue(QueueName="small-dlq")["QueueUrl"]
dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
q = sqs.create_queue(
    QueueName="small",
    Attributes={"RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": "3"})},
)["QueueUrl"]
sqs.send_message(QueueUrl=dlq, MessageBody="poison")
topic = client(s, "sns").create_topic(Name="small-topic")["TopicArn"]
client(s, "s3").create_bucket(Bucket=f"small-{ACCOUNT}")
iam = client(s, "iam")
trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
role = iam.create_role(RoleName="small-fn", AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
client(s, "lambda").create_function(
    FunctionName="small-fn", Runtime="nodejs20.x", Role=role, Handler="index.handler", Code={"ZipFile": lambda_zip()},
)
client(s, "logs").create_log_group(logGroupName="/aws/lambda/small-fn")
emit(creds, ACCOUNT, queue=q, dlq=dlq, dlq_arn=dlq_arn, topic=topic)
