locals {
  definition = var.create ? templatefile(var.definition_file, merge(var.definition_variables, {
    failure_topic_arn = aws_sns_topic.failures[0].arn
  })) : null
  create_schedule = var.create && var.schedule != null
}

# --- failures --------------------------------------------------------------------------------

resource "aws_sns_topic" "failures" {
  count = var.create ? 1 : 0

  name              = "${var.name}-failures"
  kms_master_key_id = var.failure_topic_kms_key_id
  tags              = var.tags
}

# --- role: the chosen statements of the catalogue (locals.tf) --------------------------------

data "aws_iam_policy_document" "assume" {
  count = var.create ? 1 : 0

  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["states.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "this" {
  count = var.create ? 1 : 0

  name               = "${var.name}-sfn"
  assume_role_policy = data.aws_iam_policy_document.assume[0].json
  tags               = var.tags
}

data "aws_iam_policy_document" "this" {
  #checkov:skip=CKV_AWS_111:CloudWatch Logs delivery and batch:DescribeJobs accept only "*" (AWS documented policy); everything else is scoped
  #checkov:skip=CKV_AWS_356:same: the log delivery APIs and DescribeJobs have no resource-level permissions
  count = var.create ? 1 : 0

  dynamic "statement" {
    for_each = local.statements
    content {
      sid       = statement.value.sid
      actions   = statement.value.actions
      resources = statement.value.resources
    }
  }
}

resource "aws_iam_role_policy" "this" {
  count = var.create ? 1 : 0

  name   = "service-integrations"
  role   = aws_iam_role.this[0].id
  policy = data.aws_iam_policy_document.this[0].json
}

# --- logging ---------------------------------------------------------------------------------

resource "aws_cloudwatch_log_group" "this" {
  #checkov:skip=CKV_AWS_158:execution logs carry no execution data by default; pass kms_key_arn for a customer managed key
  #checkov:skip=CKV_AWS_338:operational logs; retention is a variable (default 30 days)
  count = var.create && var.logging.level != "OFF" ? 1 : 0

  name              = "/aws/vendedlogs/states/${var.name}"
  retention_in_days = var.logging.retention_days
  kms_key_id        = var.kms_key_arn
  tags              = var.tags
}

# --- the state machine -----------------------------------------------------------------------

resource "aws_sfn_state_machine" "this" {
  #checkov:skip=CKV_AWS_284:X-Ray adds cost and IAM for little: Batch and Lambda have their own logs, linked from the execution history
  count = var.create ? 1 : 0

  name       = var.name
  type       = var.type
  role_arn   = aws_iam_role.this[0].arn
  definition = local.definition
  tags       = var.tags

  dynamic "logging_configuration" {
    for_each = var.logging.level == "OFF" ? [] : [1]
    content {
      level                  = var.logging.level
      include_execution_data = var.logging.include_execution_data
      log_destination        = "${aws_cloudwatch_log_group.this[0].arn}:*"
    }
  }

  # Step Functions checks the role when the state machine is created (and the first execution
  # may start at once): the policy must be in place before.
  depends_on = [aws_iam_role_policy.this]

  lifecycle {
    precondition {
      condition     = !(var.type == "EXPRESS" && var.service_integrations.batch_sync != null)
      error_message = "EXPRESS state machines cannot wait for Batch jobs (.sync is STANDARD only): use type = \"STANDARD\" with batch_sync."
    }
  }
}

# --- schedule --------------------------------------------------------------------------------

data "aws_iam_policy_document" "scheduler_assume" {
  count = local.create_schedule ? 1 : 0

  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["scheduler.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "scheduler" {
  count = local.create_schedule ? 1 : 0

  name               = "${var.name}-schedule"
  assume_role_policy = data.aws_iam_policy_document.scheduler_assume[0].json
  tags               = var.tags
}

data "aws_iam_policy_document" "scheduler" {
  count = local.create_schedule ? 1 : 0

  statement {
    sid       = "StartExecution"
    actions   = ["states:StartExecution"]
    resources = [aws_sfn_state_machine.this[0].arn]
  }
}

resource "aws_iam_role_policy" "scheduler" {
  count = local.create_schedule ? 1 : 0

  name   = "start-execution"
  role   = aws_iam_role.scheduler[0].id
  policy = data.aws_iam_policy_document.scheduler[0].json
}

resource "aws_scheduler_schedule" "this" {
  #checkov:skip=CKV_AWS_297:the schedule holds only the target ARN and a tiny fixed input; the AWS owned key is enough
  count = local.create_schedule ? 1 : 0

  name                         = var.name
  description                  = "Starts ${var.name}"
  schedule_expression          = var.schedule.expression
  schedule_expression_timezone = var.schedule.timezone
  state                        = var.schedule.enabled ? "ENABLED" : "DISABLED"

  flexible_time_window {
    mode = "OFF"
  }

  target {
    arn      = aws_sfn_state_machine.this[0].arn
    role_arn = aws_iam_role.scheduler[0].arn
    input    = jsonencode(var.schedule.input)

    retry_policy {
      maximum_retry_attempts = 0 # a missed run is picked up by the next one
    }
  }
}
