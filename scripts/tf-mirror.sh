# Sourced by the scripts: sets LABCTL_TF_PLUGIN_DIR to the machine's Terraform
# provider mirror unless it is already set. The mirror is found, not assumed: the
# root above registry.terraform.io/hashicorp/aws/<version>/<os_arch>/terraform-provider-aws_*.
if [ -z "${LABCTL_TF_PLUGIN_DIR:-}" ]; then
  for base in /opt /usr/local/share /usr/share "$HOME/.terraform.d"; do
    [ -d "$base" ] || continue
    provider=$(find "$base" -maxdepth 7 -name 'terraform-provider-aws_*' -path '*registry.terraform.io/hashicorp/aws/*' 2>/dev/null | head -n 1)
    if [ -n "$provider" ]; then
      LABCTL_TF_PLUGIN_DIR="${provider%%/registry.terraform.io/*}"
      export LABCTL_TF_PLUGIN_DIR
      break
    fi
  done
fi
if [ -z "${LABCTL_TF_PLUGIN_DIR:-}" ]; then
  echo "note: no local Terraform provider mirror found; terraform init will use the registry (set LABCTL_TF_PLUGIN_DIR to a mirror)" >&2
fi
