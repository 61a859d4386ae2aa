// The partition actor: owns one PartitionJournal and applies, in log order,
// what the router and the other partitions send it. Behaviours are thin; the
// rules live in PartitionJournal, PartitionLearner and, for arm updates,
// learning/arm_update_delivery.h (stamped by the source's journal, judged by
// the destination's, confirmed by high-water mark, sent again at start and
// every redeliver period while unconfirmed).
//
// Appends never run here: work that changes state (ingest shares, arm
// updates, predictions to log) is queued, prepared by the journal (admission,
// de-duplication) and handed to the node's log writer, one append at a time;
// what arrives meanwhile is queued and goes out as the next append (group
// commit: one append per drain). The inputs are applied when the writer
// answers, in log order. Meanwhile the partition keeps answering the predict
// path's reads at once from its applied state, so a read never waits for a
// disk write. Requests that must see everything received before them applied
// (ingest's arm reads, status counters, checkpoints) wait in the queue as
// barriers. Predictions to log go ahead of queued ingest work (their own
// append, at high priority at the writer).
//
//   running --stall(ms)--> stalled --resume--> running
//   (while stalled every other message stays in the mailbox, so the partition
//    catches up, in order, when it returns; an append already at the writer
//    is still applied when it returns)
#include <deque>
#include <functional>
#include <map>
#include <set>

#include "actors/actors.h"
#include "actors/messages.h"
#include "cluster/partitioner.h"
#include "learning/online_step.h"

namespace driftline {
namespace {

// Work that changes the partition's state, waiting for its append; or a
// barrier, run once everything queued before it is applied.
struct QueuedWork {
  enum class Kind { kIngest, kRemember, kArmUpdates, kModelSwitch, kBarrier };
  Kind kind = Kind::kIngest;
  std::vector<PartitionInput> inputs;
  size_t input_count = 0;  // inputs.size() before they were moved into an append
  caf::typed_response_promise<IngestResult> ingest;
  caf::typed_response_promise<std::string> remember;  // kRemember, kModelSwitch
  std::function<void()> barrier;
};

// The work of one append: its requests and the journal's verdict on each input.
struct AppendGroup {
  std::vector<QueuedWork> items;
  std::vector<InputVerdict> verdicts;
  std::vector<std::string> rejections;
  std::set<uint32_t> arm_sources;  // get this partition's high-water mark afterwards
};

// Two lanes, each with at most one append in flight: predictions to log
// (their own writer, at normal priority) and everything else (the ingest
// writer, at low priority). The log gives each append its sequences when it
// runs, so the two lanes' appends may land in either order; they are
// applied in log order (by sequence), whatever order their answers come in.
enum Lane : size_t { kIngestLane = 0, kPredictionLane = 1, kLanes = 2 };

struct PartitionActorState {
  std::shared_ptr<PartitionJournal> journal;
  caf::actor writers[kLanes];
  // Ingest appends outstanding in the whole node (shared by its partitions).
  std::shared_ptr<std::atomic<int64_t>> ingest_appends;
  // Predictions to log, and the rest in arrival order (bounded: see below).
  std::deque<QueuedWork> remembers;
  std::deque<QueuedWork> queue;
  size_t queued_arm_updates = 0;
  bool writing[kLanes] = {false, false};  // an append of the lane is at its writer
  // The lane's append is at its writer or answered and not yet applied: the
  // lane's next Prepare must wait until it is applied.
  bool busy[kLanes] = {false, false};
  AppendGroup in_flight[kLanes];
  // Appends answered but not yet applied: waiting for an earlier sequence
  // (the other lane's append), keyed by their first sequence.
  std::map<uint64_t, std::pair<Lane, AppendOutcome>> appended;
  bool stalled = false;
  std::chrono::milliseconds redeliver_every{1000};
  std::vector<caf::actor> peers;  // every partition, by index (self included)
  // While stalled: the predict path's high-priority requests (reads,
  // predictions to log), answered in arrival order when the stall ends.
  // CAF 0.17 does not bring skipped high-priority messages back after a
  // behaviour change, so they are held here instead of skipped.
  std::vector<std::function<void()>> held;
  uint64_t storage_errors = 0;
  uint64_t arm_gaps = 0;
  uint64_t appends = 0;                 // appends (at a writer, or inline)
  uint64_t inline_appends = 0;          // predictions logged on the partition's thread (no ingest work)
  uint64_t arm_updates_deferred = 0;    // dropped at the queue bound: the source sends them again
  uint64_t refused_queue_full = 0;      // ingest shares / predictions refused at the queue bound
  uint64_t refused_outbox_full = 0;     // ingest shares refused while the arm-update outbox is full
  uint64_t out_of_order_appends = 0;    // applied although a sequence before them never came (a log fault)
  static inline const char* name = "partition";
};

using PartitionSelf = caf::stateful_actor<PartitionActorState>*;

// Bounds of the queue. What reaches it is already bounded upstream (the
// router's batches in flight and per-partition backlog, the sources'
// outboxes); these are the partition's own guard.
constexpr size_t kMaxQueuedWork = 4096;         // requests and barriers
constexpr size_t kMaxQueuedArmUpdates = 65'536;  // arm updates (the source resends the rest)
constexpr size_t kMaxInputsPerAppend = 8192;     // one append's inputs (bounds its time)

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

// Answers every request of an append (`error` non-empty: nothing of it was
// logged), then tells every arm-update source what is logged here from it
// (also after a failed append: the mark did not move, and the source keeps
// the rest for its next redelivery).
void FinishGroup(PartitionSelf self, AppendGroup& group, const std::string& error) {
  auto& st = self->state;
  size_t v = 0, rejection = 0;
  for (QueuedWork& item : group.items) {
    IngestResult r;
    for (size_t k = 0; k < item.input_count && v < group.verdicts.size(); ++k, ++v) {
      switch (group.verdicts[v]) {
        case InputVerdict::kToLog: ++r.accepted; break;
        case InputVerdict::kDuplicate: ++r.duplicates; break;
        case InputVerdict::kArmGap: if (error.empty()) ++st.arm_gaps; break;
        case InputVerdict::kRejected:
          if (r.rejected++ == 0) r.first_rejection = group.rejections[rejection];
          ++rejection;
          break;
      }
    }
    if (item.kind == QueuedWork::Kind::kIngest) {
      item.ingest.deliver(error.empty() ? r : IngestResult{0, 0, 0, "", error});
    } else if (item.kind == QueuedWork::Kind::kRemember || item.kind == QueuedWork::Kind::kModelSwitch) {
      // "" once the prediction (or model switch) is in the durable log (or
      // was logged before).
      item.remember.deliver(!error.empty() ? error
                            : r.rejected > 0 ? "refused: " + r.first_rejection
                                             : std::string());
    }
  }
  const uint32_t here = st.journal->partition();
  for (uint32_t source : group.arm_sources) {
    const ArmOrdinal logged = st.journal->ArmHighWater(source);
    if (source == here) {
      st.journal->Confirm(here, logged);  // its own arm: no message needed
    } else if (source < st.peers.size()) {
      self->send(st.peers[source], confirm_atom::value, here, logged.sequence, logged.index);
    }
  }
}

void Pump(PartitionSelf self);

bool Idle(PartitionSelf self) {
  const auto& st = self->state;
  return !st.busy[kIngestLane] && !st.busy[kPredictionLane];
}

// Applies the answered appends that are next in the log, in sequence order,
// answers their requests and sends the arm updates produced.
void ApplyInLogOrder(PartitionSelf self) {
  auto& st = self->state;
  while (!st.appended.empty()) {
    auto next = st.appended.begin();
    if (next->first != st.journal->applied_sequence() + 1) {
      // An earlier sequence is still at a writer: wait for it. If no append
      // is outstanding, none can come (a log that skipped sequences): apply
      // anyway rather than wait forever, and count it.
      if (st.writing[kIngestLane] || st.writing[kPredictionLane]) return;
      ++st.out_of_order_appends;
    }
    const Lane lane = next->second.first;
    AppendOutcome out = std::move(next->second.second);
    st.appended.erase(next);
    AppendGroup group = std::move(st.in_flight[lane]);
    st.in_flight[lane] = AppendGroup{};
    st.busy[lane] = false;
    JournalBatchResult committed = st.journal->Commit(out.inputs, out.range);
    RouteArmUpdates(self, committed.arm_updates);
    FinishGroup(self, group, std::string());
  }
}

// A writer answered the lane's append.
void Appended(PartitionSelf self, Lane lane, AppendOutcome& out) {
  auto& st = self->state;
  st.writing[lane] = false;
  if (lane == kIngestLane) --*st.ingest_appends;
  if (out.error.empty()) {
    const uint64_t first = out.range.first;
    st.appended.emplace(first, std::make_pair(lane, std::move(out)));
  } else {
    // Nothing of it was logged (and no sequence was used).
    ++st.storage_errors;
    AppendGroup group = std::move(st.in_flight[lane]);
    st.in_flight[lane] = AppendGroup{};
    st.busy[lane] = false;
    FinishGroup(self, group, out.error);
  }
  ApplyInLogOrder(self);
  Pump(self);
}

// Moves work from the front of `from` into `group` (its inputs into
// `inputs`) up to a barrier or kMaxInputsPerAppend inputs.
void TakeInto(PartitionSelf self, std::deque<QueuedWork>& from, AppendGroup& group,
              std::vector<PartitionInput>& inputs) {
  while (!from.empty() && from.front().kind != QueuedWork::Kind::kBarrier &&
         (inputs.empty() || inputs.size() + from.front().inputs.size() <= kMaxInputsPerAppend)) {
    QueuedWork w = std::move(from.front());
    from.pop_front();
    w.input_count = w.inputs.size();
    if (w.kind == QueuedWork::Kind::kArmUpdates) {
      self->state.queued_arm_updates -= std::min(self->state.queued_arm_updates, w.input_count);
      for (const auto& in : w.inputs) group.arm_sources.insert(std::get<ArmUpdateInput>(in).source_partition);
    }
    for (auto& in : w.inputs) inputs.push_back(std::move(in));
    w.inputs.clear();
    group.items.push_back(std::move(w));
  }
}

// Prepares `inputs` and hands what is to be logged to the lane's writer (or
// answers at once when nothing is). Returns whether an append started.
bool StartAppend(PartitionSelf self, Lane lane, AppendGroup group, std::vector<PartitionInput> inputs) {
  auto& st = self->state;
  PreparedInputs prepared = st.journal->Prepare(std::move(inputs));
  group.verdicts = std::move(prepared.verdicts);
  group.rejections = std::move(prepared.rejections);
  if (prepared.to_log.empty()) {  // nothing to append: answer at once
    FinishGroup(self, group, std::string());
    return false;
  }
  if (lane == kPredictionLane && Idle(self) && st.queue.empty() && st.ingest_appends->load() == 0) {
    // No ingest append anywhere in the node: log the predictions on this
    // thread, as a small append (no ingest write for it to wait behind in
    // RocksDB), instead of a hop to the prediction writer's thread (which on
    // a busy machine may wait for a CPU). Nothing else of this partition is
    // in flight, so the log order is the apply order.
    ++st.appends;
    ++st.inline_appends;
    auto committed = st.journal->AppendAndCommit(prepared.to_log);
    if (committed.ok()) {
      RouteArmUpdates(self, committed->arm_updates);
      FinishGroup(self, group, std::string());
    } else {
      ++st.storage_errors;
      FinishGroup(self, group, committed.status().ToString());
    }
    return false;
  }
  st.writing[lane] = true;
  st.busy[lane] = true;
  st.in_flight[lane] = std::move(group);
  if (lane == kIngestLane) ++*st.ingest_appends;
  ++st.appends;
  AppendRequest request{st.journal->partition(), st.journal->epoch(), std::move(prepared.to_log)};
  self->request(st.writers[lane], caf::infinite, append_atom::value, std::move(request))
      .then([=](AppendOutcome& out) { Appended(self, lane, out); },
            [=](caf::error& err) {
              AppendOutcome out;
              out.error = "log writer: " + caf::to_string(err);
              Appended(self, lane, out);
            });
  return true;
}

// Starts the lanes' next appends where none is in flight: every queued
// prediction in one append; the queue up to its next barrier in another.
// A barrier at the queue's front runs once both lanes' appends are applied;
// until then no new append starts (so a steady stream of predictions cannot
// starve it).
void Pump(PartitionSelf self) {
  auto& st = self->state;
  while (!st.stalled) {
    if (!st.queue.empty() && st.queue.front().kind == QueuedWork::Kind::kBarrier) {
      if (!Idle(self)) return;
      auto barrier = std::move(st.queue.front().barrier);
      st.queue.pop_front();
      barrier();
      continue;
    }
    bool progressed = false;
    if (!st.busy[kPredictionLane] && !st.remembers.empty()) {
      AppendGroup group;
      std::vector<PartitionInput> inputs;
      TakeInto(self, st.remembers, group, inputs);
      StartAppend(self, kPredictionLane, std::move(group), std::move(inputs));
      progressed = true;
    }
    if (!st.busy[kIngestLane] && !st.queue.empty()) {
      AppendGroup group;
      std::vector<PartitionInput> inputs;
      TakeInto(self, st.queue, group, inputs);
      StartAppend(self, kIngestLane, std::move(group), std::move(inputs));
      progressed = true;
    }
    if (!progressed) return;
  }
}

// Runs `barrier` once everything queued before it is applied (at once if
// nothing is queued or in flight).
void Settle(PartitionSelf self, std::function<void()> barrier) {
  auto& st = self->state;
  if (Idle(self) && st.queue.empty()) return barrier();
  if (st.queue.size() >= kMaxQueuedWork) return barrier();  // the bound: answered unsettled
  QueuedWork w;
  w.kind = QueuedWork::Kind::kBarrier;
  w.barrier = std::move(barrier);
  st.queue.push_back(std::move(w));
  Pump(self);
}

CounterList Counters(PartitionSelf self) {
  const PartitionCounters& c = self->state.journal->learner().counters();
  const auto& s = self->state.journal->learner().state();
  return {
      {"partition_appends", static_cast<int64_t>(self->state.appends)},
      {"partition_appends_inline", static_cast<int64_t>(self->state.inline_appends)},
      {"partition_arm_updates", static_cast<int64_t>(c.arm_updates)},
      {"partition_arm_updates_deferred", static_cast<int64_t>(self->state.arm_updates_deferred)},
      {"partition_arm_gaps", static_cast<int64_t>(self->state.arm_gaps)},
      {"partition_duplicates", static_cast<int64_t>(c.duplicates)},
      {"partition_expired_dropped", static_cast<int64_t>(c.expired_dropped)},
      {"partition_expired_labelled", static_cast<int64_t>(c.expired_labelled)},
      {"partition_learned", static_cast<int64_t>(c.learned)},
      {"partition_model_switches", static_cast<int64_t>(c.model_switches)},
      {"partition_outcomes_joined", static_cast<int64_t>(c.outcomes_joined)},
      {"partition_outcomes_unknown", static_cast<int64_t>(c.outcomes_unknown)},
      {"partition_outbox", static_cast<int64_t>(self->state.journal->outbox_size())},
      {"partition_out_of_order_appends", static_cast<int64_t>(self->state.out_of_order_appends)},
      {"partition_pending", static_cast<int64_t>(s.pending_count())},
      {"partition_predictions", static_cast<int64_t>(c.predictions)},
      {"partition_refused_queue_full", static_cast<int64_t>(self->state.refused_queue_full)},
      {"partition_refused_outbox_full", static_cast<int64_t>(self->state.refused_outbox_full)},
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

// The predict path's reads, answered from the applied state.
std::vector<double> UserScores(PartitionSelf self, const UserScoreRequest& request) {
  std::vector<double> logits;
  logits.reserve(request.candidates.size());
  for (const auto& x : request.candidates) {
    logits.push_back(self->state.journal->learner().UserLogit(request.user, x));
  }
  return logits;
}

std::vector<ArmView> ArmViewsNow(PartitionSelf self, const ArmViewRequest& request) {
  std::vector<ArmView> views;
  views.reserve(request.arms.size());
  for (const auto& [arm, x] : request.arms) views.push_back(self->state.journal->learner().Arm(arm, x));
  return views;
}

// Settling reads (ingest's) see every arm update received before them;
// predict reads are answered at once.
void AnswerArmViews(PartitionSelf self, std::shared_ptr<const ArmViewRequest> request,
                    caf::typed_response_promise<std::vector<ArmView>> promise) {
  if (!request->settle) {
    promise.deliver(ArmViewsNow(self, *request));
    return;
  }
  Settle(self, [self, promise, request]() mutable { promise.deliver(ArmViewsNow(self, *request)); });
}

// Queues a prediction to log; `promise` gets "" once it is in the durable log
// (or was logged before), else why not. The router answers the predict only
// after this, so a reply that says "joinable" names a prediction that
// survives a kill -9.
void Remember(PartitionSelf self, const PredictionInput& prediction,
              caf::typed_response_promise<std::string> promise) {
  auto& st = self->state;
  if (st.remembers.size() + st.queue.size() >= kMaxQueuedWork) {
    ++st.refused_queue_full;
    promise.deliver("partition " + std::to_string(st.journal->partition()) + " has " +
                    std::to_string(kMaxQueuedWork) + " requests queued");
    return;
  }
  QueuedWork w;
  w.kind = QueuedWork::Kind::kRemember;
  w.inputs.emplace_back(prediction);
  w.remember = std::move(promise);
  st.remembers.push_back(std::move(w));
  Pump(self);
}

// Logs a forget and applies it (PartitionJournal checkpoints right after).
// REQUIRES: nothing of this partition is in flight at a writer (it runs as a
// barrier: Settle), so the synchronous append keeps log order = apply order.
ForgetResult Forget(PartitionSelf self, const std::string& user) {
  auto result = self->state.journal->LogAndApply({PartitionInput(ForgetInput{user})});
  if (!result.ok()) {
    ++self->state.storage_errors;
    return {{}, result.status().ToString()};
  }
  if (result->rejected > 0) return {{}, "refused: " + result->first_rejection};
  if (result->applied.empty()) return {{}, "the forget was not applied"};
  return {result->applied.front().forgotten, ""};
}

caf::behavior Running(PartitionSelf self);

caf::behavior Stalled(PartitionSelf self) {
  return {
      [=](resume_atom) {
        self->set_default_handler(caf::print_and_drop);
        self->unbecome();
        self->state.stalled = false;
        auto held = std::move(self->state.held);
        self->state.held.clear();
        for (auto& answer : held) answer();
        Pump(self);
        // CAF 0.17 looks at the messages skipped while stalled only when a
        // new message arrives; this one makes the partition catch up now
        // even if nothing else is sent to it (Running ignores it).
        self->send(self, resume_atom::value);
      },
      [=](user_score_atom, const UserScoreRequest& request) {
        auto promise = self->make_response_promise<std::vector<double>>();
        self->state.held.push_back([=]() mutable { promise.deliver(UserScores(self, request)); });
        return promise;
      },
      [=](arm_view_atom, ArmViewRequest& request) {
        auto promise = self->make_response_promise<std::vector<ArmView>>();
        auto shared = std::make_shared<const ArmViewRequest>(std::move(request));
        self->state.held.push_back([=]() mutable { AnswerArmViews(self, shared, promise); });
        return promise;
      },
      [=](remember_atom, const PredictionInput& prediction) {
        auto promise = self->make_response_promise<std::string>();
        self->state.held.push_back([=]() mutable { Remember(self, prediction, promise); });
        return promise;
      },
  };
}

caf::behavior Running(PartitionSelf self) {
  return {
      [=](peers_atom, const std::vector<caf::actor>& peers) { self->state.peers = peers; },
      [=](resume_atom) {},  // a stall's timer, or a stop, arriving when not stalled
      // A model activation: the arm updates received before it apply first
      // (it is queued behind them), then the switch is logged and applied
      // (learning/delta_transform.h). "" once logged (or a duplicate: logged
      // before), else why not.
      [=](model_atom, const ModelSwitchInput& change) {
        auto& st = self->state;
        auto promise = self->make_response_promise<std::string>();
        if (st.queue.size() + st.remembers.size() >= kMaxQueuedWork) {
          ++st.refused_queue_full;
          promise.deliver("partition " + std::to_string(st.journal->partition()) + " busy: " +
                          std::to_string(kMaxQueuedWork) + " requests queued");
          return promise;
        }
        QueuedWork w;
        w.kind = QueuedWork::Kind::kModelSwitch;
        w.inputs.emplace_back(change);
        w.remember = promise;
        st.queue.push_back(std::move(w));
        Pump(self);
        return promise;
      },
      [=](ingest_atom, IngestRequest& request) {
        auto& st = self->state;
        auto promise = self->make_response_promise<IngestResult>();
        if (st.queue.size() + st.remembers.size() >= kMaxQueuedWork) {
          ++st.refused_queue_full;
          promise.deliver(IngestResult{0, 0, 0, "",
                                       "partition " + std::to_string(st.journal->partition()) +
                                           " busy: " + std::to_string(kMaxQueuedWork) +
                                           " requests queued"});
          return promise;
        }
        QueuedWork w;
        w.kind = QueuedWork::Kind::kIngest;
        w.inputs.reserve(request.inputs.size());
        for (EventInput& in : request.inputs) w.inputs.emplace_back(std::move(in));
        if (Status admitted = st.journal->AdmitOutbox(w.inputs); !admitted.ok()) {
          ++st.refused_outbox_full;
          promise.deliver(IngestResult{0, 0, 0, "", admitted.ToString()});
          return promise;
        }
        w.ingest = promise;
        st.queue.push_back(std::move(w));
        Pump(self);
        return promise;
      },
      [=](remember_atom, const PredictionInput& prediction) {
        auto promise = self->make_response_promise<std::string>();
        Remember(self, prediction, promise);
        return promise;
      },
      // A forget waits for the appends before it (a barrier), then is logged
      // and applied on this thread.
      [=](forget_atom, const std::string& user) {
        auto& st = self->state;
        auto promise = self->make_response_promise<ForgetResult>();
        if (!(Idle(self) && st.queue.empty()) && st.queue.size() >= kMaxQueuedWork) {
          ++st.refused_queue_full;
          promise.deliver(ForgetResult{{}, "partition " + std::to_string(st.journal->partition()) +
                                               " busy: " + std::to_string(kMaxQueuedWork) +
                                               " requests queued"});
          return promise;
        }
        Settle(self, [self, promise, user]() mutable { promise.deliver(Forget(self, user)); });
        return promise;
      },
      [=](arm_update_atom, std::vector<ArmUpdateInput>& updates) {
        auto& st = self->state;
        if (st.queued_arm_updates + updates.size() > kMaxQueuedArmUpdates ||
            st.queue.size() >= kMaxQueuedWork) {
          // Not logged here, so the high-water mark does not move: the source
          // keeps them in its outbox and sends them again.
          st.arm_updates_deferred += updates.size();
          return;
        }
        st.queued_arm_updates += updates.size();
        if (!st.queue.empty() && st.queue.back().kind == QueuedWork::Kind::kArmUpdates) {
          for (auto& u : updates) st.queue.back().inputs.emplace_back(std::move(u));
        } else {
          QueuedWork w;
          w.kind = QueuedWork::Kind::kArmUpdates;
          w.inputs.reserve(updates.size());
          for (auto& u : updates) w.inputs.emplace_back(std::move(u));
          st.queue.push_back(std::move(w));
        }
        Pump(self);
      },
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
      [=](arm_view_atom, ArmViewRequest& request) {
        auto promise = self->make_response_promise<std::vector<ArmView>>();
        AnswerArmViews(self, std::make_shared<const ArmViewRequest>(std::move(request)), promise);
        return promise;
      },
      [=](stall_atom, uint32_t duration_ms) {
        self->state.stalled = true;
        self->set_default_handler(caf::skip);
        self->become(caf::keep_behavior, Stalled(self));
        self->delayed_send(self, std::chrono::milliseconds(duration_ms), resume_atom::value);
      },
      // Checkpoints and counters see everything received before them applied.
      [=](checkpoint_atom) {
        auto promise = self->make_response_promise<std::string>();
        Settle(self, [self, promise]() mutable {
          Status s = self->state.journal->Checkpoint();
          promise.deliver(s.ok() ? std::string() : s.ToString());
        });
        return promise;
      },
      [=](counters_atom) {
        auto promise = self->make_response_promise<CounterList>();
        Settle(self, [self, promise]() mutable { promise.deliver(Counters(self)); });
        return promise;
      },
  };
}

caf::behavior PartitionActor(PartitionSelf self, std::shared_ptr<PartitionJournal> journal,
                             caf::actor ingest_writer, caf::actor prediction_writer,
                             std::shared_ptr<std::atomic<int64_t>> ingest_appends,
                             std::chrono::milliseconds redeliver_every) {
  self->state.journal = std::move(journal);
  self->state.ingest_appends = std::move(ingest_appends);
  self->state.writers[kIngestLane] = std::move(ingest_writer);
  self->state.writers[kPredictionLane] = std::move(prediction_writer);
  self->state.redeliver_every = redeliver_every;
  return Running(self);
}

}  // namespace

caf::actor SpawnPartition(caf::actor_system& system, std::shared_ptr<PartitionJournal> journal,
                          caf::actor ingest_writer, caf::actor prediction_writer,
                          std::shared_ptr<std::atomic<int64_t>> ingest_appends_outstanding,
                          std::chrono::milliseconds redeliver_every) {
  return system.spawn(PartitionActor, std::move(journal), std::move(ingest_writer),
                      std::move(prediction_writer), std::move(ingest_appends_outstanding),
                      redeliver_every);
}

}  // namespace driftline
