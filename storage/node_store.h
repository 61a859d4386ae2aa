// NodeStore: everything one node keeps on disk, as four interfaces.
//
// Implementations: RocksNodeStore (one RocksDB per node, rocks_node_store.h)
// and MemoryNodeStore (in-memory twin for tests, memory_node_store.h).
//
// Ownership: the NodeStore owns the four parts; references returned by the
// accessors stay valid for the NodeStore's lifetime.
// Thread safety: the accessors and the parts are safe from any thread.
#pragma once

#include "storage/checkpoint_store.h"
#include "storage/event_log.h"
#include "storage/model_registry.h"
#include "storage/node_meta.h"
#include "storage/storage_counters.h"

namespace driftline::storage {

class NodeStore {
 public:
  virtual ~NodeStore() = default;

  virtual EventLog& events() = 0;
  virtual CheckpointStore& checkpoints() = 0;
  virtual ModelRegistry& models() = 0;
  virtual NodeMeta& meta() = 0;
  // The store's health counters (all zero for a store that cannot fail).
  virtual StorageCounters counters() = 0;
};

}  // namespace driftline::storage
