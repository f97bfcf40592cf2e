terraform {
  required_version = ">= 1.10.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.80.0, < 6.0.0"
    }
  }

  # Data sources only: nothing is created. labctl gives every run its own
  # state file (-state=<run dir>/terraform.tfstate) and deletes it afterwards.
  backend "local" {}
}
