# The backstop AWS keeps (docs/lifetime.md): participants are root on their nodes
# and can disable the dead-man switch, and labctl may never run again. So, per
# cluster, a one-time EventBridge Scheduler schedule at end + grace (the ShutdownAt
# tag, lifetime.tf) terminates the cluster's instances, through a role that may
# only terminate instances tagged with this Project and Session.
# No end (--no-end, ShutdownAt "never"): no schedule, no role, no group.
# A moved end changes only schedule_expression (in place); a replaced instance
# changes only the schedule's input; nothing here replaces an instance.

locals {
  backstop = local.node_end_tags.ShutdownAt != "never"

  # AWS names of at most 64 characters: a longer name keeps its start and a hash.
  # IAM roles are per account: the lab's id (else the project) keeps two labs apart.
  backstop_base = "labctl-${var.lab_id == "" ? var.project : var.lab_id}-${local.session}"
  backstop_name = length(local.backstop_base) <= 64 ? local.backstop_base : "${substr(local.backstop_base, 0, 55)}-${substr(sha256("${var.project}/${local.session}"), 0, 8)}"
  backstop_schedule_name = {
    for id in keys(var.participants) : id => length(id) <= 64 ? id : "${substr(id, 0, 55)}-${substr(sha256(id), 0, 8)}"
  }

  # Every instance of a cluster: its master and its workers.
  cluster_instance_ids = {
    for id in keys(var.participants) : id => concat(
      [aws_instance.master[id].id],
      [for key, w in local.workers : aws_instance.worker[key].id if w.participant == id]
    )
  }
}

resource "aws_iam_role" "backstop" {
  count = local.backstop ? 1 : 0

  name        = local.backstop_name
  description = "EventBridge Scheduler terminates the instances of session ${local.session} (project ${var.project}) at its end + grace."
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "scheduler.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

# Only TerminateInstances, only on this lab's instances of this session (Project,
# Session and, with a lab id, LabId: another lab's session of the same name is not ours).
resource "aws_iam_role_policy" "backstop" {
  count = local.backstop ? 1 : 0

  name = "terminate-session-instances"
  role = aws_iam_role.backstop[0].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "ec2:TerminateInstances"
      Resource = "arn:aws:ec2:${var.region}:*:instance/*"
      Condition = {
        StringEquals = merge({
          "aws:ResourceTag/Project" = var.project
          "aws:ResourceTag/Session" = local.session
        }, { for k, v in local.lab_tags : "aws:ResourceTag/${k}" => v })
      }
    }]
  })
}

# Schedules take no tags; their group does (the provider's default_tags).
resource "aws_scheduler_schedule_group" "backstop" {
  count = local.backstop ? 1 : 0

  name = local.backstop_name
}

resource "aws_scheduler_schedule" "backstop" {
  for_each = local.backstop ? var.participants : {}

  name        = local.backstop_schedule_name[each.key]
  group_name  = aws_scheduler_schedule_group.backstop[0].name
  description = "Terminates cluster ${local.cluster_name[each.key]} at its end + grace (labctl backstop)."

  # The ShutdownAt tag without its "Z": at() takes a local time in the zone below.
  schedule_expression          = "at(${trimsuffix(local.node_end_tags.ShutdownAt, "Z")})"
  schedule_expression_timezone = "UTC"
  # No action_after_completion = "DELETE": the provider (< 6.0, versions.tf) lacks it.
  # A one-time schedule that has run stays, costing nothing, until destroy or reap.

  flexible_time_window {
    mode = "OFF"
  }

  target {
    arn      = "arn:aws:scheduler:::aws-sdk:ec2:terminateInstances"
    role_arn = aws_iam_role.backstop[0].arn
    input    = jsonencode({ InstanceIds = local.cluster_instance_ids[each.key] })
  }

  # The role's policy must exist before the schedule can use it.
  depends_on = [aws_iam_role_policy.backstop]
}

output "backstop" {
  description = "The schedules that terminate each cluster's instances at end + grace (docs/lifetime.md), by participant; null for a session without an end."
  value = local.backstop ? {
    group    = aws_scheduler_schedule_group.backstop[0].name
    role_arn = aws_iam_role.backstop[0].arn
    at       = local.node_end_tags.ShutdownAt
    schedules = {
      for id, s in aws_scheduler_schedule.backstop : id => {
        name         = s.name
        instance_ids = local.cluster_instance_ids[id]
      }
    }
  } : null
}
