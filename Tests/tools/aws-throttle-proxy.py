#!/usr/bin/env python3
"""A loopback proxy in front of an AWS emulator that throttles: the first COUNT
calls of ACTION (an EC2 Query action such as RunInstances) get EC2's
`RequestLimitExceeded` answer (HTTP 503), as a busy account does; every other
request goes to UPSTREAM unchanged.

Usage: aws-throttle-proxy.py UPSTREAM_URL ACTION COUNT -> prints "listening PORT"
once bound to a free port on 127.0.0.1; logs "throttled ACTION" / "passed ACTION"
lines on stderr; stops on SIGTERM.
"""
import http.client
import signal
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

upstream = urllib.parse.urlsplit(sys.argv[1])
action, budget = sys.argv[2], int(sys.argv[3])
lock = threading.Lock()
THROTTLED = (b'<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>RequestLimitExceeded</Code>'
             b'<Message>Request limit exceeded.</Message></Error></Errors><RequestID>throttle-proxy</RequestID></Response>')


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def forward(self):
        global budget
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        form = urllib.parse.parse_qs(body.decode("utf-8", "replace")) if b"Action=" in body else {}
        mine = form.get("Action", [""])[0] == action
        if mine:
            with lock:
                throttle = budget > 0
                budget -= 1 if throttle else 0
            print(("throttled " if throttle else "passed ") + action, file=sys.stderr, flush=True)
            if throttle:
                self.send_response(503)
                self.send_header("Content-Type", "text/xml")
                self.send_header("Content-Length", str(len(THROTTLED)))
                self.end_headers()
                self.wfile.write(THROTTLED)
                return
        conn = http.client.HTTPConnection(upstream.hostname, upstream.port, timeout=120)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("connection", "keep-alive", "transfer-encoding")}
        conn.request(self.command, self.path, body=body, headers=headers)
        resp = conn.getresponse()
        data = resp.read()
        self.send_response(resp.status)
        for k, v in resp.getheaders():
            if k.lower() not in ("connection", "keep-alive", "transfer-encoding", "content-length", "server", "date"):
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        conn.close()

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = forward


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
print(f"listening {server.server_address[1]}", flush=True)
server.serve_forever()
