mock_provider "aws" {
  override_data {
    target = data.aws_partition.current
    values = { partition = "aws" }
  }
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{}" }
  }
  mock_resource "aws_iam_instance_profile" {
    defaults = { arn = "arn:aws:iam::123456789012:instance-profile/bgtasks-test-batch-instance" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::123456789012:role/bgtasks-test-role" }
  }
}

variables {
  name                 = "bgtasks-test"
  vpc_id               = "vpc-0123456789abcdef0"
  subnet_ids           = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]
  registry_credentials = { secret_arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:registry-AbCdEf" }
}

run "user_data_is_mime_multipart_with_secret_arn_and_no_credential" {
  command = plan

  assert {
    condition     = startswith(output.user_data, "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"==BGTASKS-MIME-BOUNDARY==\"\n")
    error_message = "user data must open with MIME multi-part headers"
  }
  assert {
    condition     = endswith(trimspace(output.user_data), "--==BGTASKS-MIME-BOUNDARY==--")
    error_message = "user data must close the multipart body"
  }
  assert {
    condition     = strcontains(output.user_data, "arn:aws:secretsmanager:eu-west-1:123456789012:secret:registry-AbCdEf")
    error_message = "user data must name the registry secret by ARN"
  }
  assert {
    condition     = strcontains(output.user_data, "ECS_ENGINE_AUTH_TYPE") && strcontains(output.user_data, "ECS_ENGINE_AUTH_DATA") && strcontains(output.user_data, "chmod 600")
    error_message = "user data must write both ECS auth keys to a mode-600 ecs.config"
  }
  assert {
    condition     = !strcontains(lower(output.user_data), "password") && !strcontains(output.user_data, "\"auth\"")
    error_message = "user data must not carry registry credentials"
  }
  assert {
    condition     = base64decode(aws_launch_template.this[0].user_data) == output.user_data
    error_message = "the launch template must carry the MIME document"
  }
}

run "imdsv2_required_and_root_volume_encrypted" {
  command = plan

  assert {
    condition     = aws_launch_template.this[0].metadata_options[0].http_tokens == "required"
    error_message = "IMDSv2 must be required"
  }
  assert {
    condition     = aws_launch_template.this[0].metadata_options[0].http_put_response_hop_limit == 1
    error_message = "containers must not reach the instance's metadata (hop limit 1)"
  }
  assert {
    condition     = aws_launch_template.this[0].block_device_mappings[0].ebs[0].encrypted == "true"
    error_message = "the root volume must be encrypted"
  }
}

run "default_strategy_is_spot_price_capacity_optimized_updated_in_place" {
  command = plan

  assert {
    condition     = length(aws_batch_compute_environment.spot) == 1 && length(aws_batch_compute_environment.spot_legacy) == 0
    error_message = "the default strategy must use the in-place updatable environment"
  }
  assert {
    condition     = aws_batch_compute_environment.spot[0].compute_resources[0].allocation_strategy == "SPOT_PRICE_CAPACITY_OPTIMIZED"
    error_message = "default allocation strategy must be SPOT_PRICE_CAPACITY_OPTIMIZED"
  }
  assert {
    condition     = aws_batch_compute_environment.spot[0].compute_resources[0].min_vcpus == 0 && aws_batch_compute_environment.spot[0].compute_resources[0].type == "SPOT"
    error_message = "the Spot environment must scale to zero"
  }
  assert {
    condition     = aws_batch_compute_environment.spot[0].compute_environment_name_prefix == "bgtasks-test-spot-"
    error_message = "compute environments are named by prefix, so a replacement can be built before the old one goes"
  }
  assert {
    condition     = length(aws_batch_compute_environment.spot[0].update_policy) == 1
    error_message = "an update_policy is needed for in-place infrastructure updates"
  }
  assert {
    condition     = output.update_mode == "in-place" && length(aws_batch_compute_environment.on_demand) == 0
    error_message = "no On-Demand environment unless asked"
  }
}

run "best_fit_uses_spot_fleet_role_and_name_prefix" {
  command = plan

  variables {
    allocation_strategy = "BEST_FIT"
  }

  assert {
    condition     = length(aws_batch_compute_environment.spot) == 0 && length(aws_batch_compute_environment.spot_legacy) == 1
    error_message = "BEST_FIT must use the replaced-on-change environment"
  }
  assert {
    condition     = aws_batch_compute_environment.spot_legacy[0].compute_environment_name_prefix == "bgtasks-test-spot-"
    error_message = "the legacy environment must be named by prefix so a replacement can exist beside it"
  }
  assert {
    condition     = aws_iam_role_policy_attachment.spot_fleet[0].policy_arn == "arn:aws:iam::aws:policy/service-role/AmazonEC2SpotFleetTaggingRole"
    error_message = "the Spot Fleet role must have AmazonEC2SpotFleetTaggingRole"
  }
  assert {
    condition     = output.update_mode == "replace"
    error_message = "BEST_FIT environments are replaced on change"
  }
}

run "on_demand_fallback_comes_after_spot" {
  command = apply

  variables {
    on_demand = { enabled = true, max_vcpus = 8 }
  }

  assert {
    condition     = length(output.compute_environment_arns) == 2 && output.compute_environment_arns[0] == aws_batch_compute_environment.spot[0].arn && output.compute_environment_arns[1] == aws_batch_compute_environment.on_demand[0].arn
    error_message = "compute environments must be listed Spot first, then On-Demand"
  }
  assert {
    condition     = jsonencode(output.compute_environment_types) == jsonencode(["SPOT", "EC2"])
    error_message = "types must follow the same order"
  }
  assert {
    condition     = aws_batch_compute_environment.on_demand[0].compute_resources[0].type == "EC2"
    error_message = "the fallback must be On-Demand"
  }
}

run "instance_role_reads_only_the_registry_secret" {
  command = plan

  assert {
    condition     = aws_iam_role_policy.registry_secret[0].role == aws_iam_role.instance[0].id
    error_message = "the secret policy must be on the instance role"
  }
  assert {
    condition     = data.aws_iam_policy_document.registry_secret[0].statement[0].resources == toset(["arn:aws:secretsmanager:eu-west-1:123456789012:secret:registry-AbCdEf"]) && data.aws_iam_policy_document.registry_secret[0].statement[0].actions == toset(["secretsmanager:GetSecretValue"])
    error_message = "the instance may read the one registry secret and nothing else"
  }
}

run "no_registry_secret_leaves_the_script_out" {
  command = plan

  variables {
    registry_credentials  = null
    extra_user_data_parts = [{ content_type = "text/cloud-config", content = "#cloud-config\nruncmd: []" }]
  }

  assert {
    condition     = !strcontains(output.user_data, "ECS_ENGINE_AUTH") && strcontains(output.user_data, "Content-Type: text/cloud-config")
    error_message = "without a secret only the caller's parts remain"
  }
  assert {
    condition     = length(aws_iam_role_policy.registry_secret) == 0
    error_message = "no secret, no secret policy"
  }
}

run "no_part_at_all_means_no_user_data" {
  command = plan

  variables {
    registry_credentials = null
  }

  assert {
    condition     = output.user_data == null && aws_launch_template.this[0].user_data == null
    error_message = "an empty multipart document is not sent"
  }
}

run "create_false_makes_zero_resources" {
  command = apply

  variables {
    create    = false
    on_demand = { enabled = true }
  }

  assert {
    condition = (length(aws_launch_template.this) + length(aws_batch_compute_environment.spot) + length(aws_batch_compute_environment.spot_legacy)
      + length(aws_batch_compute_environment.on_demand) + length(aws_iam_role.instance) + length(aws_iam_instance_profile.instance)
      + length(aws_iam_role_policy_attachment.instance_ecs) + length(aws_iam_role_policy.registry_secret) + length(aws_security_group.this)
    + length(aws_vpc_security_group_egress_rule.all) + length(aws_iam_role.spot_fleet) + length(aws_iam_role_policy_attachment.spot_fleet)) == 0
    error_message = "create = false must make zero resources"
  }
  assert {
    condition     = length(output.compute_environment_arns) == 0
    error_message = "no compute environments when create = false"
  }
}

run "rejects_max_below_min_vcpus" {
  command = plan

  variables {
    min_vcpus = 8
    max_vcpus = 4
  }

  expect_failures = [aws_batch_compute_environment.spot]
}

run "rejects_unknown_allocation_strategy" {
  command = plan

  variables {
    allocation_strategy = "CHEAPEST"
  }

  expect_failures = [var.allocation_strategy]
}

run "rejects_bad_secret_arn" {
  command = plan

  variables {
    registry_credentials = { secret_arn = "registry-password" }
  }

  expect_failures = [var.registry_credentials]
}
