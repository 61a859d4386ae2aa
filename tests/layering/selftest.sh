#!/usr/bin/env bash
# The layering check can fail: on a small tree with one upward include and
# one misplaced library include it must exit 1 and name both files.
set -euo pipefail
checker="${1:?usage: selftest.sh CHECKER}"
tree="$(mktemp -d)"
trap 'rm -rf "$tree"' EXIT
mkdir -p "$tree/learning" "$tree/storage"
printf '#include "actors/node.h"\n' > "$tree/learning/bad.cc"
printf '#include <zmq.hpp>\n' > "$tree/storage/bad.cc"
printf '#include "common/status.h"\n' > "$tree/learning/good.cc"
if output="$("$checker" "$tree")"; then
  echo "selftest: the checker accepted a tree with violations"; exit 1
fi
grep -q "learning/bad.cc includes actors/" <<<"$output" || { echo "$output"; exit 1; }
grep -q "storage/bad.cc includes <zmq" <<<"$output" || { echo "$output"; exit 1; }
grep -q "good.cc" <<<"$output" && { echo "$output"; exit 1; }
echo "selftest: the checker reports both violations and nothing else"
