#!/usr/bin/env python3
"""An HTTP endpoint whose clock is off: answers every request 400 with a Date header
OFFSET seconds from this machine's time (argv[1]), as an AWS endpoint would refuse an
unsigned request. Prints "READY <port>" once it listens on 127.0.0.1; stops when its
stdin closes or on SIGTERM."""
import email.utils, http.server, signal, sys, threading, time

OFFSET = float(sys.argv[1])


class Handler(http.server.BaseHTTPRequestHandler):
    def answer(self):
        body = b"<Response><Errors><Error><Code>MissingAuthenticationToken</Code></Error></Errors></Response>"
        self.send_response_only(400)
        self.send_header("Date", email.utils.formatdate(time.time() + OFFSET, usegmt=True))
        self.send_header("Content-Type", "text/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_HEAD = answer

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print("READY %d" % server.server_address[1], flush=True)
threading.Thread(target=lambda: (sys.stdin.read(), server.shutdown()), daemon=True).start()
signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
server.serve_forever()
server.server_close()
