mock_provider "aws" {
  override_data {
    target = data.aws_partition.current
    values = { partition = "aws" }
  }
  override_data {
    target = data.aws_region.current
    values = { name = "eu-west-1" }
  }
  override_data {
    target = data.aws_caller_identity.current
    values = { account_id = "123456789012" }
  }
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{}" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::123456789012:role/bgtasks-test-thumbnails-metadata-fn" }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = { arn = "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/bgtasks-test-thumbnails-metadata" }
  }
}

variables {
  name                = "bgtasks-test-thumbnails-metadata"
  zip_path            = "tests/fixtures/metadata-function.zip"
  task_name           = "thumbnails"
  tenant_source       = "s3://bgtasks-test-config/tenants.json"
  tenant_bucket_names = ["bgtasks-test-tenants"]
  runs_bucket_name    = "bgtasks-test-thumbnails-runs"
  max_chunks          = 50
}

run "function_deploys_the_zip_by_hash_with_the_interface_environment" {
  command = plan

  assert {
    condition     = aws_lambda_function.this[0].source_code_hash == filebase64sha256("tests/fixtures/metadata-function.zip")
    error_message = "source_code_hash must follow the zip so code changes redeploy"
  }
  assert {
    condition     = aws_lambda_function.this[0].handler == "metadata_fn.handler.handler" && aws_lambda_function.this[0].runtime == "python3.11"
    error_message = "handler and runtime must match docs/interfaces.md"
  }
  assert {
    condition = aws_lambda_function.this[0].environment[0].variables == tomap({
      BGTASKS_RUNS_BUCKET     = "bgtasks-test-thumbnails-runs"
      BGTASKS_TENANT_SOURCE   = "s3://bgtasks-test-config/tenants.json"
      BGTASKS_TASK            = "thumbnails"
      BGTASKS_MAX_CHUNKS      = "50"
      BGTASKS_STARTUP_COST    = "0"
      BGTASKS_ALLOWED_BUCKETS = "bgtasks-test-tenants"
    })
    error_message = "the function environment must be exactly the one in docs/interfaces.md"
  }
  assert {
    condition     = aws_cloudwatch_log_group.this[0].name == "/aws/lambda/bgtasks-test-thumbnails-metadata" && aws_cloudwatch_log_group.this[0].retention_in_days == 30
    error_message = "the function's log group must be managed, with retention"
  }
}

run "workers_reach_the_planner_when_set" {
  command = plan

  variables {
    workers = 8
  }

  assert {
    condition     = aws_lambda_function.this[0].environment[0].variables["BGTASKS_WORKERS"] == "8"
    error_message = "workers must reach the function as BGTASKS_WORKERS"
  }
}

run "rejects_a_fractional_worker_count" {
  command = plan

  variables {
    workers = 2.5
  }

  expect_failures = [var.workers]
}

run "runs_bucket_is_versioned_encrypted_private_tls_only_with_lifecycle" {
  command = plan

  assert {
    condition     = aws_s3_bucket_versioning.runs[0].versioning_configuration[0].status == "Enabled"
    error_message = "the runs bucket must be versioned"
  }
  assert {
    condition     = one(aws_s3_bucket_server_side_encryption_configuration.runs[0].rule).apply_server_side_encryption_by_default[0].sse_algorithm == "AES256"
    error_message = "the runs bucket must be encrypted"
  }
  assert {
    condition = (aws_s3_bucket_public_access_block.runs[0].block_public_acls && aws_s3_bucket_public_access_block.runs[0].block_public_policy
    && aws_s3_bucket_public_access_block.runs[0].ignore_public_acls && aws_s3_bucket_public_access_block.runs[0].restrict_public_buckets)
    error_message = "public access must be blocked"
  }
  assert {
    condition     = one([for s in data.aws_iam_policy_document.runs_bucket[0].statement : s if s.sid == "DenyInsecureTransport"]).effect == "Deny"
    error_message = "the bucket policy must deny plain HTTP"
  }
  assert {
    condition     = aws_s3_bucket_lifecycle_configuration.runs[0].rule[0].filter[0].prefix == "runs/" && aws_s3_bucket_lifecycle_configuration.runs[0].rule[0].expiration[0].days == 30
    error_message = "old runs must expire"
  }
  assert {
    condition     = aws_s3_bucket.runs[0].force_destroy == false
    error_message = "a non-empty runs bucket must survive destroy unless asked"
  }
}

run "role_reads_the_manifest_and_lists_tenant_buckets_only" {
  command = plan

  assert {
    condition     = one([for s in data.aws_iam_policy_document.function[0].statement : s if s.sid == "ReadTenantManifest"]).resources == toset(["arn:aws:s3:::bgtasks-test-config/tenants.json"])
    error_message = "the function may read the manifest object only"
  }
  assert {
    condition     = one([for s in data.aws_iam_policy_document.function[0].statement : s if s.sid == "ReadTenantBuckets"]).actions == toset(["s3:ListBucket", "s3:GetObject"])
    error_message = "tenant buckets are read-only for the function"
  }
  assert {
    condition     = length([for s in data.aws_iam_policy_document.function[0].statement : s if s.sid == "ReadTenantTable"]) == 0
    error_message = "no DynamoDB access with an S3 manifest"
  }
}

run "dynamodb_tenant_source_grants_that_table_only" {
  command = plan

  variables {
    tenant_source = "dynamodb://bgtasks-tenants"
  }

  assert {
    condition     = one([for s in data.aws_iam_policy_document.function[0].statement : s if s.sid == "ReadTenantTable"]).resources == toset(["arn:aws:dynamodb:eu-west-1:123456789012:table/bgtasks-tenants"])
    error_message = "the function may read the tenant table only"
  }
}

run "create_false_makes_zero_resources" {
  command = apply

  variables {
    create = false
  }

  assert {
    condition = (length(aws_lambda_function.this) + length(aws_iam_role.this) + length(aws_iam_role_policy.this) + length(aws_cloudwatch_log_group.this)
      + length(aws_s3_bucket.runs) + length(aws_s3_bucket_public_access_block.runs) + length(aws_s3_bucket_versioning.runs)
      + length(aws_s3_bucket_server_side_encryption_configuration.runs) + length(aws_s3_bucket_lifecycle_configuration.runs)
    + length(aws_s3_bucket_policy.runs)) == 0
    error_message = "create = false must make zero resources"
  }
}

run "rejects_a_bad_tenant_source" {
  command = plan

  variables {
    tenant_source = "https://example.com/tenants.json"
  }

  expect_failures = [var.tenant_source]
}

run "rejects_max_chunks_above_the_array_limit" {
  command = plan

  variables {
    max_chunks = 10001
  }

  expect_failures = [var.max_chunks]
}

run "null_retention_makes_no_lifecycle_configuration" {
  command = plan

  variables {
    runs_retention_days = null
  }

  assert {
    condition     = length(aws_s3_bucket_lifecycle_configuration.runs) == 0 && length(aws_s3_bucket.runs) == 1
    error_message = "runs_retention_days = null leaves the lifecycle configuration out"
  }
}

run "enforce_tls_false_leaves_the_bucket_policy_out" {
  command = plan

  variables {
    enforce_tls = false
  }

  assert {
    condition     = length(aws_s3_bucket_policy.runs) == 0 && length(aws_s3_bucket_public_access_block.runs) == 1
    error_message = "enforce_tls = false drops only the TLS policy"
  }
}
