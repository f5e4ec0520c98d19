# A state machine whose definition our ASL validator rejects: `terraform apply` must fail
# (ValidateStateMachineDefinition answers FAIL) and create nothing.
terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "5.100.0"
    }
  }
}

provider "aws" {
  region                      = "us-east-1"
  access_key                  = "testing"
  secret_key                  = "testing"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  endpoints {
    sfn = var.endpoint
    iam = var.endpoint
    sts = var.endpoint
  }
}

variable "endpoint" {
  description = "URL of the embedded AWS."
  type        = string
}

resource "aws_sfn_state_machine" "bad" {
  name       = "bgtasks-invalid-definition"
  role_arn   = "arn:aws:iam::123456789012:role/none"
  definition = jsonencode({ StartAt = "Missing", States = { Only = { Type = "Succeed" } } })
}
