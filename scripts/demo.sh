#!/usr/bin/env bash
# The foundation demo: one Dummy resource in the standalone harness. It comes online through a
# pending operation with progress reports, is polled, then is failed from outside by creating its
# FailFile; the harness shows the failure being detected and the resource being terminated.
set -euo pipefail
build="${1:-build}"
fail_file="$(mktemp -u /tmp/wolfpack-demo-fail.XXXXXX)"
trap 'rm -f "$fail_file"' EXIT
( sleep 4; echo ">>> demo: creating $fail_file to fail the resource" >&2; touch "$fail_file" ) &
echo ">>> demo: $build/bin/resrcmon --standalone --plugin $build/plugins/wp_dummy.so --type Dummy --name DemoResource ..." >&2
set +e
"$build/bin/resrcmon" --standalone --plugin "$build/plugins/wp_dummy.so" --type Dummy \
  --name DemoResource --param OnlineDelayMs=1500 --param Pending=1 --param PendingProgressMs=300 \
  --param "FailFile=$fail_file" --looks-alive-ms 500 --is-alive-ms 2000 --hold 10
rc=$?
set -e
echo ">>> demo: harness exited with $rc (0 = clean, 1 = the resource failed, as it should here)" >&2
wait
exit 0
