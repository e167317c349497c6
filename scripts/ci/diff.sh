#!/bin/sh
# What the change does, as Markdown for a pull-request comment: the policy diff over the
# traffic and the indicator changes against the base branch.
# Usage: diff.sh BASE_POLICIES POLICIES TRAFFIC OUT.md
set -eu
# The sanction command; CI uses the installed binary, the tests run it from source.
SANCTION="${SANCTION:-npx --no-install sanction}"
base="$1"
policies="$2"
traffic="$3"
out="$4"
mkdir -p "$(dirname "$out")"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
{
  echo "## Sanction: what this change does"
  echo
  $SANCTION diff --base "$base" "$policies" --traffic "$traffic" --format md
  echo
  echo "### Defender indicators"
  echo
  $SANCTION indicators "$base" --target mde-csv -o "$tmp/base" --output-root "$tmp" 2>/dev/null
  echo '```diff'
  $SANCTION indicators "$policies" --target mde-csv --diff "$tmp/base" 2>/dev/null
  echo '```'
} > "$out"
echo "wrote $out" >&2
