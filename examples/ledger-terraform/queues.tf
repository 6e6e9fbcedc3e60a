# One work queue with its dead-letter queue per pipeline stage.
module "queues" {
  source   = "./modules/queue"
  for_each = local.queues

  name              = "${local.name}-${each.key}"
  visibility_timeout = each.key == "reports" ? 900 : 120
  max_receive_count = 5
  tags              = local.tags
}

resource "aws_s3_bucket" "uploads" {
  bucket = "${local.name}-uploads"
}

resource "aws_s3_bucket_versioning" "uploads" {
  bucket = aws_s3_bucket.uploads.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_public_access_block" "uploads" {
  bucket                  = aws_s3_bucket.uploads.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_notification" "uploads" {
  bucket = aws_s3_bucket.uploads.id

  queue {
    queue_arn     = module.queues["ingest"].queue_arn
    events        = ["s3:ObjectCreated:*"]
    filter_prefix = "incoming/"
  }
}
