locals {
  name             = "${var.project}-${var.env}-${var.task_name}"
  tags             = merge(var.tags, { "bgtasks:task" = var.task_name })
  runs_bucket_name = coalesce(var.runs_bucket_name, "${local.name}-runs")
  chained          = var.chained_stages != null
  definition_file  = coalesce(var.definition_file, "${path.module}/../../statemachines/${local.chained ? "chained-stages" : "background-task"}.asl.json")

  # Stage A is the worker; stages B and C only with chained_stages.
  stages = merge(
    { worker = var.worker },
    local.chained ? { stage_b = var.chained_stages.stage_b, stage_c = var.chained_stages.stage_c } : {},
  )

  # arn:<partition>:batch:<region>:<account>:job-queue/<name>
  partition          = split(":", var.job_queue_arn)[1]
  runs_bucket_arn    = "arn:${local.partition}:s3:::${local.runs_bucket_name}"
  tenant_bucket_arns = [for b in var.tenant_bucket_names : "arn:${local.partition}:s3:::${b}"]
}

# --- planning: the metadata function and the runs bucket -------------------------------------

module "metadata_function" {
  source = "../metadata-function"

  create              = var.create
  name                = "${local.name}-metadata"
  zip_path            = var.lambda_zip_path
  task_name           = var.task_name
  tenant_source       = var.tenant_source
  tenant_bucket_names = var.tenant_bucket_names
  max_chunks          = var.max_chunks
  startup_cost        = var.startup_cost
  workers             = var.workers
  runs_bucket_name    = local.runs_bucket_name
  runs_retention_days = var.runs_retention_days
  force_destroy       = var.force_destroy
  enforce_tls         = var.enforce_tls
  log_retention_days  = var.log_retention_days
  tags                = local.tags
}

# --- the worker's job role: its run's chunks and results, the task's tenant buckets ----------

data "aws_iam_policy_document" "worker_assume" {
  count = var.create ? 1 : 0

  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "worker" {
  count = var.create ? 1 : 0

  name               = "${local.name}-worker"
  assume_role_policy = data.aws_iam_policy_document.worker_assume[0].json
  tags               = local.tags
}

data "aws_iam_policy_document" "worker" {
  count = var.create ? 1 : 0

  statement {
    sid       = "ListRuns"
    actions   = ["s3:ListBucket"]
    resources = [local.runs_bucket_arn]
    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["runs/*"]
    }
  }

  statement {
    sid       = "ReadChunks"
    actions   = ["s3:GetObject"]
    resources = ["${local.runs_bucket_arn}/runs/*/chunks/*"]
  }

  statement {
    sid       = "WriteResults"
    actions   = ["s3:GetObject", "s3:PutObject"]
    resources = ["${local.runs_bucket_arn}/runs/*/results/*"]
  }

  dynamic "statement" {
    for_each = length(local.tenant_bucket_arns) == 0 ? [] : [1]
    content {
      sid       = "ListTenantBuckets"
      actions   = ["s3:ListBucket"]
      resources = local.tenant_bucket_arns
    }
  }

  dynamic "statement" {
    for_each = length(local.tenant_bucket_arns) == 0 ? [] : [1]
    content {
      sid       = "ReadWriteTenantObjects"
      actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
      resources = [for a in local.tenant_bucket_arns : "${a}/*"]
    }
  }
}

resource "aws_iam_role_policy" "worker" {
  count = var.create ? 1 : 0

  name   = "worker"
  role   = aws_iam_role.worker[0].id
  policy = data.aws_iam_policy_document.worker[0].json
}

module "job_definition" {
  source = "../batch-job"

  create = var.create
  name   = local.name
  tags   = local.tags

  job_definitions = { for k, st in local.stages : k => {
    image           = st.image
    command         = st.command
    vcpus           = st.vcpus
    memory          = st.memory
    attempts        = st.attempts
    timeout_seconds = st.timeout_seconds
    environment     = st.environment
    job_role_arn    = try(aws_iam_role.worker[0].arn, null)
    # The worker exits 75 for transient trouble (S3 errors), worth another attempt (worker/README.md).
    retry_on_exit_codes = ["75"]
  } }
}

# --- the workflow ----------------------------------------------------------------------------

module "workflow" {
  source = "../workflow"

  create          = var.create
  name            = local.name
  tags            = local.tags
  definition_file = local.definition_file
  definition_variables = merge({
    metadata_function_arn = coalesce(module.metadata_function.function_arn, "unused")
    job_queue_arn         = var.job_queue_arn
    job_definition_arn    = coalesce(try(module.job_definition.job_definition_arns["worker"], null), "unused")
    task_name             = var.task_name
    max_chunks            = tostring(var.max_chunks)
    }, !local.chained ? {} : {
    stage_b_job_definition_arn = coalesce(try(module.job_definition.job_definition_arns["stage_b"], null), "unused")
    stage_c_job_definition_arn = coalesce(try(module.job_definition.job_definition_arns["stage_c"], null), "unused")
  })

  service_integrations = {
    # Lists of known length (the ARNs themselves are known only after apply).
    lambda = { function_arns = var.create ? [module.metadata_function.function_arn] : [] }
    batch_sync = {
      job_queue_arns              = [var.job_queue_arn]
      job_definition_arn_prefixes = var.create ? [for k in keys(local.stages) : module.job_definition.job_definition_arn_prefixes[k]] : []
    }
  }

  schedule = var.schedule
  logging = {
    level          = var.log_level
    retention_days = var.log_retention_days
  }
}
