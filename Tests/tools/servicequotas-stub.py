#!/usr/bin/env python3
"""A loopback stand-in for AWS Service Quotas (JSON 1.1 protocol), for the quota
codes moto does not know. Answers ServiceQuotasV20190624.GetServiceQuota and
.GetAWSDefaultServiceQuota from a JSON file:

  {"ec2/L-1216C47A": {"name": "Running On-Demand Standard ... instances", "value": 32, "default": 5}}

"value" missing: GetServiceQuota answers NoSuchResourceException (no applied
value; callers fall back to the default). "default" missing too: both answer
NoSuchResourceException, as for a quota the service does not know.

Usage: servicequotas-stub.py QUOTAS.json (read on every request) -> prints "listening PORT" once bound
to a free port on 127.0.0.1; logs one line per request on stderr; stops on
SIGTERM.
"""
import json
import signal
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer



class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, body, error_type=None):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/x-amz-json-1.1")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("x-amzn-RequestId", "stub-0000")
        if error_type:
            self.send_header("x-amzn-ErrorType", error_type)
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length) or b"{}")
        action = (self.headers.get("X-Amz-Target") or "").split(".")[-1]
        service, code = body.get("ServiceCode", ""), body.get("QuotaCode", "")
        print(f"{action} {service}/{code}", file=sys.stderr, flush=True)
        quotas = json.load(open(sys.argv[1]))  # read per request: tests change it between checks
        entry = quotas.get(f"{service}/{code}", {})
        key = {"GetServiceQuota": "value", "GetAWSDefaultServiceQuota": "default"}.get(action)
        if key is None:
            return self.reply(400, {"__type": "InvalidParameterValueException", "Message": f"stub does not answer {action}"},
                              "InvalidParameterValueException")
        if key not in entry:
            return self.reply(400, {"__type": "NoSuchResourceException",
                                    "Message": f"The request failed because the specified service or quota does not exist: {service}/{code}"},
                              "NoSuchResourceException")
        self.reply(200, {"Quota": {
            "ServiceCode": service, "ServiceName": service, "QuotaCode": code,
            "QuotaArn": f"arn:aws:servicequotas:eu-west-1:123456789012:{service}/{code}",
            "QuotaName": entry.get("name", code), "Value": float(entry[key]), "Unit": entry.get("unit", "None"),
            "Adjustable": True, "GlobalQuota": False,
        }})


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
print(f"listening {server.server_address[1]}", flush=True)
server.serve_forever()
