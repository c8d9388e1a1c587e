#!/usr/bin/env bash
# `make test`: the release tree built and tested, then the sanitizer tree, then the Windows
# smoke test under Wine; the first failure stops it, as make would.
#
# The Windows tree is built in the background at the lowest CPU priority (nice 19) while the
# Linux trees' tests run. Those tests spend much of their time waiting on timers and on the
# processes they start: on the 2-core machine the release tests kept the cores 51% busy and
# the sanitizer tests 56%, and the cross-build fills that idle time instead of adding two
# minutes at the end. At nice 19 it only gets CPU that nothing else wants, so it does not slow
# the tests' processes down. It stays in this session (no setsid): with the kernel's autogroup
# scheduling, a separate session would get a fair share of the CPU whatever its nice value.
set -uo pipefail

make_cmd=${MAKE:-make}
build_dir=${BUILD:-build}
windows_pid=""
windows_log="$build_dir/windows-build.log"
windows_rc="$build_dir/windows-build.rc"

stop_windows_build() {
  if [ -n "$windows_pid" ]; then
    kill -- -"$windows_pid" 2>/dev/null
    # A job stopped by the terminal keeps a pending SIGTERM until it runs again.
    kill -CONT -- -"$windows_pid" 2>/dev/null
    wait "$windows_pid" 2>/dev/null
    windows_pid=""
  fi
}
trap stop_windows_build EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

fail() {
  echo "make test: $1" >&2
  exit 1
}

"$make_cmd" --no-print-directory build || fail "the release build failed"

if command -v x86_64-w64-mingw32-g++-posix >/dev/null && [ -x /usr/lib/wine/wine64 ]; then
  rm -f "$windows_rc"
  # Its own process group (job control), so that a failure elsewhere stops all of it.
  set -m
  # No terminal input: a background job that read it (a sudo prompt) would be stopped.
  (nice -n 19 "$make_cmd" --no-print-directory windows </dev/null >"$windows_log" 2>&1
   echo $? >"$windows_rc") &
  windows_pid=$!
  set +m
  echo "make test: building the Windows tree in the background (log: $windows_log)"
fi

# The Makefile's own targets run the tests (their builds are done by now and do nothing).
"$make_cmd" --no-print-directory test-release || fail "release tree tests failed"
"$make_cmd" --no-print-directory test-asan || fail "sanitizer tree failed"

if [ -n "$windows_pid" ]; then
  wait "$windows_pid"
  windows_pid=""
  if [ "$(cat "$windows_rc" 2>/dev/null)" != "0" ]; then
    cat "$windows_log" >&2
    fail "the Windows build failed (log above)"
  fi
fi
# Says it skipped where mingw-w64 or Wine is missing.
"$make_cmd" --no-print-directory test-windows || fail "Windows smoke tests failed"
