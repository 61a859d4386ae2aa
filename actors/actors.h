// Spawning driftline's actors. Only actors/ and the node include this (CAF).
//
//   endpoint thread --client requests--> router --scores/ingest--> partitions
//                   --admin requests---> coordinator --model/stall--> router, partitions
//   partitions --arm updates--> partitions
//   router, coordinator --replies--> ReplySink (the endpoint's socket)
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>

#include "actors/model_slot.h"
#include "actors/open_predicts.h"
#include "actors/partition_journal.h"
#include "actors/reply_sink.h"
#include "cluster/epoch_fence.h"
#include "cluster/partition_owners.h"
#include "cluster/transport.h"
#include "learning/beta_bernoulli.h"
#include "learning/online_options.h"
#include "protocol/messages.h"
#include "storage/event_log.h"
#include "storage/model_registry.h"
#include "storage/node_meta.h"

namespace driftline {

// The node's log writer: a detached actor (a thread of its own, at nice
// `nice`: 0 leaves the priority unchanged; a refusal is logged once to `log`)
// that encodes and appends the inputs partitions prepared and answers each
// AppendRequest with an AppendOutcome once the append returned. Its mailbox
// is bounded by the partitions: each has at most one append outstanding at a
// writer.
// REQUIRES: `events` and `log` outlive it.
caf::actor SpawnLogWriter(caf::actor_system& system, storage::EventLog* events, int nice,
                          std::ostream* log);

// A partition actor owning `journal` (already recovered). Its appends go to
// two log writers (SpawnLogWriter), at most one append in flight at each:
// predictions to log to `prediction_writer`, everything else (ingest shares,
// arm updates) to `ingest_writer`; what was logged is applied in log order.
// Reads are served meanwhile. Once sent (redeliver_atom, true) it sends
// every unconfirmed arm update, then every `redeliver_every` those
// unconfirmed for a whole period.
// `ingest_appends_outstanding` is shared by every partition of the node (each
// counts its appends at the ingest writer): while it is 0, a partition logs
// predictions on its own thread (no ingest write for them to wait behind).
caf::actor SpawnPartition(caf::actor_system& system, std::shared_ptr<PartitionJournal> journal,
                          caf::actor ingest_writer, caf::actor prediction_writer,
                          std::shared_ptr<std::atomic<int64_t>> ingest_appends_outstanding,
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
  // How long status waits for the router's and the partitions' counters;
  // then it answers with those that came (the rest counted in
  // status_unanswered_actors). Well below a client's timeout (2-5 s), so a
  // busy actor never turns a status request into no answer. Default: 500
  uint32_t status_gather_ms = 500;
};

// The coordinator: model registry (register, activate, rollback), the switch
// of the router and every partition to the active model, status, fault
// injection. Activates the registry's active model (if any) at start.
caf::actor SpawnCoordinator(caf::actor_system& system, const CoordinatorConfig& config,
                            caf::actor router, std::vector<caf::actor> partitions);

// ---- the cluster (docs/cluster.md) -------------------------------------------

class RemoteShards;

struct RemotePartitionConfig {
  uint32_t partition = 0;
  RemoteShards* shards = nullptr;  // REQUIRES: set, outlives the actor
  // A request without an answer this long fails (a read: a missed part; an
  // append: an error for the client). Default: 2000 ms
  std::chrono::milliseconds timeout{2000};
  // While the owning shard is unreachable, how often it is probed. Default: 200 ms
  std::chrono::milliseconds probe_every{200};
};

// The handle on a partition another process's shard owns: takes what a local
// partition actor takes and forwards it over the cluster wire
// (actors/remote_partition.cc).
caf::actor SpawnRemotePartition(caf::actor_system& system, const RemotePartitionConfig& config);

struct ShardServerConfig {
  // REQUIRES: every pointer set and outliving the actor.
  cluster::EpochFence* fence = nullptr;             // the partitions this shard owns, by epoch
  const cluster::PartitionOwners* owners = nullptr;  // the map (the senders' epochs)
  cluster::ServerSocket* socket = nullptr;           // where the replies go (Send is thread-safe)
};

// Serves the cluster wire for the partitions this process owns: each
// message is fenced by (partition, epoch) (a refusal says which epochs), then
// handed to the partition actor (`partitions[p]`, a local actor for every
// partition the fence owns), whose answer is encoded back to the peer.
caf::actor SpawnShardServer(caf::actor_system& system, const ShardServerConfig& config,
                            std::vector<caf::actor> partitions);

}  // namespace driftline
