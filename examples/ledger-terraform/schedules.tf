resource "aws_iam_role" "scheduler" {
  name = "${local.name}-scheduler"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "scheduler.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_scheduler_schedule" "job" {
  for_each = { for s in local.schedules : s.name => s }

  name                = "${local.name}-${each.key}"
  schedule_expression = each.value.cron
  state               = each.value.enabled ? "ENABLED" : "DISABLED"

  flexible_time_window {
    mode = "OFF"
  }

  target {
    arn      = module.queues[each.value.queue].queue_arn
    role_arn = aws_iam_role.scheduler.arn
    input    = jsonencode({ job = each.key })
  }
}
