# The catalogue of service-integration statements: one entry per integration, each following the
# IAM policy AWS documents for it, built only when the caller asks for that integration.
locals {
  integrations = var.service_integrations
  batch        = local.integrations.batch_sync

  # Account, region and partition of the Batch statements, taken from the first queue's ARN
  # (arn:<partition>:batch:<region>:<account>:job-queue/<name>): no data source, no API call.
  batch_arn_parts = local.batch == null ? [] : split(":", local.batch.job_queue_arns[0])
  batch_partition = try(local.batch_arn_parts[1], "aws")
  batch_region    = try(local.batch_arn_parts[3], "")
  batch_account   = try(local.batch_arn_parts[4], "")

  statement_catalogue = {
    # https://docs.aws.amazon.com/step-functions/latest/dg/lambda-iam.html
    lambda = [for _ in(local.integrations.lambda == null ? [] : [1]) : {
      sid       = "InvokeLambda"
      actions   = ["lambda:InvokeFunction"]
      resources = flatten([for a in local.integrations.lambda.function_arns : [a, "${a}:*"]])
    }]

    # https://docs.aws.amazon.com/step-functions/latest/dg/batch-iam.html (.sync)
    batch_sync = concat(
      flatten([for _ in(local.batch == null ? [] : [1]) : [
        {
          sid       = "SubmitBatchJobs"
          actions   = ["batch:SubmitJob"]
          resources = concat(local.batch.job_queue_arns, [for a in local.batch.job_definition_arn_prefixes : "${a}:*"])
        },
        {
          # DescribeJobs supports no resource-level permissions.
          sid       = "DescribeBatchJobs"
          actions   = ["batch:DescribeJobs"]
          resources = ["*"]
        },
        {
          sid       = "TerminateBatchJobs"
          actions   = ["batch:TerminateJob"]
          resources = ["arn:${local.batch_partition}:batch:${local.batch_region}:${local.batch_account}:job/*"]
        },
        {
          sid       = "BatchJobEventsRule"
          actions   = ["events:PutTargets", "events:PutRule", "events:DescribeRule"]
          resources = ["arn:${local.batch_partition}:events:${local.batch_region}:${local.batch_account}:rule/StepFunctionsGetEventsForBatchJobsRule"]
        },
      ]]),
      [for _ in(try(local.batch.tag_resource, false) ? [1] : []) : {
        sid       = "TagBatchJobs"
        actions   = ["batch:TagResource"]
        resources = concat(local.batch.job_queue_arns, [for a in local.batch.job_definition_arn_prefixes : "${a}:*"], ["arn:${local.batch_partition}:batch:${local.batch_region}:${local.batch_account}:job/*"])
      }],
    )

    # https://docs.aws.amazon.com/step-functions/latest/dg/sns-iam.html
    sns = [{
      sid       = "PublishFailures"
      actions   = ["sns:Publish"]
      resources = concat(aws_sns_topic.failures[*].arn, try(local.integrations.sns.topic_arns, []))
    }]

    # https://docs.aws.amazon.com/step-functions/latest/dg/s3-iam.html (GetObject / PutObject)
    s3 = concat(
      [for _ in(length(try(local.integrations.s3.read_object_arns, [])) == 0 ? [] : [1]) : {
        sid       = "ReadObjects"
        actions   = ["s3:GetObject"]
        resources = local.integrations.s3.read_object_arns
      }],
      [for _ in(length(try(local.integrations.s3.write_object_arns, [])) == 0 ? [] : [1]) : {
        sid       = "WriteObjects"
        actions   = ["s3:PutObject"]
        resources = local.integrations.s3.write_object_arns
      }],
    )

    # https://docs.aws.amazon.com/step-functions/latest/dg/cw-logs.html: log delivery is
    # configured through these account-level APIs, which accept only "*".
    logs = [for _ in(var.logging.level == "OFF" ? [] : [1]) : {
      sid = "DeliverExecutionLogs"
      actions = [
        "logs:CreateLogDelivery", "logs:GetLogDelivery", "logs:UpdateLogDelivery",
        "logs:DeleteLogDelivery", "logs:ListLogDeliveries", "logs:PutResourcePolicy",
        "logs:DescribeResourcePolicies", "logs:DescribeLogGroups",
      ]
      resources = ["*"]
    }]
  }

  # One element type for all statements, so that lists of them convert cleanly.
  statements = [for st in flatten(values(local.statement_catalogue)) : {
    sid       = st.sid
    actions   = tolist(st.actions)
    resources = tolist(st.resources)
  }]
}
