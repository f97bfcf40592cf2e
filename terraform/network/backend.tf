# One shared network state (default workspace). Local by default; labctl
# swaps in the S3 backend with a generated backend_override.tf plus
# -backend-config (see ../README.md).
terraform {
  backend "local" {}
}
