# The lab-wide settings of the stacks that create resources (network, session):
# each links this file as its own lab_variables.tf, so that a session names its
# network, region and tags exactly as the network was built with them.

variable "region" {
  description = "AWS region of the lab: the network and every session are in this one."
  type        = string
  default     = "eu-west-1"
}

variable "project" {
  description = "Value of the Project tag."
  type        = string
  default     = "k8s-training"
}

variable "network_name" {
  description = "Name of the shared lab network (terraform/network); sessions find it, and place their clusters in it, through its Network tag."
  type        = string
  default     = "labctl"

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{0,30}[a-z0-9]$", var.network_name))
    error_message = "network_name must be 2-32 characters of lowercase letters, digits and '-', starting and ending with a letter or digit."
  }
}

variable "extra_tags" {
  description = "Additional tags put on every resource (the labctl tags win on conflicts)."
  type        = map(string)
  default     = {}
}

variable "lab_id" {
  description = "The lab's identity (labctl makes it once and keeps it in its registry): the LabId tag on everything, and what every lookup of the lab's resources filters on, so that two labs in one account never see each other. \"\" (a stack run without labctl): no LabId tag, names as before lab ids."
  type        = string
  default     = ""

  validation {
    condition     = var.lab_id == "" || can(regex("^lab-[a-z2-7]{8}$", var.lab_id))
    error_message = "lab_id must be \"lab-\" and 8 characters of a-z and 2-7 (labctl makes it), or \"\"."
  }
}

locals {
  # The tag that says which lab a resource belongs to; none without a lab id.
  lab_tags = var.lab_id == "" ? {} : { LabId = var.lab_id }
}
