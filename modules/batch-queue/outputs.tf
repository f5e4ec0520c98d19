# --- queues ----------------------------------------------------------------------------------

output "job_queues" {
  description = "Job queues by key: `arn`, `name`, and the compute environment ARNs in order."
  value = { for k, q in aws_batch_job_queue.this : k => {
    arn                      = q.arn
    name                     = q.name
    compute_environment_arns = [for o in q.compute_environment_order : o.compute_environment]
  } }
}

output "job_queue_arns" {
  description = "Job queue ARNs by key."
  value       = { for k, q in aws_batch_job_queue.this : k => q.arn }
}

output "scheduling_policy_arns" {
  description = "Fair-share scheduling policy ARNs by queue key (only queues with fair_share)."
  value       = { for k, p in aws_batch_scheduling_policy.this : k => p.arn }
}
