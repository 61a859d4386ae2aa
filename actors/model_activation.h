// The node's durable record of its last model activation, so that the delta
// transform an activation chose reaches every partition exactly once, even
// across a kill -9 (docs/architecture.md, "Model switch and the deltas").
//
// The coordinator, for every activate / rollback that changes the version:
//   1. stores {activation number, version active before, transform} in the
//      node's meta (durable), BEFORE the registry changes;
//   2. changes the registry (activate or rollback);
//   3. sends every partition ModelSwitchInput{number, new version,
//      transform}, which each logs and applies once (a number at or below
//      its last is a duplicate).
// At start, ActivationToComplete() says whether step 2 happened for the
// stored record (the registry's active version differs from the one active
// before): then the switch is sent to every partition again and those that
// logged it already drop it. If step 2 did not happen (a crash or an error
// between 1 and 2), nothing was switched anywhere and nothing is sent.
//
// Plain C++ (no CAF). Thread safety: none needed (the coordinator owns it).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/status.h"
#include "learning/delta_transform.h"
#include "learning/partition_input.h"
#include "storage/node_meta.h"

namespace driftline {

struct ModelActivationRecord {
  uint64_t activation = 0;    // >= 1, rising with every activation
  std::string from_version;   // active before it ("" when none was)
  DeltaTransform deltas;
  bool operator==(const ModelActivationRecord& o) const {
    return activation == o.activation && from_version == o.from_version && deltas == o.deltas;
  }
};

// NodeMeta key of the record. Value: "<activation> <transform name> <from_version>"
// (learning/delta_transform.h names; the version is the rest of the value).
// DO NOT CHANGE: stored in data dirs.
inline constexpr char kModelActivationMetaKey[] = "model_activation";

std::string EncodeModelActivationRecord(const ModelActivationRecord& record);
// Corruption when `value` is not an encoded record.
Result<ModelActivationRecord> DecodeModelActivationRecord(const std::string& value);

// The stored record; nullopt when none was ever stored.
Result<std::optional<ModelActivationRecord>> LoadModelActivationRecord(storage::NodeMeta& meta);
Status StoreModelActivationRecord(storage::NodeMeta& meta, const ModelActivationRecord& record);

// The switch to send every partition at start, if the stored record's
// registry change happened (`active_version`, "" when none is active,
// differs from record.from_version); nullopt otherwise.
std::optional<ModelSwitchInput> ActivationToComplete(
    const std::optional<ModelActivationRecord>& record, const std::string& active_version);

}  // namespace driftline
