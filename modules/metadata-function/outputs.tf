# --- function --------------------------------------------------------------------------------

output "function_arn" {
  description = "ARN of the metadata function."
  value       = try(aws_lambda_function.this[0].arn, null)
}

output "function_name" {
  description = "Name of the metadata function."
  value       = try(aws_lambda_function.this[0].function_name, null)
}

output "role_arn" {
  description = "ARN of the function's role."
  value       = try(aws_iam_role.this[0].arn, null)
}

output "log_group_name" {
  description = "Log group of the function."
  value       = try(aws_cloudwatch_log_group.this[0].name, null)
}

# --- runs bucket -----------------------------------------------------------------------------

output "runs_bucket_name" {
  description = "Name of the runs bucket."
  value       = try(aws_s3_bucket.runs[0].bucket, null)
}

output "runs_bucket_arn" {
  description = "ARN of the runs bucket."
  value       = try(aws_s3_bucket.runs[0].arn, null)
}
