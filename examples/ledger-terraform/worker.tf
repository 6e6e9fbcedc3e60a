resource "aws_iam_role" "worker" {
  name = "${local.name}-worker"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_lambda_function" "worker" {
  for_each = local.queues

  function_name = "${local.name}-${each.key}-worker"
  role          = aws_iam_role.worker.arn
  runtime       = "python3.12"
  handler       = "worker.handler"
  s3_bucket     = "ledger-artifacts"
  s3_key        = "worker/${each.key}.zip"
  timeout       = 60
  memory_size   = 512

  vpc_config {
    subnet_ids         = module.vpc.private_subnet_ids
    security_group_ids = [aws_security_group.api.id]
  }

  environment {
    variables = {
      STAGE = upper(each.key)
    }
  }
}

resource "aws_lambda_event_source_mapping" "worker" {
  for_each = local.queues

  event_source_arn = module.queues[each.key].queue_arn
  function_name    = aws_lambda_function.worker[each.key].arn
  batch_size       = 10
}

resource "aws_iam_role_policy_attachment" "worker_sqs" {
  role       = aws_iam_role.worker.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole"
}
