# Run with the environment's own values: terraform test -var-file=dev.tfvars
mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = { account_id = "123456789012" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_region" {
    defaults = { name = "eu-west-1" }
  }
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{}" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::123456789012:role/mock" }
  }
  mock_resource "aws_batch_job_queue" {
    defaults = { arn = "arn:aws:batch:eu-west-1:123456789012:job-queue/bgtasks-dev-main" }
  }
  mock_resource "aws_batch_compute_environment" {
    defaults = { arn = "arn:aws:batch:eu-west-1:123456789012:compute-environment/bgtasks-dev-ce" }
  }
  mock_resource "aws_sfn_state_machine" {
    defaults = { arn = "arn:aws:states:eu-west-1:123456789012:stateMachine:bgtasks-dev-task" }
  }
  mock_resource "aws_lambda_function" {
    defaults = { arn = "arn:aws:lambda:eu-west-1:123456789012:function:bgtasks-dev-task-metadata" }
  }
  mock_resource "aws_batch_job_definition" {
    defaults = {
      arn        = "arn:aws:batch:eu-west-1:123456789012:job-definition/bgtasks-dev-task-worker:1"
      arn_prefix = "arn:aws:batch:eu-west-1:123456789012:job-definition/bgtasks-dev-task-worker"
    }
  }
  mock_resource "aws_sns_topic" {
    defaults = { arn = "arn:aws:sns:eu-west-1:123456789012:bgtasks-dev-task-failures" }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = { arn = "arn:aws:logs:eu-west-1:123456789012:log-group:bgtasks-dev" }
  }
  mock_resource "aws_iam_instance_profile" {
    defaults = { arn = "arn:aws:iam::123456789012:instance-profile/mock" }
  }
}

variables {
  lambda_zip_path = "../../modules/metadata-function/tests/fixtures/metadata-function.zip"
}

run "dev_is_spot_only_with_schedules_off" {
  command = apply

  assert {
    condition     = length(module.compute.compute_environment_types) == 1 && module.compute.compute_environment_types[0] == "SPOT"
    error_message = "dev runs on Spot only"
  }
  assert {
    condition     = alltrue([for t in var.tasks : !t.schedule_enabled])
    error_message = "dev schedules stay disabled"
  }
  assert {
    condition     = module.task["thumbnails"].name == "bgtasks-dev-thumbnails" && module.task["sitemap"].name == "bgtasks-dev-sitemap"
    error_message = "each task is named <project>-<env>-<task>"
  }
}
