# One workspace per session, selected by TF_WORKSPACE=<session> in the
# environment of each terraform process. Local state lives in
# terraform.tfstate.d/<session>/. For shared remote state labctl writes a
# backend_override.tf ("backend \"s3\" {}") next to this file and passes the
# bucket settings with -backend-config (see ../README.md).
terraform {
  backend "local" {}
}
