# The session's AWS Budget (docs/lifetime.md): monthly cost filtered on the
# LabSession tag (<lab id>.<session>; Session without a lab id), the trainer notified at 80 % and 100 % of actual spend. labctl
# works out the limit (cost estimate, with the worst case of unlimited CPU credits,
# for the planned hours × 1.5, or budget_usd)
# and the addresses (trainer_email) and hands them over in the .tfvars.json.
#
# The filter only sees costs once "LabSession" is an activated cost allocation tag
# (Billing console > Cost allocation tags; once per account, it takes up to 24 h).

variable "budget" {
  description = "The session's AWS Budget: monthly limit in USD and the addresses notified. null (a run without labctl): no budget."
  type = object({
    limit_usd = number
    notify    = list(string)
  })
  default = null

  validation {
    condition     = var.budget == null || try(var.budget.limit_usd > 0, false)
    error_message = "budget.limit_usd must be above 0 (AWS refuses a budget of 0)."
  }
}

variable "budget_usd" {
  description = "Read by labctl only: the session's monthly AWS Budget in USD, instead of the cost estimate × 1.5."
  type        = number
  default     = null
}

# Budgets belong to the account, not a region: the account comes from the caller.
data "aws_caller_identity" "budget" {
  count = var.budget == null ? 0 : 1
}

resource "aws_budgets_budget" "session" {
  count = var.budget == null ? 0 : 1

  account_id = data.aws_caller_identity.budget[0].account_id
  # Budgets are per account: the lab's id (else the project) keeps two labs apart.
  name         = "labctl-${var.lab_id == "" ? var.project : var.lab_id}-${local.session}"
  budget_type  = "COST"
  limit_amount = format("%d", ceil(var.budget.limit_usd))
  limit_unit   = "USD"
  time_unit    = "MONTHLY"

  # Cost allocation tags are filtered as "user:<key>$<value>". LabSession (provider_settings.tf)
  # keeps a same-named session of another lab in the account out of this one's spend.
  cost_filter {
    name   = "TagKeyValue"
    values = [var.lab_id == "" ? format("user:Session$%s", local.session) : format("user:LabSession$%s.%s", var.lab_id, local.session)]
  }

  dynamic "notification" {
    for_each = length(var.budget.notify) > 0 ? [80, 100] : []
    content {
      comparison_operator        = "GREATER_THAN"
      threshold                  = notification.value
      threshold_type             = "PERCENTAGE"
      notification_type          = "ACTUAL"
      subscriber_email_addresses = var.budget.notify
    }
  }
}

output "budget" {
  description = "The session's AWS Budget: name, monthly limit (USD) and who is notified; null without one."
  value = var.budget == null ? null : {
    name      = aws_budgets_budget.session[0].name
    limit_usd = tonumber(aws_budgets_budget.session[0].limit_amount)
    notify    = var.budget.notify
  }
}
