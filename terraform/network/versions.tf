terraform {
  required_version = ">= 1.10.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.80.0, < 6.0.0"
    }
  }

  # One shared network state (default workspace). Local by default; labctl
  # swaps in the S3 backend with a generated backend_override.tf plus
  # -backend-config (see ../README.md).
  backend "local" {}
}
