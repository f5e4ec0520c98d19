mock_provider "aws" {}

variables {
  name = "bgtasks-test-thumbnails"
  job_definitions = {
    worker = {
      image        = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/bgtasks-worker:1.0"
      command      = ["run"]
      vcpus        = 2
      memory       = 4096
      environment  = { B_VAR = "2", A_VAR = "1" }
      job_role_arn = "arn:aws:iam::123456789012:role/bgtasks-test-thumbnails-worker"
    }
  }
}

run "container_definition_carries_resources_role_and_sorted_environment" {
  command = plan

  assert {
    condition     = aws_batch_job_definition.this["worker"].name == "bgtasks-test-thumbnails-worker" && aws_batch_job_definition.this["worker"].type == "container"
    error_message = "name must be <name>-<key>, type container"
  }
  assert {
    condition     = jsondecode(aws_batch_job_definition.this["worker"].container_properties).resourceRequirements == [{ type = "VCPU", value = "2" }, { type = "MEMORY", value = "4096" }]
    error_message = "vCPU and memory must be resource requirements"
  }
  assert {
    condition     = jsondecode(aws_batch_job_definition.this["worker"].container_properties).environment[0].name == "A_VAR"
    error_message = "environment must be sorted by name (Batch returns it sorted)"
  }
  assert {
    condition     = jsondecode(aws_batch_job_definition.this["worker"].container_properties).jobRoleArn == "arn:aws:iam::123456789012:role/bgtasks-test-thumbnails-worker"
    error_message = "the job role must be set"
  }
  assert {
    condition     = !can(jsondecode(aws_batch_job_definition.this["worker"].container_properties).secrets)
    error_message = "no secrets key when there are no secrets"
  }
  assert {
    condition     = aws_batch_job_definition.this["worker"].timeout[0].attempt_duration_seconds == 3600
    error_message = "a timeout must be set"
  }
}

run "retry_strategy_retries_host_failures_and_exits_on_application_errors" {
  command = plan

  assert {
    condition     = aws_batch_job_definition.this["worker"].retry_strategy[0].attempts == 3
    error_message = "three attempts by default"
  }
  assert {
    condition     = aws_batch_job_definition.this["worker"].retry_strategy[0].evaluate_on_exit[0].action == "RETRY" && aws_batch_job_definition.this["worker"].retry_strategy[0].evaluate_on_exit[0].on_status_reason == "Host EC2*"
    error_message = "the first rule must retry host failures (Spot reclaims)"
  }
  assert {
    condition     = aws_batch_job_definition.this["worker"].retry_strategy[0].evaluate_on_exit[1].action == "EXIT" && aws_batch_job_definition.this["worker"].retry_strategy[0].evaluate_on_exit[1].on_reason == "*"
    error_message = "the last rule must exit on anything else"
  }
}

run "retry_strategy_retries_transient_exit_codes_before_exiting" {
  command = plan

  variables {
    job_definitions = {
      worker = {
        image               = "bgtasks-worker:1.0"
        retry_on_exit_codes = ["75"]
      }
    }
  }

  assert {
    condition     = aws_batch_job_definition.this["worker"].retry_strategy[0].evaluate_on_exit[1].action == "RETRY" && aws_batch_job_definition.this["worker"].retry_strategy[0].evaluate_on_exit[1].on_exit_code == "75"
    error_message = "the transient exit code must be retried after host failures"
  }
  assert {
    condition     = aws_batch_job_definition.this["worker"].retry_strategy[0].evaluate_on_exit[2].action == "EXIT" && aws_batch_job_definition.this["worker"].retry_strategy[0].evaluate_on_exit[2].on_reason == "*"
    error_message = "the last rule must still exit on anything else"
  }
}

run "rejects_exit_code_patterns_batch_would_refuse" {
  command = plan

  variables {
    job_definitions = {
      worker = {
        image               = "bgtasks-worker:1.0"
        retry_on_exit_codes = ["7x"]
      }
    }
  }

  expect_failures = [var.job_definitions]
}

run "multinode_on_on_demand_is_accepted" {
  command = plan

  variables {
    job_definitions = {
      mpi = {
        type                     = "multinode"
        compute_environment_type = "EC2"
        image                    = "bgtasks-worker:1.0"
        num_nodes                = 4
      }
    }
  }

  assert {
    condition     = jsondecode(aws_batch_job_definition.this["mpi"].node_properties).numNodes == 4 && aws_batch_job_definition.this["mpi"].container_properties == null
    error_message = "a multinode definition carries node properties only"
  }
}

run "multinode_on_spot_is_refused" {
  command = plan

  variables {
    job_definitions = {
      mpi = {
        type  = "multinode"
        image = "bgtasks-worker:1.0"
      }
    }
  }

  expect_failures = [var.job_definitions]
}

run "rejects_memory_beyond_what_the_vcpus_can_have" {
  command = plan

  variables {
    job_definitions = {
      worker = { image = "bgtasks-worker:1.0", vcpus = 1, memory = 65536 }
    }
  }

  expect_failures = [var.job_definitions]
}

run "rejects_secrets_without_execution_role" {
  command = plan

  variables {
    job_definitions = {
      worker = { image = "bgtasks-worker:1.0", secrets = { TOKEN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:t" } }
    }
  }

  expect_failures = [var.job_definitions]
}

run "create_false_makes_zero_resources" {
  command = apply

  variables {
    create = false
  }

  assert {
    condition     = length(aws_batch_job_definition.this) == 0 && length(output.job_definition_arns) == 0
    error_message = "create = false must make zero resources"
  }
}
