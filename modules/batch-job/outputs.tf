# --- job definitions -------------------------------------------------------------------------

output "job_definitions" {
  description = "Job definitions by key: `arn` (with revision), `arn_prefix` (without), `name`, `revision`, and the rendered `container_properties` / `node_properties` JSON."
  value = { for k, d in aws_batch_job_definition.this : k => {
    arn                  = d.arn
    arn_prefix           = d.arn_prefix
    name                 = d.name
    revision             = d.revision
    container_properties = d.container_properties
    node_properties      = d.node_properties
  } }
}

output "job_definition_arns" {
  description = "Job definition ARNs (with revision) by key."
  value       = { for k, d in aws_batch_job_definition.this : k => d.arn }
}

output "job_definition_arn_prefixes" {
  description = "Job definition ARNs without revision by key (for IAM policies that must cover every revision)."
  value       = { for k, d in aws_batch_job_definition.this : k => d.arn_prefix }
}
