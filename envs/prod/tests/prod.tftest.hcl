# Run with the environment's own values: terraform test -var-file=prod.tfvars
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
    defaults = { arn = "arn:aws:batch:eu-west-1:123456789012:job-queue/bgtasks-prod-main" }
  }
  mock_resource "aws_batch_compute_environment" {
    defaults = { arn = "arn:aws:batch:eu-west-1:123456789012:compute-environment/bgtasks-prod-ce" }
  }
  mock_resource "aws_sfn_state_machine" {
    defaults = { arn = "arn:aws:states:eu-west-1:123456789012:stateMachine:bgtasks-prod-task" }
  }
  mock_resource "aws_lambda_function" {
    defaults = { arn = "arn:aws:lambda:eu-west-1:123456789012:function:bgtasks-prod-task-metadata" }
  }
  mock_resource "aws_batch_job_definition" {
    defaults = {
      arn        = "arn:aws:batch:eu-west-1:123456789012:job-definition/bgtasks-prod-task-worker:1"
      arn_prefix = "arn:aws:batch:eu-west-1:123456789012:job-definition/bgtasks-prod-task-worker"
    }
  }
  mock_resource "aws_sns_topic" {
    defaults = { arn = "arn:aws:sns:eu-west-1:123456789012:bgtasks-prod-task-failures" }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = { arn = "arn:aws:logs:eu-west-1:123456789012:log-group:bgtasks-prod" }
  }
  mock_resource "aws_iam_instance_profile" {
    defaults = { arn = "arn:aws:iam::123456789012:instance-profile/mock" }
  }
}

variables {
  lambda_zip_path = "../../modules/metadata-function/tests/fixtures/metadata-function.zip"
}

run "prod_has_spot_first_then_on_demand_and_schedules_on" {
  command = apply

  assert {
    condition     = jsonencode(module.compute.compute_environment_types) == jsonencode(["SPOT", "EC2"])
    error_message = "prod has Spot first, then the On-Demand fallback"
  }
  assert {
    condition     = alltrue([for t in var.tasks : t.schedule_enabled])
    error_message = "prod schedules are enabled"
  }
}
