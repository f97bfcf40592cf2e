#!/usr/bin/env python3
"""A stand-in for the EC2 instance metadata service (IMDSv2, tags enabled) for the
dead-man switch's tests, on 127.0.0.1 and a free port the OS picks.

    PUT /latest/api/token                      needs X-aws-ec2-metadata-token-ttl-seconds
                                               (400 without, as EC2); answers a new token
    GET /latest/meta-data/tags/instance/<Key>  needs a token it handed out (401 without);
                                               the tag's value, or 404 when it has none

The tags are read from DIR/tags.json ({"Key": "value"}) at every request, so a test
moves a tag by rewriting that file. Every request is logged to DIR/requests.log as
"<method> <path> <status>". Prints "READY <port>" once it listens; stops when its
standard input closes (the test ends) or on SIGTERM.
"""
import http.server
import json
import os
import secrets
import signal
import sys
import threading

TAG_PREFIX = "/latest/meta-data/tags/instance/"


def make_handler(directory, tokens):
    class Handler(http.server.BaseHTTPRequestHandler):
        def answer(self, status, body=""):
            data = body.encode()
            self.send_response(status)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            with open(os.path.join(directory, "requests.log"), "a", encoding="utf-8") as f:
                f.write("%s %s %d\n" % (self.command, self.path, status))

        def do_PUT(self):
            if self.path != "/latest/api/token":
                return self.answer(404)
            if not self.headers.get("X-aws-ec2-metadata-token-ttl-seconds"):
                return self.answer(400)
            token = secrets.token_urlsafe(24)
            tokens.add(token)
            self.answer(200, token)

        def do_GET(self):
            if self.headers.get("X-aws-ec2-metadata-token") not in tokens:
                return self.answer(401)
            if not self.path.startswith(TAG_PREFIX):
                return self.answer(404)
            try:
                with open(os.path.join(directory, "tags.json"), encoding="utf-8") as f:
                    tags = json.load(f)
            except FileNotFoundError:
                tags = {}
            key = self.path[len(TAG_PREFIX):]
            if key not in tags:
                return self.answer(404)
            self.answer(200, tags[key])

        def log_message(self, *args):
            pass

    return Handler


def main():
    directory = sys.argv[1]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), make_handler(directory, set()))
    print("READY %d" % server.server_address[1], flush=True)

    def stop_when_stdin_closes():
        sys.stdin.read()
        server.shutdown()

    threading.Thread(target=stop_when_stdin_closes, daemon=True).start()
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    server.serve_forever()
    server.server_close()


if __name__ == "__main__":
    main()
