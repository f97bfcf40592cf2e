resource "aws_instance" "master" {
  for_each = var.participants

  ami                         = local.ami_id
  instance_type               = var.master_instance_type
  subnet_id                   = local.subnet_by_participant[each.key]
  vpc_security_group_ids      = [aws_security_group.cluster[each.key].id]
  key_name                    = aws_key_pair.participant[each.key].key_name
  associate_public_ip_address = true

  # cloud-init runs once per instance: a changed bootstrap means a new node
  # (through terraform_data.master_bootstrap, see lifetime.tf).
  user_data                   = local.master_user_data[each.key]
  user_data_replace_on_change = true

  # Dead-man switch: the timer the user data installs powers the node off at the
  # end + grace in its ShutdownAt tag. With an end, the cluster's schedule
  # (backstop.tf) terminates it then, so a power-off from inside (`sudo poweroff`
  # in an exercise) only stops it; without one, powered off, it terminates with
  # its disk. Changed in place (ModifyInstanceAttribute), never a new node.
  instance_initiated_shutdown_behavior = local.backstop ? "stop" : "terminate"

  # IMDSv2 only, and its answers die after one hop: pods (one hop behind the
  # node) get no token, so they cannot read the user data with the CA key.
  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
    # The dead-man switch reads the node's end from its ShutdownAt tag (lifetime.tf).
    instance_metadata_tags = "enabled"
  }

  # "unlimited" (the default): the bootstrap (apt, image unpacking, etcd, Calico)
  # runs at full speed. T3/T3a instances get no launch credits, so "standard"
  # would hold it at the baseline (20 % of a t3.small's vCPUs). The worst-case
  # surplus is in `labctl cost` and the budget (docs/cost.md). Ignored by AWS for
  # non-burstable types.
  credit_specification {
    cpu_credits = var.cpu_credits
  }

  root_block_device {
    volume_type           = "gp3"
    volume_size           = var.root_volume_size
    encrypted             = true
    delete_on_termination = true

    # The provider's default tags (ExpiresAt, Session, ...) reach a root volume
    # only when it is created: named here, a moved end retags the disk in place.
    tags = merge(local.default_tags, local.cluster_tags[each.key], {
      Name = "${local.aws_name[each.key]}-master"
      Role = "master"
    })
  }

  tags = merge(local.cluster_tags[each.key], local.node_end_tags, {
    Name = "${local.aws_name[each.key]}-master"
    Role = "master"
  })

  lifecycle {
    # A newer Ubuntu AMI must not rebuild running clusters mid-training;
    # new nodes pick it up, existing ones are replaced only on purpose.
    # user_data: replaced through the bootstrap hash instead (lifetime.tf).
    # credit_specification: the mode a node is launched with, for its bootstrap;
    # a changed cpu_credits applies to nodes launched later (docs/cost.md). No
    # in-place ModifyInstanceCreditSpecification (moto has none either).
    ignore_changes       = [ami, user_data, credit_specification]
    replace_triggered_by = [terraform_data.master_bootstrap[each.key]]

    precondition {
      condition     = !local.pod_overlaps_vpc[each.key]
      error_message = "The pod CIDR ${each.value.pod_cidr} of participant ${each.key} overlaps the network's VPC CIDR ${data.aws_vpc.network.cidr_block}; give the participant another pod CIDR."
    }

    precondition {
      condition     = !local.vpc_overlaps_services
      error_message = "The network's VPC CIDR ${data.aws_vpc.network.cidr_block} overlaps 10.96.0.0/12, the clusters' Service network; rebuild the network with another vpc_cidr."
    }

    precondition {
      condition     = pow(2, local.node_cidr_mask[each.key] - tonumber(split("/", each.value.pod_cidr)[1])) >= 1 + var.worker_count
      error_message = "The pod CIDR ${each.value.pod_cidr} of participant ${each.key} has room for ${pow(2, local.node_cidr_mask[each.key] - tonumber(split("/", each.value.pod_cidr)[1]))} node range(s) of /${local.node_cidr_mask[each.key]} (the controller manager's node mask), but the cluster has ${1 + var.worker_count} nodes; give it a shorter prefix such as /21 (LABCTL_POD_CIDR_PREFIX)."
    }

    precondition {
      condition     = length(local.master_user_data[each.key]) <= 16384
      error_message = "The rendered user data of ${local.cluster_name[each.key]}-master exceeds the EC2 limit of 16 KiB."
    }
  }
}

resource "aws_instance" "worker" {
  for_each = local.workers

  ami                         = local.ami_id
  instance_type               = var.worker_instance_type
  subnet_id                   = local.subnet_by_participant[each.value.participant]
  vpc_security_group_ids      = [aws_security_group.cluster[each.value.participant].id]
  key_name                    = aws_key_pair.participant[each.value.participant].key_name
  associate_public_ip_address = true

  user_data                   = local.worker_user_data[each.key]
  user_data_replace_on_change = true

  # As on the master: "stop" only when the backstop schedule terminates it.
  instance_initiated_shutdown_behavior = local.backstop ? "stop" : "terminate"

  # IMDSv2 only, and its answers die after one hop: pods (one hop behind the
  # node) get no token, so they cannot read the user data with the CA key.
  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
    # The dead-man switch reads the node's end from its ShutdownAt tag (lifetime.tf).
    instance_metadata_tags = "enabled"
  }

  # "unlimited" (the default): the bootstrap (apt, image unpacking, etcd, Calico)
  # runs at full speed. T3/T3a instances get no launch credits, so "standard"
  # would hold it at the baseline (20 % of a t3.small's vCPUs). The worst-case
  # surplus is in `labctl cost` and the budget (docs/cost.md). Ignored by AWS for
  # non-burstable types.
  credit_specification {
    cpu_credits = var.cpu_credits
  }

  root_block_device {
    volume_type           = "gp3"
    volume_size           = var.root_volume_size
    encrypted             = true
    delete_on_termination = true

    # Default tags named explicitly, as on the master's root volume.
    tags = merge(local.default_tags, local.cluster_tags[each.value.participant], {
      Name = "${local.aws_name[each.value.participant]}-worker-${each.value.number}"
      Role = "worker"
    })
  }

  tags = merge(local.cluster_tags[each.value.participant], local.node_end_tags, {
    Name = "${local.aws_name[each.value.participant]}-worker-${each.value.number}"
    Role = "worker"
  })

  lifecycle {
    ignore_changes       = [ami, user_data, credit_specification]
    replace_triggered_by = [terraform_data.worker_bootstrap[each.key]]

    precondition {
      condition     = length(local.worker_user_data[each.key]) <= 16384
      error_message = "The rendered user data of ${local.cluster_name[each.value.participant]}-worker-${each.value.number} exceeds the EC2 limit of 16 KiB."
    }
  }
}
