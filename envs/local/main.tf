locals {
  project = "bgtasks"
  env     = "local"
  name    = "${local.project}-${local.env}"

  lambda_zip_path = coalesce(var.lambda_zip_path, "${path.root}/../../build/metadata-function.zip")
  tenant_manifest = "s3://${aws_s3_bucket.config.bucket}/tenants.json"

  # The queue's ARN is known before the queue exists. Handing the tasks this string instead of
  # the resource's attribute lets the state machines, functions and buckets be created while the
  # provider sits in its fixed 30 s wait after CreateJobQueue (DESIGN.md §9). AWS does not check
  # ARNs inside a definition or a policy when they are created. Output job_queue_arn compares them.
  queue_key     = "main"
  job_queue_arn = "arn:aws:batch:${var.region}:${data.aws_caller_identity.current.account_id}:job-queue/${local.name}-${local.queue_key}"
}

data "aws_caller_identity" "current" {}

# --- network ---------------------------------------------------------------------------------

resource "aws_vpc" "this" {
  #checkov:skip=CKV2_AWS_11:embedded AWS only: no traffic exists to log
  #checkov:skip=CKV2_AWS_12:the default security group is unused; the compute module brings its own
  cidr_block = "10.42.0.0/16"
  tags       = { Name = local.name }
}

resource "aws_subnet" "batch" {
  vpc_id     = aws_vpc.this.id
  cidr_block = "10.42.0.0/20"
  tags       = { Name = "${local.name}-batch" }
}

# --- the Batch service-linked role (the embedded AWS has none until it is created) -----------

resource "aws_iam_service_linked_role" "batch" {
  aws_service_name = "batch.amazonaws.com"
}

# --- registry credentials: the secret exists; its value is set out of band, never here -------

resource "aws_secretsmanager_secret" "registry" {
  #checkov:skip=CKV2_AWS_57:registry tokens are rotated by the registry's owner, not by a Lambda
  #checkov:skip=CKV_AWS_149:embedded AWS: the AWS managed key is enough for a local secret
  name                    = "${local.name}-registry"
  description             = "Private registry auth data read by Batch instances at boot"
  recovery_window_in_days = 0
}

# --- shared compute: Spot only, a few vCPUs --------------------------------------------------

module "compute" {
  source = "../../modules/batch-compute"

  name                 = local.name
  vpc_id               = aws_vpc.this.id
  subnet_ids           = [aws_subnet.batch.id]
  max_vcpus            = var.max_vcpus
  registry_credentials = { secret_arn = aws_secretsmanager_secret.registry.arn }
  service_role_arn     = aws_iam_service_linked_role.batch.arn
}

module "queue" {
  source = "../../modules/batch-queue"

  name = local.name
  job_queues = {
    (local.queue_key) = { compute_environment_arns = module.compute.compute_environment_arns }
  }
}

# --- tenants: the manifest's bucket and the demo tenants' data -------------------------------

resource "aws_s3_bucket" "config" {
  #checkov:skip=CKV_AWS_18:embedded AWS only: no access logs to keep
  #checkov:skip=CKV_AWS_144:embedded AWS only: no second region
  #checkov:skip=CKV_AWS_21:demo data, rewritten by every make demo
  #checkov:skip=CKV2_AWS_61:demo data, deleted with the environment
  #checkov:skip=CKV2_AWS_62:nothing consumes object events
  #checkov:skip=CKV_AWS_145:embedded AWS only: SSE-S3 is enough
  bucket        = "${local.name}-config"
  force_destroy = true
}

resource "aws_s3_bucket" "tenants" {
  #checkov:skip=CKV_AWS_18:embedded AWS only: no access logs to keep
  #checkov:skip=CKV_AWS_144:embedded AWS only: no second region
  #checkov:skip=CKV_AWS_21:demo data, rewritten by every make demo
  #checkov:skip=CKV2_AWS_61:demo data, deleted with the environment
  #checkov:skip=CKV2_AWS_62:nothing consumes object events
  #checkov:skip=CKV_AWS_145:embedded AWS only: SSE-S3 is enough
  bucket        = "${local.name}-tenants"
  force_destroy = true
}

resource "aws_s3_bucket_public_access_block" "config" {
  bucket                  = aws_s3_bucket.config.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_public_access_block" "tenants" {
  bucket                  = aws_s3_bucket.tenants.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "config" {
  bucket = aws_s3_bucket.config.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "tenants" {
  bucket = aws_s3_bucket.tenants.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

# --- the tasks: one module block each --------------------------------------------------------

module "thumbnails" {
  source = "../../modules/background-task"

  project             = local.project
  env                 = local.env
  task_name           = "thumbnails"
  job_queue_arn       = local.job_queue_arn
  worker              = { image = var.worker_image, vcpus = 1, memory = 1024, timeout_seconds = 600 }
  lambda_zip_path     = local.lambda_zip_path
  tenant_source       = local.tenant_manifest
  tenant_bucket_names = [aws_s3_bucket.tenants.bucket]
  max_chunks          = 6
  force_destroy       = true
  # Throwaway stack: no lifecycle rules (the provider waits ~55 s after writing them).
  runs_retention_days = null
  # The embedded AWS speaks plain HTTP, and moto 5.2.1 treats the TLS-only Deny as matching
  # every request (it cannot evaluate aws:SecureTransport), so the policy would block all access.
  enforce_tls = false
  log_level   = "ALL"
  # Exercised but off: the embedded AWS fires enabled schedules itself.
  schedule = { expression = "cron(0 3 * * ? *)", enabled = false }
}

module "sitemap" {
  source = "../../modules/background-task"

  project             = local.project
  env                 = local.env
  task_name           = "sitemap"
  job_queue_arn       = local.job_queue_arn
  worker              = { image = var.worker_image, vcpus = 1, memory = 1024, timeout_seconds = 600 }
  lambda_zip_path     = local.lambda_zip_path
  tenant_source       = local.tenant_manifest
  tenant_bucket_names = [aws_s3_bucket.tenants.bucket]
  max_chunks          = 4
  force_destroy       = true
  # Throwaway stack: no lifecycle rules (the provider waits ~55 s after writing them).
  runs_retention_days = null
  # The embedded AWS speaks plain HTTP, and moto 5.2.1 treats the TLS-only Deny as matching
  # every request (it cannot evaluate aws:SecureTransport), so the policy would block all access.
  enforce_tls = false
  log_level   = "ALL"
}
