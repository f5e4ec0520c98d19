# --- definition ------------------------------------------------------------------------------

output "state_machine_arn" {
  description = "ARN of the state machine."
  value       = try(aws_sfn_state_machine.this[0].arn, null)
}

output "state_machine_name" {
  description = "Name of the state machine (the operator CLI finds it by this name)."
  value       = try(aws_sfn_state_machine.this[0].name, null)
}

output "definition" {
  description = "The rendered ASL definition."
  value       = local.definition
}

# --- service integrations --------------------------------------------------------------------

output "role_arn" {
  description = "ARN of the state machine's role."
  value       = try(aws_iam_role.this[0].arn, null)
}

output "policy_statements" {
  description = "The IAM statements chosen from the catalogue (sid, actions, resources)."
  value       = var.create ? local.statements : []
}

# --- logging ---------------------------------------------------------------------------------

output "log_group_name" {
  description = "Log group of the executions (null when logging is OFF)."
  value       = try(aws_cloudwatch_log_group.this[0].name, null)
}

# --- schedule and failures -------------------------------------------------------------------

output "schedule_arn" {
  description = "ARN of the schedule (null when there is none)."
  value       = try(aws_scheduler_schedule.this[0].arn, null)
}

output "failure_topic_arn" {
  description = "ARN of the SNS topic the state machine notifies on failure."
  value       = try(aws_sns_topic.failures[0].arn, null)
}
