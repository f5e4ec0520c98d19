# --- module ----------------------------------------------------------------------------------

variable "create" {
  description = "Whether to create anything at all. false makes zero resources."
  type        = bool
  default     = true
}

variable "name" {
  description = "Name prefix of the queues and scheduling policies, `<project>-<env>`."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$", var.name))
    error_message = "name must be 1-63 letters, digits, hyphens or underscores, starting with a letter or digit."
  }
}

variable "tags" {
  description = "Tags for every resource that takes tags."
  type        = map(string)
  default     = {}
}

# --- queues ----------------------------------------------------------------------------------

variable "job_queues" {
  description = <<-EOT
    Job queues by key (the key is the queue name suffix: `<name>-<key>`). `compute_environment_arns`
    is the order Batch tries them in: Spot first, On-Demand after. `fair_share` attaches a
    fair-share scheduling policy (weights per share identifier, lower weight = more capacity).
  EOT
  type = map(object({
    priority                 = optional(number, 1)
    state                    = optional(string, "ENABLED")
    compute_environment_arns = list(string)
    fair_share = optional(object({
      share_decay_seconds = optional(number, 3600)
      compute_reservation = optional(number, 0)
      shares = list(object({
        share_identifier = string
        weight_factor    = optional(number, 1)
      }))
    }))
  }))

  validation {
    condition     = alltrue([for q in values(var.job_queues) : length(q.compute_environment_arns) >= 1 && length(q.compute_environment_arns) <= 3])
    error_message = "each job queue needs 1 to 3 compute environments (AWS Batch allows at most 3)."
  }

  validation {
    condition     = alltrue([for q in values(var.job_queues) : q.priority >= 0 && q.priority <= 1000 && floor(q.priority) == q.priority])
    error_message = "job queue priority must be a whole number from 0 to 1000."
  }

  validation {
    condition     = alltrue([for q in values(var.job_queues) : contains(["ENABLED", "DISABLED"], q.state)])
    error_message = "job queue state must be ENABLED or DISABLED."
  }

  validation {
    condition     = alltrue([for k in keys(var.job_queues) : can(regex("^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$", k))])
    error_message = "job queue keys must be letters, digits, hyphens or underscores (they end the queue name)."
  }

  validation {
    condition = alltrue([for q in values(var.job_queues) : q.fair_share == null || (
      length(try(q.fair_share.shares, [])) >= 1 && length(try(q.fair_share.shares, [])) <= 500
      && try(q.fair_share.share_decay_seconds, 0) >= 0 && try(q.fair_share.share_decay_seconds, 0) <= 604800
      && try(q.fair_share.compute_reservation, 0) >= 0 && try(q.fair_share.compute_reservation, 0) <= 99
      && alltrue([for s in try(q.fair_share.shares, []) : s.weight_factor > 0 && s.weight_factor <= 1000])
    )])
    error_message = "fair_share needs 1-500 shares with weight_factor in (0, 1000], share_decay_seconds 0-604800 and compute_reservation 0-99."
  }
}
