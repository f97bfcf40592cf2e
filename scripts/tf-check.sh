#!/usr/bin/env bash
# Static checks of terraform/: fmt -check and validate of every stack (offline
# with LABCTL_TF_PLUGIN_DIR). Works on a temporary copy so the tree stays clean.
set -euo pipefail
cd "$(dirname "$0")/.."
terraform fmt -check -recursive terraform
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cp -R terraform "$tmp/tf"
find "$tmp/tf" \( -name .terraform -o -name terraform.tfstate.d \) -prune -exec rm -rf {} +
# Offline machines must name the provider mirror; online ones opt in to the registry.
if [ -n "${LABCTL_TF_PLUGIN_DIR:-}" ]; then
  plugin_args=("-plugin-dir=$LABCTL_TF_PLUGIN_DIR")
elif [ "${LABCTL_TF_ONLINE:-}" = 1 ]; then
  plugin_args=()
else
  echo "tf-check: set LABCTL_TF_PLUGIN_DIR to the provider mirror (or LABCTL_TF_ONLINE=1 to use the registry)" >&2
  exit 2
fi
for stack in network session preflight sweep; do
  TF_CLI_CONFIG_FILE=/dev/null terraform -chdir="$tmp/tf/$stack" init -backend=false -input=false -no-color "${plugin_args[@]}" >/dev/null
  TF_CLI_CONFIG_FILE=/dev/null terraform -chdir="$tmp/tf/$stack" validate -no-color
done
