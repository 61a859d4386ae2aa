// The coordinator actor: the node's model registry and control plane.
// Activation decodes and validates the artifact once, then tells the router
// (the new BaseModel) and every partition (the version) to switch; each
// actor switches between two messages, i.e. at a batch boundary, and every
// predict reply names the version whose base scores it used.
#include <map>

#include "actors/actors.h"
#include "actors/messages.h"
#include "cluster/partitioner.h"
#include "protocol/codec.h"

namespace driftline {
namespace {

struct CoordinatorState {
  CoordinatorConfig config;
  caf::actor router;
  std::vector<caf::actor> partitions;
  std::string active_version;
  int64_t registered = 0, activations = 0, rollbacks = 0, admin_errors = 0, forgets = 0;
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

// Loads `version` from the registry and switches everyone to it.
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
  for (const auto& p : self->state.partitions) self->send(p, model_atom::value, version);
  self->state.active_version = version;
  return artifact->content_hash;
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
  auto& registry = *self->state.config.registry;
  if (!registry.Get(r.version).ok()) {
    return Fail(self, client, r.request_id, Status::NotFound("model " + r.version + " is not registered"));
  }
  Status activated = registry.Activate(r.version);
  if (!activated.ok()) return Fail(self, client, r.request_id, activated);
  auto hash = Switch(self, r.version);
  if (!hash.ok()) return Fail(self, client, r.request_id, hash.status());
  ++self->state.activations;
  Send(self, client, EncodeFrame(ModelReply{r.request_id, r.version, *hash}));
}

void Rollback(CoordinatorSelf self, const ClientRequest& client, const ModelRollbackRequest& r) {
  auto version = self->state.config.registry->Rollback();
  if (!version.ok()) return Fail(self, client, r.request_id, version.status());
  auto hash = Switch(self, *version);
  if (!hash.ok()) return Fail(self, client, r.request_id, hash.status());
  ++self->state.rollbacks;
  Send(self, client, EncodeFrame(ModelReply{r.request_id, *version, *hash}));
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
    self->request(target, std::chrono::seconds(2), counters_atom::value)
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
      // Sent once by the node at start: switch to the registry's active model.
      [=](model_atom) -> std::string {
        auto active = self->state.config.registry->Active();
        if (!active.ok()) return "";
        auto hash = Switch(self, *active);
        return hash.ok() ? *active : "error: " + hash.status().ToString();
      },
  };
}

}  // namespace

caf::actor SpawnCoordinator(caf::actor_system& system, const CoordinatorConfig& config,
                            caf::actor router, std::vector<caf::actor> partitions) {
  return system.spawn(CoordinatorActor, config, std::move(router), std::move(partitions));
}

}  // namespace driftline
