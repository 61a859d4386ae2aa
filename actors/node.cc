#include "actors/node.h"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <charconv>
#include <chrono>
#include <map>
#include <thread>

#include "actors/actors.h"
#include "actors/messages.h"
#include "actors/partition_journal.h"
#include "actors/predict_reply.h"
#include "actors/remote_shards.h"
#include "cluster/partitioner.h"
#include "cluster/zmq_transport.h"
#include "learning/online_options_fingerprint.h"
#include "protocol/codec.h"
#include "protocol/shard_codec.h"
#include "storage/rocks_node_store.h"

namespace driftline {
namespace {

constexpr char kPartitionsKey[] = "partitions";
constexpr char kIncarnationKey[] = "incarnation";
constexpr char kOnlineOptionsKey[] = "online_options";

// Counters of the endpoint thread, read by the coordinator for status.
struct EndpointCounters {
  std::atomic<int64_t> predicts_busy{0};  // answered base-only at once: a bound was reached
  // Deadline answers that left more than 2 ms after their deadline, and the
  // latest one (microseconds after the deadline).
  std::atomic<int64_t> deadline_answers_late_2ms{0};
  std::atomic<int64_t> deadline_answer_max_late_us{0};
  std::atomic<int64_t> frames{0};
  std::atomic<int64_t> bad_frames{0};
  std::atomic<int64_t> unexpected_kind{0};
  std::atomic<int64_t> replies_lost{0};  // replies whose peer was gone
  std::atomic<int64_t> shard_frames{0};      // cluster-wire frames received (shard role)
  std::atomic<int64_t> shard_bad_frames{0};  // of which did not decode (answered with the error)
  std::atomic<int64_t> refused_no_router{0};  // predicts and events sent to a node without the router role
};

// Replies go out on the endpoint's socket. A reply to a peer that left is
// lost (the peer retries or has given up): counted, not dropped silently.
class SocketReplySink : public ReplySink {
 public:
  SocketReplySink(cluster::ServerSocket* socket, EndpointCounters* counters)
      : socket_(socket), counters_(counters) {}
  void Reply(const std::string& peer, std::string frame) override {
    if (!socket_->Send(peer, {std::move(frame)}).ok()) ++counters_->replies_lost;
  }

 private:
  cluster::ServerSocket* socket_;
  EndpointCounters* counters_;
};

// A decimal stored in the node's meta; Corruption if it is not one.
Result<uint64_t> ParseStoredNumber(const std::string& key, const std::string& text) {
  uint64_t value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end) {
    return Status::Corruption("node meta '" + key + "' holds '" + text + "', not a number");
  }
  return value;
}

int64_t SteadyNowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

Result<uint32_t> FixPartitionCount(storage::NodeMeta& meta, uint32_t requested) {
  auto stored = meta.Get(kPartitionsKey);
  if (stored.ok()) {
    auto parsed = ParseStoredNumber(kPartitionsKey, *stored);
    if (!parsed.ok()) return parsed.status();
    if (*parsed == 0 || *parsed > 4096) {
      return Status::Corruption("node meta holds " + *stored + " partitions");
    }
    const uint32_t existing = static_cast<uint32_t>(*parsed);
    if (requested != 0 && requested != existing) {
      return Status::FailedPrecondition("this data dir was created with " + *stored +
                                        " partitions; --partitions " + std::to_string(requested) +
                                        " cannot change it");
    }
    return existing;
  }
  if (stored.status().code() != Status::Code::kNotFound) return stored.status();
  const uint32_t count = requested ? requested : kDefaultPartitions;
  DRIFTLINE_RETURN_IF_ERROR(meta.Put(kPartitionsKey, std::to_string(count)));
  return count;
}

// What the node's partitions learn with: the online options and the seed.
std::string LearningFingerprint(const NodeOptions& options) {
  return OnlineOptionsFingerprint(options.online) + "seed=" + std::to_string(options.seed) + "\n";
}

// Stores the learning fingerprint on first use; refuses a different one,
// or, with reset_online_state, resets every partition and stores the new one.
Status FixLearningOptions(storage::NodeStore& store, const NodeOptions& options,
                          uint32_t partitions, const JournalOptions& journal_options,
                          std::ostream& log) {
  const std::string current = LearningFingerprint(options);
  auto stored = store.meta().Get(kOnlineOptionsKey);
  if (!stored.ok() && stored.status().code() != Status::Code::kNotFound) return stored.status();
  if (stored.ok() && *stored == current) return Status::Ok();
  if (stored.ok() && !options.reset_online_state) {
    Status differ = CheckOnlineOptionsFingerprint(*stored, current, "this data dir");
    return Status::FailedPrecondition(differ.message() + "; --reset-online-state drops it");
  }
  if (options.reset_online_state) {
    for (uint32_t p = 0; p < partitions; ++p) {
      DRIFTLINE_RETURN_IF_ERROR(PartitionJournal::Reset(p, options.online, options.seed + p,
                                                        store.events(), store.checkpoints(),
                                                        journal_options));
    }
    log << "[node] online state reset: every partition starts afresh\n";
  }
  return store.meta().Put(kOnlineOptionsKey, current);
}

Result<uint64_t> NextIncarnation(storage::NodeMeta& meta) {
  uint64_t n = 1;
  auto stored = meta.Get(kIncarnationKey);
  if (stored.ok()) {
    auto parsed = ParseStoredNumber(kIncarnationKey, *stored);
    if (!parsed.ok()) return parsed.status();
    n = *parsed + 1;
  } else if (stored.status().code() != Status::Code::kNotFound) {
    return stored.status();
  }
  DRIFTLINE_RETURN_IF_ERROR(meta.Put(kIncarnationKey, std::to_string(n)));
  return n;
}

}  // namespace

namespace {

caf::behavior SyncerActor(caf::event_based_actor*, storage::EventLog* log) {
  return {[log](sync_atom) -> std::string {
    Status s = log->Sync();
    return s.ok() ? std::string() : s.ToString();
  }};
}

}  // namespace

// Spawned with its argument, not as a capturing lambda: CAF 0.17 binds a
// function without arguments through a null tuple pointer (UBSan reports it).
caf::actor SpawnSyncer(caf::actor_system& system, storage::EventLog* log) {
  return system.spawn<caf::detached>(SyncerActor, log);
}

struct Node::Impl {
  NodeOptions options;
  std::ostream* log = nullptr;
  // Declared in dependency order: destroyed bottom-up (actors before the
  // system, the system before the store and the socket they use).
  std::shared_ptr<storage::NodeStore> store;
  std::shared_ptr<cluster::Transport> transport;
  std::unique_ptr<cluster::ServerSocket> socket;
  std::unique_ptr<SocketReplySink> sink;
  EndpointCounters counters;
  // Predicts between the endpoint and the router: admission bounds and the
  // deadline answer (actors/open_predicts.h); the model for that answer.
  std::unique_ptr<OpenPredicts> open_predicts;
  ModelSlot model_slot;
  std::unique_ptr<Rng> endpoint_rng;  // exploration draws of the endpoint's own answers
  std::string prediction_prefix;      // unique per incarnation: "p<incarnation>"
  uint64_t next_prediction = 0;       // endpoint thread only
  std::string endpoint;
  uint32_t partitions = 0;
  caf::actor_system_config caf_config;
  std::unique_ptr<caf::actor_system> system;
  std::vector<caf::actor> partition_actors;
  caf::actor router;
  caf::actor coordinator;
  caf::actor syncer;
  caf::actor log_writer;         // ingest appends (low priority)
  caf::actor prediction_writer;  // predictions to log
  // The cluster (options.shard_map set): which partitions are here, the
  // fence of those this shard owns, its cluster endpoint and the thread that
  // reads it, the shard server actor, and the links to the other shards
  // (declared after the actor system: stopped and destroyed before it).
  std::vector<bool> local;
  cluster::EpochFence fence;
  std::unique_ptr<cluster::ServerSocket> shard_socket;
  caf::actor shard_server;
  std::thread shard_thread;
  std::unique_ptr<RemoteShards> remote;
  std::thread io_thread;
  std::atomic<bool> stopping{false};
  bool stopped = false;

  void Serve();
  // Stops the links to other shards and every actor. The actors hold each
  // other (the partitions their peers): unstopped, the actor system's
  // destructor would wait for them forever.
  void StopActors();
  // The shard role's endpoint thread: decodes cluster frames for the shard server.
  void ServeShards();
  void Handle(cluster::Envelope& envelope);
  void HandlePredict(const ClientRequest& client, PredictRequest request);
  // Answers, base-only (or with the router's draft), every predict whose
  // deadline passed without the router's answer.
  void AnswerExpired();
  // How long Receive may wait: until the next predict deadline, at most 100 ms.
  std::chrono::milliseconds WaitForNextDeadline() const;
  // A base-only reply from the endpoint itself (no model: FailedPrecondition).
  void AnswerBaseOnly(const std::string& peer, const PredictRequest& request,
                      const std::string& prediction_id, const std::string& fallback_reason,
                      const std::string& unjoinable_reason);
  bool ServesRouter() const { return !options.shard_map || options.role_router; }
  void ReplyError(const std::string& peer, const Status& status) {
    sink->Reply(peer, EncodeFrame(ErrorReply{0, status.code(), status.message()}));
  }
};

void Node::Impl::Serve() {
  // The endpoint thread answers predicts at their deadlines: it asks the OS
  // for a higher priority than the actors' threads. Needs CAP_SYS_NICE for a
  // negative value; without it the thread keeps the process's priority.
  if (options.endpoint_thread_nice != 0 &&
      setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), options.endpoint_thread_nice) != 0) {
    *log << "[node] endpoint thread keeps its priority (nice " << options.endpoint_thread_nice
         << " refused: " << std::strerror(errno) << ")\n";
  }
  while (!stopping.load()) {
    AnswerExpired();
    auto envelope = socket->Receive(WaitForNextDeadline());
    if (!envelope.ok()) {
      if (envelope.status().code() == Status::Code::kUnavailable) return;
      continue;  // DeadlineExceeded: check stopping and wait again
    }
    Handle(*envelope);
  }
}

void Node::Impl::ServeShards() {
  while (!stopping.load()) {
    auto envelope = shard_socket->Receive(std::chrono::milliseconds(100));
    if (!envelope.ok()) {
      if (envelope.status().code() == Status::Code::kUnavailable) return;
      continue;  // DeadlineExceeded: check stopping and wait again
    }
    ++counters.shard_frames;
    Result<ShardMessage> message =
        envelope->frames.size() == 1
            ? DecodeShardFrame(envelope->frames[0])
            : Result<ShardMessage>(Status::InvalidArgument(
                  "expected one frame per cluster message, got " + std::to_string(envelope->frames.size())));
    if (!message.ok()) {
      // Refused by the codec: the sender learns why; nothing reaches a partition.
      ++counters.shard_bad_frames;
      ShardError e;
      e.code = message.status().code();
      e.message = message.status().message();
      shard_socket->Send(envelope->peer, {EncodeShardFrame(e)}).IgnoreError();  // a gone peer needs no answer
      continue;
    }
    caf::anon_send(shard_server, shard_atom::value, std::move(envelope->peer), std::move(*message));
  }
}

void Node::Impl::Handle(cluster::Envelope& envelope) {
  ++counters.frames;
  if (envelope.frames.size() != 1) {
    ++counters.bad_frames;
    return ReplyError(envelope.peer, Status::InvalidArgument(
                                         "expected one frame per request, got " +
                                         std::to_string(envelope.frames.size())));
  }
  // A reply kind sent to the node is refused by its kind, before its content
  // is validated: the sender learns what is wrong with it.
  bool unexpected_kind = false;
  auto message = DecodeRequestFrame(envelope.frames[0], DecodeLimits{}, &unexpected_kind);
  if (!message.ok()) {
    ++counters.bad_frames;
    if (unexpected_kind) ++counters.unexpected_kind;
    return ReplyError(envelope.peer, message.status());
  }
  ClientRequest client;
  client.peer = envelope.peer;
  client.received_ns = SteadyNowNs();
  std::visit(
      [&](auto& m) {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, PredictRequest> || std::is_same_v<T, EventBatch>) {
          if (!ServesRouter()) {
            ++counters.refused_no_router;
            return ReplyError(envelope.peer,
                              Status::FailedPrecondition(
                                  "this node does not run the router role: send predicts and events to a router"));
          }
          if constexpr (std::is_same_v<T, PredictRequest>) {
            HandlePredict(client, std::move(m));
          } else {
            caf::anon_send(router, client_atom::value, client, std::move(m));
          }
        } else if constexpr (std::is_same_v<T, ModelRegisterRequest> ||
                             std::is_same_v<T, ModelActivateRequest> ||
                             std::is_same_v<T, ModelRollbackRequest> ||
                             std::is_same_v<T, StatusRequest> ||
                             std::is_same_v<T, StallPartitionRequest> ||
                             std::is_same_v<T, ForgetUserRequest>) {
          caf::anon_send(coordinator, client_atom::value, client, std::move(m));
        } else {
          // DecodeRequestFrame refuses reply kinds; kept for a kind added later.
          ++counters.bad_frames;
          ++counters.unexpected_kind;
          ReplyError(envelope.peer, Status::InvalidArgument(std::string("unexpected message kind: ") +
                                                            kRequestKindsAccepted));
        }
      },
      *message);
}

std::chrono::milliseconds Node::Impl::WaitForNextDeadline() const {
  const auto next = open_predicts->NextDeadline();
  if (!next) return std::chrono::milliseconds(100);
  const int64_t wait_ns = *next - SteadyNowNs();
  if (wait_ns <= 0) return std::chrono::milliseconds(0);
  return std::chrono::milliseconds(std::min<int64_t>(100, (wait_ns + 999'999) / 1'000'000));
}

void Node::Impl::AnswerBaseOnly(const std::string& peer, const PredictRequest& request,
                                const std::string& prediction_id, const std::string& fallback_reason,
                                const std::string& unjoinable_reason) {
  const auto model = model_slot.Get();
  if (!model) {
    return ReplyError(peer, Status::FailedPrecondition(
                                "no base model is active: register and activate one"));
  }
  auto reply = BaseOnlyReply(*model, request, prediction_id, fallback_reason, unjoinable_reason,
                             BetaPriorOptions{}, *endpoint_rng);
  if (!reply.ok()) {
    return sink->Reply(peer, EncodeFrame(ErrorReply{request.request_id, reply.status().code(),
                                                    reply.status().message()}));
  }
  sink->Reply(peer, EncodeFrame(*reply));
}

void Node::Impl::AnswerExpired() {
  for (auto& expired : open_predicts->TakeExpired(SteadyNowNs())) {
    if (expired.draft) {
      sink->Reply(expired.peer, EncodeFrame(*expired.draft));
    } else {
      const PredictRequest& r = *expired.request;
      const std::string deadline =
          std::to_string(r.deadline_ms ? r.deadline_ms : options.default_deadline_ms) + " ms";
      AnswerBaseOnly(expired.peer, r, expired.prediction_id,
                     "the router did not answer within " + deadline,
                     "the prediction was not logged within the deadline (" + deadline + ")");
    }
    // How late the answer left (node-side: the client adds its own delays).
    const int64_t late_us = (SteadyNowNs() - expired.deadline_ns) / 1000;
    if (late_us > 2000) ++counters.deadline_answers_late_2ms;
    if (late_us > counters.deadline_answer_max_late_us.load()) counters.deadline_answer_max_late_us = late_us;
  }
}

// Every predict is admitted into the table of open predicts (answered by its
// deadline whatever the actors do) or, beyond a bound, answered base-only at
// once; admitted ones go to the router at high priority, ahead of ingest.
void Node::Impl::HandlePredict(const ClientRequest& received, PredictRequest request) {
  auto shared = std::make_shared<const PredictRequest>(std::move(request));
  const uint32_t deadline_ms = shared->deadline_ms ? shared->deadline_ms : options.default_deadline_ms;
  std::string prediction_id = prediction_prefix + "-" + std::to_string(++next_prediction);
  auto token = open_predicts->Open(received.peer, shared, prediction_id,
                                   received.received_ns + int64_t{deadline_ms} * 1'000'000);
  if (!token.ok()) {
    ++counters.predicts_busy;
    return AnswerBaseOnly(received.peer, *shared, prediction_id,
                          token.status().message() + ": answered base-only at once",
                          "not logged: " + token.status().message());
  }
  ClientRequest client{received.peer, received.received_ns, *token, std::move(prediction_id)};
  caf::anon_send<caf::message_priority::high>(router, client_atom::value, std::move(client),
                                              PredictRequestPtr(std::move(shared)));
}

void Node::Impl::StopActors() {
  if (remote) remote->Stop();  // no link thread sends to an actor after this
  // The actors hold each other (the partitions their peers): stop them all,
  // or the actor system's destructor waits for them forever.
  for (auto& a : partition_actors) caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
  if (router) caf::anon_send_exit(router, caf::exit_reason::user_shutdown);
  if (syncer) caf::anon_send_exit(syncer, caf::exit_reason::user_shutdown);
  if (shard_server) caf::anon_send_exit(shard_server, caf::exit_reason::user_shutdown);
  // After the partitions: a stopping node's last checkpoints waited for their appends.
  if (log_writer) caf::anon_send_exit(log_writer, caf::exit_reason::user_shutdown);
  if (prediction_writer) caf::anon_send_exit(prediction_writer, caf::exit_reason::user_shutdown);
  if (coordinator) caf::anon_send_exit(coordinator, caf::exit_reason::user_shutdown);
  partition_actors.clear();
  router = nullptr;
  syncer = nullptr;
  shard_server = nullptr;
  log_writer = nullptr;
  prediction_writer = nullptr;
  coordinator = nullptr;
}

Node::Node(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
// A destructor cannot return the error: callers that care call Stop() first.
Node::~Node() { Stop().IgnoreError(); }
const std::string& Node::endpoint() const { return impl_->endpoint; }
uint32_t Node::partitions() const { return impl_->partitions; }

namespace {

// Opens the node's RocksDB store; logs a data loss the operator accepted.
Result<std::shared_ptr<storage::NodeStore>> OpenRocksStore(const NodeOptions& options, std::ostream& log) {
  // Appends go to RocksDB's WAL; with --fsync the router has the log fsynced
  // once per batch before it acknowledges (SpawnSyncer).
  storage::StorageOptions storage_options;
  storage_options.sync = false;
  storage_options.accept_data_loss = options.accept_data_loss;
  auto store = storage::RocksNodeStore::Open(options.data_dir, storage_options);
  if (!store.ok()) return store.status();
  if (const auto& loss = (*store)->accepted_data_loss()) {
    log << "[node] DATA LOSS ACCEPTED (--accept-data-loss): " << loss->Describe()
        << ". Started from what precedes the damage.\n";
  }
  return std::shared_ptr<storage::NodeStore>(std::move(*store));
}

}  // namespace

Result<std::unique_ptr<Node>> Node::Start(const NodeOptions& options, std::ostream& log,
                                          std::shared_ptr<cluster::Transport> transport,
                                          std::shared_ptr<storage::NodeStore> store) {
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->log = &log;
  if (!store) {
    auto opened = OpenRocksStore(options, log);
    if (!opened.ok()) return opened.status();
    store = std::move(*opened);
  }
  impl->store = std::move(store);
  const cluster::PartitionOwners* map = options.shard_map.get();
  if (map) {
    if (options.role_shard && options.shard_listen.empty()) {
      return Status::InvalidArgument("a shard in a cluster needs its cluster endpoint (--shard-listen)");
    }
    if (options.partitions != 0 && options.partitions != map->partitions()) {
      return Status::InvalidArgument("--partitions " + std::to_string(options.partitions) +
                                     " disagrees with the shard map's " + std::to_string(map->partitions()));
    }
  }
  auto partitions = FixPartitionCount(impl->store->meta(), map ? map->partitions() : options.partitions);
  if (!partitions.ok()) return partitions.status();
  impl->partitions = *partitions;

  // Recover every partition before anything runs.
  JournalOptions journal_options;
  journal_options.checkpoint_every = options.checkpoint_every;
  journal_options.partitions = impl->partitions;
  DRIFTLINE_RETURN_IF_ERROR(
      FixLearningOptions(*impl->store, options, impl->partitions, journal_options, log));
  auto incarnation = NextIncarnation(impl->store->meta());
  if (!incarnation.ok()) return incarnation.status();
  // Embedded: every partition is here. In a cluster: those the map gives
  // this shard, each at the epoch the map gives it (its log records and
  // checkpoints carry it; a log written at a newer epoch is refused).
  impl->local.assign(impl->partitions, !map);
  std::vector<std::shared_ptr<PartitionJournal>> journals(impl->partitions);
  for (uint32_t p = 0; p < impl->partitions; ++p) {
    if (map && options.role_shard && map->OwnerOf(p).endpoint == options.shard_listen) impl->local[p] = true;
    if (!impl->local[p]) continue;
    JournalOptions partition_options = journal_options;
    if (map) {
      partition_options.epoch = map->OwnerOf(p).epoch;
      DRIFTLINE_RETURN_IF_ERROR(impl->fence.Own(p, partition_options.epoch));
    }
    auto journal = PartitionJournal::Recover(p, options.online, options.seed + p,
                                             impl->store->events(), impl->store->checkpoints(),
                                             partition_options);
    if (!journal.ok()) return journal.status();
    log << "[node] partition " << p << " recovered at log sequence "
        << (*journal)->applied_sequence() << (map ? " (epoch " + std::to_string(partition_options.epoch) + ")" : "")
        << "\n";
    journals[p] = std::move(*journal);
  }

  impl->transport = transport ? std::move(transport) : cluster::MakeZmqTransport();
  auto socket = impl->transport->Bind(options.listen);
  if (!socket.ok()) return socket.status();
  impl->socket = std::move(*socket);
  impl->endpoint = impl->socket->endpoint();
  impl->sink = std::make_unique<SocketReplySink>(impl->socket.get(), &impl->counters);

  // Threads that wake from a non-actor thread answer faster with the sharing
  // scheduler (docs/architecture.md, TOOLCHAIN notes).
  impl->caf_config.set("scheduler.policy", caf::atom("sharing"));
  // One worker per core: CAF 0.17 starts at least 4, and on a small machine
  // the extra threads only add wake-ups.
  const unsigned cores = std::max(2u, std::thread::hardware_concurrency());
  impl->caf_config.set("scheduler.max-threads", static_cast<int64_t>(cores));
  impl->system = std::make_unique<caf::actor_system>(impl->caf_config);
  // Partitions append through two writer threads, off CAF's workers: ingest
  // at a low priority, predictions to log at the process's priority.
  impl->log_writer = SpawnLogWriter(*impl->system, &impl->store->events(), options.log_writer_nice, &log);
  impl->prediction_writer = SpawnLogWriter(*impl->system, &impl->store->events(), 0, &log);
  auto ingest_appends = std::make_shared<std::atomic<int64_t>>(0);
  if (map) impl->remote = std::make_unique<RemoteShards>(*impl->transport, *map);
  for (uint32_t p = 0; p < impl->partitions; ++p) {
    if (impl->local[p]) {
      impl->partition_actors.push_back(SpawnPartition(*impl->system, journals[p], impl->log_writer,
                                                      impl->prediction_writer, ingest_appends,
                                                      std::chrono::milliseconds(options.redeliver_every_ms)));
    } else {
      RemotePartitionConfig remote_config;
      remote_config.partition = p;
      remote_config.shards = impl->remote.get();
      remote_config.timeout = std::chrono::milliseconds(options.remote_timeout_ms);
      impl->partition_actors.push_back(SpawnRemotePartition(*impl->system, remote_config));
    }
  }
  // Every local partition's peers: local actors and, in a cluster, the
  // handles on the other shards' partitions (arm updates cross the wire).
  for (uint32_t p = 0; p < impl->partitions; ++p) {
    if (impl->local[p]) caf::anon_send(impl->partition_actors[p], peers_atom::value, impl->partition_actors);
  }
  RouterConfig router_config;
  router_config.online = options.online;
  router_config.default_deadline_ms = options.default_deadline_ms;
  router_config.seed = options.seed;
  impl->prediction_prefix = "p" + std::to_string(*incarnation);
  OpenPredictsOptions open_options;
  open_options.max_router_in_flight = options.max_predicts_in_flight;
  open_options.max_per_peer = options.max_predicts_per_connection;
  impl->open_predicts = std::make_unique<OpenPredicts>(open_options);
  impl->endpoint_rng = std::make_unique<Rng>(options.seed ^ 0x9e3779b97f4a7c15ULL);
  router_config.sink = impl->sink.get();
  router_config.open_predicts = impl->open_predicts.get();
  router_config.model_slot = &impl->model_slot;
  if (options.fsync) {
    impl->syncer = SpawnSyncer(*impl->system, &impl->store->events());
    router_config.syncer = impl->syncer;
  }
  impl->router = SpawnRouter(*impl->system, router_config, impl->partition_actors);
  CoordinatorConfig coordinator_config;
  coordinator_config.registry = &impl->store->models();
  coordinator_config.meta = &impl->store->meta();
  coordinator_config.sink = impl->sink.get();
  coordinator_config.allow_fault_injection = options.enable_fault_injection;
  coordinator_config.partitions = impl->partitions;
  EndpointCounters* counters = &impl->counters;
  OpenPredicts* open_predicts = impl->open_predicts.get();
  storage::NodeStore* node_store = impl->store.get();
  coordinator_config.endpoint_counters = [counters, open_predicts, node_store]() {
    const OpenPredictCounters p = open_predicts->counters();
    const storage::StorageCounters s = node_store->counters();
    return std::vector<Counter>{
        {"endpoint_bad_frames", counters->bad_frames.load()},
        {"endpoint_frames", counters->frames.load()},
        {"endpoint_predicts_admitted", p.admitted},
        {"endpoint_predicts_answered_at_deadline", p.answered_at_deadline},
        {"endpoint_predicts_busy", counters->predicts_busy.load()},
        {"endpoint_predicts_busy_connection", p.refused_peer_busy},
        {"endpoint_predicts_busy_node", p.refused_node_busy},
        {"endpoint_predicts_deadline_with_router_scores", p.deadline_with_draft},
        {"endpoint_predicts_deadline_answers_late_2ms", counters->deadline_answers_late_2ms.load()},
        {"endpoint_predicts_deadline_answer_max_late_us", counters->deadline_answer_max_late_us.load()},
        {"endpoint_predicts_in_flight", static_cast<int64_t>(open_predicts->router_in_flight())},
        {"endpoint_predicts_router_answers", p.answered_by_router},
        {"endpoint_predicts_router_late", p.router_late},
        {"endpoint_unexpected_kind", counters->unexpected_kind.load()},
        {"endpoint_replies_lost", counters->replies_lost.load()},
        {"endpoint_refused_no_router", counters->refused_no_router.load()},
        {"shard_frames", counters->shard_frames.load()},
        {"shard_bad_frames", counters->shard_bad_frames.load()},
        {"storage_accepted_lost_log_records", s.accepted_lost_log_records},
        {"storage_accepted_lost_writes", s.accepted_lost_writes},
        {"storage_no_space_errors", s.no_space_errors},
        {"storage_resumes", s.resumes},
        {"storage_write_errors", s.write_errors}};
  };
  impl->coordinator = SpawnCoordinator(*impl->system, coordinator_config, impl->router,
                                       impl->partition_actors);

  // Activate the registry's active model before serving.
  caf::scoped_actor self{*impl->system};
  std::string active;
  self->request(impl->coordinator, caf::infinite, model_atom::value)
      .receive([&](std::string& version) { active = std::move(version); },
               [&](caf::error& err) { active = "error: " + caf::to_string(err); });
  if (active.rfind("error: ", 0) == 0) {
    impl->StopActors();
    return Status::Corruption(active.substr(7));
  }

  // Every partition delivers its unconfirmed arm updates again (the arms'
  // partitions drop the ones they already logged, and confirm), then again
  // periodically what stays unconfirmed.
  for (uint32_t p = 0; p < impl->partitions; ++p) {
    if (impl->local[p]) caf::anon_send(impl->partition_actors[p], redeliver_atom::value, true);
  }

  // The shard role in a cluster: the cluster wire for the partitions here.
  if (map && options.role_shard) {
    auto shard_socket = impl->transport->Bind(options.shard_listen);
    if (!shard_socket.ok()) {
      impl->StopActors();
      return shard_socket.status();
    }
    impl->shard_socket = std::move(*shard_socket);
    ShardServerConfig server_config;
    server_config.fence = &impl->fence;
    server_config.owners = map;
    server_config.socket = impl->shard_socket.get();
    impl->shard_server = SpawnShardServer(*impl->system, server_config, impl->partition_actors);
    Impl* raw = impl.get();
    impl->shard_thread = std::thread([raw] { raw->ServeShards(); });
    size_t owned = 0;
    for (bool here : impl->local) owned += here ? 1 : 0;
    log << "[node] shard serving " << owned << " of " << impl->partitions << " partitions on "
        << options.shard_listen << "\n";
  }

  log << "[node] serving " << impl->endpoint << " with " << impl->partitions << " partitions, "
      << (active.empty() ? std::string("no active model") : "model " + active) << ", "
      << (options.fsync ? "fsync" : "WAL") << " durability\n";
  Impl* raw = impl.get();
  impl->io_thread = std::thread([raw] { raw->Serve(); });
  return std::unique_ptr<Node>(new Node(std::move(impl)));
}

Status Node::Stop() {
  Impl& s = *impl_;
  if (s.stopped) return Status::Ok();
  s.stopped = true;
  s.stopping.store(true);
  if (s.io_thread.joinable()) s.io_thread.join();
  if (s.shard_thread.joinable()) s.shard_thread.join();
  Status first;
  // A stalled partition (fault injection) returns at once, so a stop never
  // waits for a stall to run out.
  for (const auto& p : s.partition_actors) caf::anon_send(p, resume_atom::value);
  {
    // Two rounds: arm updates that a partition sends while it checkpoints in
    // round one reach partitions that already checkpointed; round two logs
    // them (arm updates produce no further messages, so two rounds drain all).
    caf::scoped_actor self{*s.system};
    for (size_t i = 0; i < 2 * s.partition_actors.size(); ++i) {
      const size_t p = i % s.partition_actors.size();
      self->request(s.partition_actors[p], caf::infinite, checkpoint_atom::value)
          .receive(
              [&](std::string& error) {
                if (!error.empty() && first.ok()) first = Status::IoError("partition " + std::to_string(p) + ": " + error);
              },
              [&](caf::error& err) {
                if (first.ok()) first = Status::Internal(caf::to_string(err));
              });
    }
  }
  s.StopActors();
  s.system.reset();  // waits for every actor to finish
  s.remote.reset();
  s.socket->Close();
  if (s.shard_socket) s.shard_socket->Close();
  s.store.reset();
  *s.log << "[node] stopped\n";
  return first;
}

}  // namespace driftline
