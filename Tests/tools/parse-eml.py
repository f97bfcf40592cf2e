#!/usr/bin/env python3
"""Parses .eml files (or raw messages) with Python's own email package and prints,
per message, what a mail client would show: decoded headers and both alternatives.

Usage: parse-eml.py FILE...   prints a JSON list, one object per file.
"""
import email
import email.policy
import json
import sys


def describe(raw):
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    parts = []
    for part in msg.walk():
        if part.is_multipart():
            continue
        parts.append({
            "type": part.get_content_type(),
            "charset": part.get_content_charset(),
            "transfer_encoding": part.get("Content-Transfer-Encoding"),
            "body": part.get_content(),
        })
    to = msg["To"]
    return {
        "from": str(msg["From"]),
        "to": str(to),
        "to_display_name": to.addresses[0].display_name if to is not None else None,
        "to_address": to.addresses[0].addr_spec if to is not None else None,
        "reply_to": str(msg["Reply-To"]) if msg["Reply-To"] else None,
        "subject": str(msg["Subject"]),
        "date": str(msg["Date"]),
        "date_parsed": msg["Date"].datetime.isoformat() if msg["Date"] else None,
        "message_id": str(msg["Message-ID"]),
        "mime_version": str(msg["MIME-Version"]),
        "content_type": msg.get_content_type(),
        "parts": parts,
        "defects": [type(d).__name__ for d in msg.defects]
                   + [type(d).__name__ for p in msg.walk() for d in p.defects],
    }


print(json.dumps([describe(open(path, "rb").read()) for path in sys.argv[1:]]))
