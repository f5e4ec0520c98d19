locals {
  job_queues    = var.create ? var.job_queues : {}
  fair_share_of = { for k, q in local.job_queues : k => q.fair_share if q.fair_share != null }
}

resource "aws_batch_scheduling_policy" "this" {
  for_each = local.fair_share_of

  name = "${var.name}-${each.key}"
  tags = var.tags

  fair_share_policy {
    compute_reservation = each.value.compute_reservation
    share_decay_seconds = each.value.share_decay_seconds

    dynamic "share_distribution" {
      for_each = each.value.shares
      content {
        share_identifier = share_distribution.value.share_identifier
        weight_factor    = share_distribution.value.weight_factor
      }
    }
  }
}

resource "aws_batch_job_queue" "this" {
  for_each = local.job_queues

  name                  = "${var.name}-${each.key}"
  priority              = each.value.priority
  state                 = each.value.state
  scheduling_policy_arn = try(aws_batch_scheduling_policy.this[each.key].arn, null)
  tags                  = var.tags

  # Batch places jobs in the first environment with room, in this order: Spot first, then the
  # On-Demand fallback.
  dynamic "compute_environment_order" {
    for_each = each.value.compute_environment_arns
    content {
      order               = compute_environment_order.key
      compute_environment = compute_environment_order.value
    }
  }
}
