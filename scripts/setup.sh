#!/usr/bin/env bash
# Installs what labctl and its tests need on a Debian machine; safe to re-run.
# Swift 6.x and terraform are expected on PATH (they are on the lab machines).
set -euo pipefail
# cloud-init and shellcheck: scripts/tf-userdata-check.sh checks the rendered node user data with them.
# nginx: TrustedProxyTests run Debian's nginx (as the test user, temp prefix, loopback) in front of labctl serve.
# libssl-dev: scripts/bench/post-load.c speaks TLS (OpenSSL) for the intake bench's HTTPS figures.
# openssl, curl: HTTPSTests make a test CA with the openssl CLI and check labctl serve's HTTPS with curl and s_client.
apt_packages=(libssh2-1-dev libsqlite3-dev openssh-server pssh wrk hyperfine python3-aiosmtpd poppler-utils chromium fonts-dejavu-core cloud-init shellcheck systemd nginx libssl-dev openssl curl)
missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo_cmd=""; [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  echo "setup: installing ${missing[*]}"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
fi
python3 -c 'import moto.server, boto3, cryptography, yaml' 2>/dev/null || python3 -m pip install -q 'moto[server]' boto3 cryptography pyyaml
command -v moto_server >/dev/null || python3 -m pip install -q 'moto[server]'
# The intake browser test drives headless Chromium over the DevTools protocol.
python3 -c 'import websocket' 2>/dev/null || python3 -m pip install -q websocket-client
for tool in swift terraform ssh-keygen; do
  command -v "$tool" >/dev/null || { echo "setup: $tool is not on PATH; install it first" >&2; exit 2; }
done
