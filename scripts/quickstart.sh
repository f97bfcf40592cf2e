#!/usr/bin/env bash
# labctl's main job on the embedded default (SQLite in .labctl/, this folder as the lab):
# create an example session, import the example participants' keys, list them.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build --product labctl 2>&1 | tail -n 1
labctl=.build/debug/labctl
# SSH from a documentation range: a real class gives its room's public range.
[ -f sessions/example.tfvars ] || "$labctl" create-config example --workers 1 --ssh-from 203.0.113.0/24
"$labctl" keys check participants/example/*.pub
"$labctl" keys import example
"$labctl" keys list example
"$labctl" list
