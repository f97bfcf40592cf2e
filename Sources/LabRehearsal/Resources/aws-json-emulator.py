"""A loopback stand-in for the AWS JSON 1.1 APIs moto answers only in part, told apart by
the X-Amz-Target prefix:

AWSBudgetServiceGateway.: AWS Budgets. moto 5.2.1 lacks DescribeSubscribersForNotification
  and ListTagsForResource, which the AWS provider's aws_budgets_budget calls after every
  create and read, so budgets go here (AWS_ENDPOINT_URL_BUDGETS) and stay in memory.
ServiceQuotasV20190624.: GetServiceQuota and GetAWSDefaultServiceQuota for the quota codes
  moto does not know (AWS_ENDPOINT_URL_SERVICE_QUOTAS), answered from QUOTAS.json:
    {"ec2/L-1216C47A": {"name": "Running On-Demand Standard ... instances", "value": 32, "default": 5}}
  "value" missing: GetServiceQuota answers NoSuchResourceException (no applied value;
  callers fall back to the default). "default" missing too: both answer
  NoSuchResourceException, as for a quota the service does not know.

Unknown targets answer 400 and are logged, so a provider that calls something new is seen
at once.
Usage: aws-json-emulator.py [PORT [QUOTAS.json]] (127.0.0.1, 0: a free one; QUOTAS.json is
read on every request); prints "listening PORT" once bound; one line per request on
stderr; stops on SIGTERM."""
import calendar
import json
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

budgets = {}        # (account, name) -> Budget
notifications = {}  # (account, name) -> [{"Notification": n, "Subscribers": [...]}]
tags = {}           # ARN -> {key: value}
lock = threading.Lock()
log_lock = threading.Lock()
# The last answered create, by (action, body): the provider's SDK re-sends a create whose
# answer it did not read (seen in full test runs at load > 15: CreateBudget and
# CreateNotification failing as duplicates right after their first copy succeeded).
# The same body again within RETRY_WINDOW s gets the first copy's answer, not a
# DuplicateRecordException; any other duplicate still fails as on AWS.
RETRY_WINDOW = 30
answered = {}       # (action, canonical body) -> time answered


def log(line):
    """One request's line in one write: print() writes the text and its newline separately,
    so the threads' lines interleaved ("GetAWSDefaultServiceQuota 200GetServiceQuota ...")."""
    with log_lock:
        sys.stderr.write(line + "\n")
        sys.stderr.flush()


class Fault(Exception):
    def __init__(self, kind, message, status=400):
        super().__init__(message)
        self.kind, self.message, self.status = kind, message, status


def arn(account, name):
    return f"arn:aws:budgets::{account}:budget/{name}"


def same_notification(a, b):
    keys = ("NotificationType", "ComparisonOperator", "Threshold")
    return all(a.get(k) == b.get(k) for k in keys) and a.get("ThresholdType", "PERCENTAGE") == b.get("ThresholdType", "PERCENTAGE")


def budget_of(body):
    key = (body["AccountId"], body["BudgetName"])
    if key not in budgets:
        raise Fault("NotFoundException", f"Unable to get budget: {key[1]} - the budget doesn't exist.")
    return key


def entry_of(key, notification):
    for e in notifications.get(key, []):
        if same_notification(e["Notification"], notification):
            return e
    raise Fault("NotFoundException", f"Unable to find notification for budget {key[1]}")


def normalised(budget):
    b = dict(budget)
    if not b.get("TimePeriod", {}).get("Start"):
        now = time.gmtime()
        b["TimePeriod"] = {"Start": calendar.timegm((now.tm_year, now.tm_mon, 1, 0, 0, 0)),
                           "End": b.get("TimePeriod", {}).get("End") or 3706473600}  # AWS's default end: 2087-06-15
    b.setdefault("CostFilters", {})
    b["CalculatedSpend"] = {"ActualSpend": {"Amount": "0", "Unit": b.get("BudgetLimit", {}).get("Unit", "USD")}}
    return b


def add_notification(key, notification, subscribers):
    if any(same_notification(e["Notification"], notification) for e in notifications.get(key, [])):
        raise Fault("DuplicateRecordException", f"the notification already exists for {key[1]}")
    n = dict(notification)
    n.setdefault("NotificationState", "OK")
    notifications.setdefault(key, []).append({"Notification": n, "Subscribers": list(subscribers)})


def budgets_service(action, body):
    if action == "CreateBudget":
        b = body["Budget"]
        key = (body["AccountId"], b["BudgetName"])
        if key in budgets:
            raise Fault("DuplicateRecordException", f"Error creating budget: {key[1]} - the budget already exists.")
        budgets[key] = normalised(b)
        for ns in body.get("NotificationsWithSubscribers", []):
            add_notification(key, ns["Notification"], ns["Subscribers"])
        tags[arn(*key)] = {t["Key"]: t["Value"] for t in body.get("ResourceTags", [])}
        return {}
    if action == "DescribeBudget":
        return {"Budget": budgets[budget_of(body)]}
    if action == "DescribeBudgets":
        return {"Budgets": [b for (a, _), b in sorted(budgets.items()) if a == body["AccountId"]]}
    if action == "UpdateBudget":
        b = body["NewBudget"]
        key = budget_of({"AccountId": body["AccountId"], "BudgetName": b["BudgetName"]})
        budgets[key] = normalised(b)
        return {}
    if action == "DeleteBudget":
        key = budget_of(body)
        del budgets[key]
        notifications.pop(key, None)
        tags.pop(arn(*key), None)
        return {}
    if action == "CreateNotification":
        add_notification(budget_of(body), body["Notification"], body.get("Subscribers", []))
        return {}
    if action == "DeleteNotification":
        key = budget_of(body)
        notifications[key].remove(entry_of(key, body["Notification"]))
        return {}
    if action == "UpdateNotification":
        e = entry_of(budget_of(body), body["OldNotification"])
        e["Notification"] = dict(body["NewNotification"], NotificationState="OK")
        return {}
    if action == "DescribeNotificationsForBudget":
        return {"Notifications": [e["Notification"] for e in notifications.get(budget_of(body), [])]}
    if action == "DescribeSubscribersForNotification":
        return {"Subscribers": entry_of(budget_of(body), body["Notification"])["Subscribers"]}
    if action == "CreateSubscriber":
        entry_of(budget_of(body), body["Notification"])["Subscribers"].append(body["Subscriber"])
        return {}
    if action == "DeleteSubscriber":
        e = entry_of(budget_of(body), body["Notification"])
        e["Subscribers"] = [s for s in e["Subscribers"] if s != body["Subscriber"]]
        return {}
    if action == "ListTagsForResource":
        return {"ResourceTags": [{"Key": k, "Value": v} for k, v in sorted(tags.get(body["ResourceARN"], {}).items())]}
    if action == "TagResource":
        tags.setdefault(body["ResourceARN"], {}).update({t["Key"]: t["Value"] for t in body["ResourceTags"]})
        return {}
    if action == "UntagResource":
        for k in body["ResourceTagKeys"]:
            tags.get(body["ResourceARN"], {}).pop(k, None)
        return {}
    raise Fault("InvalidParameterException", f"the budgets emulator does not answer {action}")


def service_quotas_service(action, body):
    service, code = body.get("ServiceCode", ""), body.get("QuotaCode", "")
    log(f"{action} {service}/{code}")
    key = {"GetServiceQuota": "value", "GetAWSDefaultServiceQuota": "default"}.get(action)
    if key is None:
        raise Fault("InvalidParameterValueException", f"the Service Quotas emulator does not answer {action}")
    if len(sys.argv) < 3:
        raise Fault("NoSuchResourceException", "the emulator was started without a quotas file")
    with open(sys.argv[2]) as f:
        entry = json.load(f).get(f"{service}/{code}", {})  # read per request: tests change it between checks
    if key not in entry:
        raise Fault("NoSuchResourceException",
                    f"The request failed because the specified service or quota does not exist: {service}/{code}")
    return {"Quota": {
        "ServiceCode": service, "ServiceName": service, "QuotaCode": code,
        "QuotaArn": f"arn:aws:servicequotas:eu-west-1:123456789012:{service}/{code}",
        "QuotaName": entry.get("name", code), "Value": float(entry[key]), "Unit": entry.get("unit", "None"),
        "Adjustable": True, "GlobalQuota": False,
    }}


SERVICES = {"AWSBudgetServiceGateway": budgets_service, "ServiceQuotasV20190624": service_quotas_service}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, body, error_type=None):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/x-amz-json-1.1")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("x-amzn-RequestId", "aws-json-emulator")
        if error_type:
            self.send_header("x-amzn-ErrorType", error_type)
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length) or b"{}")
        prefix, _, action = (self.headers.get("X-Amz-Target") or "").rpartition(".")
        try:
            if prefix not in SERVICES:
                raise Fault("UnknownOperationException", f"the emulator does not answer the target prefix {prefix!r}")
            with lock:
                request = (action, json.dumps(body, sort_keys=True))
                if action.startswith("Create") and time.time() - answered.get(request, -RETRY_WINDOW) < RETRY_WINDOW:
                    log(f"{action} 200 (the same request again within {RETRY_WINDOW} s: a client retry)")
                    self.reply(200, {})
                    return
                out = SERVICES[prefix](action, body)
                if action.startswith("Create"):
                    answered[request] = time.time()
            log(f"{action} 200")
            self.reply(200, out)
        except Fault as f:
            log(f"{action} {f.status} {f.kind}: {f.message}")
            self.reply(f.status, {"__type": f.kind, "Message": f.message}, f.kind)
        except (KeyError, TypeError, ValueError) as e:
            log(f"{action} 400 malformed: {e!r}")
            self.reply(400, {"__type": "InvalidParameterException", "Message": f"malformed {action}: {e!r}"}, "InvalidParameterException")


class Server(ThreadingHTTPServer):
    # The default listen backlog of 5 drops connections when the provider (or a test) opens many at once.
    request_queue_size = 128


server = Server(("127.0.0.1", int(sys.argv[1]) if len(sys.argv) > 1 else 0), Handler)
signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
print(f"listening {server.server_address[1]}", flush=True)
server.serve_forever()
