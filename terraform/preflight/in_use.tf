# What already runs in the region, without the checked sessions' own resources
# (those are part of what the sessions need): under the project's tags and this
# lab's LabId ("this lab") and everything else, other labs included ("others"),
# since the quotas count the whole region.
locals {
  project_tags = merge({
    Project   = var.project
    ManagedBy = "labctl"
  }, var.lab_id == "" ? {} : { LabId = var.lab_id })
  live_states = ["pending", "running"]
  # A filter needs at least one value; no session is called "-".
  checked_sessions = length(var.sessions) > 0 ? var.sessions : ["-"]
}

data "aws_instances" "project" {
  instance_tags        = local.project_tags
  instance_state_names = local.live_states
}

data "aws_instances" "checked" {
  instance_tags        = local.project_tags
  instance_state_names = local.live_states

  filter {
    name   = "tag:Session"
    values = local.checked_sessions
  }
}

# Grouped by the types labctl knows, so a class of 1,000 nodes costs one call
# per type; instances of any other type are described one by one.
# Every instance of the region, whoever runs it: the quotas count them all.
data "aws_instances" "all" {
  instance_state_names = local.live_states
}

data "aws_instances" "all_by_type" {
  for_each = toset(var.instance_types)

  instance_state_names = local.live_states

  filter {
    name   = "instance-type"
    values = [each.key]
  }
}

locals {
  # "this lab": the project's tags, without the checked sessions; "others": the rest of the region.
  other_ids   = setsubtract(data.aws_instances.project.ids, data.aws_instances.checked.ids)
  foreign_ids = setsubtract(data.aws_instances.all.ids, data.aws_instances.project.ids)
  typed_ids   = flatten([for d in data.aws_instances.all_by_type : d.ids])
  untyped_ids = setsubtract(setunion(local.other_ids, local.foreign_ids), local.typed_ids)
}

data "aws_instance" "untyped" {
  for_each = local.untyped_ids

  instance_id = each.key
}

# Running instances per type, for this lab's group and the others'.
locals {
  seen_types = distinct(concat(keys(data.aws_instances.all_by_type), [for i in data.aws_instance.untyped : i.instance_type]))
  instances_by_type = { for group, ids in { lab = local.other_ids, others = local.foreign_ids } : group => {
    for t, n in {
      for t in local.seen_types : t => length(setintersection(try(data.aws_instances.all_by_type[t].ids, []), ids))
      + length([for id, i in data.aws_instance.untyped : id if i.instance_type == t && contains(ids, id)])
    } : t => n if n > 0 }
  }
}

data "aws_ec2_instance_type" "untyped" {
  for_each = toset([for i in data.aws_instance.untyped : i.instance_type if !contains(var.instance_types, i.instance_type)])

  instance_type = each.key
}

data "aws_security_groups" "project" {
  tags = local.project_tags
}

# Every security group of the region (default groups too: the quota counts them).
data "aws_security_groups" "all" {}

data "aws_security_groups" "checked" {
  tags = local.project_tags

  filter {
    name   = "tag:Session"
    values = local.checked_sessions
  }
}

# Root volumes carry the cluster's tags (Cluster, Role) and the default tags named
# explicitly (LabId among them; older disks lack it and count as others'); grouped by
# size like the instances.
locals {
  root_volume_filters = merge({
    "volume-type" = ["gp3"]
    "tag:Role"    = ["master", "worker"]
    "tag-key"     = ["Cluster"]
  }, var.lab_id == "" ? {} : { "tag:LabId" = [var.lab_id] })
}

data "aws_ebs_volumes" "all" {
  dynamic "filter" {
    for_each = local.root_volume_filters
    content {
      name   = filter.key
      values = filter.value
    }
  }
}

data "aws_ebs_volumes" "by_size" {
  for_each = toset([for s in var.volume_sizes : tostring(s)])

  dynamic "filter" {
    for_each = merge(local.root_volume_filters, { size = [each.key] })
    content {
      name   = filter.key
      values = filter.value
    }
  }
}

# The checked sessions' own volumes, found by the instances they are attached
# to (in chunks: a filter takes a bounded number of values).
data "aws_ebs_volumes" "checked" {
  for_each = { for i, chunk in chunklist(sort(data.aws_instances.checked.ids), 100) : tostring(i) => chunk }

  filter {
    name   = "attachment.instance-id"
    values = each.value
  }
}

# Every gp3 volume of the region: the storage quota counts them all.
data "aws_ebs_volumes" "all_gp3" {
  filter {
    name   = "volume-type"
    values = ["gp3"]
  }
}

locals {
  checked_volume_ids = toset(flatten([for d in data.aws_ebs_volumes.checked : d.ids]))
  sized_volume_ids   = toset(flatten([for d in data.aws_ebs_volumes.by_size : d.ids]))
  unsized_volume_ids = setsubtract(setsubtract(data.aws_ebs_volumes.all.ids, local.sized_volume_ids), local.checked_volume_ids)
  foreign_volume_ids = setsubtract(setsubtract(data.aws_ebs_volumes.all_gp3.ids, data.aws_ebs_volumes.all.ids), local.checked_volume_ids)
}

data "aws_ebs_volume" "unsized" {
  for_each = setunion(local.unsized_volume_ids, local.foreign_volume_ids)

  filter {
    name   = "volume-id"
    values = [each.key]
  }
}

# Network interfaces: one per node; the region's quota counts every interface.
data "aws_network_interfaces" "all" {}

data "aws_network_interfaces" "checked" {
  for_each = { for i, chunk in chunklist(sort(data.aws_instances.checked.ids), 100) : tostring(i) => chunk }

  filter {
    name   = "attachment.instance-id"
    values = each.value
  }
}

locals {
  checked_interface_ids = toset(flatten([for d in data.aws_network_interfaces.checked : d.ids]))
}
