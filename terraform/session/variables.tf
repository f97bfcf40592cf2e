# This file is the contract with labctl (LabProvision renders
# sessions/<session>.tfvars plus the participants and secrets into a
# .tfvars.json). Keep names and types in step with the Swift side.

# --- session identity ---------------------------------------------------------

variable "session_name" {
  description = "Name of the training session. Must equal the Terraform workspace (TF_WORKSPACE)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$", var.session_name)) && var.session_name != "default"
    error_message = "session_name must be 1-40 characters of lowercase letters, digits and '-', start and end with a letter or digit, and not be \"default\"."
  }

  validation {
    condition     = terraform.workspace == "default" || terraform.workspace == var.session_name
    error_message = "session_name does not match the selected Terraform workspace: run terraform with TF_WORKSPACE=<session_name> (labctl does this for you)."
  }
}

# region, project, network_name and extra_tags: lab_variables.tf (a link to ../shared/).

# --- cluster shape ------------------------------------------------------------

variable "master_instance_type" {
  description = "EC2 instance type of each participant's control-plane node (x86_64)."
  type        = string
  default     = "t3.medium"
}

variable "worker_instance_type" {
  description = "EC2 instance type of each participant's worker nodes (x86_64)."
  type        = string
  default     = "t3.small"
}

variable "worker_count" {
  description = "Workers per participant cluster. 0 gives a single-node cluster whose control plane is untainted."
  type        = number
  default     = 1

  validation {
    condition     = var.worker_count >= 0 && var.worker_count <= 20 && floor(var.worker_count) == var.worker_count
    error_message = "worker_count must be a whole number from 0 to 20."
  }
}

variable "kubernetes_version" {
  description = "Kubernetes release, a full patch version (\"1.34.2\"): every cluster of the session runs exactly this one, also those built later. Selects the pkgs.k8s.io repository of its minor version."
  type        = string
  default     = "1.34.2"

  validation {
    condition     = can(regex("^1\\.[0-9]{2}\\.[0-9]{1,2}$", var.kubernetes_version))
    error_message = "kubernetes_version must be a full release such as \"1.34.2\" (minor and patch, no leading v): one patch version for the whole session."
  }

  # Ubuntu 24.04's containerd is 1.7; Kubernetes supports containerd 1.7 up
  # to 1.35 (1.36 needs containerd 2). 1.30 is the oldest minor pkgs.k8s.io
  # and Calico's current releases still serve.
  validation {
    condition     = try(tonumber(split(".", var.kubernetes_version)[1]) >= 30 && tonumber(split(".", var.kubernetes_version)[1]) <= 35, false)
    error_message = "kubernetes_version must be 1.30.x to 1.35.x: the nodes run Ubuntu 24.04's containerd 1.7, which Kubernetes 1.36 and later no longer support."
  }
}

variable "calico_version" {
  description = "Calico release installed through the Tigera operator (a tag of projectcalico/calico)."
  type        = string
  default     = "v3.31.4"

  validation {
    condition     = can(regex("^v3\\.[0-9]+\\.[0-9]+$", var.calico_version))
    error_message = "calico_version must be a Calico release tag such as \"v3.31.4\"."
  }
}

variable "calico_manifests_base_url" {
  description = "Where the masters fetch Calico's manifests: <base>/<calico_version>/manifests/{operator-crds,tigera-operator}.yaml. The default is the projectcalico/calico repository on GitHub; a trainer points it at a mirror with the same layout (a changed value rebuilds the masters, like calico_version)."
  type        = string
  default     = "https://raw.githubusercontent.com/projectcalico/calico"

  # It lands in a shell script inside double quotes: no quotes, spaces, $ or
  # backslashes; https only, since the manifests run with cluster-admin rights.
  validation {
    condition     = can(regex("^https://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~%+-]+)*$", var.calico_manifests_base_url))
    error_message = "calico_manifests_base_url must be an https:// URL without a trailing slash, query or quotes, e.g. \"https://mirror.example.org/calico\" (serving <base>/<calico_version>/manifests/tigera-operator.yaml)."
  }
}

variable "ami_id" {
  description = "AMI for all nodes. Empty: the newest Ubuntu 24.04 LTS amd64 AMI published by Canonical (099720109477)."
  type        = string
  default     = ""

  validation {
    condition     = var.ami_id == "" || can(regex("^ami-[0-9a-f]{8,17}$", var.ami_id))
    error_message = "ami_id must be empty or an AMI id such as ami-0123456789abcdef0."
  }
}

variable "root_volume_size" {
  description = "Size in GiB of each node's encrypted gp3 root volume."
  type        = number
  default     = 30

  validation {
    condition     = var.root_volume_size >= 10 && var.root_volume_size <= 1024
    error_message = "root_volume_size must be between 10 and 1024 GiB."
  }
}

variable "cpu_credits" {
  description = "CPU credit mode burstable (T) instances launch with: \"unlimited\" (the default) bootstraps at full speed and bills surplus credits beyond the baseline (labctl cost shows the worst case); \"standard\" never bills surplus but holds the bootstrap at the baseline (T3 gets no launch credits). Running nodes keep the mode they were launched with."
  type        = string
  default     = "unlimited"

  validation {
    condition     = contains(["standard", "unlimited"], var.cpu_credits)
    error_message = "cpu_credits must be \"standard\" or \"unlimited\"."
  }
}

# --- network access -----------------------------------------------------------

variable "allowed_ssh_cidrs" {
  description = "Sources allowed to reach SSH (22) on every node, e.g. the training room's public range. Empty (the default): no SSH rule; labctl refuses to apply a session without a range (and one open to 0.0.0.0/0) unless told --ssh-from-anywhere."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for c in var.allowed_ssh_cidrs : can(cidrhost(c, 0))])
    error_message = "allowed_ssh_cidrs must contain CIDR blocks such as 203.0.113.0/24."
  }
}

variable "allowed_api_cidrs" {
  description = "Sources allowed to reach the Kubernetes API (6443). Empty: no rule (API reachable from inside the cluster only)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for c in var.allowed_api_cidrs : can(cidrhost(c, 0))])
    error_message = "allowed_api_cidrs must contain CIDR blocks such as 203.0.113.0/24."
  }
}

variable "nodeport_cidrs" {
  description = "Sources allowed to reach the NodePort range (TCP). Empty: no rule."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for c in var.nodeport_cidrs : can(cidrhost(c, 0))])
    error_message = "nodeport_cidrs must contain CIDR blocks such as 203.0.113.0/24."
  }
}

variable "nodeport_range" {
  description = "TCP port range opened to nodeport_cidrs (the Kubernetes NodePort range)."
  type = object({
    from = number
    to   = number
  })
  default = {
    from = 30000
    to   = 32767
  }

  validation {
    condition     = var.nodeport_range.from >= 1 && var.nodeport_range.from <= var.nodeport_range.to && var.nodeport_range.to <= 65535
    error_message = "nodeport_range must satisfy 1 <= from <= to <= 65535."
  }
}

# --- people and secrets -------------------------------------------------------

variable "participants" {
  description = "Participants keyed by discrete id (\"john.do\"): their ed25519 public key and their cluster's pod CIDR."
  type = map(object({
    public_key = string
    pod_cidr   = string
  }))

  validation {
    condition     = alltrue([for id in keys(var.participants) : can(regex("^[a-z0-9]([a-z0-9._-]{0,46}[a-z0-9])?$", id))])
    error_message = "Participant ids must be 1-48 characters of lowercase letters, digits, '.', '_' and '-', starting and ending with a letter or digit."
  }

  validation {
    condition     = alltrue([for p in values(var.participants) : can(regex("^ssh-ed25519 AAAAC3NzaC1lZDI1NTE5[A-Za-z0-9+/]+={0,2}( [^\\n]*)?$", p.public_key))])
    error_message = "Every participant public_key must be a single-line OpenSSH ed25519 public key (\"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5... comment\")."
  }

  validation {
    condition     = alltrue([for p in values(var.participants) : can(regex("^[0-9]+\\.[0-9]+\\.[0-9]+\\.[0-9]+/[0-9]+$", p.pod_cidr)) && can(cidrhost(p.pod_cidr, 0))])
    error_message = "Every participant pod_cidr must be an IPv4 CIDR block such as 10.244.0.0/16."
  }

  # kubeadm runs the controller manager with --allocate-node-cidrs; the node
  # mask is /24, or /26 for pod CIDRs of /20 and smaller (locals.tf).
  validation {
    condition = alltrue([for p in values(var.participants) :
      try(tonumber(split("/", p.pod_cidr)[1]) >= 8 && tonumber(split("/", p.pod_cidr)[1]) <= 24, false)
    ])
    error_message = "Every participant pod_cidr must be between /8 and /24 (every node gets a /24 or /26 range out of it; labctl hands out /21 by default)."
  }

  validation {
    # 10.96.0.0/12 is kubeadm's default service CIDR: [174063616, 175112192).
    condition = alltrue([for p in values(var.participants) :
      try(
        sum([for i, o in split(".", cidrhost(p.pod_cidr, 0)) : tonumber(o) * pow(256, 3 - i)]) + pow(2, 32 - tonumber(split("/", p.pod_cidr)[1])) <= 174063616 ||
        sum([for i, o in split(".", cidrhost(p.pod_cidr, 0)) : tonumber(o) * pow(256, 3 - i)]) >= 175112192,
        false
      )
    ])
    error_message = "A participant pod_cidr overlaps 10.96.0.0/12, the Kubernetes service network of the clusters; pick another range (e.g. 10.244.0.0/16)."
  }
}

variable "cluster_secrets" {
  description = "Per participant cluster (same keys as participants): kubeadm bootstrap token, cluster CA certificate and key (PEM), and the CA public key hash used by kubeadm join."
  type = map(object({
    join_token   = string
    ca_cert_pem  = string
    ca_key_pem   = string
    ca_cert_hash = string
  }))
  sensitive = true

  validation {
    condition     = toset(keys(var.cluster_secrets)) == toset(keys(var.participants))
    error_message = "cluster_secrets must have exactly one entry per participant id (the same keys as participants)."
  }

  validation {
    condition     = alltrue([for s in values(var.cluster_secrets) : can(regex("^[a-z0-9]{6}\\.[a-z0-9]{16}$", s.join_token))])
    error_message = "Every join_token must be a kubeadm bootstrap token: 6 + '.' + 16 characters of [a-z0-9]."
  }

  validation {
    condition     = alltrue([for s in values(var.cluster_secrets) : can(regex("^(sha256:)?[0-9a-f]{64}$", s.ca_cert_hash))])
    error_message = "Every ca_cert_hash must be the hex SHA-256 of the CA's public key info, with or without the \"sha256:\" prefix."
  }

  validation {
    condition = alltrue([for s in values(var.cluster_secrets) :
      strcontains(s.ca_cert_pem, "-----BEGIN CERTIFICATE-----") && strcontains(s.ca_key_pem, "PRIVATE KEY-----")
    ])
    error_message = "Every ca_cert_pem must be a PEM certificate and every ca_key_pem a PEM private key."
  }
}

variable "operator_public_key" {
  description = "The labctl operator's ed25519 public key, installed for the ubuntu user on every node next to the participant key."
  type        = string

  validation {
    condition     = can(regex("^ssh-ed25519 AAAAC3NzaC1lZDI1NTE5[A-Za-z0-9+/]+={0,2}( [^\\n]*)?$", var.operator_public_key))
    error_message = "operator_public_key must be a single-line OpenSSH ed25519 public key."
  }
}

# The AWS emulator switches are in emulator_switches.tf (a link to ../shared/).
