# --- module ----------------------------------------------------------------------------------

variable "create" {
  description = "Whether to create anything at all. false makes zero resources."
  type        = bool
  default     = true
}

variable "project" {
  description = "Project part of every name (`<project>-<env>-<task>[-<what>]`)."
  type        = string
  default     = "bgtasks"

  validation {
    condition     = can(regex("^[a-z][a-z0-9]{1,15}$", var.project))
    error_message = "project must be 2-16 lowercase letters or digits, starting with a letter."
  }
}

variable "env" {
  description = "Environment part of every name (local, dev, prod, ...)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9]{1,9}$", var.env))
    error_message = "env must be 2-10 lowercase letters or digits, starting with a letter."
  }
}

variable "task_name" {
  description = "The background task (`thumbnails`, `sitemap`, ...): the worker's task registry and the metadata function's task table know it by this name."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,19}$", var.task_name))
    error_message = "task_name must be 1-20 lowercase letters, digits or hyphens, starting with a letter (it goes into IAM, S3 and Lambda names)."
  }
}

variable "tags" {
  description = "Tags for every resource that takes tags (the module adds `bgtasks:task`)."
  type        = map(string)
  default     = {}
}

# --- shared compute --------------------------------------------------------------------------

variable "job_queue_arn" {
  description = "Job queue of the shared compute stack (modules/batch-queue) the task's jobs go to."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:batch:[a-z0-9-]+:[0-9]{12}:job-queue/.+$", var.job_queue_arn))
    error_message = "job_queue_arn must be a Batch job queue ARN (arn:aws:batch:<region>:<account>:job-queue/<name>)."
  }
}

# --- worker ----------------------------------------------------------------------------------

variable "worker" {
  description = "The worker container: image (repository name ending in `bgtasks-worker`), command, size per array child, retries, timeout, more environment."
  type = object({
    image           = string
    command         = optional(list(string), [])
    vcpus           = optional(number, 1)
    memory          = optional(number, 2048)
    attempts        = optional(number, 3)
    timeout_seconds = optional(number, 3600)
    environment     = optional(map(string), {})
  })
}

variable "chained_stages" {
  description = "Optional stages B and C that run after the worker (stage A) chunk by chunk, as array jobs with N_TO_N dependencies (statemachines/chained-stages.asl.json). Same shape as `worker`; null for a single stage."
  type = object({
    stage_b = object({
      image           = string
      command         = optional(list(string), [])
      vcpus           = optional(number, 1)
      memory          = optional(number, 2048)
      attempts        = optional(number, 3)
      timeout_seconds = optional(number, 3600)
      environment     = optional(map(string), {})
    })
    stage_c = object({
      image           = string
      command         = optional(list(string), [])
      vcpus           = optional(number, 1)
      memory          = optional(number, 2048)
      attempts        = optional(number, 3)
      timeout_seconds = optional(number, 3600)
      environment     = optional(map(string), {})
    })
  })
  default = null
}

# --- planning --------------------------------------------------------------------------------

variable "lambda_zip_path" {
  description = "Path of the metadata function's zip (`make build` writes build/metadata-function.zip)."
  type        = string
}

variable "tenant_source" {
  description = "Tenant manifest: `s3://bucket/key.json` or `dynamodb://table`."
  type        = string
}

variable "tenant_bucket_names" {
  description = "Tenant buckets this task reads and writes; the worker may touch these and nothing else of the tenants'."
  type        = list(string)
  default     = []
}

variable "max_chunks" {
  description = "Maximum array size per run (1 to 10000)."
  type        = number
  default     = 100

  validation {
    condition     = var.max_chunks >= 1 && var.max_chunks <= 10000 && floor(var.max_chunks) == var.max_chunks
    error_message = "max_chunks must be a whole number from 1 to 10000 (the AWS Batch array size limit)."
  }
}

variable "startup_cost" {
  description = "Per-chunk start-up cost in item-cost units, for the planner."
  type        = number
  default     = 0
}

variable "workers" {
  description = "Parallel workers the planner balances chunks for: the job slots of the compute environment, maxvCpus divided by the job's vCPUs. null: as many as chunks."
  type        = number
  default     = null

  validation {
    condition     = var.workers == null || try(var.workers >= 1 && var.workers <= 10000 && floor(var.workers) == var.workers, false)
    error_message = "workers must be null or a whole number from 1 to 10000."
  }
}

variable "runs_bucket_name" {
  description = "Runs bucket name; null gives `<project>-<env>-<task>-runs` (pass a unique name on real AWS, where bucket names are global)."
  type        = string
  default     = null
}

variable "runs_retention_days" {
  description = "Days after which runs/ objects expire; null for no lifecycle rules (throwaway local stacks)."
  type        = number
  default     = 30
}

variable "enforce_tls" {
  description = "Deny non-TLS requests to the runs bucket. Turn off only for emulators reached over plain HTTP (envs/local)."
  type        = bool
  default     = true
}

variable "force_destroy" {
  description = "Let destroy delete a non-empty runs bucket (local and test environments)."
  type        = bool
  default     = false
}

# --- workflow --------------------------------------------------------------------------------

variable "definition_file" {
  description = "ASL template; null uses statemachines/background-task.asl.json of this repository (chained-stages.asl.json with chained_stages)."
  type        = string
  default     = null
}

variable "schedule" {
  description = "Optional EventBridge Scheduler schedule (see modules/workflow); disabled unless `enabled = true`."
  type = object({
    expression = string
    timezone   = optional(string, "UTC")
    enabled    = optional(bool, false)
    input      = optional(any, {})
  })
  default = null
}

variable "log_level" {
  description = "Step Functions execution log level (ALL, ERROR, FATAL, OFF)."
  type        = string
  default     = "ERROR"
}

variable "log_retention_days" {
  description = "Retention of the function's and the state machine's log groups."
  type        = number
  default     = 30
}
