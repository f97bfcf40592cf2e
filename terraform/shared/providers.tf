# The aws provider of every labctl stack: each links this file as its own
# providers.tf and says in its provider_settings.tf what differs, the tags every
# resource gets (local.default_tags) and how often a failing call is retried
# (local.aws_max_retries; null: the provider's own policy).
# Endpoints are never configured here: the provider honours AWS_ENDPOINT_URL /
# AWS_ENDPOINT_URL_<SERVICE> (e.g. AWS_ENDPOINT_URL_SERVICE_QUOTAS) from the
# environment (used to point tests at a local emulator). The skip_* switches
# (emulator_switches.tf) default to the production behaviour.
provider "aws" {
  region = var.region

  skip_credentials_validation = var.skip_credentials_validation
  skip_requesting_account_id  = var.skip_requesting_account_id
  skip_metadata_api_check     = var.skip_metadata_api_check

  max_retries = local.aws_max_retries

  default_tags {
    tags = local.default_tags
  }
}
