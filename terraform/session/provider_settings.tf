# What this stack's aws provider (providers.tf, a link to ../shared/) does its own way.
locals {
  default_tags = merge(var.extra_tags, local.lab_tags, {
    Project   = var.project
    Session   = var.session_name
    ManagedBy = "labctl"
    ExpiresAt = local.expires_tag
  })
  aws_max_retries = null
}
