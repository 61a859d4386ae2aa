// Spawning driftline's actors. Only actors/ and the node include this (CAF).
//
//   endpoint thread --client requests--> router --scores/ingest--> partitions
//                   --admin requests---> coordinator --model/stall--> router, partitions
//   partitions --arm updates--> partitions
//   router, coordinator --replies--> ReplySink (the endpoint's socket)
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>

#include "actors/model_slot.h"
#include "actors/open_predicts.h"
#include "actors/partition_journal.h"
#include "actors/reply_sink.h"
#include "learning/beta_bernoulli.h"
#include "learning/online_options.h"
#include "protocol/messages.h"
#include "storage/event_log.h"
#include "storage/model_registry.h"
#include "storage/node_meta.h"

namespace driftline {

// A partition actor owning `journal` (already recovered). Once sent
// (redeliver_atom, true) it sends every unconfirmed arm update, then every
// `redeliver_every` those unconfirmed for a whole period.
caf::actor SpawnPartition(caf::actor_system& system, std::shared_ptr<PartitionJournal> journal,
                          std::chrono::milliseconds redeliver_every);

struct RouterConfig {
  OnlineOptions online;            // delta hashing must match the partitions'
  uint32_t default_deadline_ms = 5;  // predict deadline when a request gives none. Default: 5
  uint64_t seed = 1;               // the router's Rng (exploration draws). Default: 1
  BetaPriorOptions prior;          // Thompson-sampling warm prior. Default: strength 10
  uint32_t ingest_timeout_ms = 60'000;  // a partition must log a batch within this. Default: 60 s
  // Event batches being worked on at once; more are refused as Unavailable
  // ("node busy", the client resends), so no client can grow the node's
  // queues without bound. Default: 64
  uint32_t max_batches_in_flight = 64;
  ReplySink* sink = nullptr;       // REQUIRES: outlives the router
  // The endpoint's table of open predicts: the router claims each predict
  // before answering it (the deadline answer may have left already) and
  // reports when it is done with it. REQUIRES: set, outlives the router.
  OpenPredicts* open_predicts = nullptr;
  // Where the router publishes the active model for the endpoint's base-only
  // answers. May be null (tests of the router alone). Default: none
  ModelSlot* model_slot = nullptr;
  // Share of a predict's deadline spent gathering the partitions' parts; the
  // rest is for logging the prediction before the reply. Default: 0.8
  double gather_share = 0.8;
  // Requests (reads and predictions to log) the router keeps outstanding at
  // one partition; beyond it the partition counts as late for the predict
  // (base-only parts, or an unjoinable reply), so a slow partition's mailbox
  // cannot grow without bound. Default: 32
  uint32_t max_partition_backlog = 32;
  // When set (fsync durability), a batch is acknowledged only after this
  // actor fsynced the log: one fsync per batch, not one per partition share.
  // Default: none (acknowledged once in RocksDB's WAL).
  caf::actor syncer;
};

// An actor on its own thread that answers `sync_atom` with "" after
// log.Sync() succeeded, or the error. REQUIRES: `log` outlives it.
caf::actor SpawnSyncer(caf::actor_system& system, storage::EventLog* log);

// The router: answers predict requests (base scores itself, deltas from the
// partitions within the deadline, base-only fallback when they miss it; the
// prediction logged at the user's partition before the reply) and
// splits event batches by partition, acknowledging after every partition
// logged its share.
caf::actor SpawnRouter(caf::actor_system& system, const RouterConfig& config,
                       std::vector<caf::actor> partitions);

struct CoordinatorConfig {
  storage::ModelRegistry* registry = nullptr;  // REQUIRES: outlives the coordinator
  // Where the last activation's record lives (actors/model_activation.h).
  // Null: no record (a crash can then leave a delta transform unapplied).
  // REQUIRES: outlives the coordinator. Default: none
  storage::NodeMeta* meta = nullptr;
  ReplySink* sink = nullptr;                   // REQUIRES: outlives the coordinator
  bool allow_fault_injection = false;          // accept StallPartition. Default: false
  uint32_t partitions = 0;
  // Counters of the client endpoint (bad frames and the like), added to status.
  std::function<std::vector<Counter>()> endpoint_counters;
};

// The coordinator: model registry (register, activate, rollback), the switch
// of the router and every partition to the active model, status, fault
// injection. Activates the registry's active model (if any) at start.
caf::actor SpawnCoordinator(caf::actor_system& system, const CoordinatorConfig& config,
                            caf::actor router, std::vector<caf::actor> partitions);

}  // namespace driftline
