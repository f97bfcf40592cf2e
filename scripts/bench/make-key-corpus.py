#!/usr/bin/env python3
"""Writes N public key files for benchmarks: mostly valid ed25519 keys, plus
about 5% broken or refused inputs (RSA, truncated, wrong inner type, private
keys), so both tools must really decide. Usage: make-key-corpus.py DIR N"""
import base64, os, random, struct, sys
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa

out, n = sys.argv[1], int(sys.argv[2])
os.makedirs(out, exist_ok=True)
rng = random.Random(42)
rsa_line = rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key().public_bytes(
    serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH).decode()
priv = ed25519.Ed25519PrivateKey.generate().private_bytes(
    serialization.Encoding.PEM, serialization.PrivateFormat.OpenSSH, serialization.NoEncryption()).decode()

def sshstr(b):
    return struct.pack(">I", len(b)) + b

for i in range(n):
    line = ed25519.Ed25519PrivateKey.generate().public_key().public_bytes(
        serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH).decode() + f" user{i}@laptop"
    kind = rng.random()
    if kind < 0.01:
        text = rsa_line + "\n"
    elif kind < 0.02:
        t, b, c = line.split(" ", 2)
        text = f"{t} {b[:-6]} {c}\n"
    elif kind < 0.03:
        raw = base64.b64decode(line.split(" ")[1])
        text = "ssh-ed25519 " + base64.b64encode(sshstr(b"ssh-rsa") + raw[19:]).decode() + "\n"
    elif kind < 0.04:
        text = priv
    elif kind < 0.05:
        text = line + "\r\n"  # CRLF: both accept
    else:
        text = line + "\n"
    with open(os.path.join(out, f"p{i:05d}.pub"), "w") as f:
        f.write(text)
