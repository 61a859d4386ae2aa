// A remote partition: the handle on a partition another process's shard
// owns. It takes the messages a local partition actor takes (the router's
// reads, appends and predictions to log; another partition's arm updates and
// confirmations; the coordinator's model), so the router and the partitions
// use it in place of a local actor, and forwards each over the cluster wire
// (ShardLink) stamped with (partition, owner epoch) from the partition map.
//
//   up --connection lost--> down (every pending request fails at once;
//                                 new ones fail without being sent)
//   down --a ShardPing answered (probe every probe_every)--> up
//
// Every request fails after `timeout` without an answer. A failed read is a
// missed part for the router (fallback); a failed append is an error for the
// client (resend), never an acknowledgement. Arm updates and confirmations
// are one-way: a lost one is sent again by the arm-update protocol itself
// (learning/arm_update_delivery.h: redelivery until confirmed).
#include <unordered_map>

#include "actors/actors.h"
#include "actors/messages.h"
#include "actors/remote_shards.h"

namespace driftline {
namespace {

enum class Kind { kUserRead, kArmRead, kIngest, kRemember, kPing };

struct Pending {
  Kind kind;
  caf::response_promise promise;
};

struct RemotePartitionState {
  RemotePartitionConfig config;
  std::string endpoint;
  ShardLink* link = nullptr;
  bool up = true;
  std::string down_reason;
  uint64_t probe_id = 0;  // the last probe sent while down
  std::unordered_map<uint64_t, Pending> pending;
  int64_t requests = 0, failures = 0, timeouts = 0, stale_epoch = 0, refused_down = 0,
          arm_updates_sent = 0, model_switches_not_forwarded = 0;
  static inline const char* name = "remote_partition";
};
using RemoteSelf = caf::stateful_actor<RemotePartitionState>*;

PartitionEpoch Target(RemoteSelf self) {
  const uint32_t p = self->state.config.partition;
  return {p, self->state.config.shards->owners().OwnerOf(p).epoch};
}

std::string Where(RemoteSelf self) {
  return "partition " + std::to_string(self->state.config.partition) + " at shard " + self->state.endpoint;
}

// Answers a request that failed, in the form its asker expects.
void Fail(Pending& p, const std::string& why) {
  switch (p.kind) {
    case Kind::kIngest: p.promise.deliver(IngestResult{0, 0, 0, "", why}); break;
    case Kind::kRemember: p.promise.deliver(why); break;
    case Kind::kUserRead:
    case Kind::kArmRead:
    case Kind::kPing: p.promise.deliver(caf::make_error(caf::sec::request_timeout)); break;
  }
}

// Sends `message` (its request id and target set here) and keeps the
// promise until the reply, a failure or the timeout.
template <class Message>
caf::response_promise Forward(RemoteSelf self, Message message, Kind kind) {
  auto& st = self->state;
  Pending pending{kind, self->make_response_promise()};
  ++st.requests;
  if (!st.up) {
    ++st.refused_down;
    Fail(pending, Where(self) + " is unreachable: " + st.down_reason);
    return pending.promise;
  }
  const uint64_t id = st.config.shards->NextRequestId();
  message.request_id = id;
  message.target = Target(self);
  st.config.shards->Expect(id, self);
  if (Status s = st.link->Send(message); !s.ok()) {
    st.config.shards->Forget(id);
    ++st.failures;
    Fail(pending, Where(self) + ": " + s.message());
    return pending.promise;
  }
  auto promise = pending.promise;
  st.pending.emplace(id, std::move(pending));
  self->delayed_send(self, st.config.timeout, expire_atom::value, id);
  return promise;
}

void FailAll(RemoteSelf self, const std::string& why) {
  auto pending = std::move(self->state.pending);
  self->state.pending.clear();
  for (auto& [id, p] : pending) {
    self->state.config.shards->Forget(id);
    ++self->state.failures;
    Fail(p, why);
  }
}

void Probe(RemoteSelf self) {
  auto& st = self->state;
  if (st.up) return;
  if (st.probe_id != 0) st.config.shards->Forget(st.probe_id);  // unanswered: the shard is still away
  st.probe_id = st.config.shards->NextRequestId();
  st.config.shards->Expect(st.probe_id, self);
  st.link->Send(ShardPing{st.probe_id}).IgnoreError();  // a queue full of probes: the next one tries again
  self->delayed_send(self, st.config.probe_every, probe_atom::value);
}

void OnReply(RemoteSelf self, ShardMessage& message) {
  auto& st = self->state;
  if (std::holds_alternative<ShardPing>(message)) {
    st.probe_id = 0;
    st.up = true;
    st.down_reason.clear();
    return;
  }
  auto it = st.pending.find(ShardRequestId(message));
  if (it == st.pending.end()) return;  // expired already
  Pending p = std::move(it->second);
  st.pending.erase(it);
  if (auto* error = std::get_if<ShardError>(&message)) {
    ++st.failures;
    if (error->stale_epoch) ++st.stale_epoch;
    return Fail(p, "shard " + st.endpoint + " refused: " + error->message);
  }
  if (auto* r = std::get_if<UserPartReply>(&message); r && p.kind == Kind::kUserRead) {
    return p.promise.deliver(std::move(r->logits));
  }
  if (auto* r = std::get_if<ArmPartsReply>(&message); r && p.kind == Kind::kArmRead) {
    std::vector<ArmView> views;
    for (const ArmPartView& v : r->views) views.push_back(ArmView{v.logit, v.successes, v.failures});
    return p.promise.deliver(std::move(views));
  }
  if (auto* r = std::get_if<EventAppendReply>(&message); r && p.kind == Kind::kIngest) {
    return p.promise.deliver(IngestResult{r->accepted, r->duplicates, r->rejected, r->first_rejection, ""});
  }
  if (std::holds_alternative<ShardOk>(message) && p.kind == Kind::kRemember) {
    return p.promise.deliver(std::string());
  }
  ++st.failures;
  Fail(p, "shard " + st.endpoint + " answered with an unexpected " +
              std::string(ShardMessageName(message)));
}

CounterList Counters(RemoteSelf self) {
  const auto& st = self->state;
  return {{"remote_partition_requests", st.requests},
          {"remote_partition_failures", st.failures},
          {"remote_partition_timeouts", st.timeouts},
          {"remote_partition_stale_epoch", st.stale_epoch},
          {"remote_partition_refused_down", st.refused_down},
          {"remote_partition_arm_updates_sent", st.arm_updates_sent},
          {"remote_partition_model_switches_not_forwarded", st.model_switches_not_forwarded},
          {"remote_partitions_down", st.up ? 0 : 1}};
}

caf::behavior RemotePartitionActor(RemoteSelf self, RemotePartitionConfig config) {
  auto& st = self->state;
  st.config = std::move(config);
  st.endpoint = st.config.shards->owners().OwnerOf(st.config.partition).endpoint;
  auto link = st.config.shards->LinkTo(st.endpoint);
  if (!link.ok()) {
    st.up = false;
    st.down_reason = link.status().message();
  } else {
    st.link = *link;
    st.config.shards->Watch(st.endpoint, self);
  }
  return {
      [=](user_score_atom, UserScoreRequest& r) {
        return Forward(self, UserPartRead{0, {}, std::move(r.user), std::move(r.candidates)}, Kind::kUserRead);
      },
      [=](arm_view_atom, ArmViewRequest& r) {
        return Forward(self, ArmPartsRead{0, {}, std::move(r.arms)}, Kind::kArmRead);
      },
      [=](ingest_atom, IngestRequest& r) {
        return Forward(self, EventAppend{0, {}, std::move(r.inputs)}, Kind::kIngest);
      },
      [=](remember_atom, PredictionInput& p) {
        return Forward(self, PredictionAppend{0, {}, std::move(p)}, Kind::kRemember);
      },
      // One-way: arm updates for this (remote) arm partition from a local
      // source partition, and a local arm partition's confirmation to this
      // (remote) source partition.
      [=](arm_update_atom, std::vector<ArmUpdateInput>& updates) {
        auto& s = self->state;
        if (!s.up || updates.empty() || !s.link) return;  // the outbox sends them again
        const uint32_t source = updates.front().source_partition;
        const PartitionEpoch from{source, s.config.shards->owners().OwnerOf(source).epoch};
        s.arm_updates_sent += static_cast<int64_t>(updates.size());
        s.link->Send(ArmUpdateBatch{s.config.shards->NextRequestId(), from, Target(self), std::move(updates)})
            .IgnoreError();  // not sent: redelivered by the source's outbox
      },
      [=](confirm_atom, uint32_t arm_partition, uint64_t sequence, uint32_t index) {
        auto& s = self->state;
        if (!s.up || !s.link) return;  // the next delivery is confirmed again
        const PartitionEpoch from{arm_partition, s.config.shards->owners().OwnerOf(arm_partition).epoch};
        s.link->Send(ArmUpdateConfirm{s.config.shards->NextRequestId(), from, Target(self),
                                      ArmOrdinal{sequence, index}})
            .IgnoreError();  // lost: the source sends again, and it is confirmed again
      },
      [=](remote_reply_atom, ShardMessage& message) { OnReply(self, message); },
      [=](remote_lost_atom, const std::string& why) {
        auto& s = self->state;
        const bool was_up = s.up;
        s.up = false;
        s.down_reason = "lost the connection (" + why + ")";
        FailAll(self, Where(self) + " is unreachable: " + s.down_reason);
        if (was_up) self->delayed_send(self, s.config.probe_every, probe_atom::value);
      },
      [=](probe_atom) { Probe(self); },
      [=](expire_atom, uint64_t id) {
        auto it = self->state.pending.find(id);
        if (it == self->state.pending.end()) return;
        Pending p = std::move(it->second);
        self->state.pending.erase(it);
        self->state.config.shards->Forget(id);
        ++self->state.timeouts;
        Fail(p, Where(self) + " did not answer within " +
                    std::to_string(self->state.config.timeout.count()) + " ms");
      },
      // The coordinator's model switch (logged by a local partition, with its
      // delta transform) is not forwarded to the owning shard yet
      // (docs/cluster.md, "Known limits"): answered, and counted.
      [=](model_atom, const ModelSwitchInput&) -> std::string {
        ++self->state.model_switches_not_forwarded;
        return std::string();
      },
      [=](counters_atom) -> CounterList { return Counters(self); },
      [=](checkpoint_atom) -> std::string { return std::string(); },  // the owner checkpoints
      [=](resume_atom) {},
      [=](stall_atom, uint32_t) {},  // fault injection is for local partitions
  };
}

}  // namespace

caf::actor SpawnRemotePartition(caf::actor_system& system, const RemotePartitionConfig& config) {
  return system.spawn(RemotePartitionActor, config);
}

}  // namespace driftline
