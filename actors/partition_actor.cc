// The partition actor: owns one PartitionJournal and applies, in mailbox
// order, what the router and the other partitions send it. Behaviours are
// thin; the rules live in PartitionJournal, PartitionLearner and, for arm
// updates, learning/arm_update_delivery.h (stamped by the source's journal,
// judged by the destination's, confirmed by high-water mark, sent again at
// start and every redeliver period while unconfirmed).
//
//   running --stall(ms)--> stalled --resume--> running
//   (while stalled every other message stays in the mailbox, so the partition
//    catches up, in order, when it returns)
#include <functional>
#include <map>
#include <set>

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
  // The source partitions of the buffered updates: each gets this
  // partition's high-water mark for it after the flush (the confirmation).
  std::set<uint32_t> arm_sources;
  bool flush_pending = false;
  std::chrono::milliseconds redeliver_every{1000};
  std::vector<caf::actor> peers;  // every partition, by index (self included)
  // While stalled: the predict path's high-priority requests (reads,
  // predictions to log), answered in arrival order when the stall ends.
  // CAF 0.17 does not bring skipped high-priority messages back after a
  // behaviour change, so they are held here instead of skipped.
  std::vector<std::function<void()>> held;
  uint64_t storage_errors = 0;
  uint64_t arm_gaps = 0;
  static inline const char* name = "partition";
};

using PartitionSelf = caf::stateful_actor<PartitionActorState>*;

// Sends each destination its arm updates, in ordinal order (the order the
// arm's partition accepts them in: learning/arm_update_delivery.h).
void SendArmUpdates(PartitionSelf self, std::map<uint32_t, std::vector<ArmUpdateInput>> by_destination) {
  auto& peers = self->state.peers;
  for (auto& [destination, updates] : by_destination) {
    if (destination < peers.size() && !updates.empty()) {
      self->send(peers[destination], arm_update_atom::value, std::move(updates));
    }
  }
}

// Routes freshly produced (stamped) arm updates to their arms' partitions.
void RouteArmUpdates(PartitionSelf self, const std::vector<ArmUpdateInput>& updates) {
  auto& peers = self->state.peers;
  if (updates.empty() || peers.empty()) return;
  std::map<uint32_t, std::vector<ArmUpdateInput>> by_destination;
  for (const auto& u : updates) {
    by_destination[PartitionOf(u.arm, static_cast<uint32_t>(peers.size()))].push_back(u);
  }
  SendArmUpdates(self, std::move(by_destination));
}

// Logs and applies; on success routes the arm updates produced.
Result<JournalBatchResult> Apply(PartitionSelf self, const std::vector<PartitionInput>& inputs) {
  auto result = self->state.journal->LogAndApply(inputs);
  if (!result.ok()) {
    ++self->state.storage_errors;
    return result;
  }
  self->state.arm_gaps += result->arm_gaps;
  RouteArmUpdates(self, result->arm_updates);
  return result;
}

// Logs and applies the buffered arm updates, then tells every source what is
// logged here from it (also after a failed append: the mark did not move,
// and the source keeps the rest for its next redelivery).
void FlushArmUpdates(PartitionSelf self) {
  auto& st = self->state;
  st.flush_pending = false;
  if (st.arm_buffer.empty()) return;
  std::vector<PartitionInput> updates;
  updates.swap(st.arm_buffer);
  std::set<uint32_t> sources;
  sources.swap(st.arm_sources);
  if (!Apply(self, updates).ok()) {
    // Counted in storage_errors. Nothing was logged: the marks below did not
    // move, and the sources keep the updates and send them again.
  }
  const uint32_t here = st.journal->partition();
  for (uint32_t source : sources) {
    const ArmOrdinal logged = st.journal->ArmHighWater(source);
    if (source == here) {
      st.journal->Confirm(here, logged);  // its own arm: no message needed
    } else if (source < st.peers.size()) {
      self->send(st.peers[source], confirm_atom::value, here, logged.sequence, logged.index);
    }
  }
}

constexpr size_t kMaxBufferedArmUpdates = 4096;

CounterList Counters(PartitionSelf self) {
  const PartitionCounters& c = self->state.journal->learner().counters();
  const auto& s = self->state.journal->learner().state();
  return {
      {"partition_arm_updates", static_cast<int64_t>(c.arm_updates)},
      {"partition_arm_gaps", static_cast<int64_t>(self->state.arm_gaps)},
      {"partition_duplicates", static_cast<int64_t>(c.duplicates)},
      {"partition_expired_dropped", static_cast<int64_t>(c.expired_dropped)},
      {"partition_expired_labelled", static_cast<int64_t>(c.expired_labelled)},
      {"partition_learned", static_cast<int64_t>(c.learned)},
      {"partition_model_switches", static_cast<int64_t>(c.model_switches)},
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
      {"partition_evicted_users", static_cast<int64_t>(c.evicted_users)},
      {"partition_evicted_arms", static_cast<int64_t>(c.evicted_arms)},
      {"partition_forgotten_users", static_cast<int64_t>(c.forgotten_users)},
      {"partition_replay", static_cast<int64_t>(s.replay_size())},
  };
}

// The predict path's requests, the same running or after a stall.
std::vector<double> UserScores(PartitionSelf self, const UserScoreRequest& request) {
  std::vector<double> logits;
  logits.reserve(request.candidates.size());
  for (const auto& x : request.candidates) {
    logits.push_back(self->state.journal->learner().UserLogit(request.user, x));
  }
  return logits;
}

std::vector<ArmView> ArmViews(PartitionSelf self, const ArmViewRequest& request) {
  FlushArmUpdates(self);  // reads see every update received so far
  std::vector<ArmView> views;
  views.reserve(request.arms.size());
  for (const auto& [arm, x] : request.arms) views.push_back(self->state.journal->learner().Arm(arm, x));
  return views;
}

// Logs a prediction awaiting its outcome; "" once it is in the durable log
// (a duplicate was logged before), else why not. The router answers the
// predict only after this, so a reply that says "joinable" names a
// prediction that survives a kill -9.
std::string Remember(PartitionSelf self, const PredictionInput& prediction) {
  auto result = Apply(self, {PartitionInput(prediction)});
  if (!result.ok()) return result.status().ToString();
  if (result->rejected > 0) return "refused: " + result->first_rejection;
  return std::string();
}

// Logs a forget, then applies it (PartitionJournal checkpoints right after).
ForgetResult Forget(PartitionSelf self, const std::string& user) {
  auto result = Apply(self, {PartitionInput(ForgetInput{user})});
  if (!result.ok()) return {{}, result.status().ToString()};
  if (result->rejected > 0) return {{}, "refused: " + result->first_rejection};
  if (result->applied.empty()) return {{}, "the forget was not applied"};
  return {result->applied.front().forgotten, ""};
}

// Holds a request while stalled; `answer` computes the reply at resume.
template <class T>
caf::typed_response_promise<T> Hold(PartitionSelf self, std::function<T()> answer) {
  auto promise = self->make_response_promise<T>();
  self->state.held.push_back([promise, answer]() mutable { promise.deliver(answer()); });
  return promise;
}

caf::behavior Running(PartitionSelf self);

caf::behavior Stalled(PartitionSelf self) {
  return {
      [=](resume_atom) {
        self->set_default_handler(caf::print_and_drop);
        self->unbecome();
        auto held = std::move(self->state.held);
        self->state.held.clear();
        for (auto& answer : held) answer();
        // CAF 0.17 looks at the messages skipped while stalled only when a
        // new message arrives; this one makes the partition catch up now
        // even if nothing else is sent to it (Running ignores it).
        self->send(self, resume_atom::value);
      },
      [=](user_score_atom, const UserScoreRequest& request) {
        return Hold<std::vector<double>>(self, [=] { return UserScores(self, request); });
      },
      [=](arm_view_atom, const ArmViewRequest& request) {
        return Hold<std::vector<ArmView>>(self, [=] { return ArmViews(self, request); });
      },
      [=](remember_atom, const PredictionInput& prediction) {
        return Hold<std::string>(self, [=] { return Remember(self, prediction); });
      },
  };
}

caf::behavior Running(PartitionSelf self) {
  return {
      [=](peers_atom, const std::vector<caf::actor>& peers) { self->state.peers = peers; },
      [=](resume_atom) {},  // a stall's timer, or a stop, arriving when not stalled
      // A model activation: the arm updates received before it apply first,
      // then the switch is logged and applied (learning/delta_transform.h).
      // "" once logged (or a duplicate: logged before), else why not.
      [=](model_atom, const ModelSwitchInput& change) -> std::string {
        FlushArmUpdates(self);
        auto result = Apply(self, {PartitionInput(change)});
        if (!result.ok()) return result.status().ToString();
        if (result->rejected > 0) return "refused: " + result->first_rejection;
        return std::string();
      },
      [=](ingest_atom, IngestRequest& request) -> IngestResult {
        std::vector<PartitionInput> inputs;
        inputs.reserve(request.inputs.size());
        for (EventInput& in : request.inputs) inputs.emplace_back(std::move(in));
        auto result = Apply(self, inputs);
        if (!result.ok()) return {0, 0, 0, "", result.status().ToString()};
        return {result->accepted, result->duplicates, result->rejected, result->first_rejection, ""};
      },
      [=](remember_atom, const PredictionInput& prediction) -> std::string {
        return Remember(self, prediction);
      },
      [=](forget_atom, const std::string& user) -> ForgetResult { return Forget(self, user); },
      [=](arm_update_atom, std::vector<ArmUpdateInput>& updates) {
        auto& st = self->state;
        for (auto& u : updates) {
          st.arm_sources.insert(u.source_partition);
          st.arm_buffer.emplace_back(std::move(u));
        }
        if (st.arm_buffer.size() >= kMaxBufferedArmUpdates) {
          FlushArmUpdates(self);
        } else if (!st.flush_pending) {
          st.flush_pending = true;
          self->send(self, flush_atom::value);
        }
      },
      [=](flush_atom) { FlushArmUpdates(self); },
      [=](confirm_atom, uint32_t destination, uint64_t sequence, uint32_t index) {
        self->state.journal->Confirm(destination, ArmOrdinal{sequence, index});
      },
      // At start: everything unconfirmed; then every period: what stayed
      // unconfirmed for a whole period (a lost or refused delivery).
      [=](redeliver_atom, bool everything) {
        auto& st = self->state;
        SendArmUpdates(self, everything ? st.journal->Unconfirmed() : st.journal->TickOutbox());
        self->delayed_send(self, st.redeliver_every, redeliver_atom::value, false);
      },
      [=](user_score_atom, const UserScoreRequest& request) -> std::vector<double> {
        return UserScores(self, request);
      },
      [=](arm_view_atom, const ArmViewRequest& request) -> std::vector<ArmView> {
        return ArmViews(self, request);
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

caf::behavior PartitionActor(PartitionSelf self, std::shared_ptr<PartitionJournal> journal,
                             std::chrono::milliseconds redeliver_every) {
  self->state.journal = std::move(journal);
  self->state.redeliver_every = redeliver_every;
  return Running(self);
}

}  // namespace

caf::actor SpawnPartition(caf::actor_system& system, std::shared_ptr<PartitionJournal> journal,
                          std::chrono::milliseconds redeliver_every) {
  return system.spawn(PartitionActor, std::move(journal), redeliver_every);
}

}  // namespace driftline
