#!/bin/sh
# Run the in-language policy tests, with a JUnit report. Usage: test.sh [POLICIES] [OUT.xml]
set -eu
# The sanction command; CI uses the installed binary, the tests run it from source.
SANCTION="${SANCTION:-npx --no-install sanction}"
policies="${1:-policies}"
out="${2:-sanction-junit.xml}"
mkdir -p "$(dirname "$out")"
$SANCTION test "$policies" --junit "$out"
