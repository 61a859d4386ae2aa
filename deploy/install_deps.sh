#!/usr/bin/env bash
# Installs what driftline needs to build and test, from Debian 12's packages.
# Idempotent: installs only what is missing, says what it does.
set -euo pipefail

packages=(
  g++ cmake ninja-build pkg-config ccache
  libcaf-dev libzmq3-dev cppzmq-dev capnproto libcapnp-dev
  libeigen3-dev librocksdb-dev catch2 libssl-dev
)
[ "${1:-}" = "--with-clang" ] && packages+=(clang libclang-rt-dev)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "[deps] all ${#packages[@]} packages present"
  exit 0
fi
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
echo "[deps] installing: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "[deps] installed ${#missing[@]} packages"
