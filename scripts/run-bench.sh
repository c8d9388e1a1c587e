#!/usr/bin/env bash
# Runs every benchmark in the build tree; each prints one JSON object. The multi-node ones
# (move .. scale) start real clusters on this machine and take a few minutes together.
set -euo pipefail
build="${1:-build}"
for b in resmon_poll api_latency sim move gum failover cold_start scale; do
  echo ">>> bench/$b" >&2
  "$build/bench/$b"
done
# The same takeover after a clean stop (leave) instead of a crash.
echo ">>> bench/failover --stop" >&2
"$build/bench/failover" --stop
