variable "endpoint" {
  description = "URL of the embedded AWS (`bgtasks local up`); tests point it at their own port."
  type        = string
  default     = "http://127.0.0.1:4566"

  validation {
    condition     = can(regex("^https?://(127\\.0\\.0\\.1|localhost)(:[0-9]+)?/?$", var.endpoint))
    error_message = "endpoint must be a local URL such as http://127.0.0.1:4566: envs/local never talks to real AWS."
  }
}

variable "region" {
  description = "Region the embedded AWS serves."
  type        = string
  default     = "us-east-1"
}

variable "lambda_zip_path" {
  description = "The metadata function's zip; null uses build/metadata-function.zip (`make build`)."
  type        = string
  default     = null
}

variable "worker_image" {
  description = "Worker image; the embedded AWS runs any image whose repository ends in `bgtasks-worker` from worker/ source."
  type        = string
  default     = "bgtasks-worker:local"
}

variable "max_vcpus" {
  description = "vCPU cap of the local Spot compute environment (how many array children run at once)."
  type        = number
  default     = 4
}
