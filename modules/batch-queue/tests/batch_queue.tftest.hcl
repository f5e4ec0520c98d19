mock_provider "aws" {
  mock_resource "aws_batch_scheduling_policy" {
    defaults = { arn = "arn:aws:batch:eu-west-1:123456789012:scheduling-policy/bgtasks-test-fair" }
  }
}

variables {
  name = "bgtasks-test"
  job_queues = {
    main = {
      compute_environment_arns = [
        "arn:aws:batch:eu-west-1:123456789012:compute-environment/bgtasks-test-spot",
        "arn:aws:batch:eu-west-1:123456789012:compute-environment/bgtasks-test-on-demand",
      ]
    }
  }
}

run "queue_order_is_spot_then_on_demand" {
  command = plan

  assert {
    condition     = aws_batch_job_queue.this["main"].name == "bgtasks-test-main"
    error_message = "queue name must be <name>-<key>"
  }
  assert {
    condition     = aws_batch_job_queue.this["main"].compute_environment_order[0].order == 0 && endswith(aws_batch_job_queue.this["main"].compute_environment_order[0].compute_environment, "/bgtasks-test-spot")
    error_message = "Spot must come first"
  }
  assert {
    condition     = aws_batch_job_queue.this["main"].compute_environment_order[1].order == 1 && endswith(aws_batch_job_queue.this["main"].compute_environment_order[1].compute_environment, "/bgtasks-test-on-demand")
    error_message = "On-Demand must come after Spot"
  }
  assert {
    condition     = length(aws_batch_scheduling_policy.this) == 0 && aws_batch_job_queue.this["main"].scheduling_policy_arn == null
    error_message = "no scheduling policy unless fair_share is set"
  }
}

run "fair_share_attaches_a_scheduling_policy" {
  command = apply

  variables {
    job_queues = {
      fair = {
        compute_environment_arns = ["arn:aws:batch:eu-west-1:123456789012:compute-environment/bgtasks-test-spot"]
        fair_share = {
          shares = [{ share_identifier = "big", weight_factor = 0.5 }, { share_identifier = "small" }]
        }
      }
    }
  }

  assert {
    condition     = aws_batch_job_queue.this["fair"].scheduling_policy_arn == aws_batch_scheduling_policy.this["fair"].arn
    error_message = "the queue must use its fair-share policy"
  }
  assert {
    condition     = length(aws_batch_scheduling_policy.this["fair"].fair_share_policy[0].share_distribution) == 2
    error_message = "every share must be in the policy"
  }
}

run "create_false_makes_zero_resources" {
  command = apply

  variables {
    create = false
  }

  assert {
    condition     = length(aws_batch_job_queue.this) + length(aws_batch_scheduling_policy.this) == 0
    error_message = "create = false must make zero resources"
  }
}

run "rejects_more_than_three_compute_environments" {
  command = plan

  variables {
    job_queues = {
      main = { compute_environment_arns = ["a", "b", "c", "d"] }
    }
  }

  expect_failures = [var.job_queues]
}

run "rejects_out_of_range_fair_share_weights" {
  command = plan

  variables {
    job_queues = {
      main = {
        compute_environment_arns = ["arn:aws:batch:eu-west-1:123456789012:compute-environment/x"]
        fair_share               = { shares = [{ share_identifier = "a", weight_factor = 0 }] }
      }
    }
  }

  expect_failures = [var.job_queues]
}
