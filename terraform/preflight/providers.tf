# Endpoints are never configured here: the provider honours AWS_ENDPOINT_URL /
# AWS_ENDPOINT_URL_<SERVICE> (e.g. AWS_ENDPOINT_URL_SERVICE_QUOTAS) from the
# environment. The skip_* switches default to the production behaviour.
provider "aws" {
  region = var.region

  skip_credentials_validation = var.skip_credentials_validation
  skip_requesting_account_id  = var.skip_requesting_account_id
  skip_metadata_api_check     = var.skip_metadata_api_check

  # Reads only: a failing read is retried a few times, then reported, instead
  # of the provider's 25 attempts with backoff (minutes before an answer).
  max_retries = var.max_retries
}
