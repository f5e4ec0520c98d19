# --- compute environments --------------------------------------------------------------------

output "spot_compute_environment_arn" {
  description = "ARN of the Spot compute environment (null when create = false)."
  value       = try(aws_batch_compute_environment.spot[0].arn, aws_batch_compute_environment.spot_legacy[0].arn, null)
}

output "on_demand_compute_environment_arn" {
  description = "ARN of the On-Demand fallback compute environment (null when disabled)."
  value       = try(aws_batch_compute_environment.on_demand[0].arn, null)
}

output "compute_environment_arns" {
  description = "Compute environment ARNs in queue order: Spot first, then On-Demand."
  value = compact([
    try(aws_batch_compute_environment.spot[0].arn, aws_batch_compute_environment.spot_legacy[0].arn, ""),
    try(aws_batch_compute_environment.on_demand[0].arn, ""),
  ])
}

output "compute_environment_types" {
  description = "Compute resource types in the same order as compute_environment_arns (SPOT, EC2)."
  value = compact([
    var.create ? "SPOT" : "",
    local.create_on_demand ? "EC2" : "",
  ])
}

output "update_mode" {
  description = "How a launch template change reaches the Spot compute environment: `in-place` or `replace`."
  value       = local.updatable_in_place ? "in-place" : "replace"
}

# --- launch template -------------------------------------------------------------------------

output "launch_template_id" {
  description = "ID of the launch template."
  value       = try(aws_launch_template.this[0].id, null)
}

output "launch_template_latest_version" {
  description = "Latest version of the launch template, the one the compute environments use."
  value       = try(aws_launch_template.this[0].latest_version, null)
}

output "user_data" {
  description = "The MIME multi-part user data (plain text; it holds the secret's ARN, never its value)."
  value       = var.create ? local.user_data : null # null too when there is no part
}

# --- IAM and network -------------------------------------------------------------------------

output "instance_role_arn" {
  description = "ARN of the instance role."
  value       = try(aws_iam_role.instance[0].arn, null)
}

output "instance_profile_arn" {
  description = "ARN of the instance profile the compute environments use."
  value       = try(aws_iam_instance_profile.instance[0].arn, null)
}

output "security_group_id" {
  description = "ID of the module's egress-only security group."
  value       = try(aws_security_group.this[0].id, null)
}
