#!/usr/bin/env bash
# Runs every benchmark in the build tree; each prints one JSON object. The multi-node ones
# (move .. scale) start real clusters on this machine and take a few minutes together. A
# benchmark that fails does not stop the others: the failures are listed at the end, and the
# exit status is 1 when there was one.
set -uo pipefail
build="${1:-build}"
failed=()
run() {
  echo ">>> bench/$*" >&2
  if ! "$build/bench/$@"; then
    failed+=("$*")
    echo ">>> bench/$* FAILED" >&2
  fi
}
for b in resmon_poll api_latency sim move gum failover cold_start scale; do
  run "$b"
done
# The same takeover after a clean stop (leave) instead of a crash.
run failover --stop
if ((${#failed[@]})); then
  echo "failed benchmarks: ${failed[*]}" >&2
  exit 1
fi
