#!/usr/bin/env python3
"""Every AWS Budget of the emulator's account as JSON, read through the Budgets API
(boto3; endpoint from AWS_ENDPOINT_URL_BUDGETS, the loopback budgets emulator), not
from any Terraform state: per budget its limit, type, time unit and cost filters, each
notification with its subscribers, and the budget's tags."""
import json, os
import boto3

ACCOUNT = "123456789012"  # moto's account, which the provider's aws_caller_identity returns
budgets = boto3.client("budgets", endpoint_url=os.environ["AWS_ENDPOINT_URL_BUDGETS"])

out = {}
for b in budgets.describe_budgets(AccountId=ACCOUNT).get("Budgets", []):
    name = b["BudgetName"]
    notes = budgets.describe_notifications_for_budget(AccountId=ACCOUNT, BudgetName=name).get("Notifications", [])
    out[name] = {
        "type": b["BudgetType"],
        "time_unit": b["TimeUnit"],
        "limit": b["BudgetLimit"],
        "cost_filters": b.get("CostFilters", {}),
        "notifications": [{
            "type": n["NotificationType"], "operator": n["ComparisonOperator"], "threshold": n["Threshold"],
            "threshold_type": n.get("ThresholdType", "PERCENTAGE"),
            "subscribers": budgets.describe_subscribers_for_notification(
                AccountId=ACCOUNT, BudgetName=name, Notification=n)["Subscribers"],
        } for n in notes],
        "tags": {t["Key"]: t["Value"] for t in budgets.list_tags_for_resource(
            ResourceARN=f"arn:aws:budgets::{ACCOUNT}:budget/{name}").get("ResourceTags", [])},
    }
print(json.dumps(out, default=str))
