// `driftline node`: runs the embedded node (router, partitions, coordinator)
// until SIGINT or SIGTERM, then stops cleanly (checkpoints, closes RocksDB,
// exits 0). The node's entry point: actors/node.h keeps CAF out of the CLI.
#include <csignal>
#include <pthread.h>

#include <sstream>

#include "actors/node.h"
#include "cli/commands.h"
#include "cli/file_io.h"
#include "cli/flags.h"
#include "cluster/partition_owners.h"

namespace driftline {
namespace {

constexpr char kProgram[] = "driftline node";

std::vector<std::string> SplitList(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) out.push_back(item);
  return out;
}

// --roles, --shards / --shard-map, --shard-listen, --remote-timeout-ms
// (docs/cluster.md, "Roles").
Status ClusterFromFlags(const FlagParser& flags, NodeOptions* o) {
  const std::string& roles = flags.GetString("roles");
  if (roles != "all") {
    o->role_router = o->role_shard = o->role_coordinator = false;
    for (const std::string& role : SplitList(roles)) {
      if (role == "router") {
        o->role_router = true;
      } else if (role == "shard") {
        o->role_shard = true;
      } else if (role == "coordinator") {
        o->role_coordinator = true;
      } else {
        return Status::InvalidArgument("--roles takes router, shard and coordinator (comma-separated), not '" +
                                       role + "'");
      }
    }
  }
  const std::string& shards = flags.GetString("shards");
  const std::string& map_file = flags.GetString("shard-map");
  if (!shards.empty() && !map_file.empty()) {
    return Status::InvalidArgument("give the partition map by --shards or by --shard-map, not both");
  }
  if (shards.empty() && map_file.empty()) {
    if (roles != "all") {
      return Status::InvalidArgument("--roles needs a cluster: give the shards (--shards or --shard-map)");
    }
    return Status::Ok();
  }
  const uint32_t partitions = o->partitions ? o->partitions : kDefaultPartitions;
  Result<cluster::StaticPartitionOwners> map = Status::Internal("unset");
  if (!shards.empty()) {
    map = cluster::StaticPartitionOwners::RoundRobin(SplitList(shards), partitions);
  } else {
    auto text = ReadWholeFile(map_file, size_t{1} << 20);
    if (!text.ok()) return text.status();
    map = cluster::StaticPartitionOwners::Parse(*text, partitions);
  }
  if (!map.ok()) return map.status();
  o->shard_map = std::make_shared<cluster::StaticPartitionOwners>(std::move(*map));
  o->partitions = partitions;
  o->shard_listen = flags.GetString("shard-listen");
  const int64_t timeout = flags.GetInt("remote-timeout-ms");
  if (timeout < 1 || timeout > 600'000) return Status::InvalidArgument("--remote-timeout-ms must be in 1..600000");
  o->remote_timeout_ms = static_cast<uint32_t>(timeout);
  return Status::Ok();
}

Result<NodeOptions> OptionsFromFlags(const FlagParser& flags) {
  NodeOptions o;
  o.data_dir = flags.GetString("data-dir");
  o.listen = flags.GetString("listen");
  const int64_t partitions = flags.GetInt("partitions");
  if (partitions < 0 || partitions > 4096) return Status::InvalidArgument("--partitions must be in 1..4096");
  o.partitions = static_cast<uint32_t>(partitions);
  o.fsync = flags.GetBool("fsync");
  const int64_t deadline = flags.GetInt("deadline-ms");
  if (deadline < 1 || deadline > 60'000) return Status::InvalidArgument("--deadline-ms must be in 1..60000");
  o.default_deadline_ms = static_cast<uint32_t>(deadline);
  o.online.pending_ttl_ms = flags.GetInt("pending-ttl-ms");
  if (o.online.pending_ttl_ms < 1) return Status::InvalidArgument("--pending-ttl-ms must be >= 1");
  const std::string& label = flags.GetString("default-label");
  if (label == "0" || label == "1") {
    o.online.default_label = label == "1" ? 1 : 0;
  } else if (label != "none") {
    return Status::InvalidArgument("--default-label must be none, 0 or 1");
  }
  if (flags.GetInt("seed") < 0) return Status::InvalidArgument("--seed must be >= 0");
  o.seed = static_cast<uint64_t>(flags.GetInt("seed"));
  if (flags.GetInt("checkpoint-every") < 0) return Status::InvalidArgument("--checkpoint-every must be >= 0");
  o.checkpoint_every = static_cast<uint64_t>(flags.GetInt("checkpoint-every"));
  const int64_t in_flight = flags.GetInt("max-predicts-in-flight");
  if (in_flight < 1 || in_flight > 1'000'000) {
    return Status::InvalidArgument("--max-predicts-in-flight must be in 1..1000000");
  }
  o.max_predicts_in_flight = static_cast<uint32_t>(in_flight);
  const int64_t per_connection = flags.GetInt("max-predicts-per-connection");
  if (per_connection < 1 || per_connection > 1'000'000) {
    return Status::InvalidArgument("--max-predicts-per-connection must be in 1..1000000");
  }
  o.max_predicts_per_connection = static_cast<uint32_t>(per_connection);
  o.enable_fault_injection = flags.GetBool("enable-fault-injection");
  o.reset_online_state = flags.GetBool("reset-online-state");
  o.online.max_event_skew_ms = flags.GetInt("max-event-skew-ms");
  if (o.online.max_event_skew_ms < 0) return Status::InvalidArgument("--max-event-skew-ms must be >= 0");
  o.online.state_ttl_ms = flags.GetInt("state-ttl-ms");
  if (o.online.state_ttl_ms < 0) return Status::InvalidArgument("--state-ttl-ms must be >= 0");
  o.accept_data_loss = flags.GetBool("accept-data-loss");
  DRIFTLINE_RETURN_IF_ERROR(ClusterFromFlags(flags, &o));
  return o;
}

}  // namespace

int RunNode(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  FlagParser flags(kProgram,
                   "Run a node: router, partition learners and coordinator in one process,\n"
                   "serving the ZeroMQ endpoint, state in RocksDB under --data-dir. Stops\n"
                   "cleanly on SIGINT or SIGTERM.\n\n"
                   "  driftline node --data-dir /var/lib/driftline --listen tcp://127.0.0.1:7400");
  flags.AddString("data-dir", "DIR", "the node's RocksDB directory, created if missing (required)", "");
  flags.AddString("listen", "ENDPOINT", "client endpoint", "tcp://127.0.0.1:7400");
  flags.AddInt("partitions", "N", "partitions of a new data dir (0: existing, or 16 when new)", 0);
  flags.AddBool("fsync", "fsync each acknowledged batch (survives a machine crash), not only the WAL");
  flags.AddInt("deadline-ms", "MS", "predict deadline when the request gives none", 5);
  flags.AddInt("pending-ttl-ms", "MS", "how long a prediction waits for its outcome (event time)",
               OnlineOptions{}.pending_ttl_ms);
  flags.AddString("default-label", "none|0|1", "label of a prediction whose outcome never came", "none");
  flags.AddInt("seed", "N", "seed of the partitions' and the router's random draws", 1);
  flags.AddInt("checkpoint-every", "N", "inputs between a partition's checkpoints", 10'000);
  flags.AddInt("max-predicts-in-flight", "N",
               "predicts the router works on at once; more are answered base-only at once "
               "(fallback, not joinable)", 256);
  flags.AddInt("max-predicts-per-connection", "N",
               "unanswered predicts of one connection; more are answered base-only at once", 128);
  flags.AddBool("enable-fault-injection", "accept stall requests (demos and tests)");
  flags.AddInt("max-event-skew-ms", "MS",
               "refuse an event more than this ahead of its partition's event clock (30 days)",
               2'592'000'000);
  flags.AddInt("state-ttl-ms", "MS",
               "evict a user's delta or an arm's state idle longer than this (event time); its "
               "scores fall back to the base. 0: never", OnlineOptions{}.state_ttl_ms);
  flags.AddBool("reset-online-state",
                "drop every partition's online state (deltas, bandits, pending, logged events) when "
                "the online options or seed differ from the data dir's");
  flags.AddBool("accept-data-loss",
                "start although the write-ahead log is damaged before its end, dropping what follows "
                "the damage (named at start, counted in status)");
  flags.AddString("roles", "LIST",
                  "roles of this process in a cluster: router, shard, coordinator, comma-separated "
                  "(all: the embedded node; any other value needs --shards or --shard-map)", "all");
  flags.AddString("shards", "EP,EP,...",
                  "a static cluster: partition p is owned at epoch 1 by the p mod N-th shard endpoint "
                  "(with --partitions, default 16)", "");
  flags.AddString("shard-map", "FILE",
                  "a static cluster from a file of 'PARTITION ENDPOINT EPOCH' lines, every partition once", "");
  flags.AddString("shard-listen", "ENDPOINT",
                  "the cluster endpoint this shard binds, exactly as the map names it (shard role)", "");
  flags.AddInt("remote-timeout-ms", "MS",
               "a request to another process's shard without an answer this long fails (a read falls "
               "back, an append is refused)", 2000);
  if (std::optional<int> code = flags.ParseOrExit(args, out, err)) return *code;
  if (Status s = flags.RequireStrings({"data-dir"}); !s.ok()) {
    return ReportFailure(err, kProgram, kExitUsage, s.message());
  }
  auto options = OptionsFromFlags(flags);
  if (!options.ok()) return ReportFailure(err, kProgram, kExitUsage, options.status().message());

  // Block the stop signals in every thread the node starts; this thread
  // waits for them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  auto node = Node::Start(*options, err);
  if (!node.ok()) {
    std::string message = node.status().ToString();
    if (node.status().code() == Status::Code::kCorruption && !options->accept_data_loss &&
        message.find("write-ahead log is damaged") != std::string::npos) {
      message += "\n(to start anyway and lose what is named above: driftline node --accept-data-loss ...;"
                 " see docs/faults.md \"Damaged logs\")";
    }
    return ReportFailure(err, kProgram, kExitFailure, message);
  }
  int signal = 0;
  sigwait(&stop_signals, &signal);
  err << "[node] " << (signal == SIGINT ? "SIGINT" : "SIGTERM") << ": stopping\n";
  Status stopped = (*node)->Stop();
  if (!stopped.ok()) return ReportFailure(err, kProgram, kExitFailure, stopped.ToString());
  return kExitOk;
}

}  // namespace driftline
