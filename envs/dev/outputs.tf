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
}

output "compute_environment_arns" {
  description = "Compute environments in queue order (Spot, then On-Demand)."
  value       = module.compute.compute_environment_arns
}
