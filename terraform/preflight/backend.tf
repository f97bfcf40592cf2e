# Data sources only: nothing is created. labctl gives every run its own
# state file (-state=<run dir>/terraform.tfstate) and deletes it afterwards.
terraform {
  backend "local" {}
}
