output "quotas" {
  description = "Per check name: the quota's name, its value for the account and the AWS default."
  value = {
    for k, q in data.aws_servicequotas_service_quota.quota : k => {
      name    = q.quota_name
      value   = q.value
      default = q.default_value
    }
  }
}

output "vcpus" {
  description = "Default vCPUs per instance type (EC2 instance type data)."
  value = merge(
    { for t, d in data.aws_ec2_instance_type.type : t => d.default_vcpus },
    { for t, d in data.aws_ec2_instance_type.untyped : t => d.default_vcpus },
  )
}

output "zones" {
  description = "Availability zones of the network's subnets (empty: the network is not deployed)."
  value       = local.zones
}

output "free_addresses" {
  description = "Per zone of the network, the free IPv4 addresses of its subnet (one per node)."
  value       = { for s in data.aws_subnet.network : s.availability_zone => s.available_ip_address_count }
}

output "offerings" {
  description = "Per instance type, the network zones that offer it."
  value = {
    for t in var.instance_types : t => length(data.aws_ec2_instance_type_offerings.zones) == 0 ? [] : sort([
      for i, offered in data.aws_ec2_instance_type_offerings.zones[0].instance_types :
      data.aws_ec2_instance_type_offerings.zones[0].locations[i] if offered == t
    ])
  }
}

output "in_use" {
  description = "Running in the region, without the checked sessions: under the project's tags (lab) and everything else (others): instances per type, security groups, gp3 GiB; and network interfaces of both."
  value = {
    lab = {
      instances_by_type = local.instances_by_type.lab
      security_groups   = length(setsubtract(data.aws_security_groups.project.ids, data.aws_security_groups.checked.ids))
      gp3_gib = sum(concat([0],
        [for s, d in data.aws_ebs_volumes.by_size : tonumber(s) * length(setsubtract(d.ids, local.checked_volume_ids))],
        [for id, v in data.aws_ebs_volume.unsized : v.size if contains(local.unsized_volume_ids, id)],
      ))
    }
    others = {
      instances_by_type = local.instances_by_type.others
      security_groups   = length(setsubtract(data.aws_security_groups.all.ids, data.aws_security_groups.project.ids))
      gp3_gib           = sum(concat([0], [for id, v in data.aws_ebs_volume.unsized : v.size if contains(local.foreign_volume_ids, id)]))
    }
    network_interfaces = length(setsubtract(data.aws_network_interfaces.all.ids, local.checked_interface_ids))
  }
}
