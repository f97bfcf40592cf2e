# Session lifetime: nothing outlives the session's end (docs/lifetime.md).
# labctl computes these from session_end / shutdown_grace in sessions/<s>.tfvars
# (Terraform cannot read zone names) and hands them over in the .tfvars.json.

variable "expires_at" {
  description = "The session's end, UTC RFC 3339 (the ExpiresAt tag on every resource). Empty: a session deployed with --no-end, tagged \"never\"."
  type        = string
  default     = ""

  validation {
    condition     = var.expires_at == "" || can(timeadd(var.expires_at, "0s"))
    error_message = "expires_at must be empty or a UTC RFC 3339 time such as 2026-12-04T16:00:00Z."
  }
}

variable "shutdown_at" {
  description = "When every instance powers itself off (and terminates): end + grace, as a systemd calendar event \"2026-12-04 18:00:00 UTC\". Empty: no power-off (the ShutdownAt tag says \"never\")."
  type        = string
  default     = ""

  validation {
    condition     = var.shutdown_at == "" || can(regex("^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2} UTC$", var.shutdown_at))
    error_message = "shutdown_at must be empty or \"YYYY-MM-DD HH:MM:SS UTC\"."
  }
}

variable "shutdown_grace" {
  description = "Read by labctl only: how long after session_end the instances power off and `labctl reap` destroys the session (default \"2h\")."
  type        = string
  default     = null
}

locals {
  expires_tag = var.expires_at != "" ? var.expires_at : "never"

  # What the node's dead-man switch reads (templates/labctl-shutdown-at.sh, through
  # the instance metadata's tags): end + grace as UTC RFC 3339, or "never". One tag
  # rather than ExpiresAt plus a grace kept in the user data: a changed grace moves
  # it like a changed end, by a retag, and the node does no date arithmetic.
  # On the instances only: nothing else has a timer.
  node_end_tags = {
    ShutdownAt = var.expires_at == "" || var.shutdown_at == "" ? "never" : "${replace(trimsuffix(var.shutdown_at, " UTC"), " ", "T")}Z"
  }
}

# No end in the user data: templates/labctl-shutdown-at.sh, run by labctl-end.timer
# (templates/dead-man-switch.yaml.tftpl) at boot and every 5 minutes, reads the
# node's ShutdownAt tag from the instance metadata and arms its power-off timer, so
# `labctl extend` and `apply` move the end by retagging (in place) and need no route
# to the nodes. The timer is started first in runcmd, so a failing bootstrap
# cannot keep it from arming.
# A changed user data is a new bootstrap, which cloud-init runs only on a new
# instance: the instances ignore user_data itself and are replaced when these hashes
# change (instances.tf), which ClusterReplacementGuard shows before apply or extend.
resource "terraform_data" "master_bootstrap" {
  for_each = var.participants
  input    = sha256(local.master_user_data[each.key])

  lifecycle {
    # Tags in the instance metadata (instances.tf) restrict the instances' tag keys;
    # EC2 refuses to launch an instance with another.
    precondition {
      condition     = alltrue([for k in keys(var.extra_tags) : can(regex("^[A-Za-z0-9+=.,_:@-]+$", k)) && !contains([".", "..", "_index"], k)])
      error_message = "extra_tags keys ${join(", ", [for k in keys(var.extra_tags) : jsonencode(k) if !can(regex("^[A-Za-z0-9+=.,_:@-]+$", k)) || contains([".", "..", "_index"], k)])} cannot be instance tags: the nodes read their tags from the instance metadata, which allows only letters, digits and + - = . , _ : @ (no spaces or /). Rename them in sessions/<session>.tfvars."
    }
  }
}

resource "terraform_data" "worker_bootstrap" {
  for_each = local.workers
  input    = sha256(local.worker_user_data[each.key])
}
