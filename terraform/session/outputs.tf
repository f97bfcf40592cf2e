output "clusters" {
  description = "Per participant (discrete id): addresses and instance ids of the cluster's nodes and its pod CIDR. Worker lists are ordered worker-1, worker-2, ..."
  value = {
    for id, p in var.participants : id => {
      master_public_ip    = aws_instance.master[id].public_ip
      master_private_ip   = aws_instance.master[id].private_ip
      master_instance_id  = aws_instance.master[id].id
      worker_public_ips   = [for n in range(var.worker_count) : aws_instance.worker["${id}/worker-${n + 1}"].public_ip]
      worker_private_ips  = [for n in range(var.worker_count) : aws_instance.worker["${id}/worker-${n + 1}"].private_ip]
      worker_instance_ids = [for n in range(var.worker_count) : aws_instance.worker["${id}/worker-${n + 1}"].id]
      pod_cidr            = p.pod_cidr
    }
  }
}

output "session_info" {
  description = "Summary of the session for labctl status and cost reports."
  value = {
    session                  = local.session
    participant_count        = length(var.participants)
    total_instances          = length(aws_instance.master) + length(aws_instance.worker)
    aws_cost_explorer_filter = "Tag: Session = ${local.session}"
  }
}
