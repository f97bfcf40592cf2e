# The session's participant cap (issue 23): read by labctl only. The intake answers
# "session full" past it and `labctl keys add` refuses, so a leaked join link fills one
# session, not the lab-wide pod-network pool. Declared so Terraform accepts the tfvars.

variable "max_participants" {
  description = "Read by labctl only: participants the session takes at most (web form, JSON API, labctl keys add/import). Default 50."
  type        = number
  default     = 50

  validation {
    condition     = var.max_participants >= 1 && var.max_participants <= 1000 && floor(var.max_participants) == var.max_participants
    error_message = "max_participants must be a whole number from 1 to 1000."
  }
}
