#!/usr/bin/env bash
# The layering of README.md's table, checked on every source file: each
# folder includes only the project folders and third-party libraries it may
# depend on. Exit 1 with every violation listed, 0 when the tree is clean.
# Usage: check_layering.sh SOURCE_DIR
set -euo pipefail
root="${1:?usage: check_layering.sh SOURCE_DIR}"
cd "$root"

# folder -> the project folders its files may include (itself included).
declare -A allowed=(
  [common]="common"
  [learning]="common learning"
  [protocol]="common learning protocol"
  [storage]="common storage"
  [cluster]="common cluster"
  [actors]="common learning protocol storage cluster actors"
  [client]="common learning protocol cluster client"
  [cli]="common learning protocol storage cluster actors client cli"
  [bench]="common learning protocol storage cluster bench"
)
# third-party library -> the only places that may include it.
declare -A owners=(
  [caf]="actors/"
  [zmq]="cluster/zmq_"
  [rocksdb]="storage/"
  [capnp]="protocol/codec protocol/fuzz/"
  [kj]="protocol/codec protocol/fuzz/"
  [Eigen]="learning/"
  [openssl]="protocol/sha256.cc"
  [curl]="cluster/etcd_http.cc"
  [nlohmann]="cluster/etcd_json cluster/stored_json.h cluster/member_info.cc cluster/coordinator_election.cc cluster/partition_map.cc"
)

violations=0
report() { echo "layering: $1"; violations=$((violations + 1)); }

for folder in "${!allowed[@]}"; do
  [ -d "$folder" ] || continue
  while IFS= read -r file; do
    while IFS= read -r dep; do
      [[ " ${allowed[$folder]} " == *" $dep "* ]] ||
        report "$file includes $dep/ (allowed for $folder/: ${allowed[$folder]})"
    done < <(grep -oE '^#include "[a-z_]+/' "$file" | sed -E 's/#include "([a-z_]+)\//\1/' | sort -u)
  done < <(find "$folder" -name '*.h' -o -name '*.cc' | sort)
done

for lib in "${!owners[@]}"; do
  while IFS= read -r file; do
    ok=0
    for prefix in ${owners[$lib]}; do [[ "$file" == "$prefix"* ]] && ok=1; done
    [ "$ok" = 1 ] || report "$file includes <$lib...> (only ${owners[$lib]} may)"
  done < <(grep -rlE "^#include <$lib[/.>]" --include='*.h' --include='*.cc' \
             common learning protocol storage cluster actors client cli bench 2>/dev/null | sort)
done

if [ "$violations" -gt 0 ]; then
  echo "layering: $violations violation(s); see the layout table in README.md"
  exit 1
fi
echo "layering: clean"
