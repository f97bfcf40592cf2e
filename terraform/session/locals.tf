locals {
  session = var.session_name
  ami_id  = var.ami_id != "" ? var.ami_id : data.aws_ami.ubuntu[0].id

  # Stable placement: a participant's whole cluster sits in one subnet (one AZ,
  # no cross-AZ traffic), picked by a hash of the id so that adding or removing
  # other participants never moves an existing cluster.
  subnet_ids = sort(data.aws_subnets.network.ids)
  subnet_by_participant = {
    for id in keys(var.participants) :
    id => local.subnet_ids[parseint(substr(sha256(id), 0, 8), 16) % length(local.subnet_ids)]
  }

  # Address ranges as [first, last+1) numbers, to refuse pod CIDRs that
  # overlap the VPC (pods would shadow node addresses).
  vpc_range = {
    start = sum([for i, o in split(".", cidrhost(data.aws_vpc.network.cidr_block, 0)) : tonumber(o) * pow(256, 3 - i)])
    size  = pow(2, 32 - tonumber(split("/", data.aws_vpc.network.cidr_block)[1]))
  }
  # A network built before the stack refused it: nodes in 10.96.0.0/12 would
  # be shadowed by the clusters' Services.
  vpc_overlaps_services = local.vpc_range.start < 175112192 && 174063616 < local.vpc_range.start + local.vpc_range.size
  pod_overlaps_vpc = {
    for id, p in var.participants : id => (
      sum([for i, o in split(".", cidrhost(p.pod_cidr, 0)) : tonumber(o) * pow(256, 3 - i)]) < local.vpc_range.start + local.vpc_range.size &&
      local.vpc_range.start < sum([for i, o in split(".", cidrhost(p.pod_cidr, 0)) : tonumber(o) * pow(256, 3 - i)]) + pow(2, 32 - tonumber(split("/", p.pod_cidr)[1]))
    )
  }

  # kubeadm turns on the controller manager's node CIDR allocation with a /24
  # per node. A pod network of /20 or smaller (labctl hands out /21s) has
  # fewer than 21 of those, so it gets /26s (Calico's block size) instead and
  # nodes past the 16th raise no CIDRNotAvailable. /19 and larger keep kubeadm's
  # default, and their user data stays byte for byte what it was (no rebuild
  # of clusters that got a /16 earlier).
  node_cidr_mask = { for id, p in var.participants : id => tonumber(split("/", p.pod_cidr)[1]) > 19 ? 26 : 24 }

  # The cluster's name inside it (kubeadm, user data, the Cluster tag): unchanged, or
  # every node would be rebuilt. AWS names use aws_name instead: session and id joined by
  # a "." that no session name holds, so `demo` + `1-ann.le` and `demo-1` + `ann.le` differ
  # (LabCore's AWSNames says the same). Key pairs are per account and region: their
  # names start with the lab's id, so two labs' clusters of one session name never clash.
  cluster_name  = { for id in keys(var.participants) : id => "${local.session}-${id}" }
  aws_name      = { for id in keys(var.participants) : id => "${local.session}.${id}" }
  key_pair_name = { for id, name in local.aws_name : id => var.lab_id == "" ? name : "${var.lab_id}.${name}" }

  # Tags that identify a participant's cluster; Project, Session and ManagedBy
  # come from the provider's default_tags.
  # A spare's tags follow its owner (spares.tf); its names stay its own.
  cluster_tags = {
    for id, owner in local.cluster_owner : id => merge({
      Participant = owner == "" ? id : owner
      Cluster     = "${local.session}-${owner == "" ? id : owner}"
    }, lookup(local.spare_tags, id, {}))
  }

  workers = merge([
    for id in keys(var.participants) : {
      for index in range(var.worker_count) :
      "${id}/worker-${index + 1}" => {
        participant = id
        number      = index + 1
      }
    }
  ]...)

  # Both keys for the default ubuntu user.
  # A spare starts with the operator's key only: `labctl assign` adds its owner's later.
  authorized_keys = {
    for id, p in var.participants : id => contains(keys(var.spare_clusters), id) ? [trimspace(var.operator_public_key)] : [trimspace(var.operator_public_key), trimspace(p.public_key)]
  }

  # Shared installation steps (containerd, kubeadm, kubelet, kubectl), with
  # the first-boot apt helpers every bootstrap step uses.
  install_script = templatefile("${path.module}/templates/install-kubernetes.sh.tftpl", {
    kubernetes_version = var.kubernetes_version
    kubernetes_minor   = join(".", slice(split(".", var.kubernetes_version), 0, 2))
  })

  # The master bootstrap sees worker_count only as single_node: scaling
  # workers between positive counts leaves the masters untouched.
  master_user_data_vars = {
    for id, p in var.participants : id => {
      session         = local.session
      participant     = id
      cluster         = local.cluster_name[id]
      authorized_keys = local.authorized_keys[id]
      ca_cert_pem     = var.cluster_secrets[id].ca_cert_pem
      ca_key_pem      = var.cluster_secrets[id].ca_key_pem
      install_script  = local.install_script
      bootstrap_script = templatefile("${path.module}/templates/master-bootstrap.sh.tftpl", {
        session        = local.session
        participant    = id
        cluster        = local.cluster_name[id]
        pod_cidr       = p.pod_cidr
        node_cidr_mask = local.node_cidr_mask[id]
        join_token     = var.cluster_secrets[id].join_token
        single_node    = var.worker_count == 0
        calico_version = var.calico_version
        # A mirror of the projectcalico/calico repository, or the repository itself.
        calico_manifests_base_url = var.calico_manifests_base_url
      })
    }
  }
  # No end in the user data: the node reads it from its ShutdownAt tag (lifetime.tf).
  master_user_data = { for id, v in local.master_user_data_vars : id => templatefile("${path.module}/templates/master.yaml.tftpl", merge(v, { dead_man_files = local.dead_man_files })) }
}

locals {
  # How long a worker waits for its master's API server (wall clock, from the
  # end of its own package installation) before its cloud-init ends in error.
  worker_join_wait_seconds = 1200

  worker_user_data_vars = {
    for key, w in local.workers : key => {
      session         = local.session
      participant     = w.participant
      cluster         = local.cluster_name[w.participant]
      worker_number   = w.number
      authorized_keys = local.authorized_keys[w.participant]
      install_script  = local.install_script
      bootstrap_script = templatefile("${path.module}/templates/worker-bootstrap.sh.tftpl", {
        session           = local.session
        participant       = w.participant
        cluster           = local.cluster_name[w.participant]
        worker_number     = w.number
        master_private_ip = aws_instance.master[w.participant].private_ip
        join_token        = var.cluster_secrets[w.participant].join_token
        ca_cert_hash      = trimprefix(var.cluster_secrets[w.participant].ca_cert_hash, "sha256:")
        join_wait_seconds = local.worker_join_wait_seconds
      })
    }
  }
  worker_user_data = { for key, v in local.worker_user_data_vars : key => templatefile("${path.module}/templates/worker.yaml.tftpl", merge(v, { dead_man_files = local.dead_man_files })) }
}

locals {
  # The dead-man switch's units and the script that reads the node's end from its
  # tags (lifetime.tf); the same bytes whatever the end. The script's full-line
  # comments stay in the repository: the masters' user data is near its budget.
  dead_man_files = templatefile("${path.module}/templates/dead-man-switch.yaml.tftpl", {
    shutdown_script = join("\n", [
      for line in split("\n", file("${path.module}/templates/labctl-shutdown-at.sh")) : line
      if !startswith(trimspace(line), "# ")
    ])
  })
}
