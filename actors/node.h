// A driftline node: one process hosting the router, the partition learners
// and the coordinator (the embedded deployment), serving clients on a
// ZeroMQ ROUTER endpoint, with its state in one RocksDB under --data-dir.
// No CAF in this header: the CLI's `node` command is its only user.
//
// Start() opens the store, fixes the partition count, the online options and
// the seed on first use (stored in the node's meta; later starts must agree), recovers every partition from
// its latest checkpoint plus the log after it, activates the registry's active
// model, binds the endpoint and starts serving. Stop() stops taking requests,
// checkpoints every partition, stops the actors and closes the store.
//
// Thread safety: Start and Stop from one thread; Stop is idempotent and is
// also run by the destructor.
#pragma once

#include <cstdint>
#include <memory>
#include <ostream>
#include <string>

#include "cluster/partition_owners.h"
#include "cluster/transport.h"
#include "storage/node_store.h"
#include "common/status.h"
#include "learning/online_options.h"

namespace driftline {

struct NodeOptions {
  std::string data_dir;                         // REQUIRED
  std::string listen = "tcp://127.0.0.1:7400";  // client endpoint. Default: tcp://127.0.0.1:7400
  // Partitions of a new data dir; an existing one keeps its own, and a
  // different explicit value is an error. 0: the existing count, or 16 for a
  // new dir. Default: 0
  uint32_t partitions = 0;
  bool fsync = false;                 // fsync every acknowledged batch. Default: false (WAL only)
  uint32_t default_deadline_ms = 5;   // predict deadline when a request gives none. Default: 5
  OnlineOptions online;               // delta layers, pending wait, default label...
  uint64_t seed = 1;                  // seeds partition i with seed + i, the router with seed. Default: 1
  bool enable_fault_injection = false;  // accept StallPartition requests. Default: false
  uint64_t checkpoint_every = 10'000;   // inputs between a partition's checkpoints. Default: 10'000
  // Predicts the router works on at once; beyond it the endpoint answers
  // base-only at once (fallback, not joinable, "node busy"). Default: 256
  uint32_t max_predicts_in_flight = 256;
  // Unanswered predicts of one client connection; beyond it the same
  // immediate base-only answer ("connection busy"). Default: 128
  uint32_t max_predicts_per_connection = 128;
  // Nice value the endpoint thread asks for (it answers predicts at their
  // deadlines, so it should win the CPU over the actors' threads). Negative
  // values need CAP_SYS_NICE; when refused, the node logs one line and the
  // thread keeps the process's priority. 0: unchanged. Default: -5
  int endpoint_thread_nice = -5;
  // Nice value of the log writer's thread (it encodes and appends every
  // partition's log records, off CAF's workers): positive, so that on a busy
  // machine the predict path's threads win the CPU over ingest appends (no
  // privilege needed to lower a priority). 0: unchanged. Default: 10
  int log_writer_nice = 10;
  // How often a partition sends again the arm updates its arms' partitions
  // have not confirmed for a whole period (a refused or lost delivery).
  // Default: 1000
  uint32_t redeliver_every_ms = 1000;
  // The online options and the seed are fixed when the data dir is created
  // (stored in its meta and in every checkpoint): a start with others is
  // refused, naming the option, unless this is set, which drops every
  // partition's online state (deltas, bandit evidence, pending predictions,
  // logged events) and starts it afresh with the new options. Default: false
  bool reset_online_state = false;
  // Start even when the write-ahead log is damaged before its end, dropping
  // the damaged record and everything after it; the loss is logged and
  // counted in status (storage_accepted_lost_*). Without it such a start
  // fails with Corruption naming what would be lost. Default: false
  bool accept_data_loss = false;

  // ---- The cluster (docs/cluster.md, "Roles") ----
  // The roles this process runs. Without a shard map every role runs and the
  // node is the embedded one-process node, whatever these say. With one:
  //  * shard: hosts the partitions the map gives `shard_listen` and serves
  //    the cluster wire there;
  //  * router: answers clients' predicts and events on `listen`, reading and
  //    appending at the partitions' owners (local actors for its own, the
  //    owning shard over the wire for the others);
  //  * coordinator: the model registry and status on `listen`.
  // A node without the router role refuses predicts and events on `listen`.
  // Default: all three
  bool role_router = true;
  bool role_shard = true;
  bool role_coordinator = true;
  // The static partition map (partition -> owner endpoint, epoch), fixed for
  // the process's life (the etcd-backed map replaces it). Null: embedded.
  // Default: none
  std::shared_ptr<const cluster::PartitionOwners> shard_map;
  // The cluster endpoint this node's shard binds; the map names the shard by
  // this exact string. REQUIRED with a shard map and the shard role.
  // Default: none
  std::string shard_listen;
  // A request to another process's shard without an answer this long fails
  // (a read: a missed part, fallback; an append: an error, the client
  // resends). Default: 2000
  uint32_t remote_timeout_ms = 2000;
};

inline constexpr uint32_t kDefaultPartitions = 16;

class Node {
 public:
  // Errors: the store cannot be opened (ResourceExhausted on a full disk;
  // Corruption naming what would be lost for a damaged WAL, see
  // accept_data_loss), the partition count disagrees with the data dir's,
  // the online options or seed differ from the data dir's (FailedPrecondition
  // naming them, see reset_online_state), recovery finds corrupt data, the
  // endpoint cannot be bound.
  // `transport` serves the endpoint: ZeroMQ when null; tests pass the
  // in-process twin (cluster/inproc_transport.h) and connect through it.
  // `store` holds the node's state: a RocksNodeStore in options.data_dir
  // when null; tests pass a twin (e.g. storage/faulty_node_store.h), shared
  // so that they keep a handle on it. The node drops its share at Stop().
  //
  // A storage write error while serving is not fatal: the events whose
  // partition could not log them are refused (the batch's error says why;
  // nothing unlogged is acknowledged), predicts keep being answered, and the
  // store resumes writing by itself when it can (docs/faults.md).
  static Result<std::unique_ptr<Node>> Start(
      const NodeOptions& options, std::ostream& log,
      std::shared_ptr<cluster::Transport> transport = nullptr,
      std::shared_ptr<storage::NodeStore> store = nullptr);
  ~Node();
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  // The bound endpoint (with the real port for tcp://...:0).
  const std::string& endpoint() const;
  uint32_t partitions() const;

  // Stops serving, checkpoints every partition, stops the actors, closes the
  // store. Returns the first checkpoint error, if any (the logs still hold
  // every acknowledged event).
  Status Stop();

 private:
  struct Impl;
  explicit Node(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace driftline
