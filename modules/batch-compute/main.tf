data "aws_partition" "current" {
  count = var.create ? 1 : 0
}

locals {
  partition = try(data.aws_partition.current[0].partition, "aws")

  # AWS Batch updates a compute environment in place (new launch template version, new
  # instances) only with these strategies and the service-linked role; BEST_FIT (legacy Spot
  # Fleet) environments must be replaced instead (DESIGN.md §6).
  updatable_in_place = var.allocation_strategy != "BEST_FIT"
  create_updatable   = var.create && local.updatable_in_place
  create_legacy      = var.create && !local.updatable_in_place
  create_fleet_role  = local.create_legacy && var.create_spot_fleet_role && var.spot_iam_fleet_role_arn == null
  create_on_demand   = var.create && var.on_demand.enabled

  registry_auth_part = var.registry_credentials == null ? [] : [{
    content_type = "text/x-shellscript"
    filename     = "10-registry-auth.sh"
    content = templatefile("${path.module}/templates/registry-auth.sh.tftpl", {
      secret_arn = var.registry_credentials.secret_arn
      # The secret's own region (arn:<partition>:secretsmanager:<region>:...), which may differ
      # from the instances'.
      region    = split(":", var.registry_credentials.secret_arn)[3]
      auth_type = var.registry_credentials.auth_type
    })
  }]
  extra_parts = [for i, p in var.extra_user_data_parts : {
    content_type = p.content_type
    filename     = coalesce(p.filename, format("%02d-extra", 20 + i))
    content      = p.content
  }]
  user_data_parts = concat(local.registry_auth_part, local.extra_parts)

  # Batch rejects user data that is not MIME multi-part, even with a single part. Without any
  # part there is no user data at all.
  user_data = length(local.user_data_parts) == 0 ? null : templatefile("${path.module}/templates/user-data.mime.tftpl", {
    boundary = "==BGTASKS-MIME-BOUNDARY=="
    parts    = local.user_data_parts
  })

  security_group_ids = concat(aws_security_group.this[*].id, var.additional_security_group_ids)
  service_role_arn   = var.service_role_arn
  spot_fleet_role    = coalesce(var.spot_iam_fleet_role_arn, try(aws_iam_role.spot_fleet[0].arn, null), "unused")
}

# --- instance role: ECS agent, and the registry secret only ----------------------------------

data "aws_iam_policy_document" "instance_assume" {
  count = var.create ? 1 : 0

  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "instance" {
  count = var.create ? 1 : 0

  name               = "${var.name}-batch-instance"
  assume_role_policy = data.aws_iam_policy_document.instance_assume[0].json
  tags               = var.tags
}

resource "aws_iam_role_policy_attachment" "instance_ecs" {
  count = var.create ? 1 : 0

  role       = aws_iam_role.instance[0].name
  policy_arn = "arn:${local.partition}:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role"
}

data "aws_iam_policy_document" "registry_secret" {
  count = var.create && var.registry_credentials != null ? 1 : 0

  statement {
    sid       = "ReadRegistrySecret"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [var.registry_credentials.secret_arn]
  }

  dynamic "statement" {
    for_each = try(var.registry_credentials.kms_key_arn, null) == null ? [] : [var.registry_credentials.kms_key_arn]
    content {
      sid       = "DecryptRegistrySecret"
      actions   = ["kms:Decrypt"]
      resources = [statement.value]
      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["secretsmanager.${split(":", var.registry_credentials.secret_arn)[3]}.amazonaws.com"]
      }
    }
  }
}

resource "aws_iam_role_policy" "registry_secret" {
  count = var.create && var.registry_credentials != null ? 1 : 0

  name   = "registry-secret"
  role   = aws_iam_role.instance[0].id
  policy = data.aws_iam_policy_document.registry_secret[0].json
}

resource "aws_iam_instance_profile" "instance" {
  count = var.create ? 1 : 0

  name = "${var.name}-batch-instance"
  role = aws_iam_role.instance[0].name
  tags = var.tags
}

# --- legacy Spot Fleet role (BEST_FIT only) --------------------------------------------------

data "aws_iam_policy_document" "spot_fleet_assume" {
  count = local.create_fleet_role ? 1 : 0

  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["spotfleet.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "spot_fleet" {
  count = local.create_fleet_role ? 1 : 0

  name               = "${var.name}-batch-spot-fleet"
  assume_role_policy = data.aws_iam_policy_document.spot_fleet_assume[0].json
  tags               = var.tags
}

resource "aws_iam_role_policy_attachment" "spot_fleet" {
  count = local.create_fleet_role ? 1 : 0

  role       = aws_iam_role.spot_fleet[0].name
  policy_arn = "arn:${local.partition}:iam::aws:policy/service-role/AmazonEC2SpotFleetTaggingRole"
}

# --- security group: egress only (image pulls, AWS APIs) -------------------------------------

resource "aws_security_group" "this" {
  #checkov:skip=CKV2_AWS_5:attached to the compute environments through compute_resources.security_group_ids
  count = var.create ? 1 : 0

  name_prefix = "${var.name}-batch-"
  description = "Batch compute instances of ${var.name}: no inbound, outbound to registries and AWS APIs"
  vpc_id      = var.vpc_id
  tags        = merge(var.tags, { Name = "${var.name}-batch" })

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_egress_rule" "all" {
  #checkov:skip=CKV_AWS_382:workers pull images and call S3 and other AWS APIs; no inbound is allowed
  count = var.create ? 1 : 0

  security_group_id = aws_security_group.this[0].id
  description       = "Outbound to image registries and AWS APIs"
  ip_protocol       = "-1"
  cidr_ipv4         = "0.0.0.0/0"
  tags              = var.tags
}

# --- launch template: MIME user data, IMDSv2, encrypted EBS ----------------------------------

resource "aws_launch_template" "this" {
  count = var.create ? 1 : 0

  name_prefix            = "${var.name}-batch-"
  description            = "Batch compute instances of ${var.name}"
  user_data              = local.user_data == null ? null : base64encode(local.user_data)
  update_default_version = true

  metadata_options {
    http_endpoint = "enabled"
    http_tokens   = "required"
    # 1: containers (one hop behind the host) cannot reach IMDS and the instance role; they get
    # their job role's credentials from the ECS agent instead.
    http_put_response_hop_limit = 1
    instance_metadata_tags      = "disabled"
  }

  block_device_mappings {
    device_name = "/dev/xvda"
    ebs {
      volume_size           = var.root_volume_size
      volume_type           = "gp3"
      encrypted             = "true"
      kms_key_id            = var.root_volume_kms_key_arn
      delete_on_termination = "true"
    }
  }

  tag_specifications {
    resource_type = "instance"
    tags          = merge(var.tags, { Name = "${var.name}-batch" })
  }

  tag_specifications {
    resource_type = "volume"
    tags          = merge(var.tags, { Name = "${var.name}-batch" })
  }
}

# --- Spot compute environment, updated in place (default) ------------------------------------

resource "aws_batch_compute_environment" "spot" {
  count = local.create_updatable ? 1 : 0

  # Named by prefix and built before the old one is destroyed: a replacement (a change Batch
  # cannot apply in place) must never delete an environment a job queue still points at.
  compute_environment_name_prefix = "${var.name}-spot-"
  type                            = "MANAGED"
  state                           = "ENABLED"
  service_role                    = local.service_role_arn
  tags                            = var.tags

  compute_resources {
    type                = "SPOT"
    allocation_strategy = var.allocation_strategy
    bid_percentage      = var.bid_percentage
    min_vcpus           = var.min_vcpus
    max_vcpus           = var.max_vcpus
    instance_type       = var.instance_types
    instance_role       = aws_iam_instance_profile.instance[0].arn
    subnets             = var.subnet_ids
    security_group_ids  = local.security_group_ids
    tags                = merge(var.tags, { Name = "${var.name}-batch-spot" })

    ec2_configuration {
      image_type        = var.image_type
      image_id_override = var.image_id
    }

    launch_template {
      launch_template_id = aws_launch_template.this[0].id
      # An explicit number, not $Latest: Batch snapshots the version, so a new one must be
      # handed to UpdateComputeEnvironment for new instances to use it.
      version = aws_launch_template.this[0].latest_version
    }
  }

  dynamic "update_policy" {
    for_each = var.update_policy == null ? [] : [var.update_policy]
    content {
      terminate_jobs_on_update      = update_policy.value.terminate_jobs_on_update
      job_execution_timeout_minutes = update_policy.value.job_execution_timeout_minutes
    }
  }

  lifecycle {
    create_before_destroy = true

    precondition {
      condition     = var.max_vcpus >= var.min_vcpus
      error_message = "max_vcpus (${var.max_vcpus}) must be >= min_vcpus (${var.min_vcpus})."
    }
  }
}

# --- Spot compute environment, legacy Spot Fleet (BEST_FIT): replaced on change --------------

resource "aws_batch_compute_environment" "spot_legacy" {
  count = local.create_legacy ? 1 : 0

  compute_environment_name_prefix = "${var.name}-spot-"
  type                            = "MANAGED"
  state                           = "ENABLED"
  service_role                    = local.service_role_arn
  tags                            = var.tags

  compute_resources {
    type                = "SPOT"
    allocation_strategy = "BEST_FIT"
    bid_percentage      = var.bid_percentage
    spot_iam_fleet_role = local.spot_fleet_role
    min_vcpus           = var.min_vcpus
    max_vcpus           = var.max_vcpus
    instance_type       = var.instance_types
    instance_role       = aws_iam_instance_profile.instance[0].arn
    subnets             = var.subnet_ids
    security_group_ids  = local.security_group_ids
    tags                = merge(var.tags, { Name = "${var.name}-batch-spot" })

    ec2_configuration {
      image_type        = var.image_type
      image_id_override = var.image_id
    }

    launch_template {
      launch_template_id = aws_launch_template.this[0].id
      version            = aws_launch_template.this[0].latest_version
    }
  }

  lifecycle {
    # Batch cannot move a Spot Fleet environment to a new launch template version: build a new
    # environment first (the queue then points at it), and only then delete the old one.
    create_before_destroy = true
    replace_triggered_by  = [aws_launch_template.this]

    precondition {
      condition     = var.max_vcpus >= var.min_vcpus
      error_message = "max_vcpus (${var.max_vcpus}) must be >= min_vcpus (${var.min_vcpus})."
    }

    precondition {
      condition     = var.spot_iam_fleet_role_arn != null || var.create_spot_fleet_role
      error_message = "allocation_strategy BEST_FIT needs a Spot Fleet role: set create_spot_fleet_role = true or pass spot_iam_fleet_role_arn."
    }
  }

  depends_on = [aws_iam_role_policy_attachment.spot_fleet]
}

# --- optional On-Demand fallback -------------------------------------------------------------

resource "aws_batch_compute_environment" "on_demand" {
  count = local.create_on_demand ? 1 : 0

  compute_environment_name_prefix = "${var.name}-on-demand-"
  type                            = "MANAGED"
  state                           = "ENABLED"
  service_role                    = local.service_role_arn
  tags                            = var.tags

  compute_resources {
    type                = "EC2"
    allocation_strategy = var.on_demand.allocation_strategy
    min_vcpus           = 0
    max_vcpus           = var.on_demand.max_vcpus
    instance_type       = var.on_demand.instance_types
    instance_role       = aws_iam_instance_profile.instance[0].arn
    subnets             = var.subnet_ids
    security_group_ids  = local.security_group_ids
    tags                = merge(var.tags, { Name = "${var.name}-batch-on-demand" })

    ec2_configuration {
      image_type        = var.image_type
      image_id_override = var.image_id
    }

    launch_template {
      launch_template_id = aws_launch_template.this[0].id
      version            = aws_launch_template.this[0].latest_version
    }
  }

  dynamic "update_policy" {
    for_each = var.update_policy == null ? [] : [var.update_policy]
    content {
      terminate_jobs_on_update      = update_policy.value.terminate_jobs_on_update
      job_execution_timeout_minutes = update_policy.value.job_execution_timeout_minutes
    }
  }

  lifecycle {
    create_before_destroy = true
  }
}
