#!/bin/sh
# Write every indicator target into one folder, to publish as a build artifact.
# Usage: indicators.sh POLICIES OUT_DIR [TRAFFIC]
set -eu
# The sanction command; CI uses the installed binary, the tests run it from source.
SANCTION="${SANCTION:-npx --no-install sanction}"
policies="$1"
out="$2"
traffic="${3:-}"
mkdir -p "$out"
set --
if [ -n "$traffic" ]; then set -- --traffic "$traffic"; fi
for target in mde-json mde-csv; do
  $SANCTION indicators "$policies" "$@" --target "$target" -o "$out/$target"
done
$SANCTION indicators "$policies" "$@" --target rpz -o "$out/sanction.rpz"
$SANCTION indicators "$policies" "$@" --target hosts -o "$out/hosts"
$SANCTION indicators "$policies" "$@" --target dnsmasq -o "$out/sanction-dnsmasq.conf"
$SANCTION indicators "$policies" "$@" --target unbound -o "$out/sanction-unbound.conf"
$SANCTION indicators "$policies" "$@" --target squid -o "$out/sanction-squid.conf"
$SANCTION indicators "$policies" "$@" --target chrome -o "$out/chrome-policy.json"
$SANCTION indicators "$policies" "$@" --target firefox -o "$out/firefox-policies.json"
$SANCTION indicators "$policies" "$@" --target stix -o "$out/sanction.stix.json"
ls -1 "$out" >&2
