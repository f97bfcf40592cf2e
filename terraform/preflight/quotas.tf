# The account's quotas. The provider reads the applied value and falls back to
# the AWS default when the account has none; a quota Service Quotas does not
# know fails its data source, and labctl reports it as unknown.
data "aws_servicequotas_service_quota" "quota" {
  for_each = var.quotas

  service_code = each.value.service_code
  quota_code   = each.value.quota_code
}

# vCPUs per instance type come from the EC2 API, never from a table in code.
data "aws_ec2_instance_type" "type" {
  for_each = toset(var.instance_types)

  instance_type = each.key
}

# The network's availability zones (one subnet each) must offer every type:
# a participant's cluster may land in any of them.
data "aws_subnets" "network" {
  tags = merge({
    Network = var.network_name
    Role    = "network"
  }, var.lab_id == "" ? {} : { LabId = var.lab_id })
}

data "aws_subnet" "network" {
  for_each = toset(data.aws_subnets.network.ids)

  id = each.key
}

locals {
  zones = sort(distinct([for s in data.aws_subnet.network : s.availability_zone]))
}

data "aws_ec2_instance_type_offerings" "zones" {
  count = length(local.zones) > 0 && length(var.instance_types) > 0 ? 1 : 0

  location_type = "availability-zone"

  filter {
    name   = "location"
    values = local.zones
  }

  filter {
    name   = "instance-type"
    values = var.instance_types
  }
}
