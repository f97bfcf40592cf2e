# One security group per participant cluster: nodes of a cluster talk freely
# with each other, and with nothing of other clusters.
resource "aws_security_group" "cluster" {
  for_each = var.participants

  name        = local.aws_name[each.key]
  description = "labctl cluster ${local.cluster_name[each.key]}"
  vpc_id      = one(data.aws_vpcs.network.ids)

  tags = merge(local.cluster_tags[each.key], {
    Name = local.aws_name[each.key]
    Role = "security-group"
  })

  # A group's name cannot change in place: one made before names were unambiguous
  # (docs/lifetime.md, upgrade notes) keeps its name instead of being replaced under
  # its running instances.
  lifecycle {
    ignore_changes = [name]
  }
}

locals {
  # One rule per (participant, purpose, source CIDR); lists that are empty
  # produce no rule at all.
  ingress_rules = merge([
    for id in keys(var.participants) : merge(
      { for cidr in var.allowed_ssh_cidrs : "${id}|ssh|${cidr}" => { participant = id, purpose = "ssh", cidr = cidr, from = 22, to = 22 } },
      { for cidr in var.allowed_api_cidrs : "${id}|api|${cidr}" => { participant = id, purpose = "kubernetes-api", cidr = cidr, from = 6443, to = 6443 } },
      { for cidr in var.nodeport_cidrs : "${id}|nodeport|${cidr}" => { participant = id, purpose = "nodeport", cidr = cidr, from = var.nodeport_range.from, to = var.nodeport_range.to } },
    )
  ]...)
}

resource "aws_vpc_security_group_ingress_rule" "external" {
  for_each = local.ingress_rules

  security_group_id = aws_security_group.cluster[each.value.participant].id
  description       = "${each.value.purpose} from ${each.value.cidr}"
  ip_protocol       = "tcp"
  from_port         = each.value.from
  to_port           = each.value.to
  cidr_ipv4         = strcontains(each.value.cidr, ":") ? null : each.value.cidr
  cidr_ipv6         = strcontains(each.value.cidr, ":") ? each.value.cidr : null

  tags = merge(local.cluster_tags[each.value.participant], {
    Name = "${local.aws_name[each.value.participant]}-${each.value.purpose}"
    Role = "security-group-rule"
  })
}

resource "aws_vpc_security_group_ingress_rule" "intra_cluster" {
  for_each = var.participants

  # No description: moto drops it on rules that reference a group, and the
  # resulting diff breaks every later apply there (the Name tag says it all).
  security_group_id            = aws_security_group.cluster[each.key].id
  ip_protocol                  = "-1"
  referenced_security_group_id = aws_security_group.cluster[each.key].id

  tags = merge(local.cluster_tags[each.key], {
    Name = "${local.aws_name[each.key]}-intra-cluster"
    Role = "security-group-rule"
  })
}

resource "aws_vpc_security_group_egress_rule" "all" {
  for_each = var.participants

  security_group_id = aws_security_group.cluster[each.key].id
  description       = "all outbound traffic"
  ip_protocol       = "-1"
  cidr_ipv4         = "0.0.0.0/0"

  tags = merge(local.cluster_tags[each.key], {
    Name = "${local.aws_name[each.key]}-egress"
    Role = "security-group-rule"
  })
}

resource "aws_key_pair" "participant" {
  for_each = var.participants

  key_name   = local.key_pair_name[each.key]
  public_key = trimspace(each.value.public_key)

  tags = merge(local.cluster_tags[each.key], {
    Name = local.aws_name[each.key]
    Role = "key-pair"
  })

  # A key pair's name cannot change in place, and an instance's key_name forces a new
  # instance: a pair made before names carried the lab id keeps its name (docs/lifetime.md).
  lifecycle {
    ignore_changes = [key_name]
  }
}
