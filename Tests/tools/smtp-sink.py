#!/usr/bin/env python3
"""A real SMTP server for labctl's tests: aiosmtpd (Debian's python3-aiosmtpd) on
127.0.0.1, on a free port the OS picks.

Prints "READY <port>" once it accepts connections. Every accepted message is stored
as <n>.json ({"mail_from", "rcpt_tos", "data"}) in OUT_DIR, written before the
server answers 250, so a client that got 250 finds the file. Logins are logged to
OUT_DIR/auth.log as "<mechanism> <login> ok|failed" (never the password), with " (TLS)"
appended when the connection was encrypted at that moment.
With --tls-cert/--tls-key: --starttls offers STARTTLS and requires it before MAIL and AUTH
(AUTH is not even offered before it); --smtps speaks TLS from the first byte. With --user
either mode also requires a login before MAIL.
Stops when its standard input closes (the test ends) or on SIGTERM.
"""
import argparse
import asyncio
import json
import os
import signal
import ssl
import sys
import threading

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class Sink:
    def __init__(self, out_dir, reject):
        self.out_dir = out_dir
        self.reject = set(reject)
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.reject:
            return "550 5.1.1 <%s>: mailbox unavailable" % address
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        path = os.path.join(self.out_dir, "%d.json" % self.count)
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "data": envelope.original_content.decode("utf-8", "surrogateescape"),
        }
        with open(path + ".tmp", "w", encoding="utf-8") as f:
            json.dump(record, f)
        os.rename(path + ".tmp", path)
        return "250 2.0.0 queued as %d" % self.count


def authenticator(out_dir, user, password):
    def check(server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword)
              and auth_data.login == user.encode() and auth_data.password == password.encode())
        login = auth_data.login.decode("utf-8", "replace") if isinstance(auth_data, LoginPassword) else "?"
        encrypted = server.transport.get_extra_info("ssl_object") is not None
        with open(os.path.join(out_dir, "auth.log"), "a", encoding="utf-8") as f:
            f.write("%s %s %s%s\n" % (mechanism, login, "ok" if ok else "failed", " (TLS)" if encrypted else ""))
        # handled=False: the server itself answers 535 on failure.
        return AuthResult(success=ok, handled=False)
    return check


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out_dir")
    parser.add_argument("--reject", action="append", default=[], help="refuse this recipient with 550")
    parser.add_argument("--user")
    parser.add_argument("--password")
    parser.add_argument("--exclude-auth", action="append", default=[], help="do not offer this AUTH mechanism")
    parser.add_argument("--tls-cert", help="PEM certificate chain for --starttls/--smtps")
    parser.add_argument("--tls-key", help="PEM private key for --starttls/--smtps")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--starttls", action="store_true", help="offer and require STARTTLS")
    mode.add_argument("--smtps", action="store_true", help="TLS from the first byte")
    args = parser.parse_args()

    context = None
    if args.starttls or args.smtps:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.tls_cert, args.tls_key)

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    sink = Sink(args.out_dir, args.reject)
    options = {}
    if args.user is not None:
        # aiosmtpd's auth_require_tls only knows STARTTLS; under --smtps all is encrypted anyway.
        options = dict(authenticator=authenticator(args.out_dir, args.user, args.password or ""),
                       auth_require_tls=args.starttls, auth_required=args.starttls or args.smtps,
                       auth_exclude_mechanism=args.exclude_auth)
    if args.starttls:
        options.update(tls_context=context, require_starttls=True)
    server = loop.run_until_complete(loop.create_server(
        lambda: SMTP(sink, hostname="sink.test", **options), host="127.0.0.1", port=0,
        ssl=context if args.smtps else None))
    print("READY %d" % server.sockets[0].getsockname()[1], flush=True)

    def stop_when_stdin_closes():
        sys.stdin.read()
        loop.call_soon_threadsafe(loop.stop)

    threading.Thread(target=stop_when_stdin_closes, daemon=True).start()
    loop.add_signal_handler(signal.SIGTERM, loop.stop)
    loop.run_forever()
    server.close()


if __name__ == "__main__":
    main()
