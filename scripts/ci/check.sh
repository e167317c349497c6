#!/bin/sh
# Check the policies and write SARIF for code scanning. Usage: check.sh [POLICIES] [OUT.sarif]
# Exit status: that of `sanction check` (0 clean, 1 errors, 2 usage or I/O).
set -u
# The sanction command; CI uses the installed binary, the tests run it from source.
SANCTION="${SANCTION:-npx --no-install sanction}"
policies="${1:-policies}"
out="${2:-sanction.sarif}"
mkdir -p "$(dirname "$out")"
$SANCTION check "$policies" --format sarif > "$out"
status=$?
$SANCTION check "$policies" >&2 || true
exit $status
