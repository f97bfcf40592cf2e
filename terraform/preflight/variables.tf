# The contract with labctl (LabWorkflows' CapacityPreflight renders these as a
# .tfvars.json). The stack only reads: instance type data, offerings, quotas
# and what already runs under the project's tags.

variable "region" {
  description = "AWS region of the sessions checked."
  type        = string
  default     = "eu-west-1"
}

variable "project" {
  description = "Value of the Project tag of the sessions checked; in-use resources are those tagged Project=<project>, ManagedBy=labctl."
  type        = string
  default     = "k8s-training"
}

variable "lab_id" {
  description = "The lab's id (LabId tag): what carries it is \"this lab\", everything else \"others\". \"\": the project's tags alone."
  type        = string
  default     = ""
}

variable "network_name" {
  description = "The labctl network whose subnets' availability zones must offer every instance type."
  type        = string
  default     = "labctl"
}

variable "sessions" {
  description = "The sessions being checked: their own running resources are part of what they need, not of what is in use."
  type        = list(string)
  default     = []
}

variable "instance_types" {
  description = "Instance types to describe (vCPUs) and to group running instances by: the checked sessions' types plus the lab's other sessions' types. Instances of other types are described one by one."
  type        = list(string)
  default     = []
}

variable "volume_sizes" {
  description = "gp3 root volume sizes (GiB) to group running volumes by; volumes of other sizes are described one by one."
  type        = list(number)
  default     = []
}

variable "quotas" {
  description = "Service Quotas to read, by check name: service and quota code. The provider falls back to the AWS default value when the account has no applied value."
  type = map(object({
    service_code = string
    quota_code   = string
  }))
  default = {}
}

variable "max_retries" {
  description = "How often the provider retries a failing or throttled read before the check reports it."
  type        = number
  default     = 3
}

# The AWS emulator switches are in emulator_switches.tf (a link to ../shared/).
