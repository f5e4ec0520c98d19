data "aws_partition" "current" {
  count = var.create ? 1 : 0
}

data "aws_region" "current" {
  count = var.create ? 1 : 0
}

data "aws_caller_identity" "current" {
  count = var.create && startswith(var.tenant_source, "dynamodb://") ? 1 : 0
}

locals {
  partition = try(data.aws_partition.current[0].partition, "aws")
  region    = try(data.aws_region.current[0].name, "")

  tenant_source_is_s3 = startswith(var.tenant_source, "s3://")
  # s3://bucket/key -> arn:aws:s3:::bucket/key ; dynamodb://table -> the table's ARN
  tenant_source_arn = (local.tenant_source_is_s3
    ? "arn:${local.partition}:s3:::${trimprefix(var.tenant_source, "s3://")}"
    : "arn:${local.partition}:dynamodb:${local.region}:${try(data.aws_caller_identity.current[0].account_id, "")}:table/${trimprefix(var.tenant_source, "dynamodb://")}"
  )

  runs_bucket_arn = "arn:${local.partition}:s3:::${var.runs_bucket_name}"
  log_group_name  = "/aws/lambda/${var.name}"

  function_environment = merge(var.environment, {
    BGTASKS_RUNS_BUCKET     = var.runs_bucket_name
    BGTASKS_TENANT_SOURCE   = var.tenant_source
    BGTASKS_TASK            = var.task_name
    BGTASKS_MAX_CHUNKS      = tostring(var.max_chunks)
    BGTASKS_STARTUP_COST    = tostring(var.startup_cost)
    BGTASKS_ALLOWED_BUCKETS = join(",", var.tenant_bucket_names)
    }, var.workers == null ? {} : {
    BGTASKS_WORKERS = tostring(var.workers)
  })
}

# --- runs bucket: versioned, encrypted, private, TLS only, old runs expire -------------------

resource "aws_s3_bucket" "runs" {
  #checkov:skip=CKV2_AWS_61:lifecycle rules are on by default (runs_retention_days); off only for throwaway local stacks
  #checkov:skip=CKV_AWS_18:run artefacts are written only by this task's roles; CloudTrail data events are the audit trail
  #checkov:skip=CKV_AWS_144:runs are reproducible from the tenant data; cross-region replication is not worth its cost
  #checkov:skip=CKV2_AWS_62:nothing consumes object events; the state machine reads the run report directly
  count = var.create ? 1 : 0

  bucket        = var.runs_bucket_name
  force_destroy = var.force_destroy
  tags          = var.tags
}

resource "aws_s3_bucket_public_access_block" "runs" {
  count = var.create ? 1 : 0

  bucket                  = aws_s3_bucket.runs[0].id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "runs" {
  count = var.create ? 1 : 0

  bucket = aws_s3_bucket.runs[0].id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "runs" {
  #checkov:skip=CKV_AWS_145:SSE-S3 by default; pass kms_key_arn for a customer managed key
  count = var.create ? 1 : 0

  bucket = aws_s3_bucket.runs[0].id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = var.kms_key_arn == null ? "AES256" : "aws:kms"
      kms_master_key_id = var.kms_key_arn
    }
    bucket_key_enabled = var.kms_key_arn != null
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "runs" {
  count = var.create && var.runs_retention_days != null ? 1 : 0

  bucket = aws_s3_bucket.runs[0].id

  rule {
    id     = "expire-old-runs"
    status = "Enabled"
    filter {
      prefix = "runs/"
    }
    expiration {
      days = var.runs_retention_days
    }
  }

  rule {
    id     = "tidy-versions-and-uploads"
    status = "Enabled"
    # Every object: an explicit empty prefix, which is what S3 (and moto) return for "{}"; the
    # provider waits for the rules it reads back to equal what it wrote.
    filter {
      prefix = ""
    }
    noncurrent_version_expiration {
      noncurrent_days = 7
    }
    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }

  depends_on = [aws_s3_bucket_versioning.runs]
}

data "aws_iam_policy_document" "runs_bucket" {
  count = var.create && var.enforce_tls ? 1 : 0

  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [local.runs_bucket_arn, "${local.runs_bucket_arn}/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "runs" {
  count = var.create && var.enforce_tls ? 1 : 0

  bucket = aws_s3_bucket.runs[0].id
  policy = data.aws_iam_policy_document.runs_bucket[0].json

  # A bucket policy set before public access is blocked could be refused as public.
  depends_on = [aws_s3_bucket_public_access_block.runs]
}

# --- function role: its log group, the runs bucket, the tenant source ------------------------

data "aws_iam_policy_document" "assume" {
  count = var.create ? 1 : 0

  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "this" {
  count = var.create ? 1 : 0

  name               = "${var.name}-fn"
  assume_role_policy = data.aws_iam_policy_document.assume[0].json
  tags               = var.tags
}

data "aws_iam_policy_document" "function" {
  count = var.create ? 1 : 0

  statement {
    sid       = "WriteOwnLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.this[0].arn}:*"]
  }

  statement {
    sid       = "ListRunsBucket"
    actions   = ["s3:ListBucket"]
    resources = [local.runs_bucket_arn]
  }

  statement {
    sid       = "ReadWriteRuns"
    actions   = ["s3:GetObject", "s3:PutObject"]
    resources = ["${local.runs_bucket_arn}/runs/*", "${local.runs_bucket_arn}/state/*"]
  }

  dynamic "statement" {
    for_each = local.tenant_source_is_s3 ? [local.tenant_source_arn] : []
    content {
      sid       = "ReadTenantManifest"
      actions   = ["s3:GetObject"]
      resources = [statement.value]
    }
  }

  dynamic "statement" {
    for_each = local.tenant_source_is_s3 ? [] : [local.tenant_source_arn]
    content {
      sid       = "ReadTenantTable"
      actions   = ["dynamodb:Scan", "dynamodb:Query", "dynamodb:GetItem"]
      resources = [statement.value]
    }
  }

  dynamic "statement" {
    for_each = length(var.tenant_bucket_names) == 0 ? [] : [1]
    content {
      sid       = "ReadTenantBuckets"
      actions   = ["s3:ListBucket", "s3:GetObject"]
      resources = flatten([for b in var.tenant_bucket_names : ["arn:${local.partition}:s3:::${b}", "arn:${local.partition}:s3:::${b}/*"]])
    }
  }

  dynamic "statement" {
    for_each = var.kms_key_arn == null ? [] : [var.kms_key_arn]
    content {
      sid       = "UseRunsKey"
      actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
      resources = [statement.value]
    }
  }
}

resource "aws_iam_role_policy" "this" {
  count = var.create ? 1 : 0

  name   = "metadata-function"
  role   = aws_iam_role.this[0].id
  policy = data.aws_iam_policy_document.function[0].json
}

resource "aws_cloudwatch_log_group" "this" {
  #checkov:skip=CKV_AWS_158:logs hold run ids and counts, no tenant data; pass kms_key_arn for a customer managed key
  #checkov:skip=CKV_AWS_338:operational logs; retention is a variable (default 30 days)
  count = var.create ? 1 : 0

  name              = local.log_group_name
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
  tags              = var.tags
}

# --- the function ----------------------------------------------------------------------------

resource "aws_lambda_function" "this" {
  #checkov:skip=CKV_AWS_116:invoked synchronously by Step Functions, which retries and catches its errors; a DLQ would never receive anything
  #checkov:skip=CKV_AWS_117:talks only to S3 (and DynamoDB) through public endpoints; no VPC resources to reach
  #checkov:skip=CKV_AWS_115:one invocation per run and mode; Step Functions bounds the concurrency
  #checkov:skip=CKV_AWS_173:environment holds bucket names and numbers, no secrets
  #checkov:skip=CKV_AWS_272:the zip is built deterministically by the project and deployed by Terraform; no signing profile
  #checkov:skip=CKV_AWS_50:X-Ray tracing is off to keep the role minimal; runs are traced through Step Functions history
  count = var.create ? 1 : 0

  function_name    = var.name
  description      = "bgtasks ${var.task_name}: plans balanced chunks and summarises runs"
  role             = aws_iam_role.this[0].arn
  handler          = var.handler
  runtime          = var.runtime
  filename         = var.zip_path
  source_code_hash = filebase64sha256(var.zip_path)
  timeout          = var.timeout
  memory_size      = var.memory_size
  tags             = var.tags

  environment {
    variables = local.function_environment
  }

  # The log group exists first (Lambda would otherwise create it without retention), and the
  # role can write to it and read the bucket before the first invocation.
  depends_on = [aws_cloudwatch_log_group.this, aws_iam_role_policy.this]
}
