mock_provider "aws" {
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{}" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_region" {
    defaults = { name = "eu-west-1" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::123456789012:role/bgtasks-test-role" }
  }
  mock_resource "aws_lambda_function" {
    defaults = { arn = "arn:aws:lambda:eu-west-1:123456789012:function:bgtasks-test-thumbnails-metadata" }
  }
  mock_resource "aws_batch_job_definition" {
    defaults = {
      arn        = "arn:aws:batch:eu-west-1:123456789012:job-definition/bgtasks-test-thumbnails-worker:1"
      arn_prefix = "arn:aws:batch:eu-west-1:123456789012:job-definition/bgtasks-test-thumbnails-worker"
    }
  }
  mock_resource "aws_sns_topic" {
    defaults = { arn = "arn:aws:sns:eu-west-1:123456789012:bgtasks-test-thumbnails-failures" }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = { arn = "arn:aws:logs:eu-west-1:123456789012:log-group:x" }
  }
  mock_resource "aws_sfn_state_machine" {
    defaults = { arn = "arn:aws:states:eu-west-1:123456789012:stateMachine:bgtasks-test-thumbnails" }
  }
  mock_resource "aws_s3_bucket" {
    defaults = { arn = "arn:aws:s3:::bgtasks-test-thumbnails-runs" }
  }
}

variables {
  env                 = "test"
  task_name           = "thumbnails"
  job_queue_arn       = "arn:aws:batch:eu-west-1:123456789012:job-queue/bgtasks-test-main"
  worker              = { image = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/bgtasks-worker:1.0", vcpus = 2, memory = 4096 }
  lambda_zip_path     = "tests/fixtures/metadata-function.zip"
  definition_file     = "tests/fixtures/minimal.asl.json"
  tenant_source       = "s3://bgtasks-test-config/tenants.json"
  tenant_bucket_names = ["bgtasks-test-tenants"]
  max_chunks          = 25
}

run "names_follow_project_env_task" {
  command = apply

  assert {
    condition     = output.state_machine_name == "bgtasks-test-thumbnails" && output.name == "bgtasks-test-thumbnails"
    error_message = "the state machine of task T in env E is bgtasks-E-T"
  }
  assert {
    condition     = output.runs_bucket == "bgtasks-test-thumbnails-runs"
    error_message = "the runs bucket is <project>-<env>-<task>-runs"
  }
  assert {
    condition     = module.metadata_function.function_name == "bgtasks-test-thumbnails-metadata"
    error_message = "the metadata function is <project>-<env>-<task>-metadata"
  }
}

run "state_machine_drives_this_tasks_function_queue_and_job_definition" {
  command = apply

  assert {
    condition     = jsondecode(module.workflow.definition).States.Plan.Parameters.FunctionName == module.metadata_function.function_arn
    error_message = "the definition must invoke this task's function"
  }
  assert {
    condition     = jsondecode(module.workflow.definition).States.Run.Parameters.JobQueue == var.job_queue_arn && jsondecode(module.workflow.definition).States.Run.Parameters.JobDefinition == output.job_definition_arn
    error_message = "the definition must submit to the shared queue with this task's job definition"
  }
  assert {
    condition     = jsondecode(module.workflow.definition).States.Plan.Parameters.Payload.max_chunks == 25 && jsondecode(module.workflow.definition).States.Plan.Parameters.Payload.task == "thumbnails"
    error_message = "task name and max_chunks must reach the definition"
  }
}

run "worker_role_reads_chunks_writes_results_and_touches_only_listed_tenant_buckets" {
  command = plan

  assert {
    condition     = one([for s in data.aws_iam_policy_document.worker[0].statement : s if s.sid == "ReadChunks"]).resources == toset(["arn:aws:s3:::bgtasks-test-thumbnails-runs/runs/*/chunks/*"])
    error_message = "the worker may read chunks only"
  }
  assert {
    condition     = one([for s in data.aws_iam_policy_document.worker[0].statement : s if s.sid == "WriteResults"]).resources == toset(["arn:aws:s3:::bgtasks-test-thumbnails-runs/runs/*/results/*"])
    error_message = "the worker may write results only"
  }
  assert {
    condition     = one([for s in data.aws_iam_policy_document.worker[0].statement : s if s.sid == "ReadWriteTenantObjects"]).resources == toset(["arn:aws:s3:::bgtasks-test-tenants/*"])
    error_message = "the worker may touch the listed tenant buckets only"
  }
  assert {
    condition     = length([for s in data.aws_iam_policy_document.worker[0].statement : s if contains(s.actions, "s3:PutObject") && anytrue([for r in s.resources : strcontains(r, "/chunks/")])]) == 0
    error_message = "the worker must not write chunks"
  }
}

run "job_definition_runs_the_worker_image_with_its_role" {
  command = apply

  assert {
    condition     = jsondecode(module.job_definition.job_definitions["worker"].container_properties).image == "123456789012.dkr.ecr.eu-west-1.amazonaws.com/bgtasks-worker:1.0"
    error_message = "the job definition must run the worker image"
  }
  assert {
    condition     = jsondecode(module.job_definition.job_definitions["worker"].container_properties).jobRoleArn == output.worker_role_arn
    error_message = "the job definition must use the worker's job role"
  }
  assert {
    condition     = jsondecode(module.job_definition.job_definitions["worker"].container_properties).resourceRequirements[0].value == "2"
    error_message = "worker vCPUs must reach the job definition"
  }
}

run "create_false_makes_zero_resources" {
  command = apply

  variables {
    create   = false
    schedule = { expression = "rate(1 day)", enabled = true }
  }

  assert {
    condition = (length(aws_iam_role.worker) + length(aws_iam_role_policy.worker) + length(module.metadata_function.function_arn == null ? [] : [1])
    + length(module.job_definition.job_definition_arns) + length(module.workflow.state_machine_arn == null ? [] : [1]) + length(module.workflow.schedule_arn == null ? [] : [1])) == 0
    error_message = "create = false must make zero resources"
  }
}

run "a_second_task_is_one_more_module_block" {
  command = apply

  module {
    source = "./tests/fixtures/two_tasks"
  }

  providers = {
    aws = aws
  }

  variables {
    job_queue_arn = "arn:aws:batch:eu-west-1:123456789012:job-queue/bgtasks-test-main"
  }

  assert {
    condition     = jsonencode(output.state_machine_names) == jsonencode(["bgtasks-test-thumbnails", "bgtasks-test-sitemap"])
    error_message = "each task gets its own state machine"
  }
  assert {
    condition     = jsonencode(output.runs_buckets) == jsonencode(["bgtasks-test-thumbnails-runs", "bgtasks-test-sitemap-runs"])
    error_message = "each task gets its own runs bucket"
  }
}

run "renders_the_repository_background_task_state_machine" {
  command = apply

  variables {
    definition_file = null
  }

  assert {
    condition     = !strcontains(module.workflow.definition, "$${") && jsondecode(module.workflow.definition).StartAt == "Plan"
    error_message = "statemachines/background-task.asl.json must render with every placeholder filled"
  }
  assert {
    condition     = jsondecode(module.workflow.definition).States.RunArrayJob.Parameters.JobDefinition == output.job_definition_arn
    error_message = "the array job must use this task's job definition"
  }
}

run "chained_stages_render_the_chained_state_machine_with_three_job_definitions" {
  command = apply

  variables {
    definition_file = null
    chained_stages = {
      stage_b = { image = "bgtasks-worker:1.0", command = ["stage", "b"] }
      stage_c = { image = "bgtasks-worker:1.0", command = ["stage", "c"] }
    }
  }

  assert {
    condition     = length(output.job_definition_arns) == 3 && contains(keys(output.job_definition_arns), "stage_c")
    error_message = "chained stages add job definitions for stages B and C"
  }
  assert {
    condition     = !strcontains(module.workflow.definition, "$${") && jsondecode(module.workflow.definition).States.SubmitArrayStageB.Parameters.DependsOn[0].Type == "N_TO_N"
    error_message = "statemachines/chained-stages.asl.json must render with every placeholder filled"
  }
  assert {
    condition     = length(one([for s in module.workflow.policy_statements : s if s.sid == "SubmitBatchJobs"]).resources) == 4
    error_message = "SubmitJob must cover the queue and all three job definitions"
  }
}
