# What this stack's aws provider (providers.tf, a link to ../shared/) does its own way.
locals {
  # Reads only, and tags nothing.
  default_tags = {}
  # A failing read is retried a few times, then reported, instead of the
  # provider's 25 attempts with backoff (minutes before an answer).
  aws_max_retries = var.max_retries
}
