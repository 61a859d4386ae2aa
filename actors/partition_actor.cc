// The partition actor: owns one PartitionJournal and applies, in mailbox
// order, what the router and the other partitions send it. Behaviours are
// thin; the rules live in PartitionJournal and PartitionLearner.
//
//   running --stall(ms)--> stalled --resume--> running
//   (while stalled every other message stays in the mailbox, so the partition
//    catches up, in order, when it returns)
#include "actors/actors.h"
#include "actors/messages.h"
#include "cluster/partitioner.h"
#include "learning/online_step.h"

namespace driftline {
namespace {

struct PartitionActorState {
  std::shared_ptr<PartitionJournal> journal;
  // Arm updates from other partitions, logged and applied together: a flush
  // message to self goes behind every update already in the mailbox, so one
  // append covers them all (instead of one append per sending partition).
  std::vector<PartitionInput> arm_buffer;
  // Who sent the buffered updates: each sender gets the ids confirmed once
  // they are logged here, and drops them from its outbox.
  std::vector<std::pair<caf::actor, std::vector<std::string>>> arm_sources;
  bool flush_pending = false;
  std::vector<caf::actor> peers;  // every partition, by index (self included)
  std::string model_version;
  uint64_t storage_errors = 0;
  static inline const char* name = "partition";
};

using PartitionSelf = caf::stateful_actor<PartitionActorState>*;

// Sends each arm update to the partition that owns its arm, in order.
void RouteArmUpdates(PartitionSelf self, const std::vector<ArmUpdateInput>& updates) {
  auto& peers = self->state.peers;
  if (updates.empty() || peers.empty()) return;
  std::vector<std::vector<ArmUpdateInput>> by_partition(peers.size());
  for (const auto& u : updates) {
    by_partition[PartitionOf(u.arm, static_cast<uint32_t>(peers.size()))].push_back(u);
  }
  for (size_t p = 0; p < peers.size(); ++p) {
    if (!by_partition[p].empty()) self->send(peers[p], arm_update_atom::value, std::move(by_partition[p]));
  }
}

// Logs and applies; on success routes the arm updates produced.
Result<JournalBatchResult> Apply(PartitionSelf self, const std::vector<PartitionInput>& inputs) {
  auto result = self->state.journal->LogAndApply(inputs);
  if (!result.ok()) {
    ++self->state.storage_errors;
    return result;
  }
  RouteArmUpdates(self, result->arm_updates);
  return result;
}

// Logs and applies the buffered arm updates.
void FlushArmUpdates(PartitionSelf self) {
  auto& st = self->state;
  st.flush_pending = false;
  if (st.arm_buffer.empty()) return;
  std::vector<PartitionInput> updates;
  updates.swap(st.arm_buffer);
  auto sources = std::move(st.arm_sources);
  st.arm_sources.clear();
  if (!Apply(self, updates).ok()) return;  // unconfirmed: redelivered after a restart
  for (auto& [sender, ids] : sources) {
    if (sender == caf::actor_cast<caf::actor>(self)) {
      st.journal->Confirm(ids);  // its own arm: no message needed
    } else if (sender) {
      self->send(sender, confirm_atom::value, std::move(ids));
    }
  }
}

constexpr size_t kMaxBufferedArmUpdates = 4096;

CounterList Counters(PartitionSelf self) {
  const PartitionCounters& c = self->state.journal->learner().counters();
  const auto& s = self->state.journal->learner().state();
  return {
      {"partition_arm_updates", static_cast<int64_t>(c.arm_updates)},
      {"partition_duplicates", static_cast<int64_t>(c.duplicates)},
      {"partition_expired_dropped", static_cast<int64_t>(c.expired_dropped)},
      {"partition_expired_labelled", static_cast<int64_t>(c.expired_labelled)},
      {"partition_learned", static_cast<int64_t>(c.learned)},
      {"partition_outcomes_joined", static_cast<int64_t>(c.outcomes_joined)},
      {"partition_outcomes_unknown", static_cast<int64_t>(c.outcomes_unknown)},
      {"partition_outbox", static_cast<int64_t>(self->state.journal->outbox_size())},
      {"partition_pending", static_cast<int64_t>(s.pending_count())},
      {"partition_predictions", static_cast<int64_t>(c.predictions)},
      {"partition_rejected", static_cast<int64_t>(c.rejected)},
      {"partition_storage_errors", static_cast<int64_t>(self->state.storage_errors)},
      {"partition_unlabelled", static_cast<int64_t>(c.unlabelled)},
      {"partition_users", static_cast<int64_t>(s.user_count())},
      {"partition_arms", static_cast<int64_t>(s.arm_count())},
  };
}

caf::behavior Running(PartitionSelf self);

caf::behavior Stalled(PartitionSelf self) {
  return {
      [=](resume_atom) {
        self->set_default_handler(caf::print_and_drop);
        self->unbecome();
      },
  };
}

caf::behavior Running(PartitionSelf self) {
  return {
      [=](peers_atom, const std::vector<caf::actor>& peers) { self->state.peers = peers; },
      [=](resume_atom) {},  // a stall's timer, or a stop, arriving when not stalled
      [=](model_atom, const std::string& version) { self->state.model_version = version; },
      [=](ingest_atom, IngestRequest& request) -> IngestResult {
        std::vector<PartitionInput> inputs;
        inputs.reserve(request.inputs.size());
        for (EventInput& in : request.inputs) inputs.emplace_back(std::move(in));
        auto result = Apply(self, inputs);
        if (!result.ok()) return {0, 0, 0, "", result.status().ToString()};
        return {result->accepted, result->duplicates, result->rejected, result->first_rejection, ""};
      },
      [=](remember_atom, const PredictionInput& prediction) {
        // A failure is counted in storage_errors by Apply; the router does
        // not wait for this append yet (issue 6 item 1 changes that).
        Apply(self, {PartitionInput(prediction)}).status().IgnoreError();
      },
      [=](arm_update_atom, std::vector<ArmUpdateInput>& updates) {
        auto& st = self->state;
        std::vector<std::string> ids;
        ids.reserve(updates.size());
        for (auto& u : updates) {
          ids.push_back(u.update_id);
          st.arm_buffer.emplace_back(std::move(u));
        }
        st.arm_sources.emplace_back(caf::actor_cast<caf::actor>(self->current_sender()), std::move(ids));
        if (st.arm_buffer.size() >= kMaxBufferedArmUpdates) {
          FlushArmUpdates(self);
        } else if (!st.flush_pending) {
          st.flush_pending = true;
          self->send(self, flush_atom::value);
        }
      },
      [=](flush_atom) { FlushArmUpdates(self); },
      [=](confirm_atom, const std::vector<std::string>& ids) { self->state.journal->Confirm(ids); },
      [=](redeliver_atom) { RouteArmUpdates(self, self->state.journal->Outbox()); },
      [=](user_score_atom, const UserScoreRequest& request) -> std::vector<double> {
        std::vector<double> logits;
        logits.reserve(request.candidates.size());
        for (const auto& x : request.candidates) {
          logits.push_back(self->state.journal->learner().UserLogit(request.user, x));
        }
        return logits;
      },
      [=](arm_view_atom, const ArmViewRequest& request) -> std::vector<ArmView> {
        FlushArmUpdates(self);  // reads see every update received so far
        std::vector<ArmView> views;
        views.reserve(request.arms.size());
        for (const auto& [arm, x] : request.arms) {
          views.push_back(self->state.journal->learner().Arm(arm, x));
        }
        return views;
      },
      [=](stall_atom, uint32_t duration_ms) {
        self->set_default_handler(caf::skip);
        self->become(caf::keep_behavior, Stalled(self));
        self->delayed_send(self, std::chrono::milliseconds(duration_ms), resume_atom::value);
      },
      [=](checkpoint_atom) -> std::string {
        FlushArmUpdates(self);
        Status s = self->state.journal->Checkpoint();
        return s.ok() ? std::string() : s.ToString();
      },
      [=](counters_atom) -> CounterList {
        FlushArmUpdates(self);
        return Counters(self);
      },
  };
}

caf::behavior PartitionActor(PartitionSelf self, std::shared_ptr<PartitionJournal> journal) {
  self->state.journal = std::move(journal);
  return Running(self);
}

}  // namespace

caf::actor SpawnPartition(caf::actor_system& system, std::shared_ptr<PartitionJournal> journal) {
  return system.spawn(PartitionActor, std::move(journal));
}

}  // namespace driftline
