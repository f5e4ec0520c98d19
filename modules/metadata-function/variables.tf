# --- module ----------------------------------------------------------------------------------

variable "create" {
  description = "Whether to create anything at all. false makes zero resources."
  type        = bool
  default     = true
}

variable "name" {
  description = "Name of the function and prefix of its role and log group: `<project>-<env>-<task>-metadata`."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9][A-Za-z0-9_-]{0,60}$", var.name))
    error_message = "name must be 1-61 letters, digits, hyphens or underscores (the role is <name>-fn, and IAM allows 64)."
  }
}

variable "tags" {
  description = "Tags for every resource that takes tags."
  type        = map(string)
  default     = {}
}

# --- function --------------------------------------------------------------------------------

variable "zip_path" {
  description = "Path of the deployment package built by the project (`make build` writes build/metadata-function.zip). Its hash redeploys the function when the code changes."
  type        = string

  validation {
    condition     = endswith(var.zip_path, ".zip")
    error_message = "zip_path must be a .zip file (make build writes build/metadata-function.zip)."
  }
}

variable "handler" {
  description = "Handler of the function."
  type        = string
  default     = "metadata_fn.handler.handler"
}

variable "runtime" {
  description = "Lambda runtime."
  type        = string
  default     = "python3.11"

  validation {
    condition     = can(regex("^python3\\.(1[1-9])$", var.runtime))
    error_message = "runtime must be python3.11 or later (the code uses 3.11 features)."
  }
}

variable "timeout" {
  description = "Function timeout in seconds."
  type        = number
  default     = 300

  validation {
    condition     = var.timeout >= 1 && var.timeout <= 900
    error_message = "timeout must be 1 to 900 seconds (the Lambda maximum)."
  }
}

variable "memory_size" {
  description = "Function memory in MiB."
  type        = number
  default     = 512

  validation {
    condition     = var.memory_size >= 128 && var.memory_size <= 10240
    error_message = "memory_size must be 128 to 10240 MiB."
  }
}

variable "log_retention_days" {
  description = "Retention of the function's log group."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be one of the values CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, ...)."
  }
}

variable "kms_key_arn" {
  description = "Customer managed KMS key for the runs bucket and the log group; null uses AWS managed encryption (SSE-S3 and the Logs default)."
  type        = string
  default     = null
}

# --- what the function plans -----------------------------------------------------------------

variable "task_name" {
  description = "Task the function plans for (BGTASKS_TASK)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,30}$", var.task_name))
    error_message = "task_name must be 1-31 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "tenant_source" {
  description = "Where the tenants come from (BGTASKS_TENANT_SOURCE): `s3://bucket/key.json` or `dynamodb://table`. The function may read that object or table only."
  type        = string

  validation {
    condition     = can(regex("^(s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]/.+|dynamodb://[A-Za-z0-9_.-]{3,255})$", var.tenant_source))
    error_message = "tenant_source must be s3://<bucket>/<key> or dynamodb://<table>."
  }
}

variable "tenant_bucket_names" {
  description = "Tenant buckets the task may touch (BGTASKS_ALLOWED_BUCKETS); the function may list them."
  type        = list(string)
  default     = []
}

variable "max_chunks" {
  description = "Default maximum number of chunks (array size) per run (BGTASKS_MAX_CHUNKS)."
  type        = number
  default     = 100

  validation {
    condition     = var.max_chunks >= 1 && var.max_chunks <= 10000 && floor(var.max_chunks) == var.max_chunks
    error_message = "max_chunks must be a whole number from 1 to 10000 (the AWS Batch array size limit)."
  }
}

variable "startup_cost" {
  description = "Per-chunk start-up cost in item-cost units (BGTASKS_STARTUP_COST)."
  type        = number
  default     = 0

  validation {
    condition     = var.startup_cost >= 0
    error_message = "startup_cost must be >= 0."
  }
}

variable "workers" {
  description = "Parallel workers the planner balances chunks for (BGTASKS_WORKERS): the job slots of the compute environment, maxvCpus divided by the job's vCPUs. null: as many as chunks."
  type        = number
  default     = null

  validation {
    condition     = var.workers == null || try(var.workers >= 1 && var.workers <= 10000 && floor(var.workers) == var.workers, false)
    error_message = "workers must be null or a whole number from 1 to 10000."
  }
}

variable "environment" {
  description = "More environment variables for the function (the BGTASKS_* ones are set by the module)."
  type        = map(string)
  default     = {}
}

# --- runs bucket -----------------------------------------------------------------------------

variable "runs_bucket_name" {
  description = "Name of the runs bucket (chunks, results, reports, per-tenant state); globally unique on AWS."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$", var.runs_bucket_name))
    error_message = "runs_bucket_name must be 3-63 lowercase letters, digits or hyphens, starting and ending with a letter or digit."
  }
}

variable "runs_retention_days" {
  description = "Days after which objects under runs/ expire (per-tenant state/ is kept); old versions and unfinished uploads are cleaned up too. null makes no lifecycle configuration (throwaway local stacks: the provider waits about a minute after writing one)."
  type        = number
  default     = 30

  validation {
    condition     = var.runs_retention_days == null || coalesce(var.runs_retention_days, 1) >= 1
    error_message = "runs_retention_days must be >= 1 (or null for no lifecycle rules)."
  }
}

variable "enforce_tls" {
  description = "Attach the bucket policy that denies requests without TLS. Turn off only for emulators reached over plain HTTP (envs/local)."
  type        = bool
  default     = true
}

variable "force_destroy" {
  description = "Let `terraform destroy` delete a non-empty runs bucket (local and test environments only)."
  type        = bool
  default     = false
}
