locals {
  job_definitions = var.create ? var.job_definitions : {}

  # The container part shared by plain and multi-node definitions. Keys are omitted rather than
  # sent empty or null: Batch drops them on read, and the provider would show a diff forever.
  containers = { for k, d in local.job_definitions : k => merge(
    {
      image = d.image
      resourceRequirements = [
        { type = "VCPU", value = tostring(d.vcpus) },
        { type = "MEMORY", value = tostring(d.memory) },
      ]
      environment = [for n in sort(keys(d.environment)) : { name = n, value = d.environment[n] }]
    },
    length(d.command) == 0 ? {} : { command = d.command },
    length(d.secrets) == 0 ? {} : { secrets = [for n in sort(keys(d.secrets)) : { name = n, valueFrom = d.secrets[n] }] },
    d.job_role_arn == null ? {} : { jobRoleArn = d.job_role_arn },
    d.execution_role_arn == null ? {} : { executionRoleArn = d.execution_role_arn },
  ) }
}

resource "aws_batch_job_definition" "this" {
  for_each = local.job_definitions

  name                  = "${var.name}-${each.key}"
  type                  = each.value.type
  platform_capabilities = ["EC2"]
  propagate_tags        = true
  tags                  = var.tags

  container_properties = each.value.type == "container" ? jsonencode(local.containers[each.key]) : null

  node_properties = each.value.type == "multinode" ? jsonencode({
    mainNode = each.value.main_node
    numNodes = each.value.num_nodes
    nodeRangeProperties = [{
      targetNodes = "0:"
      container   = local.containers[each.key]
    }]
  }) : null

  retry_strategy {
    attempts = each.value.attempts

    # First match wins: retry when the host went away (Spot reclaim, instance failure) or the
    # application exited with a code it marks as transient; exit at once on anything else, such
    # as bad input, which no retry can mend.
    dynamic "evaluate_on_exit" {
      for_each = each.value.retry_on_status_reasons
      content {
        action           = "RETRY"
        on_status_reason = evaluate_on_exit.value
      }
    }

    dynamic "evaluate_on_exit" {
      for_each = each.value.retry_on_exit_codes
      content {
        action       = "RETRY"
        on_exit_code = evaluate_on_exit.value
      }
    }

    evaluate_on_exit {
      action    = "EXIT"
      on_reason = "*"
    }
  }

  timeout {
    attempt_duration_seconds = each.value.timeout_seconds
  }
}
