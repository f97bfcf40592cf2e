# Sourced by the provisioning benchmarks (provision.sh, apply-scale.sh): the emulator
# environment for labctl and terraform, and a fresh lab with a copy of terraform/
# (no state, plugins or lock file). Needs repo, work and port (moto's loopback port);
# sets ami (the fixture's Ubuntu image) and lab, and changes into the lab.
export AWS_ENDPOINT_URL="http://127.0.0.1:$port" AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=eu-west-1
export TF_VAR_skip_credentials_validation=true TF_VAR_skip_requesting_account_id=true TF_VAR_skip_metadata_api_check=true
. "$repo/scripts/tf-mirror.sh"
export TF_CLI_CONFIG_FILE=/dev/null NO_COLOR=1
ami=$(python3 -c "import json;print(json.load(open('$repo/Tests/terraform-fixtures/moto-amis.json'))[0]['ami_id'])")

lab="$work/lab"; mkdir -p "$lab/sessions"
cp -R "$repo/terraform" "$lab/terraform"
find "$lab/terraform" \( -name .terraform -o -name terraform.tfstate.d \) -prune -exec rm -rf {} + ; find "$lab/terraform" -name '.terraform.lock.hcl' -delete
cd "$lab"
