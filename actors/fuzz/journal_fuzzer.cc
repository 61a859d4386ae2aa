// libFuzzer target: fuzzes the partition's protocol, not its bytes. Drives one
// partition's journal and learner (actors/partition_journal.h) over the
// in-memory store with arbitrary sequences of valid inputs: event batches with
// repeated ids, outcomes, predictions and their expiry, events too far ahead
// in time, arm updates from three other sources delivered whole, one at a
// time, out of order and again (learning/arm_update_delivery.h), the
// partition's own arm updates delivered to itself, forgetting a user (which
// checkpoints), checkpoints, failed appends and crashes (drop the journal,
// recover from checkpoint + log).
//
// After every step it checks, and aborts (a finding) otherwise:
//  * no id applied twice: each batch's accepted / duplicate / refused counts
//    equal a model's (an event id is accepted once; a refused one never);
//    each source's arm evidence equals the number of its updates at or below
//    the partition's high-water mark for it (each applied exactly once, none
//    skipped);
//  * restore + replay equals the uninterrupted state: a journal recovered
//    from the store has the live journal's whole state (checkpoint bytes).
//
// Build and run: deploy/fuzz.sh (target partition_journal_fuzzer).
#include <fuzzer/FuzzedDataProvider.h>

#include <cstdlib>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "actors/partition_journal.h"
#include "protocol/codec.h"
#include "storage/memory_node_store.h"

namespace driftline {
namespace {

constexpr uint32_t kPartition = 0;
constexpr uint32_t kSources = 3;  // other partitions 1..3 sending arm updates here

void Check(bool ok) {
  if (!ok) std::abort();
}

OnlineOptions Online() {
  OnlineOptions o;
  o.delta_bits = 10;
  o.pending_ttl_ms = 50;
  o.default_label = 1;
  o.max_pending = 8;
  o.max_event_skew_ms = 1'000;
  o.linear_dim = 4;
  return o;
}

JournalOptions Options() {
  JournalOptions o;
  o.partitions = 1;  // every arm lives here: the partition's own updates come back to it
  o.checkpoint_every = 0;
  return o;
}

// The real in-memory log, with the next append failing on demand.
class FlakyLog : public storage::EventLog {
 public:
  explicit FlakyLog(storage::EventLog& real) : real_(real) {}
  bool fail_next = false;
  Result<storage::SequenceRange> Append(uint32_t p, const std::vector<std::string>& r) override {
    if (fail_next) {
      fail_next = false;
      return Status::IoError("injected");
    }
    return real_.Append(p, r);
  }
  Result<std::vector<storage::LogRecord>> Read(uint32_t p, uint64_t from, size_t n) override {
    return real_.Read(p, from, n);
  }
  Status TruncateThrough(uint32_t p, uint64_t s) override { return real_.TruncateThrough(p, s); }
  uint64_t LastSequence(uint32_t p) override { return real_.LastSequence(p); }
  Status Sync() override { return real_.Sync(); }

 private:
  storage::EventLog& real_;
};

// A source partition: its outbox (the real protocol class) and every update
// it ever produced, by ordinal.
struct Source {
  explicit Source(uint32_t id) : outbox(id, [](const std::string&) { return kPartition; }) {}
  ArmUpdateOutbox outbox;
  uint64_t next_sequence = 1;
  std::map<ArmOrdinal, ArmUpdateInput> produced;
};

class Harness {
 public:
  Harness() : log_(store_.events()) {
    for (uint32_t s = 1; s <= kSources; ++s) sources_.emplace_back(s);
    journal_ = Recover();
  }

  void Step(FuzzedDataProvider& in) {
    switch (in.ConsumeIntegralInRange<int>(0, 9)) {
      case 0: case 1: Ingest(in); break;
      case 2: Produce(in); break;
      case 3: DeliverFromSource(in); break;
      case 4: DeliverOwn(); break;
      case 5: Check(journal_->Checkpoint().ok()); break;
      case 6: log_.fail_next = true; break;
      case 7: journal_ = Recover(); break;  // crash: only the store survives
      case 8: Predict(in); break;
      case 9: Forget(in); break;
    }
    CheckInvariants();
  }

 private:
  std::unique_ptr<PartitionJournal> Recover() {
    auto j = PartitionJournal::Recover(kPartition, Online(), 5, log_, store_.checkpoints(), Options());
    Check(j.ok());
    return std::move(*j);
  }

  int64_t NextTime(FuzzedDataProvider& in) {
    const int choice = in.ConsumeIntegralInRange<int>(0, 9);
    if (choice == 0) return clock_ + 1'000 + in.ConsumeIntegralInRange<int64_t>(1, 1'000'000);  // too far
    return std::max<int64_t>(1, clock_ + in.ConsumeIntegralInRange<int64_t>(-30, 60));
  }

  // What the journal must decide for one event or prediction, as the model sees it.
  enum class Expect { kAccept, kDuplicate, kRefuse };
  Expect Judge(const std::string& id, int64_t ts, int64_t batch_clock,
               const std::set<std::string>& batch_ids) const {
    if (batch_clock > 0 && ts > batch_clock && ts - batch_clock > Online().max_event_skew_ms) {
      return Expect::kRefuse;
    }
    if (!id.empty() && (accepted_ids_.count(id) || batch_ids.count(id))) return Expect::kDuplicate;
    return Expect::kAccept;
  }

  void Submit(const std::vector<PartitionInput>& inputs, const std::vector<Expect>& expected,
              const std::vector<std::string>& ids, const std::vector<int64_t>& times) {
    const bool fails = log_.fail_next;
    auto result = journal_->LogAndApply(inputs);
    uint32_t accept = 0, duplicate = 0, refuse = 0;
    for (Expect e : expected) {
      accept += e == Expect::kAccept;
      duplicate += e == Expect::kDuplicate;
      refuse += e == Expect::kRefuse;
    }
    if (fails && accept > 0) {  // the append failed: nothing changed
      log_.fail_next = false;
      Check(!result.ok());
      return;
    }
    Check(result.ok());
    Check(result->accepted == accept && result->duplicates == duplicate && result->rejected == refuse);
    for (size_t i = 0; i < inputs.size(); ++i) {
      if (expected[i] != Expect::kAccept) continue;
      if (!ids[i].empty()) accepted_ids_.insert(ids[i]);
      clock_ = std::max(clock_, times[i]);
    }
  }

  void Ingest(FuzzedDataProvider& in) {
    const int n = in.ConsumeIntegralInRange<int>(1, 6);
    std::vector<PartitionInput> inputs;
    std::vector<Expect> expected;
    std::vector<std::string> ids;
    std::vector<int64_t> times;
    std::set<std::string> batch_ids;
    int64_t batch_clock = clock_;
    for (int i = 0; i < n; ++i) {
      Event e;
      e.ts_ms = NextTime(in);
      e.user = "u" + std::to_string(in.ConsumeIntegralInRange<int>(0, 3));
      e.item = "arm" + std::to_string(in.ConsumeIntegralInRange<int>(0, 3));
      const int kind = in.ConsumeIntegralInRange<int>(0, 3);
      if (kind > 0) e.label = in.ConsumeBool() ? 1 : 0;
      if (kind == 3) e.prediction_id = "p" + std::to_string(in.ConsumeIntegralInRange<int>(0, 7));
      e.event_id = "e" + std::to_string(in.ConsumeIntegralInRange<int>(0, 40));
      e.features = {{"ctx", {{"f" + std::to_string(in.ConsumeIntegralInRange<int>(0, 3)), 1.0}}}};
      const Expect verdict = Judge(e.event_id, e.ts_ms, batch_clock, batch_ids);
      if (verdict == Expect::kAccept) {
        batch_ids.insert(e.event_id);
        batch_clock = std::max(batch_clock, e.ts_ms);
      }
      expected.push_back(verdict);
      ids.push_back(e.event_id);
      times.push_back(e.ts_ms);
      inputs.push_back(EventInput{e, 0.1, -0.05});
    }
    Submit(inputs, expected, ids, times);
  }

  void Predict(FuzzedDataProvider& in) {
    PredictionInput p;
    p.prediction.prediction_id = "p" + std::to_string(in.ConsumeIntegralInRange<int>(0, 7));
    p.prediction.user = "u" + std::to_string(in.ConsumeIntegralInRange<int>(0, 3));
    p.prediction.chosen = "arm" + std::to_string(in.ConsumeIntegralInRange<int>(0, 3));
    p.prediction.ts_ms = NextTime(in);
    p.prediction.base_logit = 0.2;
    const std::string id = DedupId(PartitionInput(p));  // the one id builder
    const Expect verdict = Judge(id, p.prediction.ts_ms, clock_, {});
    Submit({p}, {verdict}, {id}, {p.prediction.ts_ms});
  }

  // A user asks to be forgotten: logged, applied (nothing of the user is
  // left), then checkpointed; a failed append changes nothing.
  void Forget(FuzzedDataProvider& in) {
    const std::string user = "u" + std::to_string(in.ConsumeIntegralInRange<int>(0, 3));
    const bool fails = log_.fail_next;
    auto result = journal_->LogAndApply({ForgetInput{user}});
    if (fails) {
      log_.fail_next = false;
      Check(!result.ok());
      return;
    }
    Check(result.ok() && result->accepted == 1);
    const PartitionSnapshot s = journal_->Snapshot();
    for (const auto& u : s.users) Check(u.user != user);
    for (const auto& p : s.pending) Check(p.user != user);
    for (const auto& r : s.replay) Check(r.event.user != user);
  }

  // A source learns something: a new update for its own arm, stamped.
  void Produce(FuzzedDataProvider& in) {
    Source& s = sources_[in.ConsumeIntegralInRange<uint32_t>(0, kSources - 1)];
    const int n = in.ConsumeIntegralInRange<int>(1, 3);
    std::vector<ArmUpdateInput> updates;
    for (int i = 0; i < n; ++i) {
      ArmUpdateInput u;
      u.arm = "ext" + std::to_string(&s - sources_.data());
      u.user = "x";
      u.residual = 0.25;
      u.label = i % 2;
      updates.push_back(u);
    }
    s.outbox.Stamp(s.next_sequence++, updates);
    for (const auto& u : updates) s.produced.emplace(u.ordinal, u);
  }

  // Delivers some of a source's updates, in any order, then confirms.
  void DeliverFromSource(FuzzedDataProvider& in) {
    Source& s = sources_[in.ConsumeIntegralInRange<uint32_t>(0, kSources - 1)];
    if (s.produced.empty()) return;
    std::vector<ArmUpdateInput> chain = s.outbox.Unconfirmed()[kPartition];
    std::vector<PartitionInput> inputs;
    switch (in.ConsumeIntegralInRange<int>(0, 3)) {
      case 0: inputs.assign(chain.begin(), chain.end()); break;  // the whole unconfirmed chain
      case 1: {                                                 // any produced ones, any order
        const int n = in.ConsumeIntegralInRange<int>(1, 5);
        for (int i = 0; i < n; ++i) {
          auto it = s.produced.begin();
          std::advance(it, in.ConsumeIntegralInRange<size_t>(0, s.produced.size() - 1));
          inputs.push_back(it->second);
        }
        break;
      }
      case 2: {
        auto ticked = s.outbox.Tick()[kPartition];
        inputs.assign(ticked.begin(), ticked.end());
        break;
      }
      case 3: inputs.assign(chain.rbegin(), chain.rend()); break;  // reversed
    }
    if (inputs.empty()) return;
    auto result = journal_->LogAndApply(inputs);
    if (!result.ok()) log_.fail_next = false;
    s.outbox.Confirm(kPartition, journal_->ArmHighWater(s.outbox.source()));
  }

  // The partition's own arm updates, delivered to itself as the actor does.
  void DeliverOwn() {
    std::vector<ArmUpdateInput> own = journal_->Unconfirmed()[kPartition];
    if (own.empty()) return;
    std::vector<PartitionInput> inputs(own.begin(), own.end());
    auto result = journal_->LogAndApply(inputs);
    if (!result.ok()) log_.fail_next = false;
    journal_->Confirm(kPartition, journal_->ArmHighWater(kPartition));
  }

  // The whole state, without the partition's own outbox entries that it has
  // already logged (confirmations are not logged: a recovered journal sends
  // those again and confirms them as duplicates).
  static std::string Canonical(const PartitionJournal& j) {
    PartitionSnapshot s = j.Snapshot();
    const ArmOrdinal own = j.ArmHighWater(kPartition);
    std::vector<ArmUpdateInput> outbox;
    for (auto& u : s.outbox) {
      if (own < u.ordinal) outbox.push_back(u);
    }
    s.outbox = std::move(outbox);
    return EncodeCheckpoint(s);
  }

  void CheckInvariants() {
    // Exactly once, none skipped: each source's evidence here counts its
    // updates up to the high-water mark, one each.
    for (const Source& s : sources_) {
      const uint32_t id = s.outbox.source();
      const ArmOrdinal mark = journal_->ArmHighWater(id);
      double expected = 0;
      for (const auto& [ordinal, u] : s.produced) expected += !(mark < ordinal);
      const ArmState* arm = journal_->learner().state().FindArm("ext" + std::to_string(id - 1));
      const double evidence = arm ? arm->successes + arm->failures : 0.0;
      Check(evidence == expected);
    }
    // Restore + replay equals the uninterrupted state.
    std::unique_ptr<PartitionJournal> recovered = Recover();
    Check(Canonical(*recovered) == Canonical(*journal_));
  }

  storage::MemoryNodeStore store_;
  FlakyLog log_;
  std::vector<Source> sources_;
  std::unique_ptr<PartitionJournal> journal_;
  std::set<std::string> accepted_ids_;
  int64_t clock_ = 0;
};

}  // namespace
}  // namespace driftline

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  driftline::Harness harness;
  for (int steps = 0; steps < 200 && in.remaining_bytes() > 0; ++steps) harness.Step(in);
  return 0;
}
