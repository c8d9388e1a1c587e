#!/usr/bin/env bash
# Installs, with apt-get, the Debian packages Wolfpack needs to build and test.
# Idempotent: only packages that are missing are installed, and apt-get update runs
# only when something is missing. Works as root and through sudo.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config ccache
  # links the Linux trees several times faster than GNU ld (CMakeLists.txt, WP_FAST_LINKER)
  lld
  libboost-dev libboost-system-dev
  libspdlog-dev libfmt-dev
  nlohmann-json3-dev
  catch2
  libsqlite3-dev sqlite3
  libssl-dev
  libcli11-dev
  python3
  clang-format
  # OCF resource agents (heartbeat/Dummy, ...) for the OCF Agent type and its tests
  resource-agents
  # `ip` and `unshare`: IP Address's real mode is tested in network namespaces
  iproute2 util-linux
  # The Windows cross-build (mingw-w64, POSIX threads for std::thread) and Wine to run its
  # smoke test headless (docs/windows.md)
  g++-mingw-w64-x86-64-posix
  wine wine64
)
# npm fetches the SQLite amalgamation for the Windows build from the npm registry
# (scripts/cmake/WolfpackWindowsSqlite.cmake), since Debian ships no mingw build of SQLite.
# Debian's package only where no npm is installed: Node.js from another source (NodeSource's
# nodejs) brings its own npm, and Debian's would conflict with it.
if ! command -v npm >/dev/null 2>&1; then
  packages+=(npm)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  sudo_cmd=()
elif command -v sudo >/dev/null 2>&1; then
  sudo_cmd=(sudo)
else
  echo "install-deps: missing packages (${missing[*]}) and not root, and sudo is not available" >&2
  exit 1
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
