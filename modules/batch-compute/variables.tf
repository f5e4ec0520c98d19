# --- module ----------------------------------------------------------------------------------

variable "create" {
  description = "Whether to create anything at all. false makes zero resources."
  type        = bool
  default     = true
}

variable "name" {
  description = "Name prefix of every resource, `<project>-<env>` (for example `bgtasks-dev`)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{0,38}[a-z0-9]$", var.name))
    error_message = "name must be 2-40 lowercase letters, digits or hyphens, starting and ending with a letter or digit (it prefixes IAM, EC2 and Batch names)."
  }
}

variable "tags" {
  description = "Tags for every resource that takes tags."
  type        = map(string)
  default     = {}
}

# --- network ---------------------------------------------------------------------------------

variable "vpc_id" {
  description = "VPC of the compute instances; the module's security group lives here."
  type        = string
}

variable "subnet_ids" {
  description = "Subnets the compute environments launch instances into (private subnets with a NAT or VPC endpoints, in several AZs for Spot capacity)."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) > 0
    error_message = "subnet_ids needs at least one subnet: AWS Batch rejects a managed compute environment without subnets."
  }
}

variable "additional_security_group_ids" {
  description = "Security groups attached to the instances besides the module's own (egress-only) group."
  type        = list(string)
  default     = []
}

# --- launch template -------------------------------------------------------------------------

variable "registry_credentials" {
  description = <<-EOT
    Private registry authentication for the ECS agent (AWS Batch has no repositoryCredentials).
    `secret_arn`: Secrets Manager secret whose string is the `ECS_ENGINE_AUTH_DATA` JSON; the
    instance reads it at boot and its role may read that secret only. `auth_type`: `docker`
    (auth data keyed by registry URL) or `dockercfg`. `kms_key_arn`: the secret's customer managed
    key, if any. null leaves registry authentication out.
  EOT
  type = object({
    secret_arn  = string
    auth_type   = optional(string, "docker")
    kms_key_arn = optional(string)
  })
  default = null

  validation {
    condition     = var.registry_credentials == null || can(regex("^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+$", try(var.registry_credentials.secret_arn, "")))
    error_message = "registry_credentials.secret_arn must be a Secrets Manager secret ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>)."
  }

  validation {
    condition     = var.registry_credentials == null || contains(["docker", "dockercfg"], try(var.registry_credentials.auth_type, ""))
    error_message = "registry_credentials.auth_type must be docker or dockercfg (the only types the ECS agent knows)."
  }
}

variable "extra_user_data_parts" {
  description = "More MIME parts appended after the registry-auth script (for example `text/cloud-config` or another `text/x-shellscript`)."
  type = list(object({
    content_type = string
    content      = string
    filename     = optional(string)
  }))
  default = []

  validation {
    condition     = alltrue([for p in var.extra_user_data_parts : can(regex("^text/[a-z0-9.+-]+$", p.content_type))])
    error_message = "extra_user_data_parts[*].content_type must be a text/* MIME type such as text/x-shellscript or text/cloud-config."
  }
}

variable "image_id" {
  description = "AMI of the instances; null lets Batch choose the current ECS-optimized AMI of `image_type`."
  type        = string
  default     = null
}

variable "image_type" {
  description = "Batch image type used when image_id is null (ECS_AL2023, ECS_AL2, ...)."
  type        = string
  default     = "ECS_AL2023"
}

variable "root_volume_size" {
  description = "Size in GiB of the encrypted gp3 root volume (images and scratch space)."
  type        = number
  default     = 30

  validation {
    condition     = var.root_volume_size >= 30 && var.root_volume_size <= 16384
    error_message = "root_volume_size must be 30 to 16384 GiB (the ECS-optimized AL2023 AMI needs 30)."
  }
}

variable "root_volume_kms_key_arn" {
  description = "KMS key for the root volume; null uses the account's default EBS key (still encrypted)."
  type        = string
  default     = null
}

# --- compute environments --------------------------------------------------------------------

variable "instance_types" {
  description = "Instance types or families the Spot compute environment may use: more types, more Spot pools, fewer interruptions."
  type        = list(string)
  default     = ["m6i", "m5", "c6i", "c5", "r6i"]

  validation {
    condition     = length(var.instance_types) > 0 && alltrue([for t in var.instance_types : can(regex("^(optimal|default_x86_64|default_arm64|[a-z][a-z0-9-]*[0-9][a-z0-9-]*(\\.[a-z0-9]+)?)$", t))])
    error_message = "instance_types needs at least one entry, each a type (m6i.large), a family (m6i), optimal, default_x86_64 or default_arm64."
  }
}

variable "min_vcpus" {
  description = "vCPUs kept running when idle. 0 scales to nothing between runs."
  type        = number
  default     = 0

  validation {
    condition     = var.min_vcpus >= 0 && floor(var.min_vcpus) == var.min_vcpus
    error_message = "min_vcpus must be a whole number >= 0."
  }
}

variable "max_vcpus" {
  description = "vCPU cap of the Spot compute environment: the parallelism cap of every queue that uses it."
  type        = number
  default     = 16

  validation {
    condition     = var.max_vcpus >= 1 && floor(var.max_vcpus) == var.max_vcpus
    error_message = "max_vcpus must be a whole number >= 1."
  }
}

variable "allocation_strategy" {
  description = "Spot allocation strategy. The default and SPOT_CAPACITY_OPTIMIZED / BEST_FIT_PROGRESSIVE update the compute environment in place when the launch template changes; BEST_FIT (legacy Spot Fleet) replaces it."
  type        = string
  default     = "SPOT_PRICE_CAPACITY_OPTIMIZED"

  validation {
    condition     = contains(["SPOT_PRICE_CAPACITY_OPTIMIZED", "SPOT_CAPACITY_OPTIMIZED", "BEST_FIT_PROGRESSIVE", "BEST_FIT"], var.allocation_strategy)
    error_message = "allocation_strategy must be SPOT_PRICE_CAPACITY_OPTIMIZED, SPOT_CAPACITY_OPTIMIZED, BEST_FIT_PROGRESSIVE or BEST_FIT."
  }
}

variable "bid_percentage" {
  description = "Highest Spot price as a percentage of On-Demand (1-100); null means up to the On-Demand price."
  type        = number
  default     = null

  validation {
    condition     = var.bid_percentage == null || (coalesce(var.bid_percentage, 100) >= 1 && coalesce(var.bid_percentage, 100) <= 100)
    error_message = "bid_percentage must be between 1 and 100."
  }
}

variable "create_spot_fleet_role" {
  description = "With BEST_FIT only: create the legacy Spot Fleet role (AmazonEC2SpotFleetTaggingRole). Ignored for other strategies."
  type        = bool
  default     = true
}

variable "spot_iam_fleet_role_arn" {
  description = "With BEST_FIT only: an existing Spot Fleet role to use instead of creating one."
  type        = string
  default     = null
}

variable "service_role_arn" {
  description = "Batch service role. null uses the AWSServiceRoleForBatch service-linked role, which in-place updates of the compute environment require; pass the service-linked role's ARN where it must be named explicitly."
  type        = string
  default     = null
}

variable "update_policy" {
  description = "How in-place infrastructure updates treat running jobs (ignored with BEST_FIT, which replaces the compute environment). null sends none (for emulators that do not keep it; AWS then applies its defaults)."
  type = object({
    terminate_jobs_on_update      = optional(bool, false)
    job_execution_timeout_minutes = optional(number, 30)
  })
  default = {}

  validation {
    condition     = var.update_policy == null || (try(var.update_policy.job_execution_timeout_minutes, 30) >= 1 && try(var.update_policy.job_execution_timeout_minutes, 30) <= 360)
    error_message = "update_policy.job_execution_timeout_minutes must be 1 to 360 (the AWS Batch range)."
  }
}

variable "on_demand" {
  description = "Optional ON_DEMAND fallback compute environment, placed after Spot in a queue."
  type = object({
    enabled             = optional(bool, false)
    max_vcpus           = optional(number, 16)
    instance_types      = optional(list(string), ["m6i", "m5", "c6i", "c5"])
    allocation_strategy = optional(string, "BEST_FIT_PROGRESSIVE")
  })
  default = {}

  validation {
    condition     = var.on_demand.max_vcpus >= 1 && floor(var.on_demand.max_vcpus) == var.on_demand.max_vcpus
    error_message = "on_demand.max_vcpus must be a whole number >= 1."
  }

  validation {
    condition     = contains(["BEST_FIT_PROGRESSIVE"], var.on_demand.allocation_strategy)
    error_message = "on_demand.allocation_strategy must be BEST_FIT_PROGRESSIVE, the On-Demand strategy that allows in-place updates."
  }

  validation {
    condition     = length(var.on_demand.instance_types) > 0
    error_message = "on_demand.instance_types needs at least one type or family."
  }
}
