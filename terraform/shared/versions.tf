# The one Terraform and AWS provider requirement of every labctl stack. Each stack
# links this file as its own versions.tf (Terraform reads only a root module's own
# folder); its backend, where it has one, is in the stack's backend.tf.
terraform {
  required_version = ">= 1.10.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.80.0, < 6.0.0"
    }
  }
}
