# What this stack's aws provider (providers.tf, a link to ../shared/) does its own way.
locals {
  default_tags = merge(var.extra_tags, local.lab_tags, {
    Project   = var.project
    ManagedBy = "labctl"
    Network   = var.network_name
    Role      = "network"
  })
  aws_max_retries = null
}
