# --- module ----------------------------------------------------------------------------------

variable "create" {
  description = "Whether to create anything at all. false makes zero resources."
  type        = bool
  default     = true
}

variable "name" {
  description = "Name of the state machine and prefix of its role, log group, topic and schedule: `<project>-<env>-<task>`."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9][A-Za-z0-9_-]{0,54}$", var.name))
    error_message = "name must be 1-55 letters, digits, hyphens or underscores (role names add a suffix within IAM's 64)."
  }
}

variable "tags" {
  description = "Tags for every resource that takes tags."
  type        = map(string)
  default     = {}
}

# --- definition ------------------------------------------------------------------------------

variable "definition_file" {
  description = "ASL file rendered with templatefile(), normally statemachines/background-task.asl.json or chained-stages.asl.json."
  type        = string

  validation {
    condition     = endswith(var.definition_file, ".json")
    error_message = "definition_file must be an ASL .json file."
  }
}

variable "definition_variables" {
  description = "Values of the file's placeholders (docs/interfaces.md). `failure_topic_arn` is filled in by the module with its own topic."
  type        = map(string)
  default     = {}
}

variable "type" {
  description = "STANDARD (runs up to a year, .sync integrations) or EXPRESS."
  type        = string
  default     = "STANDARD"

  validation {
    condition     = contains(["STANDARD", "EXPRESS"], var.type)
    error_message = "type must be STANDARD or EXPRESS."
  }
}

# --- service integrations (the role's catalogue of statements, locals.tf) --------------------

variable "service_integrations" {
  description = <<-EOT
    What the state machine drives; each entry adds the IAM statements AWS documents for that
    integration, scoped to the given ARNs.
    `lambda`: functions it invokes. `batch_sync`: `batch:submitJob.sync` on these queues and job
    definitions (ARNs without revision cover every revision), plus the EventBridge managed rule
    it needs; `tag_resource` when jobs carry tags. `sns`: more topics to publish to (the failure
    topic is always allowed). `s3`: object ARNs (patterns) to read and write.
  EOT
  type = object({
    lambda = optional(object({
      function_arns = list(string)
    }))
    batch_sync = optional(object({
      job_queue_arns              = list(string)
      job_definition_arn_prefixes = list(string)
      tag_resource                = optional(bool, false)
    }))
    sns = optional(object({
      topic_arns = list(string)
    }))
    s3 = optional(object({
      read_object_arns  = optional(list(string), [])
      write_object_arns = optional(list(string), [])
    }))
  })
  default = {}

  validation {
    condition     = var.service_integrations.batch_sync == null || length(try(var.service_integrations.batch_sync.job_queue_arns, [])) > 0
    error_message = "service_integrations.batch_sync needs at least one job queue ARN (the account and region of the Batch statements come from it)."
  }

  validation {
    condition     = alltrue([for a in try(var.service_integrations.batch_sync.job_definition_arn_prefixes, []) : !can(regex(":[0-9]+$", a))])
    error_message = "batch_sync.job_definition_arn_prefixes must be ARNs without the :revision suffix, so that every revision is covered."
  }
}

# --- logging ---------------------------------------------------------------------------------

variable "logging" {
  description = "Execution logging: level (ALL, ERROR, FATAL, OFF), whether to include execution data (tenant ids, payloads), log retention."
  type = object({
    level                  = optional(string, "ERROR")
    include_execution_data = optional(bool, false)
    retention_days         = optional(number, 30)
  })
  default = {}

  validation {
    condition     = contains(["ALL", "ERROR", "FATAL", "OFF"], var.logging.level)
    error_message = "logging.level must be ALL, ERROR, FATAL or OFF."
  }
}

variable "kms_key_arn" {
  description = "Customer managed KMS key for the log group; null uses the CloudWatch Logs default encryption."
  type        = string
  default     = null
}

# --- schedule and failures -------------------------------------------------------------------

variable "schedule" {
  description = "EventBridge Scheduler schedule that starts an execution; null for none. `enabled` defaults to false, so a schedule must be switched on deliberately."
  type = object({
    expression = string
    timezone   = optional(string, "UTC")
    enabled    = optional(bool, false)
    input      = optional(any, {})
  })
  default = null

  validation {
    condition     = var.schedule == null || can(regex("^(rate\\(.+\\)|cron\\(.+\\)|at\\(.+\\))$", try(var.schedule.expression, "")))
    error_message = "schedule.expression must be rate(...), cron(...) or at(...)."
  }
}

variable "failure_topic_kms_key_id" {
  description = "KMS key of the failure topic (the AWS managed SNS key by default)."
  type        = string
  default     = "alias/aws/sns"
}
