mock_provider "aws" {
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{}" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::123456789012:role/bgtasks-test-thumbnails-sfn" }
  }
  mock_resource "aws_sns_topic" {
    defaults = { arn = "arn:aws:sns:eu-west-1:123456789012:bgtasks-test-thumbnails-failures" }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = { arn = "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/vendedlogs/states/bgtasks-test-thumbnails" }
  }
  mock_resource "aws_sfn_state_machine" {
    defaults = { arn = "arn:aws:states:eu-west-1:123456789012:stateMachine:bgtasks-test-thumbnails" }
  }
}

variables {
  name            = "bgtasks-test-thumbnails"
  definition_file = "tests/fixtures/minimal.asl.json"
  definition_variables = {
    metadata_function_arn = "arn:aws:lambda:eu-west-1:123456789012:function:bgtasks-test-thumbnails-metadata"
    job_queue_arn         = "arn:aws:batch:eu-west-1:123456789012:job-queue/bgtasks-test-main"
    job_definition_arn    = "arn:aws:batch:eu-west-1:123456789012:job-definition/bgtasks-test-thumbnails-worker:3"
    task_name             = "thumbnails"
    max_chunks            = "40"
  }
  service_integrations = {
    lambda = { function_arns = ["arn:aws:lambda:eu-west-1:123456789012:function:bgtasks-test-thumbnails-metadata"] }
    batch_sync = {
      job_queue_arns              = ["arn:aws:batch:eu-west-1:123456789012:job-queue/bgtasks-test-main"]
      job_definition_arn_prefixes = ["arn:aws:batch:eu-west-1:123456789012:job-definition/bgtasks-test-thumbnails-worker"]
    }
  }
}

run "definition_is_rendered_with_every_placeholder" {
  command = apply

  assert {
    condition     = aws_sfn_state_machine.this[0].name == "bgtasks-test-thumbnails"
    error_message = "the state machine is named <project>-<env>-<task>"
  }
  assert {
    condition     = jsondecode(aws_sfn_state_machine.this[0].definition).States.Plan.Parameters.Payload.max_chunks == 40
    error_message = "max_chunks must render as a number"
  }
  assert {
    condition     = jsondecode(aws_sfn_state_machine.this[0].definition).States.Notify.Parameters.TopicArn == aws_sns_topic.failures[0].arn
    error_message = "the failure topic placeholder must be the module's topic"
  }
  assert {
    condition     = !strcontains(aws_sfn_state_machine.this[0].definition, "$${")
    error_message = "no placeholder may remain"
  }
}

run "role_has_the_batch_sync_statements_scoped_to_queue_and_definitions" {
  command = apply

  assert {
    condition     = jsonencode(one([for s in output.policy_statements : s if s.sid == "SubmitBatchJobs"]).resources) == jsonencode(["arn:aws:batch:eu-west-1:123456789012:job-queue/bgtasks-test-main", "arn:aws:batch:eu-west-1:123456789012:job-definition/bgtasks-test-thumbnails-worker:*"])
    error_message = "SubmitJob must be scoped to the queue and every revision of the job definition"
  }
  assert {
    condition     = jsonencode(one([for s in output.policy_statements : s if s.sid == "BatchJobEventsRule"]).resources) == jsonencode(["arn:aws:events:eu-west-1:123456789012:rule/StepFunctionsGetEventsForBatchJobsRule"])
    error_message = ".sync needs the managed events rule"
  }
  assert {
    condition     = toset(one([for s in output.policy_statements : s if s.sid == "BatchJobEventsRule"]).actions) == toset(["events:PutTargets", "events:PutRule", "events:DescribeRule"])
    error_message = "events Put/DescribeRule and PutTargets are needed"
  }
  assert {
    condition     = jsonencode(one([for s in output.policy_statements : s if s.sid == "TerminateBatchJobs"]).actions) == jsonencode(["batch:TerminateJob"]) && jsonencode(one([for s in output.policy_statements : s if s.sid == "DescribeBatchJobs"]).actions) == jsonencode(["batch:DescribeJobs"])
    error_message = "DescribeJobs and TerminateJob are needed to wait for and stop jobs"
  }
  assert {
    condition     = jsonencode(one([for s in output.policy_statements : s if s.sid == "InvokeLambda"]).resources) == jsonencode(["arn:aws:lambda:eu-west-1:123456789012:function:bgtasks-test-thumbnails-metadata", "arn:aws:lambda:eu-west-1:123456789012:function:bgtasks-test-thumbnails-metadata:*"])
    error_message = "Lambda invoke must be scoped to the function (and its versions)"
  }
  assert {
    condition     = jsonencode(one([for s in output.policy_statements : s if s.sid == "PublishFailures"]).resources) == jsonencode([aws_sns_topic.failures[0].arn])
    error_message = "SNS publish must be scoped to the failure topic"
  }
  assert {
    condition     = length([for s in output.policy_statements : s if s.sid == "TagBatchJobs"]) == 0
    error_message = "no TagResource unless asked"
  }
}

run "logging_goes_to_the_module_log_group" {
  command = apply

  assert {
    condition     = aws_sfn_state_machine.this[0].logging_configuration[0].log_destination == "${aws_cloudwatch_log_group.this[0].arn}:*" && aws_sfn_state_machine.this[0].logging_configuration[0].level == "ERROR"
    error_message = "executions must log to the module's log group"
  }
  assert {
    condition     = aws_sfn_state_machine.this[0].logging_configuration[0].include_execution_data == false
    error_message = "execution data stays out of logs by default"
  }
}

run "no_schedule_by_default_and_disabled_unless_enabled" {
  command = apply

  variables {
    schedule = { expression = "cron(0 3 * * ? *)" }
  }

  assert {
    condition     = aws_scheduler_schedule.this[0].state == "DISABLED"
    error_message = "a schedule is disabled unless enabled = true"
  }
  assert {
    condition     = aws_scheduler_schedule.this[0].target[0].arn == aws_sfn_state_machine.this[0].arn
    error_message = "the schedule starts this state machine"
  }
  assert {
    condition     = one(data.aws_iam_policy_document.scheduler[0].statement).resources == toset([aws_sfn_state_machine.this[0].arn])
    error_message = "the scheduler role may start this state machine only"
  }
}

run "enabled_schedule" {
  command = plan

  variables {
    schedule = { expression = "rate(1 day)", enabled = true }
  }

  assert {
    condition     = aws_scheduler_schedule.this[0].state == "ENABLED"
    error_message = "enabled = true enables the schedule"
  }
}

run "create_false_makes_zero_resources" {
  command = apply

  variables {
    create   = false
    schedule = { expression = "rate(1 day)", enabled = true }
  }

  assert {
    condition = (length(aws_sfn_state_machine.this) + length(aws_iam_role.this) + length(aws_iam_role_policy.this) + length(aws_cloudwatch_log_group.this)
    + length(aws_sns_topic.failures) + length(aws_scheduler_schedule.this) + length(aws_iam_role.scheduler) + length(aws_iam_role_policy.scheduler)) == 0
    error_message = "create = false must make zero resources"
  }
}

run "rejects_a_bad_schedule_expression" {
  command = plan

  variables {
    schedule = { expression = "every day" }
  }

  expect_failures = [var.schedule]
}

run "rejects_job_definition_arns_with_a_revision" {
  command = plan

  variables {
    service_integrations = {
      batch_sync = {
        job_queue_arns              = ["arn:aws:batch:eu-west-1:123456789012:job-queue/q"]
        job_definition_arn_prefixes = ["arn:aws:batch:eu-west-1:123456789012:job-definition/d:3"]
      }
    }
  }

  expect_failures = [var.service_integrations]
}

run "rejects_express_with_batch_sync" {
  command = plan

  variables {
    type = "EXPRESS"
  }

  expect_failures = [aws_sfn_state_machine.this]
}
