# Data-only stack for `labctl sweep`: every resource in the region tagged with the
# project (Resource Groups Tagging API), and the instances' and volumes' details
# labctl needs to price them. Creates nothing; its state holds only these reads.

variable "region" {
  description = "Region to sweep."
  type        = string
}

variable "project" {
  description = "Value of the Project tag to look for."
  type        = string
}

data "aws_resourcegroupstaggingapi_resources" "project" {
  tag_filter {
    key    = "Project"
    values = [var.project]
  }
}

locals {
  arns = [for r in data.aws_resourcegroupstaggingapi_resources.project.resource_tag_mapping_list : r.resource_arn]
  ids_of = {
    for kind in ["instance", "volume"] : kind => toset([
      for arn in local.arns : split("/", arn)[1] if startswith(split(":", arn)[5], "${kind}/")
    ])
  }
}

data "aws_instance" "tagged" {
  for_each    = local.ids_of["instance"]
  instance_id = each.value
}

data "aws_ebs_volume" "tagged" {
  for_each = local.ids_of["volume"]
  filter {
    name   = "volume-id"
    values = [each.value]
  }
}

output "resources" {
  description = "Every project-tagged resource: ARN and tags."
  value = [
    for r in data.aws_resourcegroupstaggingapi_resources.project.resource_tag_mapping_list : {
      arn  = r.resource_arn
      tags = r.tags
    }
  ]
}

output "instances" {
  description = "Instance type and state by instance id (to price them)."
  value       = { for id, i in data.aws_instance.tagged : id => { type = i.instance_type, state = i.instance_state, public_ip = i.public_ip } }
}

output "volumes" {
  description = "Size (GiB) and type by volume id."
  value       = { for id, v in data.aws_ebs_volume.tagged : id => { size = v.size, type = v.volume_type } }
}
