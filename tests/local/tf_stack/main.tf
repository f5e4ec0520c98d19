data "aws_iam_policy_document" "assume" {
  for_each = toset(["lambda", "states", "batch", "ec2", "scheduler"])
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["${each.key}.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "service" {
  for_each           = data.aws_iam_policy_document.assume
  name               = "${var.name}-${each.key}"
  assume_role_policy = each.value.json
}

resource "aws_iam_role_policy_attachment" "batch_service" {
  role       = aws_iam_role.service["batch"].name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSBatchServiceRole"
}

resource "aws_iam_instance_profile" "ecs" {
  name = "${var.name}-ecs"
  role = aws_iam_role.service["ec2"].name
}

data "aws_iam_policy_document" "states" {
  statement {
    actions   = ["lambda:InvokeFunction"]
    resources = [aws_lambda_function.metadata.arn]
  }
  statement {
    actions   = ["batch:SubmitJob", "batch:DescribeJobs", "batch:TerminateJob"]
    resources = ["*"]
  }
  statement {
    actions   = ["events:PutTargets", "events:PutRule", "events:DescribeRule"]
    resources = ["arn:aws:events:us-east-1:123456789012:rule/StepFunctionsGetEventsForBatchJobsRule"]
  }
  statement {
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.failures.arn]
  }
}

resource "aws_iam_role_policy" "states" {
  name   = "${var.name}-states"
  role   = aws_iam_role.service["states"].id
  policy = data.aws_iam_policy_document.states.json
}

# --- runs bucket: private, encrypted, lifecycle with size bounds inside And ---------------------
resource "aws_s3_bucket" "runs" {
  bucket        = "${var.name}-runs"
  force_destroy = true
}

resource "aws_s3_bucket_public_access_block" "runs" {
  bucket                  = aws_s3_bucket.runs.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "runs" {
  bucket = aws_s3_bucket.runs.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "runs" {
  bucket = aws_s3_bucket.runs.id
  rule {
    id     = "expire-small-run-objects"
    status = "Enabled"
    filter {
      and {
        prefix                   = "runs/"
        object_size_greater_than = 0
        object_size_less_than    = 1048576
      }
    }
    expiration {
      days = 30
    }
  }
}

resource "aws_sns_topic" "failures" {
  name = "${var.name}-failures"
}

resource "aws_secretsmanager_secret" "registry" {
  name                    = "${var.name}-registry"
  recovery_window_in_days = 0
}

# --- metadata function ------------------------------------------------------------------------
resource "aws_cloudwatch_log_group" "metadata" {
  name              = "/aws/lambda/${var.name}-metadata"
  retention_in_days = 14
}

resource "aws_lambda_function" "metadata" {
  function_name    = "${var.name}-metadata"
  role             = aws_iam_role.service["lambda"].arn
  runtime          = "python3.11"
  handler          = "handler.handler"
  filename         = var.lambda_zip
  source_code_hash = filebase64sha256(var.lambda_zip)
  timeout          = 60
  environment {
    variables = {
      RUNS_BUCKET = aws_s3_bucket.runs.bucket
    }
  }
  depends_on = [aws_cloudwatch_log_group.metadata]
}

# --- network and compute ----------------------------------------------------------------------
resource "aws_vpc" "this" {
  cidr_block = "10.20.0.0/16"
}

resource "aws_subnet" "this" {
  vpc_id     = aws_vpc.this.id
  cidr_block = "10.20.1.0/24"
}

resource "aws_security_group" "batch" {
  name   = "${var.name}-batch"
  vpc_id = aws_vpc.this.id
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_launch_template" "spot" {
  name_prefix = "${var.name}-spot-"
  user_data = base64encode(join("\r\n", [
    "Content-Type: multipart/mixed; boundary=\"==BOUNDARY==\"",
    "MIME-Version: 1.0",
    "",
    "--==BOUNDARY==",
    "Content-Type: text/x-shellscript; charset=\"us-ascii\"",
    "",
    "#!/bin/bash",
    "echo ${var.user_data_marker}",
    "--==BOUNDARY==--",
    "",
  ]))
  tag_specifications {
    resource_type = "instance"
    tags = {
      Name = "${var.name}-batch"
    }
  }
  tags = {
    Project = "bgtasks"
  }
}

resource "aws_batch_compute_environment" "spot" {
  compute_environment_name_prefix = "${var.name}-spot-"
  type                            = "MANAGED"
  service_role                    = aws_iam_role.service["batch"].arn
  compute_resources {
    type                = "SPOT"
    allocation_strategy = "SPOT_PRICE_CAPACITY_OPTIMIZED"
    min_vcpus           = 0
    max_vcpus           = 2
    instance_type       = ["optimal"]
    instance_role       = aws_iam_instance_profile.ecs.arn
    subnets             = [aws_subnet.this.id]
    security_group_ids  = [aws_security_group.batch.id]
    launch_template {
      launch_template_id = aws_launch_template.spot.id
      version            = aws_launch_template.spot.latest_version
    }
  }
  lifecycle {
    create_before_destroy = true
  }
  depends_on = [aws_iam_role_policy_attachment.batch_service]
}

resource "aws_batch_job_queue" "this" {
  name     = "${var.name}-queue"
  state    = "ENABLED"
  priority = 1
  compute_environment_order {
    order               = 1
    compute_environment = aws_batch_compute_environment.spot.arn
  }
}

resource "aws_batch_job_definition" "worker" {
  name = "${var.name}-worker"
  type = "container"
  retry_strategy {
    attempts = 2
    evaluate_on_exit {
      on_exit_code = "3"
      action       = "RETRY"
    }
    evaluate_on_exit {
      on_exit_code = "*"
      action       = "EXIT"
    }
  }
  timeout {
    attempt_duration_seconds = 600
  }
  container_properties = jsonencode({
    image   = var.worker_image
    command = []
    resourceRequirements = [
      { type = "VCPU", value = "1" },
      { type = "MEMORY", value = "512" },
    ]
    environment = [{ name = "BGTASKS_MAX_FAILED_SHARE", value = "0.1" }]
  })
}

resource "aws_batch_job_definition" "multinode" {
  name = "${var.name}-multinode"
  type = "multinode"
  node_properties = jsonencode({
    mainNode = 0
    numNodes = 2
    nodeRangeProperties = [{
      targetNodes = "0:"
      container = {
        image   = var.worker_image
        command = ["true"]
        resourceRequirements = [
          { type = "VCPU", value = "1" },
          { type = "MEMORY", value = "512" },
        ]
      }
    }]
  })
}

# --- workflow and its schedule ----------------------------------------------------------------
resource "aws_sfn_state_machine" "this" {
  name     = "${var.name}-thumbnails"
  role_arn = aws_iam_role.service["states"].arn
  definition = jsonencode({
    StartAt = "Plan"
    States = {
      Plan = {
        Type       = "Task"
        Resource   = "arn:aws:states:::lambda:invoke"
        Parameters = { FunctionName = aws_lambda_function.metadata.arn, "Payload.$" = "$" }
        ResultPath = "$.plan"
        Next       = "RunChunks"
      }
      RunChunks = {
        Type     = "Task"
        Resource = "arn:aws:states:::batch:submitJob.sync"
        Parameters = {
          JobName         = "chunks"
          JobQueue        = aws_batch_job_queue.this.arn
          JobDefinition   = aws_batch_job_definition.worker.arn
          ArrayProperties = { "Size.$" = "$.plan.Payload.size" }
        }
        Catch = [{ ErrorEquals = ["States.ALL"], Next = "Notify" }]
        End   = true
      }
      Notify = {
        Type       = "Task"
        Resource   = "arn:aws:states:::sns:publish"
        Parameters = { TopicArn = aws_sns_topic.failures.arn, Message = "run failed" }
        Next       = "Failed"
      }
      Failed = { Type = "Fail", Error = "RunFailed" }
    }
  })
  depends_on = [aws_iam_role_policy.states]
}

data "aws_iam_policy_document" "scheduler" {
  statement {
    actions   = ["states:StartExecution"]
    resources = [aws_sfn_state_machine.this.arn]
  }
}

resource "aws_iam_role_policy" "scheduler" {
  name   = "${var.name}-scheduler"
  role   = aws_iam_role.service["scheduler"].id
  policy = data.aws_iam_policy_document.scheduler.json
}

resource "aws_scheduler_schedule" "nightly" {
  name                = "${var.name}-nightly"
  schedule_expression = "cron(0 3 * * ? *)"
  state               = "ENABLED"
  flexible_time_window {
    mode = "OFF"
  }
  target {
    arn      = aws_sfn_state_machine.this.arn
    role_arn = aws_iam_role.service["scheduler"].arn
    input    = jsonencode({ mode = "plan", size = 2 })
  }
}
