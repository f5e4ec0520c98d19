# --- module ----------------------------------------------------------------------------------

variable "create" {
  description = "Whether to create anything at all. false makes zero resources."
  type        = bool
  default     = true
}

variable "name" {
  description = "Name prefix of the job definitions, `<project>-<env>-<task>`: definition `k` is `<name>-<k>`."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$", var.name))
    error_message = "name must be 1-100 letters, digits, hyphens or underscores, starting with a letter or digit."
  }
}

variable "tags" {
  description = "Tags for every job definition (propagated to jobs and their ECS tasks)."
  type        = map(string)
  default     = {}
}

# --- job definitions -------------------------------------------------------------------------

variable "job_definitions" {
  description = <<-EOT
    Job definitions by key (`<name>-<key>`).
    `type`: `container` (plain and array jobs) or `multinode` (multi-node parallel: On-Demand
    only, so `compute_environment_type` must be `EC2`). `compute_environment_type` is the type of
    the compute environments of the queue the definition's jobs go to (`SPOT` or `EC2`).
    `secrets`: environment variable name => Secrets Manager or SSM ARN (needs `execution_role_arn`).
    `retry_on_status_reasons`: status reasons retried (host failures such as Spot reclaims,
    `Host EC2*`). `retry_on_exit_codes`: exit code patterns retried (an application's "transient,
    try again" codes, such as the worker's 75). Any other failure exits at once.
  EOT
  type = map(object({
    type                     = optional(string, "container")
    compute_environment_type = optional(string, "SPOT")
    image                    = string
    command                  = optional(list(string), [])
    vcpus                    = optional(number, 1)
    memory                   = optional(number, 2048)
    environment              = optional(map(string), {})
    secrets                  = optional(map(string), {})
    job_role_arn             = optional(string)
    execution_role_arn       = optional(string)
    attempts                 = optional(number, 3)
    retry_on_status_reasons  = optional(list(string), ["Host EC2*"])
    retry_on_exit_codes      = optional(list(string), [])
    timeout_seconds          = optional(number, 3600)
    num_nodes                = optional(number, 2)
    main_node                = optional(number, 0)
  }))

  validation {
    condition     = alltrue([for k in keys(var.job_definitions) : can(regex("^[A-Za-z0-9][A-Za-z0-9_-]{0,27}$", k))])
    error_message = "job definition keys must be 1-28 letters, digits, hyphens or underscores."
  }

  validation {
    condition     = alltrue([for d in values(var.job_definitions) : contains(["container", "multinode"], d.type)])
    error_message = "job definition type must be container or multinode."
  }

  validation {
    condition     = alltrue([for d in values(var.job_definitions) : contains(["SPOT", "EC2"], d.compute_environment_type)])
    error_message = "compute_environment_type must be SPOT or EC2."
  }

  validation {
    condition     = alltrue([for d in values(var.job_definitions) : d.type != "multinode" || d.compute_environment_type != "SPOT"])
    error_message = "multi-node parallel job definitions cannot target SPOT compute environments: AWS Batch does not run multi-node parallel jobs on Spot. Submit them to a queue of ON_DEMAND compute environments and set compute_environment_type = \"EC2\"."
  }

  validation {
    condition     = alltrue([for d in values(var.job_definitions) : d.vcpus >= 1 && d.vcpus <= 192 && floor(d.vcpus) == d.vcpus])
    error_message = "vcpus must be a whole number from 1 to 192 (EC2 compute environments reserve whole vCPUs)."
  }

  validation {
    condition     = alltrue([for d in values(var.job_definitions) : d.memory >= 128 && floor(d.memory) == d.memory && d.memory <= d.vcpus * 32768])
    error_message = "memory must be a whole number of MiB, at least 128 and at most 32768 per vCPU (no EC2 instance type Batch uses offers more per vCPU)."
  }

  validation {
    condition     = alltrue([for d in values(var.job_definitions) : d.attempts >= 1 && d.attempts <= 10 && floor(d.attempts) == d.attempts])
    error_message = "attempts must be 1 to 10 (the AWS Batch retry strategy range)."
  }

  validation {
    condition     = alltrue([for d in values(var.job_definitions) : length(d.retry_on_status_reasons) + length(d.retry_on_exit_codes) <= 4])
    error_message = "retry_on_status_reasons and retry_on_exit_codes take at most 4 patterns together (AWS Batch allows 5 evaluateOnExit rules; the last one exits on any other failure)."
  }

  validation {
    condition     = alltrue(flatten([for d in values(var.job_definitions) : [for c in d.retry_on_exit_codes : can(regex("^[0-9]{1,512}\\*?$", c))]]))
    error_message = "retry_on_exit_codes entries must be digits, optionally ending in * (the AWS Batch onExitCode pattern)."
  }

  validation {
    condition     = alltrue([for d in values(var.job_definitions) : d.timeout_seconds >= 60])
    error_message = "timeout_seconds must be at least 60 (the AWS Batch minimum)."
  }

  validation {
    condition     = alltrue([for d in values(var.job_definitions) : d.type != "multinode" || (d.num_nodes >= 2 && d.num_nodes <= 1000 && d.main_node >= 0 && d.main_node < d.num_nodes)])
    error_message = "multinode definitions need 2 to 1000 nodes and 0 <= main_node < num_nodes."
  }

  validation {
    condition     = alltrue([for d in values(var.job_definitions) : length(d.secrets) == 0 || d.execution_role_arn != null])
    error_message = "a definition with secrets needs execution_role_arn: the ECS agent fetches them with that role."
  }

  validation {
    condition     = alltrue([for d in values(var.job_definitions) : alltrue([for n in concat(keys(d.environment), keys(d.secrets)) : !startswith(n, "AWS_BATCH")])])
    error_message = "environment and secret names must not start with AWS_BATCH (reserved by AWS Batch)."
  }
}
