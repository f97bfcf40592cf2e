resource "aws_instance" "master" {
  for_each = var.participants

  ami                         = local.ami_id
  instance_type               = var.master_instance_type
  subnet_id                   = local.subnet_by_participant[each.key]
  vpc_security_group_ids      = [aws_security_group.cluster[each.key].id]
  key_name                    = aws_key_pair.participant[each.key].key_name
  associate_public_ip_address = true

  # cloud-init runs once per instance: a changed bootstrap means a new node.
  user_data                   = local.master_user_data[each.key]
  user_data_replace_on_change = true

  metadata_options {
    http_endpoint = "enabled"
    http_tokens   = "required"
  }

  root_block_device {
    volume_type           = "gp3"
    volume_size           = var.root_volume_size
    encrypted             = true
    delete_on_termination = true

    tags = merge(local.cluster_tags[each.key], {
      Name = "${local.cluster_name[each.key]}-master"
      Role = "master"
    })
  }

  tags = merge(local.cluster_tags[each.key], {
    Name = "${local.cluster_name[each.key]}-master"
    Role = "master"
  })

  lifecycle {
    # A newer Ubuntu AMI must not rebuild running clusters mid-training;
    # new nodes pick it up, existing ones are replaced only on purpose.
    ignore_changes = [ami]

    precondition {
      condition     = !local.pod_overlaps_vpc[each.key]
      error_message = "The pod CIDR ${each.value.pod_cidr} of participant ${each.key} overlaps the network's VPC CIDR ${data.aws_vpc.network.cidr_block}; give the participant another pod CIDR."
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

  user_data = templatefile("${path.module}/templates/worker.yaml.tftpl", {
    session         = local.session
    participant     = each.value.participant
    cluster         = local.cluster_name[each.value.participant]
    worker_number   = each.value.number
    authorized_keys = local.authorized_keys[each.value.participant]
    install_script  = local.install_script
    bootstrap_script = templatefile("${path.module}/templates/worker-bootstrap.sh.tftpl", {
      session           = local.session
      participant       = each.value.participant
      cluster           = local.cluster_name[each.value.participant]
      worker_number     = each.value.number
      master_private_ip = aws_instance.master[each.value.participant].private_ip
      join_token        = var.cluster_secrets[each.value.participant].join_token
      ca_cert_hash      = trimprefix(var.cluster_secrets[each.value.participant].ca_cert_hash, "sha256:")
    })
  })
  user_data_replace_on_change = true

  metadata_options {
    http_endpoint = "enabled"
    http_tokens   = "required"
  }

  root_block_device {
    volume_type           = "gp3"
    volume_size           = var.root_volume_size
    encrypted             = true
    delete_on_termination = true

    tags = merge(local.cluster_tags[each.value.participant], {
      Name = "${local.cluster_name[each.value.participant]}-worker-${each.value.number}"
      Role = "worker"
    })
  }

  tags = merge(local.cluster_tags[each.value.participant], {
    Name = "${local.cluster_name[each.value.participant]}-worker-${each.value.number}"
    Role = "worker"
  })

  lifecycle {
    ignore_changes = [ami]
  }
}
