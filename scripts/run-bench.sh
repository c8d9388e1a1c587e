#!/usr/bin/env bash
# Runs every benchmark in the build tree; each prints one JSON object.
set -euo pipefail
build="${1:-build}"
for b in resmon_poll api_latency; do
  echo ">>> bench/$b" >&2
  "$build/bench/$b"
done
