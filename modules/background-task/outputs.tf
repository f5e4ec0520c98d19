# --- module ----------------------------------------------------------------------------------

output "name" {
  description = "`<project>-<env>-<task>`: the state machine's name and every other name's prefix."
  value       = local.name
}

# --- worker ----------------------------------------------------------------------------------

output "job_definition_arn" {
  description = "ARN (with revision) of the worker's job definition."
  value       = try(module.job_definition.job_definition_arns["worker"], null)
}

output "job_definition_arns" {
  description = "Job definition ARNs by stage: `worker` (stage A), and `stage_b`, `stage_c` with chained_stages."
  value       = module.job_definition.job_definition_arns
}

output "worker_role_arn" {
  description = "ARN of the worker's job role."
  value       = try(aws_iam_role.worker[0].arn, null)
}

# --- planning --------------------------------------------------------------------------------

output "metadata_function_arn" {
  description = "ARN of the metadata function."
  value       = module.metadata_function.function_arn
}

output "runs_bucket" {
  description = "Name of the runs bucket."
  value       = module.metadata_function.runs_bucket_name
}

# --- workflow --------------------------------------------------------------------------------

output "state_machine_arn" {
  description = "ARN of the task's state machine."
  value       = module.workflow.state_machine_arn
}

output "state_machine_name" {
  description = "Name of the task's state machine (`<project>-<env>-<task>`)."
  value       = module.workflow.state_machine_name
}

output "failure_topic_arn" {
  description = "ARN of the SNS topic notified when a run fails."
  value       = module.workflow.failure_topic_arn
}

output "schedule_arn" {
  description = "ARN of the schedule (null when there is none)."
  value       = module.workflow.schedule_arn
}
