# What this stack's aws provider (providers.tf, a link to ../shared/) does its own way.
locals {
  default_tags = merge(var.extra_tags, local.lab_tags, local.lab_session_tag, {
    Project   = var.project
    Session   = var.session_name
    ManagedBy = "labctl"
    ExpiresAt = local.expires_tag
  })
  aws_max_retries = null
}

# One tag that names the lab and the session together, for the session's budget: AWS
# Budgets ORs the values of one tag filter, so "LabId and Session" cannot be asked of two tags.
locals {
  lab_session_tag = var.lab_id == "" ? {} : { LabSession = "${var.lab_id}.${var.session_name}" }
}
