// The coordinator actor: the node's model registry and control plane.
// Activation decodes and validates the artifact once, then tells the router
// (the new BaseModel) and every partition (a ModelSwitchInput: the version
// and the delta transform, which each partition logs and applies) to switch;
// each actor switches between two messages, i.e. at a batch boundary, and
// every predict reply names the version whose base scores it used. The
// activation record (actors/model_activation.h) makes the transform reach
// every partition exactly once across crashes.
#include <map>
#include <optional>

#include "actors/actors.h"
#include "actors/messages.h"
#include "actors/model_activation.h"
#include "cluster/partitioner.h"
#include "protocol/codec.h"

namespace driftline {
namespace {

struct CoordinatorState {
  CoordinatorConfig config;
  caf::actor router;
  std::vector<caf::actor> partitions;
  std::string active_version;
  uint64_t next_activation = 1;  // the number of the next ModelSwitchInput
  int64_t registered = 0, activations = 0, rollbacks = 0, admin_errors = 0, forgets = 0;
  int64_t switch_errors = 0;  // partitions that failed to log a model switch
  static inline const char* name = "coordinator";
};
using CoordinatorSelf = caf::stateful_actor<CoordinatorState>*;

void Send(CoordinatorSelf self, const ClientRequest& client, std::string frame) {
  self->state.config.sink->Reply(client.peer, std::move(frame));
}

void Fail(CoordinatorSelf self, const ClientRequest& client, uint64_t request_id, const Status& s) {
  ++self->state.admin_errors;
  Send(self, client, EncodeFrame(ErrorReply{request_id, s.code(), s.message()}));
}

// Called once every partition answered a model switch: "" if all logged it,
// else what failed (naming the partitions).
using SwitchDone = std::function<void(const std::string& failures)>;

// Sends every partition `change` to log and apply; `done` runs when all
// answered (or timed out).
void SwitchPartitions(CoordinatorSelf self, const ModelSwitchInput& change, SwitchDone done) {
  struct Gather {
    size_t outstanding = 0;
    std::map<size_t, std::string> failures;
  };
  auto g = std::make_shared<Gather>();
  const auto& partitions = self->state.partitions;
  g->outstanding = partitions.size();
  if (partitions.empty()) return done("");
  auto finish = [=]() {
    if (--g->outstanding > 0) return;
    std::string failures;
    for (const auto& [p, why] : g->failures) {
      failures += (failures.empty() ? "partition " : "; partition ") + std::to_string(p) + ": " + why;
    }
    self->state.switch_errors += static_cast<int64_t>(g->failures.size());
    done(failures);
  };
  for (size_t p = 0; p < partitions.size(); ++p) {
    // A stalled partition answers when its stall ends (at most kMaxStallMs).
    self->request(partitions[p], std::chrono::seconds(120), model_atom::value, change)
        .then(
            [=](std::string& error) {
              if (!error.empty()) g->failures[p] = error;
              finish();
            },
            [=](caf::error& err) {
              g->failures[p] = caf::to_string(err);
              finish();
            });
  }
}

// Loads `version` from the registry and switches the router to it; returns
// its content hash. The partitions follow with SwitchPartitions.
Result<std::string> Switch(CoordinatorSelf self, const std::string& version) {
  auto bytes = self->state.config.registry->Get(version);
  if (!bytes.ok()) return bytes.status();
  auto artifact = DecodeArtifact(*bytes);
  if (!artifact.ok()) {
    return Status::Corruption("stored model " + version + ": " + artifact.status().message());
  }
  auto model = std::make_shared<const BaseModel>(*artifact);
  // High priority, like the predicts: a predict sent after the client saw
  // the activation must not overtake the switch in the router's mailbox.
  self->send<caf::message_priority::high>(self->state.router, model_atom::value, ModelPtr(model));
  self->state.active_version = version;
  return artifact->content_hash;
}

// Steps 1 and 3 of actors/model_activation.h around the registry change
// `change_registry` (step 2), which returns the version now active.
void ActivateWithDeltas(CoordinatorSelf self, const ClientRequest& client, uint64_t request_id,
                        const std::optional<DeltaTransform>& requested,
                        const std::function<Result<std::string>()>& change_registry,
                        int64_t CoordinatorState::*counter) {
  auto& st = self->state;
  const DeltaTransform deltas = requested.value_or(DefaultDeltaTransform());
  auto before = st.config.registry->Active();
  if (!before.ok() && before.status().code() != Status::Code::kNotFound) {
    return Fail(self, client, request_id, before.status());
  }
  const ModelActivationRecord record{st.next_activation, before.ok() ? *before : std::string(), deltas};
  if (st.config.meta) {
    if (Status s = StoreModelActivationRecord(*st.config.meta, record); !s.ok()) {
      return Fail(self, client, request_id, s);
    }
  }
  ++st.next_activation;
  auto version = change_registry();
  if (!version.ok()) return Fail(self, client, request_id, version.status());
  const std::string now = *version;
  auto switched = Switch(self, now);
  if (!switched.ok()) return Fail(self, client, request_id, switched.status());
  const std::string hash = *switched;
  SwitchPartitions(self, ModelSwitchInput{record.activation, now, deltas},
                         [=](const std::string& failures) {
                           if (!failures.empty()) {
                             return Fail(self, client, request_id,
                                         Status::IoError(
                                             "model " + now + " is active, but not every partition "
                                             "logged its delta transform " +
                                             DeltaTransformName(deltas) + " (" + failures +
                                             "); they apply it at the node's next start"));
                           }
                           ++(self->state.*counter);
                           Send(self, client, EncodeFrame(ModelReply{request_id, now, hash, deltas}));
                         });
}

void Register(CoordinatorSelf self, const ClientRequest& client, const ModelRegisterRequest& r) {
  auto artifact = DecodeArtifact(r.artifact);
  if (!artifact.ok()) {
    return Fail(self, client, r.request_id,
                Status::InvalidArgument("artifact refused: " + artifact.status().ToString()));
  }
  Status put = self->state.config.registry->Put(artifact->version, r.artifact);
  if (!put.ok()) return Fail(self, client, r.request_id, put);
  ++self->state.registered;
  Send(self, client, EncodeFrame(ModelReply{r.request_id, artifact->version, artifact->content_hash}));
}

void Activate(CoordinatorSelf self, const ClientRequest& client, const ModelActivateRequest& r) {
  auto* registry = self->state.config.registry;
  auto artifact = registry->Get(r.version);
  if (!artifact.ok()) {
    return Fail(self, client, r.request_id, Status::NotFound("model " + r.version + " is not registered"));
  }
  auto active = registry->Active();
  if (active.ok() && *active == r.version) {
    // Activating the active version changes nothing, the deltas included.
    auto decoded = DecodeArtifact(*artifact);
    if (!decoded.ok()) return Fail(self, client, r.request_id, decoded.status());
    ++self->state.activations;
    return Send(self, client, EncodeFrame(ModelReply{r.request_id, r.version, decoded->content_hash,
                                                     DeltaTransform::Keep()}));
  }
  const std::string version = r.version;
  ActivateWithDeltas(self, client, r.request_id, r.deltas,
                     [registry, version]() -> Result<std::string> {
                       DRIFTLINE_RETURN_IF_ERROR(registry->Activate(version));
                       return version;
                     },
                     &CoordinatorState::activations);
}

void Rollback(CoordinatorSelf self, const ClientRequest& client, const ModelRollbackRequest& r) {
  auto* registry = self->state.config.registry;
  ActivateWithDeltas(self, client, r.request_id, r.deltas, [registry] { return registry->Rollback(); },
                     &CoordinatorState::rollbacks);
}

// Gathers counters from the router and every partition (partition counters
// are summed), adds the coordinator's and the endpoint's, and replies.
void Status_(CoordinatorSelf self, const ClientRequest& client, const StatusRequest& r) {
  struct Gather {
    std::map<std::string, int64_t> sums;
    size_t outstanding = 0;
    int64_t unanswered = 0;
  };
  auto g = std::make_shared<Gather>();
  auto& st = self->state;
  g->sums["coordinator_activations"] = st.activations;
  g->sums["coordinator_admin_errors"] = st.admin_errors;
  g->sums["coordinator_registered"] = st.registered;
  g->sums["coordinator_rollbacks"] = st.rollbacks;
  g->sums["coordinator_switch_errors"] = st.switch_errors;
  g->sums["coordinator_forgets"] = st.forgets;
  if (st.config.endpoint_counters) {
    for (const Counter& c : st.config.endpoint_counters()) g->sums[c.name] += c.value;
  }
  std::vector<caf::actor> targets = st.partitions;
  targets.push_back(st.router);
  g->outstanding = targets.size();
  const uint64_t request_id = r.request_id;
  auto finish = [=]() {
    if (--g->outstanding > 0) return;
    StatusReply reply;
    reply.request_id = request_id;
    reply.active_version = self->state.active_version;
    reply.partitions = self->state.config.partitions;
    g->sums["status_unanswered_actors"] = g->unanswered;
    for (const auto& [name, value] : g->sums) reply.counters.push_back({name, value});
    Send(self, client, EncodeFrame(reply));
  };
  for (const auto& target : targets) {
    // High priority: counters go ahead of queued ingest work in the actors'
    // mailboxes (a partition still answers after its appends in flight).
    self->request<caf::message_priority::high>(
            target, std::chrono::milliseconds(st.config.status_gather_ms), counters_atom::value)
        .then(
            [=](CounterList& counters) {
              for (const Counter& c : counters) g->sums[c.name] += c.value;
              finish();
            },
            [=](caf::error&) {
              ++g->unanswered;
              finish();
            });
  }
}

void Stall(CoordinatorSelf self, const ClientRequest& client, const StallPartitionRequest& r) {
  auto& st = self->state;
  if (!st.config.allow_fault_injection) {
    return Fail(self, client, r.request_id,
                Status::FailedPrecondition(
                    "fault injection is disabled (start the node with --enable-fault-injection)"));
  }
  if (r.partition >= st.partitions.size()) {
    return Fail(self, client, r.request_id,
                Status::InvalidArgument("partition " + std::to_string(r.partition) +
                                        " does not exist (this node has " +
                                        std::to_string(st.partitions.size()) + ")"));
  }
  // High priority, like predict reads: a read sent after this reply must
  // not overtake the stall in the partition's mailbox.
  self->send<caf::message_priority::high>(st.partitions[r.partition], stall_atom::value,
                                          r.duration_ms);
  Send(self, client, EncodeFrame(OkReply{r.request_id, "partition " + std::to_string(r.partition) +
                                                          " stalled for " +
                                                          std::to_string(r.duration_ms) + " ms"}));
}

// Routes a forget to the user's partition, which logs it before it applies
// it; the reply leaves only after that (so it survives a kill -9).
void Forget(CoordinatorSelf self, const ClientRequest& client, const ForgetUserRequest& r) {
  auto& st = self->state;
  if (st.partitions.empty()) {
    return Fail(self, client, r.request_id, Status::Unavailable("the node has no partitions"));
  }
  const uint32_t partition = PartitionOf(r.user, static_cast<uint32_t>(st.partitions.size()));
  self->request(st.partitions[partition], std::chrono::seconds(60), forget_atom::value, r.user)
      .then(
          [=](ForgetResult& result) {
            if (!result.error.empty()) {
              return Fail(self, client, r.request_id,
                          Status::Unavailable("partition " + std::to_string(partition) +
                                              " did not log the forget of user " + r.user +
                                              ", send it again: " + result.error));
            }
            ++self->state.forgets;
            Send(self, client,
                 EncodeFrame(ForgetUserReply{r.request_id, r.user, partition, result.removed.delta,
                                             result.removed.pending, result.removed.replay}));
          },
          [=](caf::error& e) {
            Fail(self, client, r.request_id,
                 Status::Unavailable("partition " + std::to_string(partition) +
                                     " did not answer the forget within 60 s (" +
                                     self->system().render(e) + "), send it again"));
          });
}

caf::behavior CoordinatorActor(CoordinatorSelf self, CoordinatorConfig config, caf::actor router,
                               std::vector<caf::actor> partitions) {
  self->state.config = std::move(config);
  self->state.router = std::move(router);
  self->state.partitions = std::move(partitions);
  return {
      [=](client_atom, const ClientRequest& c, const ModelRegisterRequest& r) { Register(self, c, r); },
      [=](client_atom, const ClientRequest& c, const ModelActivateRequest& r) { Activate(self, c, r); },
      [=](client_atom, const ClientRequest& c, const ModelRollbackRequest& r) { Rollback(self, c, r); },
      [=](client_atom, const ClientRequest& c, const StatusRequest& r) { Status_(self, c, r); },
      [=](client_atom, const ClientRequest& c, const StallPartitionRequest& r) { Stall(self, c, r); },
      [=](client_atom, const ClientRequest& c, const ForgetUserRequest& r) { Forget(self, c, r); },
      // Sent once by the node at start: switch to the registry's active
      // model, and complete its activation's delta transform in every
      // partition that has not logged it (actors/model_activation.h).
      [=](model_atom) -> caf::result<std::string> {
        auto& st = self->state;
        std::optional<ModelActivationRecord> record;
        if (st.config.meta) {
          auto loaded = LoadModelActivationRecord(*st.config.meta);
          if (!loaded.ok()) return "error: " + loaded.status().ToString();
          record = *loaded;
        }
        if (record) st.next_activation = record->activation + 1;
        auto active = st.config.registry->Active();
        if (!active.ok()) return std::string();
        const std::string version = *active;
        auto hash = Switch(self, version);
        if (!hash.ok()) return "error: " + hash.status().ToString();
        const std::optional<ModelSwitchInput> change = ActivationToComplete(record, version);
        if (!change) return version;
        auto promise = self->make_response_promise<std::string>();
        SwitchPartitions(self, *change, [=](const std::string& failures) mutable {
          promise.deliver(failures.empty() ? version : "error: model switch: " + failures);
        });
        return promise;
      },
  };
}

}  // namespace

caf::actor SpawnCoordinator(caf::actor_system& system, const CoordinatorConfig& config,
                            caf::actor router, std::vector<caf::actor> partitions) {
  return system.spawn(CoordinatorActor, config, std::move(router), std::move(partitions));
}

}  // namespace driftline
