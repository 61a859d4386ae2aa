// The router actor. Two flows, each a small scatter/gather:
//
// predict:  base scores here -> user's partition (user deltas) and the arms'
//           partitions (arm deltas + evidence), within the gather window ->
//           combine, choose -> log the prediction at the user's partition ->
//           reply (joinable). A partition that misses the window turns the
//           reply into base-only scores with fallback = true and the reason;
//           the endpoint answers by the deadline if the router has not.
// ingest:   base logits here -> arms' partitions (arm deltas of labelled
//           events) -> user's partitions log and apply their share -> one
//           BatchAck after every share is durable.
#include <algorithm>
#include <chrono>
#include <functional>
#include <unordered_map>

#include "actors/actors.h"
#include "actors/messages.h"
#include "actors/predict_reply.h"
#include "cluster/partitioner.h"
#include "learning/logistic.h"
#include "learning/model_input.h"
#include "learning/online_step.h"
#include "learning/policy_score.h"
#include "learning/policy_thompson.h"
#include "common/rng.h"
#include "protocol/codec.h"

namespace driftline {
namespace {

struct PredictGather;

struct RouterState {
  RouterConfig config;
  std::vector<caf::actor> partitions;
  ModelPtr model;
  std::unique_ptr<Rng> rng;
  // Reads and predictions to log outstanding per partition (bounded by
  // config.max_partition_backlog).
  std::vector<uint32_t> backlog;
  // --fsync: logged predicts waiting for the next fsync, and whether one runs.
  std::vector<std::pair<ClientRequest, PredictReply>> predict_sync_waiting;
  bool predict_sync_running = false;
  // Predicts waiting for partitions, by gather id; each has one deadline
  // timer (a single clock registration per predict, not one per request).
  std::unordered_map<uint64_t, std::shared_ptr<PredictGather>> open_predicts;
  uint64_t next_gather = 0;
  uint32_t ingest_in_flight = 0;  // batches accepted for work and not yet answered
  int64_t batches_refused_busy = 0;
  int64_t predicts = 0, fallbacks = 0, no_model = 0, batches = 0, events_accepted = 0,
          events_duplicate = 0, batch_errors = 0, arm_view_misses = 0, predicts_unjoinable = 0,
          predict_log_errors = 0, reads_skipped_backlog = 0, predicts_expired_on_arrival = 0;
  static inline const char* name = "router";
};
using RouterSelf = caf::stateful_actor<RouterState>*;

uint32_t PartitionFor(RouterSelf self, const std::string& key) {
  return PartitionOf(key, static_cast<uint32_t>(self->state.partitions.size()));
}

void ReplyError(RouterSelf self, const ClientRequest& client, uint64_t request_id,
                const Status& status) {
  ErrorReply e{request_id, status.code(), status.message()};
  self->state.config.sink->Reply(client.peer, EncodeFrame(e));
}

int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// ---- predict ---------------------------------------------------------------
//
//   gathering --all parts in, or the gather window (gather_share of the
//   deadline) passed--> logging (draft posted to the endpoint) --the user's
//   partition logged it (and the syncer fsynced, with --fsync)--> answered
//   (joinable), or --logging failed / the partition is backlogged--> answered
//   (not joinable). The endpoint answers at the deadline with the draft (or
//   base-only) if the router has not answered by then; its answer wins.

struct PredictGather {
  ClientRequest client;
  PredictRequestPtr request;
  int64_t ts_ms = 0;
  ModelPtr model;
  std::vector<FeatureSet> features;  // per candidate: context + candidate features
  std::vector<double> base;          // per candidate
  std::vector<SparseFeatures> xs;    // per candidate, delta hashing
  std::vector<double> user;          // per candidate, from the user's partition
  std::vector<ArmView> arms;         // per candidate, from the arms' partitions
  uint64_t id = 0;
  // Requests yet to answer: (partition, part), the part being "user part" or
  // "arm parts of <items>".
  std::vector<std::pair<uint32_t, std::string>> waiting;
  uint32_t deadline_ms = 0;
  std::vector<uint32_t> missed;      // partitions that did not answer in time
  std::vector<std::string> missed_parts;  // "user part (partition 4)", ...
  bool finished = false;
};

// Names the partitions and the parts that fell back: a missing user part is
// served as base + arm deltas, a missing arm part as its candidates' base
// (no arm delta, the prior's evidence); what arrived is used.
std::string MissedReason(const PredictGather& g) {
  std::string reason = g.missed.size() == 1 ? "partition " : "partitions ";
  for (size_t i = 0; i < g.missed.size(); ++i) {
    reason += (i ? "," : "") + std::to_string(g.missed[i]);
  }
  reason += " did not answer within " + std::to_string(g.deadline_ms) + " ms; fell back on the ";
  for (size_t i = 0; i < g.missed_parts.size(); ++i) {
    reason += (i ? ", " : "") + g.missed_parts[i];
  }
  return reason;
}

void MarkMissed(PredictGather& g, uint32_t partition, const std::string& part) {
  if (std::find(g.missed.begin(), g.missed.end(), partition) == g.missed.end()) g.missed.push_back(partition);
  g.missed_parts.push_back(part + " (partition " + std::to_string(partition) + ")");
}

// The router's final answer for the predict, unless the endpoint's deadline
// answer left first (then it is dropped, counted in the endpoint's table).
void Deliver(RouterSelf self, const ClientRequest& client, const std::string& frame) {
  auto& st = self->state;
  std::string peer;
  if (st.config.open_predicts->Claim(client.predict_token, &peer)) st.config.sink->Reply(peer, frame);
  st.config.open_predicts->RouterDone(client.predict_token);
}

void DeliverReply(RouterSelf self, const ClientRequest& client, const PredictReply& reply) {
  if (!reply.joinable) ++self->state.predicts_unjoinable;
  Deliver(self, client, EncodeFrame(reply));
}

void DeliverUnjoinable(RouterSelf self, const ClientRequest& client, PredictReply reply,
                       std::string why) {
  reply.joinable = false;
  reply.unjoinable_reason = std::move(why);
  DeliverReply(self, client, reply);
}

// With --fsync a logged prediction is answered only after an fsync; the
// predicts logged while one fsync runs share the next (group commit).
void StartPredictSync(RouterSelf self) {
  auto& st = self->state;
  if (st.predict_sync_running || st.predict_sync_waiting.empty()) return;
  st.predict_sync_running = true;
  auto batch = std::make_shared<std::vector<std::pair<ClientRequest, PredictReply>>>();
  batch->swap(st.predict_sync_waiting);
  auto done = [=](const std::string& error) {
    self->state.predict_sync_running = false;
    for (auto& [client, reply] : *batch) {
      if (error.empty()) {
        DeliverReply(self, client, reply);
      } else {
        ++self->state.predict_log_errors;
        DeliverUnjoinable(self, client, reply, "the prediction was logged but not fsynced: " + error);
      }
    }
    StartPredictSync(self);
  };
  self->request<caf::message_priority::high>(st.config.syncer, caf::infinite, sync_atom::value)
      .then([=](std::string& error) { done(error); },
            [=](caf::error& err) { done(caf::to_string(err)); });
}

// Logs the prediction at the user's partition, then answers.
void LogThenReply(RouterSelf self, const std::shared_ptr<PredictGather>& g, PredictReply reply,
                  PredictionInput remember) {
  auto& st = self->state;
  const uint32_t p = PartitionFor(self, g->request->user);
  if (st.backlog[p] >= st.config.max_partition_backlog) {
    return DeliverUnjoinable(self, g->client, std::move(reply),
                             "partition " + std::to_string(p) + " has " +
                                 std::to_string(st.backlog[p]) +
                                 " requests outstanding; the prediction was not logged");
  }
  ++st.backlog[p];
  const ClientRequest client = g->client;
  self->request<caf::message_priority::high>(st.partitions[p], caf::infinite, remember_atom::value,
                                             std::move(remember))
      .then(
          [=](std::string& error) {
            --self->state.backlog[p];
            if (!error.empty()) {
              ++self->state.predict_log_errors;
              return DeliverUnjoinable(self, client, reply, "logging the prediction failed: " + error);
            }
            if (!self->state.config.syncer) return DeliverReply(self, client, reply);
            self->state.predict_sync_waiting.emplace_back(client, reply);
            StartPredictSync(self);
          },
          [=](caf::error& err) {
            --self->state.backlog[p];
            ++self->state.predict_log_errors;
            DeliverUnjoinable(self, client, reply, "logging the prediction failed: " + caf::to_string(err));
          });
}

void FinishPredict(RouterSelf self, const std::shared_ptr<PredictGather>& g) {
  auto& st = self->state;
  const bool fallback = !g->missed.empty();
  // Per part: a part that did not arrive stays zero (its base), the rest is used.
  OnlineParts online{g->user, g->arms};
  auto composed = ComposeReply(*g->request, g->base, online, st.config.prior, *st.rng);
  if (!composed.ok()) {
    ErrorReply e{g->request->request_id, composed.status().code(), composed.status().message()};
    return Deliver(self, g->client, EncodeFrame(e));
  }
  PredictReply reply = std::move(composed->reply);
  reply.prediction_id = g->client.prediction_id;
  reply.model_version = g->model->version();
  reply.fallback = fallback;
  if (fallback) {
    reply.fallback_reason = MissedReason(*g);
    ++st.fallbacks;
  }
  ++st.predicts;

  // The endpoint sends this if the deadline comes before the log confirms.
  PredictReply draft = reply;
  draft.joinable = false;
  draft.unjoinable_reason = "the prediction was not logged within the deadline (" +
                            std::to_string(g->deadline_ms) + " ms)";
  st.config.open_predicts->SetDraft(g->client.predict_token, std::move(draft));

  const size_t c = composed->chosen;
  PredictionInput remember;
  PendingPrediction& p = remember.prediction;
  p.prediction_id = reply.prediction_id;
  p.user = g->request->user;
  p.chosen = reply.chosen;
  p.propensity = reply.propensity;
  p.model_version = reply.model_version;
  p.ts_ms = g->ts_ms;
  p.features = g->features[c];
  p.base_logit = g->base[c];
  p.user_logit = g->user[c];
  p.arm_logit = g->arms[c].logit;
  LogThenReply(self, g, std::move(reply), std::move(remember));
}

void Finish(RouterSelf self, const std::shared_ptr<PredictGather>& g) {
  g->finished = true;
  self->state.open_predicts.erase(g->id);
  FinishPredict(self, g);
}

// One request of the gather answered (or failed: then its part missed).
void Answered(RouterSelf self, const std::shared_ptr<PredictGather>& g, uint32_t partition,
              const std::string& part, bool ok) {
  if (g->finished) return;  // the gather window closed already
  auto it = std::find(g->waiting.begin(), g->waiting.end(), std::make_pair(partition, part));
  if (it != g->waiting.end()) g->waiting.erase(it);
  if (!ok) MarkMissed(*g, partition, part);
  if (g->waiting.empty()) Finish(self, g);
}

// The gather window closed: every partition still waited for missed it.
void DeadlinePassed(RouterSelf self, uint64_t gather_id) {
  auto it = self->state.open_predicts.find(gather_id);
  if (it == self->state.open_predicts.end()) return;
  std::shared_ptr<PredictGather> g = it->second;
  for (const auto& [p, part] : g->waiting) MarkMissed(*g, p, part);
  Finish(self, g);
}

// Sends one read of the gather to partition `p`, unless `p` is backlogged
// (then it counts as missed at once). `on_value` takes the answer.
template <class Atom, class Request, class Value>
void Read(RouterSelf self, const std::shared_ptr<PredictGather>& g, uint32_t p, std::string part,
          Atom atom, Request request, std::function<void(Value&)> on_value) {
  auto& st = self->state;
  if (st.backlog[p] >= st.config.max_partition_backlog) {
    ++st.reads_skipped_backlog;
    return Answered(self, g, p, part, false);
  }
  ++st.backlog[p];
  // No timeout of its own: the gather window covers it; an answer after it
  // is ignored. High priority, like the predict itself: reads are answered
  // ahead of queued ingest work.
  self->request<caf::message_priority::high>(st.partitions[p], caf::infinite, atom, std::move(request))
      .then(
          [=](Value& value) {
            --self->state.backlog[p];
            if (!g->finished) on_value(value);
            Answered(self, g, p, part, true);
          },
          [=](caf::error&) {
            --self->state.backlog[p];
            Answered(self, g, p, part, false);
          });
}

void Predict(RouterSelf self, const ClientRequest& client, PredictRequestPtr request) {
  auto& st = self->state;
  if (st.config.open_predicts->Answered(client.predict_token)) {
    // Its deadline answer left while it waited in the mailbox: no work.
    ++st.predicts_expired_on_arrival;
    return st.config.open_predicts->RouterDone(client.predict_token);
  }
  if (!st.model) {
    ++st.no_model;
    ErrorReply e{request->request_id, Status::Code::kFailedPrecondition,
                 "no base model is active: register and activate one"};
    return Deliver(self, client, EncodeFrame(e));
  }
  auto g = std::make_shared<PredictGather>();
  g->client = client;
  g->model = st.model;
  g->request = std::move(request);
  const PredictRequest& r = *g->request;
  g->ts_ms = r.ts_ms ? r.ts_ms
                     : std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::system_clock::now().time_since_epoch()).count();
  const size_t n = r.candidates.size();
  g->features = CandidateFeatures(r);
  g->base = BaseLogits(*g->model, r, g->features);
  for (size_t i = 0; i < n; ++i) {
    g->xs.push_back(DeltaFeatures(r.user, r.candidates[i].item, g->features[i], st.config.online));
  }
  g->user.assign(n, 0.0);
  g->arms.assign(n, ArmView{});

  // The gather window: gather_share of the deadline, counted from the
  // endpoint's receipt; the rest is for logging the prediction.
  const uint32_t deadline = r.deadline_ms ? r.deadline_ms : st.config.default_deadline_ms;
  g->deadline_ms = deadline;
  const int64_t window_end_ns =
      client.received_ns + static_cast<int64_t>(st.config.gather_share * deadline * 1e6);
  const auto window = std::chrono::microseconds(std::max<int64_t>(100, (window_end_ns - NowNs()) / 1000));

  // Arms grouped by owning partition, remembering each candidate's index.
  std::map<uint32_t, std::vector<size_t>> arm_groups;
  for (size_t i = 0; i < n; ++i) arm_groups[PartitionFor(self, r.candidates[i].item)].push_back(i);
  const uint32_t user_partition = PartitionFor(self, r.user);
  const std::string kUserPart = "user part";
  std::map<uint32_t, std::string> arm_parts;
  for (const auto& [partition, indices] : arm_groups) {
    std::string part = "arm parts of ";
    for (size_t k = 0; k < indices.size(); ++k) part += (k ? ", " : "") + r.candidates[indices[k]].item;
    arm_parts[partition] = part;
  }
  g->waiting.emplace_back(user_partition, kUserPart);
  for (const auto& [partition, part] : arm_parts) g->waiting.emplace_back(partition, part);
  g->id = ++st.next_gather;
  st.open_predicts.emplace(g->id, g);
  self->delayed_send<caf::message_priority::high>(self, window, deadline_atom::value, g->id);

  Read<user_score_atom, UserScoreRequest, std::vector<double>>(
      self, g, user_partition, kUserPart, user_score_atom::value, UserScoreRequest{r.user, g->xs},
      [g](std::vector<double>& logits) {
        if (logits.size() == g->user.size()) g->user = std::move(logits);
      });
  for (auto& [partition, indices] : arm_groups) {
    if (g->finished) break;
    ArmViewRequest request;
    request.settle = false;  // answered at once, ahead of queued ingest work
    for (size_t i : indices) request.arms.emplace_back(r.candidates[i].item, g->xs[i]);
    const std::vector<size_t> idx = indices;
    Read<arm_view_atom, ArmViewRequest, std::vector<ArmView>>(
        self, g, partition, arm_parts[partition], arm_view_atom::value, std::move(request),
        [g, idx](std::vector<ArmView>& views) {
          for (size_t k = 0; k < idx.size() && k < views.size(); ++k) g->arms[idx[k]] = views[k];
        });
  }
}

// ---- ingest ----------------------------------------------------------------

struct IngestGather {
  ClientRequest client;
  uint64_t batch_id = 0;
  std::vector<EventInput> inputs;
  size_t outstanding = 0;
  uint32_t accepted = 0;
  uint32_t duplicates = 0;
  uint32_t rejected = 0;
  std::string first_rejection;
  std::string error;
};

// The batch's one answer: an ack, or the error that explains why not.
void CompleteIngest(RouterSelf self, const std::shared_ptr<IngestGather>& g, const Status& error) {
  auto& st = self->state;
  --st.ingest_in_flight;
  if (!error.ok()) {
    ++st.batch_errors;
    return ReplyError(self, g->client, g->batch_id, error);
  }
  st.config.sink->Reply(g->client.peer,
                        EncodeFrame(BatchAck{g->batch_id, g->accepted, g->duplicates}));
}

// After the shares are durable (and fsynced, with a syncer): refused events
// make the batch an InvalidArgument error (the client must not resend them);
// otherwise the batch is acknowledged.
void ReportIngest(RouterSelf self, const std::shared_ptr<IngestGather>& g) {
  if (g->rejected == 0) return CompleteIngest(self, g, Status::Ok());
  CompleteIngest(self, g,
                 Status::InvalidArgument(std::to_string(g->rejected) + " event(s) of batch " +
                                         std::to_string(g->batch_id) + " refused (" +
                                         g->first_rejection + "); the other " +
                                         std::to_string(g->accepted) + " were accepted"));
}

void FinishIngest(RouterSelf self, const std::shared_ptr<IngestGather>& g) {
  auto& st = self->state;
  ++st.batches;
  st.events_accepted += g->accepted;
  st.events_duplicate += g->duplicates;
  if (!g->error.empty()) {
    // A share was not logged: the whole batch must be resent (what was
    // logged comes back as duplicates), whatever else happened.
    return CompleteIngest(self, g,
                          Status::Unavailable("batch " + std::to_string(g->batch_id) +
                                              " not fully logged, resend it (duplicates are dropped): " +
                                              g->error));
  }
  if (!st.config.syncer || g->accepted == 0) return ReportIngest(self, g);
  self->request(st.config.syncer, caf::infinite, sync_atom::value)
      .then(
          [=](std::string& error) {
            if (error.empty()) return ReportIngest(self, g);
            CompleteIngest(self, g,
                           Status::Unavailable("batch " + std::to_string(g->batch_id) +
                                               " logged but not fsynced, resend it: " + error));
          },
          [=](caf::error& err) {
            CompleteIngest(self, g,
                           Status::Unavailable("batch " + std::to_string(g->batch_id) +
                                               " not fsynced, resend it: " + caf::to_string(err)));
          });
}

// Phase 2: every user partition logs and applies its share.
void SendShares(RouterSelf self, const std::shared_ptr<IngestGather>& g) {
  auto& st = self->state;
  std::map<uint32_t, IngestRequest> shares;
  for (EventInput& in : g->inputs) shares[PartitionFor(self, in.event.user)].inputs.push_back(std::move(in));
  g->outstanding = shares.size();
  if (shares.empty()) return FinishIngest(self, g);
  const auto timeout = std::chrono::milliseconds(st.config.ingest_timeout_ms);
  for (auto& [partition, share] : shares) {
    const uint32_t p = partition;
    self->request(st.partitions[p], timeout, ingest_atom::value, std::move(share))
        .then(
            [=](IngestResult& r) {
              g->accepted += r.accepted;
              g->duplicates += r.duplicates;
              if (r.rejected > 0 && g->rejected == 0) g->first_rejection = r.first_rejection;
              g->rejected += r.rejected;
              if (!r.error.empty()) g->error = "partition " + std::to_string(p) + ": " + r.error;
              if (--g->outstanding == 0) FinishIngest(self, g);
            },
            [=](caf::error& err) {
              g->error = "partition " + std::to_string(p) + ": " + caf::to_string(err);
              if (--g->outstanding == 0) FinishIngest(self, g);
            });
  }
}

void Ingest(RouterSelf self, const ClientRequest& client, EventBatch batch) {
  auto& st = self->state;
  if (st.ingest_in_flight >= st.config.max_batches_in_flight) {
    ++st.batches_refused_busy;
    return ReplyError(self, client, batch.batch_id,
                      Status::Unavailable("node busy: " + std::to_string(st.ingest_in_flight) +
                                          " batches in flight, resend batch " +
                                          std::to_string(batch.batch_id) + " later"));
  }
  ++st.ingest_in_flight;
  auto g = std::make_shared<IngestGather>();
  g->client = client;
  g->batch_id = batch.batch_id;
  // Phase 1: labelled events without a prediction id learn at base + user +
  // arm; the base logit comes from here, the arm's delta from its partition,
  // read once for the whole batch before any of it is applied (the arm view
  // of docs/architecture.md, which `driftline evaluate --batch` reproduces).
  std::map<uint32_t, std::vector<size_t>> arm_groups;
  std::vector<SparseFeatures> xs(batch.events.size());
  for (size_t i = 0; i < batch.events.size(); ++i) {
    EventInput in;
    in.event = std::move(batch.events[i]);
    const Event& e = in.event;
    if (e.label && e.prediction_id.empty()) {
      if (st.model) in.base_logit = st.model->Logit(ModelInput(e));
      if (!e.item.empty()) {
        xs[i] = DeltaFeatures(e, st.config.online);
        arm_groups[PartitionFor(self, e.item)].push_back(i);
      }
    }
    g->inputs.push_back(std::move(in));
  }
  if (arm_groups.empty()) return SendShares(self, g);
  g->outstanding = arm_groups.size();
  const auto timeout = std::chrono::milliseconds(st.config.ingest_timeout_ms);
  for (auto& [partition, indices] : arm_groups) {
    ArmViewRequest r;
    for (size_t i : indices) r.arms.emplace_back(g->inputs[i].event.item, xs[i]);
    const std::vector<size_t> idx = indices;
    self->request(st.partitions[partition], timeout, arm_view_atom::value, std::move(r))
        .then(
            [=](std::vector<ArmView>& views) {
              for (size_t k = 0; k < idx.size() && k < views.size(); ++k) {
                g->inputs[idx[k]].arm_logit = views[k].logit;
              }
              if (--g->outstanding == 0) SendShares(self, g);
            },
            [=](caf::error&) {
              // The arm's delta is unknown: learn the user's layer without it.
              ++self->state.arm_view_misses;
              if (--g->outstanding == 0) SendShares(self, g);
            });
  }
}

CounterList Counters(RouterSelf self) {
  const auto& st = self->state;
  return {{"router_arm_view_misses", st.arm_view_misses}, {"router_batch_errors", st.batch_errors},
          {"router_batches_refused_busy", st.batches_refused_busy},
          {"router_batches", st.batches},                 {"router_events_accepted", st.events_accepted},
          {"router_events_duplicate", st.events_duplicate}, {"router_predict_fallback", st.fallbacks},
          {"router_predict_no_model", st.no_model},       {"router_predicts", st.predicts},
          {"router_predict_log_errors", st.predict_log_errors},
          {"router_predict_unjoinable", st.predicts_unjoinable},
          {"router_predict_reads_skipped_backlog", st.reads_skipped_backlog},
          {"router_predict_expired_on_arrival", st.predicts_expired_on_arrival}};
}

caf::behavior RouterActor(caf::stateful_actor<RouterState>* self, RouterConfig config,
                          std::vector<caf::actor> partitions) {
  self->state.config = std::move(config);
  self->state.partitions = std::move(partitions);
  self->state.rng = std::make_unique<Rng>(self->state.config.seed);
  self->state.backlog.assign(self->state.partitions.size(), 0);
  return {
      [=](client_atom, const ClientRequest& client, PredictRequestPtr& request) {
        Predict(self, client, std::move(request));
      },
      [=](client_atom, const ClientRequest& client, EventBatch& batch) {
        Ingest(self, client, std::move(batch));
      },
      [=](model_atom, const ModelPtr& model) {
        self->state.model = model;
        if (self->state.config.model_slot) self->state.config.model_slot->Set(model);
      },
      [=](deadline_atom, uint64_t gather_id) { DeadlinePassed(self, gather_id); },
      [=](counters_atom) -> CounterList { return Counters(self); },
  };
}

}  // namespace

caf::actor SpawnRouter(caf::actor_system& system, const RouterConfig& config,
                       std::vector<caf::actor> partitions) {
  // Not detached: tried (a thread of its own, so a predict would not wait for
  // a CAF worker busy with ingest), but every message then wakes the router's
  // thread through the OS, and on the loaded 2-core machine the idle predict
  // p50 went from 0.4 ms to 20 ms (bench/RESULTS.md). The endpoint's deadline
  // answer covers the wait for a worker instead.
  return system.spawn(RouterActor, config, std::move(partitions));
}

}  // namespace driftline
