output "state_machine_arns" {
  description = "State machine ARN by task."
  value       = { for k, t in module.task : k => t.state_machine_arn }
}

output "runs_buckets" {
  description = "Runs bucket by task."
  value       = { for k, t in module.task : k => t.runs_bucket }
}

output "failure_topic_arns" {
  description = "Failure SNS topic ARN by task (subscribe the on-call channel)."
  value       = { for k, t in module.task : k => t.failure_topic_arn }
}

output "job_queue_arn" {
  description = "The shared job queue."
  value       = module.queue.job_queue_arns[local.queue_key]

  precondition {
    condition     = module.queue.job_queue_arns[local.queue_key] == local.job_queue_arn
    error_message = "The job queue's ARN differs from the one the tasks were given (${local.job_queue_arn})."
  }
}

output "compute_environment_arns" {
  description = "Compute environments in queue order (Spot, then On-Demand)."
  value       = module.compute.compute_environment_arns
}
