variable "endpoint" {
  description = "URL of the embedded AWS."
  type        = string
}

variable "name" {
  description = "Prefix of every resource name."
  type        = string
  default     = "bgtasks-tfstack"
}

variable "lambda_zip" {
  description = "Path of the metadata function's zip."
  type        = string
}

variable "worker_image" {
  description = "Image of the worker job definition (its repository name ends in bgtasks-worker)."
  type        = string
  default     = "123456789012.dkr.ecr.us-east-1.amazonaws.com/bgtasks-worker:latest"
}

variable "user_data_marker" {
  description = "A line in the launch template's user data (tests change it)."
  type        = string
  default     = "v1"
}
