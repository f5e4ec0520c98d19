locals {
  tasks = {
    thumbnails = module.thumbnails
    sitemap    = module.sitemap
  }
}

output "env" {
  description = "Environment name."
  value       = local.env
}

output "endpoint" {
  description = "The embedded AWS this state lives in."
  value       = var.endpoint
}

output "state_machine_arns" {
  description = "State machine ARN by task."
  value       = { for k, t in local.tasks : k => t.state_machine_arn }
}

output "runs_buckets" {
  description = "Runs bucket by task."
  value       = { for k, t in local.tasks : k => t.runs_bucket }
}

output "runs_bucket" {
  description = "Runs bucket of the demo's default task (thumbnails)."
  value       = module.thumbnails.runs_bucket
}

output "failure_topic_arns" {
  description = "Failure SNS topic ARN by task."
  value       = { for k, t in local.tasks : k => t.failure_topic_arn }
}

output "job_queue_arn" {
  description = "The shared job queue."
  value       = module.queue.job_queue_arns[local.queue_key]

  precondition {
    condition     = module.queue.job_queue_arns[local.queue_key] == local.job_queue_arn
    error_message = "The job queue's ARN differs from the one the tasks were given (${local.job_queue_arn})."
  }
}

output "tenant_manifest" {
  description = "S3 URI of the tenant manifest (written by the demo's seeding, not by Terraform)."
  value       = local.tenant_manifest
}

output "tenant_source" {
  description = "Same as tenant_manifest: the BGTASKS_TENANT_SOURCE of every task."
  value       = local.tenant_manifest
}

output "tenant_bucket" {
  description = "Bucket of the demo tenants' data."
  value       = aws_s3_bucket.tenants.bucket
}
