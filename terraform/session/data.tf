# The shared network (terraform/network) is found by its tags, this lab's LabId among
# them: another lab's network of the same name is not ours. A session applied before
# the network exists fails here with a message saying what to do; so does one of a lab
# whose network was built before labs had ids (`labctl network apply` tags it).
data "aws_vpcs" "network" {
  tags = merge({
    Network   = var.network_name
    ManagedBy = "labctl"
    Role      = "network"
  }, local.lab_tags)

  lifecycle {
    postcondition {
      condition     = length(self.ids) == 1
      error_message = "The labctl network \"${var.network_name}\"${var.lab_id == "" ? "" : " of lab ${var.lab_id}"} was not found in ${var.region} (or exists more than once): run `labctl network apply` first (it also tags a network built before labs had ids with the lab's LabId), then apply the session again."
    }
  }
}

data "aws_vpc" "network" {
  id = one(data.aws_vpcs.network.ids)
}

data "aws_subnets" "network" {
  filter {
    name   = "vpc-id"
    values = data.aws_vpcs.network.ids
  }

  tags = merge({
    Network = var.network_name
    Role    = "network"
  }, local.lab_tags)

  lifecycle {
    postcondition {
      condition     = length(self.ids) > 0
      error_message = "The labctl network \"${var.network_name}\" has no subnets: run `labctl network apply` to repair it."
    }
  }
}

# Only looked up when no ami_id is given.
data "aws_ami" "ubuntu" {
  count = var.ami_id == "" ? 1 : 0

  most_recent = true
  owners      = ["099720109477"] # Canonical

  filter {
    name   = "name"
    values = ["ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-*"]
  }

  filter {
    name   = "architecture"
    values = ["x86_64"]
  }

  filter {
    name   = "virtualization-type"
    values = ["hvm"]
  }

  filter {
    name   = "root-device-type"
    values = ["ebs"]
  }
}
