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
  description = "When every instance powers itself off (and terminates): end + grace, as a systemd calendar event \"2026-12-04 18:00:00 UTC\". Empty: no dead-man timer."
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
}

# The dead-man timer's time is part of the user data, and a changed user data
# replaces an instance. `labctl extend` must move the end without rebuilding any
# cluster: the instances ignore user_data changes and are replaced instead when
# their bootstrap *without* the timer changes (these hashes); extend moves the
# timers on the running machines over SSH.
resource "terraform_data" "master_bootstrap" {
  for_each = var.participants
  input    = sha256(local.master_user_data_without_end[each.key])
}

resource "terraform_data" "worker_bootstrap" {
  for_each = local.workers
  input    = sha256(local.worker_user_data_without_end[each.key])
}
