# Harness for tests/terraform/test_compute_update.py: the batch-compute module twice (in-place
# strategy and legacy BEST_FIT) on the embedded AWS, with a user-data part the test changes.
terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "5.100.0"
    }
  }
}

variable "endpoint" {
  type = string
}

variable "marker" {
  description = "Goes into an extra user-data part: changing it changes the launch template."
  type        = string
}

provider "aws" {
  region                      = "us-east-1"
  access_key                  = "testing"
  secret_key                  = "testing"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  s3_use_path_style           = true

  endpoints {
    batch = var.endpoint
    ec2   = var.endpoint
    iam   = var.endpoint
    sts   = var.endpoint
  }
}

resource "aws_vpc" "this" {
  cidr_block = "10.43.0.0/16"
}

resource "aws_subnet" "this" {
  vpc_id     = aws_vpc.this.id
  cidr_block = "10.43.0.0/20"
}

# moto only checks that the service role exists. A plain role rather than the account-wide
# service-linked role, which envs/local (applied on the same test server) creates.
# Stands in for the AWSServiceRoleForBatch service-linked role: the provider updates a compute
# environment in place only when its service role's ARN is that role's path (there is one per
# account, and envs/local, applied on the same embedded AWS, creates it).
resource "aws_iam_role" "batch_service" {
  name = "bgtasks-tf-batch-service"
  path = "/aws-service-role/batch.amazonaws.com/"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "batch.amazonaws.com" } }]
  })
}

locals {
  extra_parts = [{ content_type = "text/x-shellscript", content = "#!/bin/bash\necho '${var.marker}' > /etc/bgtasks-marker" }]
}

module "in_place" {
  source = "../../../modules/batch-compute"

  name                  = "bgtasks-tfi"
  vpc_id                = aws_vpc.this.id
  subnet_ids            = [aws_subnet.this.id]
  max_vcpus             = 4
  service_role_arn      = aws_iam_role.batch_service.arn
  extra_user_data_parts = local.extra_parts
  registry_credentials  = { secret_arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:bgtasks-tf-registry-AbCdEf" }
}

module "legacy" {
  source = "../../../modules/batch-compute"

  name                  = "bgtasks-tfl"
  vpc_id                = aws_vpc.this.id
  subnet_ids            = [aws_subnet.this.id]
  max_vcpus             = 4
  allocation_strategy   = "BEST_FIT"
  service_role_arn      = aws_iam_role.batch_service.arn
  extra_user_data_parts = local.extra_parts
}
