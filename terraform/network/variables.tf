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

# region, project, network_name and extra_tags are in lab_variables.tf and the AWS
# emulator switches in emulator_switches.tf (links to ../shared/).
