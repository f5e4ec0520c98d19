# --- environment -----------------------------------------------------------------------------

variable "env" {
  description = "Environment name (part of every resource name)."
  type        = string
}

variable "project" {
  description = "Project name (first part of every resource name)."
  type        = string
  default     = "bgtasks"
}

variable "region" {
  description = "AWS region."
  type        = string
}

variable "tags" {
  description = "Tags on every resource (the provider's default_tags)."
  type        = map(string)
  default     = {}
}

# --- network ---------------------------------------------------------------------------------

variable "vpc_id" {
  description = "VPC of the Batch instances."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets (with NAT or VPC endpoints) the Batch instances run in, in several AZs."
  type        = list(string)
}

# --- shared compute --------------------------------------------------------------------------

variable "spot_max_vcpus" {
  description = "vCPU cap of the Spot compute environment."
  type        = number
}

variable "instance_types" {
  description = "Instance types or families for Spot."
  type        = list(string)
  default     = ["m6i", "m5", "c6i", "c5", "r6i"]
}

variable "on_demand_max_vcpus" {
  description = "vCPU cap of the On-Demand fallback; 0 for Spot only."
  type        = number
  default     = 0
}

variable "registry_secret_arn" {
  description = "Secrets Manager secret with the private registry's ECS_ENGINE_AUTH_DATA; null for public/ECR images only."
  type        = string
  default     = null
}

# --- tasks: one entry per background task ----------------------------------------------------

variable "lambda_zip_path" {
  description = "The metadata function's zip; null uses build/metadata-function.zip (`make build`)."
  type        = string
  default     = null
}

variable "tasks" {
  description = "Background tasks by name. Adding a task is one more entry here."
  type = map(object({
    worker_image        = string
    vcpus               = optional(number, 1)
    memory              = optional(number, 2048)
    timeout_seconds     = optional(number, 3600)
    tenant_source       = string
    tenant_bucket_names = list(string)
    max_chunks          = optional(number, 100)
    startup_cost        = optional(number, 0)
    schedule            = optional(string)
    schedule_enabled    = optional(bool, false)
    log_level           = optional(string, "ERROR")
  }))
}
