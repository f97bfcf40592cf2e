variable "network_name" {
  description = "Name of the shared lab network; sessions find it through the Network tag."
  type        = string
  default     = "labctl"

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{0,30}[a-z0-9]$", var.network_name))
    error_message = "network_name must be 2-32 characters of lowercase letters, digits and '-', starting and ending with a letter or digit."
  }
}

variable "region" {
  description = "AWS region of the network."
  type        = string
  default     = "eu-west-1"
}

variable "project" {
  description = "Value of the Project tag."
  type        = string
  default     = "k8s-training"
}

variable "vpc_cidr" {
  description = "CIDR block of the VPC. Participant pod CIDRs must not overlap it."
  type        = string
  default     = "10.0.0.0/16"

  validation {
    condition     = can(cidrhost(var.vpc_cidr, 0)) && try(tonumber(split("/", var.vpc_cidr)[1]) <= 24, false)
    error_message = "vpc_cidr must be an IPv4 CIDR block of /24 or larger, e.g. 10.0.0.0/16."
  }

  # 10.96.0.0/12 = [174063616, 175112192) is the service network of every
  # kubeadm cluster: node addresses there would be shadowed by Services.
  validation {
    condition = try(
      sum([for i, o in split(".", cidrhost(var.vpc_cidr, 0)) : tonumber(o) * pow(256, 3 - i)]) + pow(2, 32 - tonumber(split("/", var.vpc_cidr)[1])) <= 174063616 ||
      sum([for i, o in split(".", cidrhost(var.vpc_cidr, 0)) : tonumber(o) * pow(256, 3 - i)]) >= 175112192,
      false
    )
    error_message = "vpc_cidr overlaps 10.96.0.0/12, the Kubernetes service network of the clusters; pick another range (e.g. 10.0.0.0/16)."
  }
}

variable "availability_zones" {
  description = "Availability zones; one public subnet is created in each."
  type        = list(string)
  default     = ["eu-west-1a", "eu-west-1b"]

  validation {
    condition     = length(var.availability_zones) >= 1 && length(var.availability_zones) <= 16 && length(distinct(var.availability_zones)) == length(var.availability_zones)
    error_message = "availability_zones must list 1 to 16 distinct zones."
  }
}

variable "extra_tags" {
  description = "Additional tags put on every resource (the labctl tags win on conflicts)."
  type        = map(string)
  default     = {}
}

# The AWS emulator switches are in emulator_switches.tf (a link to ../shared/).
