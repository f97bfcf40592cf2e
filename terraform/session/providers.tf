# Endpoints are never configured here: the provider honours AWS_ENDPOINT_URL /
# AWS_ENDPOINT_URL_<SERVICE> from the environment (used to point tests at a
# local emulator). The skip_* switches default to the production behaviour.
provider "aws" {
  region = var.region

  skip_credentials_validation = var.skip_credentials_validation
  skip_requesting_account_id  = var.skip_requesting_account_id
  skip_metadata_api_check     = var.skip_metadata_api_check

  default_tags {
    tags = merge(var.extra_tags, {
      Project   = var.project
      Session   = var.session_name
      ManagedBy = "labctl"
      ExpiresAt = local.expires_tag
    })
  }
}
