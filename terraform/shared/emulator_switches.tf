# Switches for a local AWS emulator (tests only; production keeps false), the same
# in every stack: each links this file as its own emulator_switches.tf and hands
# them to its aws provider block.

variable "skip_credentials_validation" {
  description = "Skip the STS credential check (AWS emulators only)."
  type        = bool
  default     = false
}

variable "skip_requesting_account_id" {
  description = "Skip looking up the AWS account id (AWS emulators only)."
  type        = bool
  default     = false
}

variable "skip_metadata_api_check" {
  description = "Never ask the EC2 instance metadata service for credentials (AWS emulators only)."
  type        = bool
  default     = false
}
