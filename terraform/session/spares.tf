# Spare clusters (issue 14): built without a participant, handed to late joiners by
# `labctl assign` without a Terraform run. labctl puts each spare into
# var.participants under its own key ("spare_3": no participant id has a "_") with
# the operator's key as its public_key, its own pod network and secrets, and lists it
# here. Handing it over only fills assigned_to: the user data, the key pair and every
# name stay what they were (no replacement); the Participant/Cluster tags follow the
# owner at the next apply.

variable "spares" {
  description = "Read by labctl only: how many spare clusters the session keeps for late joiners (0 = none). Each costs like a participant's cluster."
  type        = number
  default     = 0

  validation {
    condition     = var.spares >= 0 && var.spares <= 50 && floor(var.spares) == var.spares
    error_message = "spares must be a whole number from 0 to 50."
  }
}

variable "spare_clusters" {
  description = "Written by labctl: the entries of participants that are spare clusters, by key, with the discrete id of the participant each was handed to (\"\" while free)."
  type = map(object({
    assigned_to = string
  }))
  default = {}

  validation {
    condition     = alltrue([for k in keys(var.spare_clusters) : contains(keys(var.participants), k)])
    error_message = "Every spare_clusters key must also be a key of participants (labctl writes both)."
  }
}

locals {
  # Who a cluster belongs to, for tags: its own key, or a spare's owner ("" while free:
  # then the spare's key, which no participant id can equal).
  cluster_owner = {
    for id in keys(var.participants) : id => try(var.spare_clusters[id].assigned_to, id)
  }
  spare_tags = {
    for id in keys(var.spare_clusters) : id => { Spare = id }
  }
}
