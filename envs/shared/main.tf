provider "aws" {
  region = var.region

  default_tags {
    tags = merge(var.tags, {
      "bgtasks:project" = var.project
      "bgtasks:env"     = var.env
    })
  }
}

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

locals {
  name            = "${var.project}-${var.env}"
  account_id      = data.aws_caller_identity.current.account_id
  lambda_zip_path = coalesce(var.lambda_zip_path, "${path.root}/../../build/metadata-function.zip")

  # Known before the queue exists, so the tasks are built during the provider's queue wait.
  queue_key     = "main"
  job_queue_arn = "arn:${data.aws_partition.current.partition}:batch:${var.region}:${local.account_id}:job-queue/${local.name}-${local.queue_key}"
}

# --- shared compute: Spot first, On-Demand fallback when on_demand_max_vcpus > 0 -------------

module "compute" {
  source = "../../modules/batch-compute"

  name                 = local.name
  vpc_id               = var.vpc_id
  subnet_ids           = var.subnet_ids
  max_vcpus            = var.spot_max_vcpus
  instance_types       = var.instance_types
  registry_credentials = var.registry_secret_arn == null ? null : { secret_arn = var.registry_secret_arn }
  on_demand = {
    enabled   = var.on_demand_max_vcpus > 0
    max_vcpus = max(var.on_demand_max_vcpus, 1)
  }
}

module "queue" {
  source = "../../modules/batch-queue"

  name = local.name
  job_queues = {
    (local.queue_key) = { compute_environment_arns = module.compute.compute_environment_arns }
  }
}

# --- the tasks -------------------------------------------------------------------------------

module "task" {
  source   = "../../modules/background-task"
  for_each = var.tasks

  project       = var.project
  env           = var.env
  task_name     = each.key
  job_queue_arn = local.job_queue_arn
  worker = {
    image           = each.value.worker_image
    vcpus           = each.value.vcpus
    memory          = each.value.memory
    timeout_seconds = each.value.timeout_seconds
  }
  lambda_zip_path     = local.lambda_zip_path
  tenant_source       = each.value.tenant_source
  tenant_bucket_names = each.value.tenant_bucket_names
  max_chunks          = each.value.max_chunks
  startup_cost        = each.value.startup_cost
  # The planner balances for the job slots of the Spot environment, the one that runs first.
  workers = max(1, floor(var.spot_max_vcpus / each.value.vcpus))
  # Bucket names are global: the account id keeps them unique.
  runs_bucket_name = "${var.project}-${var.env}-${each.key}-runs-${local.account_id}"
  log_level        = each.value.log_level
  schedule = each.value.schedule == null ? null : {
    expression = each.value.schedule
    enabled    = each.value.schedule_enabled
  }
}
