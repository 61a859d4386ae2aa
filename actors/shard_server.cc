// The shard server: the cluster wire's door into this process's partitions.
// Thin: the fence (cluster/epoch_fence.h) decides whether a message may touch
// its partition; the partition actor does the work, as for the embedded
// router; this actor only translates.
//
//   peer --frame--> endpoint thread (decode) --shard_atom--> this actor
//     fenced (partition, epoch)? no --> ShardError (stale_epoch, both epochs)
//     yes --> partition actor --answer--> encoded reply to the peer
//   Arm updates and confirmations are one-way (no reply unless refused).
#include "actors/actors.h"
#include "actors/messages.h"
#include "protocol/shard_codec.h"

namespace driftline {
namespace {

struct ShardServerState {
  ShardServerConfig config;
  std::vector<caf::actor> partitions;  // local actors by partition (null: not here)
  int64_t requests = 0, refused_epoch = 0, refused_source = 0, refused_kind = 0, errors = 0;
  static inline const char* name = "shard_server";
};
using ServerSelf = caf::stateful_actor<ShardServerState>*;

void Reply(ServerSelf self, const std::string& peer, const ShardMessage& message) {
  // A peer that left gets nothing: its own timeout answers its asker.
  self->state.config.socket->Send(peer, {EncodeShardFrame(message)}).IgnoreError();
}

void ReplyError(ServerSelf self, const std::string& peer, uint64_t request_id, const Status& status) {
  ++self->state.errors;
  ShardError e;
  e.request_id = request_id;
  e.code = status.code();
  e.message = status.message();
  Reply(self, peer, e);
}

// The local partition actor for `target`, or null after replying the refusal.
caf::actor Admit(ServerSelf self, const std::string& peer, uint64_t request_id, const PartitionEpoch& target) {
  auto& st = self->state;
  if (auto refusal = st.config.fence->Check(target.partition, target.epoch)) {
    ++st.refused_epoch;
    ShardError e;
    e.request_id = request_id;
    e.code = Status::Code::kFailedPrecondition;
    e.message = refusal->message;
    e.stale_epoch = true;
    e.current = PartitionEpoch{target.partition, refusal->current};
    e.got_epoch = target.epoch;
    Reply(self, peer, e);
    return caf::actor();
  }
  return st.partitions.at(target.partition);
}

// A source partition's epoch must be its owner's in the map: a zombie that
// lost the partition is refused (nothing it sends is applied).
bool SourceCurrent(ServerSelf self, const std::string& peer, uint64_t request_id, const PartitionEpoch& source) {
  auto& st = self->state;
  if (source.partition < st.config.owners->partitions() &&
      st.config.owners->OwnerOf(source.partition).epoch == source.epoch) {
    return true;
  }
  ++st.refused_source;
  const uint64_t current =
      source.partition < st.config.owners->partitions() ? st.config.owners->OwnerOf(source.partition).epoch : 0;
  ShardError e;
  e.request_id = request_id;
  e.code = Status::Code::kFailedPrecondition;
  e.message = "source partition " + std::to_string(source.partition) + ": stale epoch " +
              std::to_string(source.epoch) + " (its owner is at epoch " + std::to_string(current) + ")";
  e.stale_epoch = true;
  e.current = PartitionEpoch{source.partition, current};
  e.got_epoch = source.epoch;
  Reply(self, peer, e);
  return false;
}

void Serve(ServerSelf self, const std::string& peer, ShardMessage& message) {
  ++self->state.requests;
  const uint64_t id = ShardRequestId(message);
  auto unavailable = [=](const std::string& what) {
    return [=](caf::error& err) {
      ReplyError(self, peer, id, Status::Unavailable(what + ": " + caf::to_string(err)));
    };
  };
  if (auto* m = std::get_if<UserPartRead>(&message)) {
    caf::actor p = Admit(self, peer, id, m->target);
    if (!p) return;
    const PartitionEpoch source = m->target;
    self->request<caf::message_priority::high>(p, caf::infinite, user_score_atom::value,
                                               UserScoreRequest{std::move(m->user), std::move(m->candidates)})
        .then([=](std::vector<double>& logits) { Reply(self, peer, UserPartReply{id, source, std::move(logits)}); },
              unavailable("user part"));
  } else if (auto* m = std::get_if<ArmPartsRead>(&message)) {
    caf::actor p = Admit(self, peer, id, m->target);
    if (!p) return;
    const PartitionEpoch source = m->target;
    self->request<caf::message_priority::high>(p, caf::infinite, arm_view_atom::value,
                                               ArmViewRequest{std::move(m->arms)})
        .then(
            [=](std::vector<ArmView>& views) {
              ArmPartsReply reply{id, source, {}};
              for (const ArmView& v : views) reply.views.push_back({v.logit, v.successes, v.failures});
              Reply(self, peer, reply);
            },
            unavailable("arm parts"));
  } else if (auto* m = std::get_if<EventAppend>(&message)) {
    caf::actor p = Admit(self, peer, id, m->target);
    if (!p) return;
    const PartitionEpoch source = m->target;
    self->request(p, caf::infinite, ingest_atom::value, IngestRequest{std::move(m->inputs)})
        .then(
            [=](IngestResult& r) {
              // Acknowledged only once the partition appended it durably.
              if (!r.error.empty()) return ReplyError(self, peer, id, Status::Unavailable(r.error));
              Reply(self, peer, EventAppendReply{id, source, r.accepted, r.duplicates, r.rejected, r.first_rejection});
            },
            unavailable("append"));
  } else if (auto* m = std::get_if<PredictionAppend>(&message)) {
    caf::actor p = Admit(self, peer, id, m->target);
    if (!p) return;
    const PartitionEpoch source = m->target;
    self->request<caf::message_priority::high>(p, caf::infinite, remember_atom::value, std::move(m->prediction))
        .then(
            [=](std::string& error) {
              if (!error.empty()) return ReplyError(self, peer, id, Status::Unavailable(error));
              Reply(self, peer, ShardOk{id, source, "logged"});
            },
            unavailable("prediction"));
  } else if (auto* m = std::get_if<ArmUpdateBatch>(&message)) {
    if (!SourceCurrent(self, peer, id, m->source)) return;
    caf::actor p = Admit(self, peer, id, m->target);
    if (!p) return;
    self->send(p, arm_update_atom::value, std::move(m->updates));
  } else if (auto* m = std::get_if<ArmUpdateConfirm>(&message)) {
    if (!SourceCurrent(self, peer, id, m->source)) return;
    caf::actor p = Admit(self, peer, id, m->target);
    if (!p) return;
    self->send(p, confirm_atom::value, m->source.partition, m->high_water.sequence, m->high_water.index);
  } else if (auto* m = std::get_if<ModelActivation>(&message)) {
    // Fenced like every message, then refused: a partition logs a model
    // switch with its delta transform (actors/model_activation.h), which this
    // message does not carry yet (docs/cluster.md, "Known limits").
    for (const PartitionEpoch& pe : m->partitions) {
      if (!Admit(self, peer, id, pe)) return;
    }
    ReplyError(self, peer, id,
               Status::FailedPrecondition("model activation over the cluster wire is not served yet"));
  } else if (std::holds_alternative<ShardPing>(message)) {
    Reply(self, peer, message);
  } else {
    ++self->state.refused_kind;
    ReplyError(self, peer, id,
               Status::InvalidArgument(std::string("unexpected message kind ") + ShardMessageName(message) +
                                       ": a shard takes reads, appends, arm updates, confirmations, "
                                       "model activations and pings, not replies"));
  }
}

caf::behavior ShardServerActor(ServerSelf self, ShardServerConfig config, std::vector<caf::actor> partitions) {
  self->state.config = config;
  self->state.partitions = std::move(partitions);
  return {
      [=](shard_atom, const std::string& peer, ShardMessage& message) { Serve(self, peer, message); },
      [=](counters_atom) -> CounterList {
        const auto& st = self->state;
        return {{"shard_requests", st.requests},
                {"shard_refused_epoch", st.refused_epoch},
                {"shard_refused_source_epoch", st.refused_source},
                {"shard_refused_kind", st.refused_kind},
                {"shard_errors", st.errors}};
      },
  };
}

}  // namespace

caf::actor SpawnShardServer(caf::actor_system& system, const ShardServerConfig& config,
                            std::vector<caf::actor> partitions) {
  return system.spawn(ShardServerActor, config, std::move(partitions));
}

}  // namespace driftline
