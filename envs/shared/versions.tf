terraform {
  required_version = ">= 1.7"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "5.100.0"
    }
  }

  # Partial configuration: bucket, key, region (and use_lockfile or dynamodb_table) come from
  # `terraform init -backend-config=backend.hcl`, so no account detail is committed.
  backend "s3" {}
}
