#!/usr/bin/env bash
# The layering check can fail: on a small tree with one upward include and
# misplaced library includes (ZeroMQ in storage/, libcurl in a cluster/ header) it must exit 1 and name each file.
set -euo pipefail
checker="${1:?usage: selftest.sh CHECKER}"
tree="$(mktemp -d)"
trap 'rm -rf "$tree"' EXIT
mkdir -p "$tree/learning" "$tree/storage" "$tree/cluster"
printf '#include "actors/node.h"\n' > "$tree/learning/bad.cc"
printf '#include <zmq.hpp>\n' > "$tree/storage/bad.cc"
printf '#include "common/status.h"\n' > "$tree/learning/good.cc"
printf '#include <curl/curl.h>\n' > "$tree/cluster/membership.h"
printf '#include <curl/curl.h>\n' > "$tree/cluster/etcd_http.cc"
if output="$("$checker" "$tree")"; then
  echo "selftest: the checker accepted a tree with violations"; exit 1
fi
grep -q "learning/bad.cc includes actors/" <<<"$output" || { echo "$output"; exit 1; }
grep -q "storage/bad.cc includes <zmq" <<<"$output" || { echo "$output"; exit 1; }
grep -q "cluster/membership.h includes <curl" <<<"$output" || { echo "$output"; exit 1; }
grep -qE "good.cc|etcd_http.cc includes" <<<"$output" && { echo "$output"; exit 1; }
echo "selftest: the checker reports the three violations and nothing else"
