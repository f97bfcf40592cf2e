# What this stack's aws provider (providers.tf, a link to ../shared/) does its own way.
locals {
  # Reads only, and tags nothing; the provider's own retry policy.
  default_tags    = {}
  aws_max_retries = null
}
