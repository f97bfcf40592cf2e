# Read by `labctl sheets` only (connection sheets and mails); Terraform does not use
# them. Declared so that a session's tfvars may set them without a warning.

variable "session_end" {
  description = "When the clusters go away, as shown on the sheets (free text), e.g. \"Friday 4 December 2026, 17:00 CET\"."
  type        = string
  default     = null
}

variable "trainer_name" {
  description = "The trainer's name on the sheets and in the mails."
  type        = string
  default     = null
}

variable "trainer_email" {
  description = "The trainer's address: the sender of the mails (unless --from), the contact on the sheets, and who the session's AWS Budget notifies (labctl passes it as budget.notify)."
  type        = string
  default     = null
}
