#include "actors/partition_journal.h"

#include <algorithm>
#include <optional>
#include <unordered_set>

#include "cluster/partitioner.h"
#include "learning/online_options_fingerprint.h"
#include "protocol/codec.h"
#include "protocol/validate.h"

namespace driftline {
namespace {

// The event time an input carries, if it moves the partition's clock.
std::optional<int64_t> EventTime(const PartitionInput& input) {
  if (const auto* e = std::get_if<EventInput>(&input)) return e->event.ts_ms;
  if (const auto* p = std::get_if<PredictionInput>(&input)) return p->prediction.ts_ms;
  return std::nullopt;
}

std::string Describe(const PartitionInput& input) {
  if (const auto* e = std::get_if<EventInput>(&input)) {
    return e->event.event_id.empty() ? "event of user " + e->event.user
                                     : "event " + e->event.event_id;
  }
  if (const auto* p = std::get_if<PredictionInput>(&input)) {
    return "prediction " + p->prediction.prediction_id;
  }
  if (const auto* m = std::get_if<ModelSwitchInput>(&input)) {
    return "model activation " + std::to_string(m->activation) + " (" + m->version + ")";
  }
  if (const auto* f = std::get_if<ForgetInput>(&input)) return "forget of user " + f->user;
  return "arm update for " + std::get<ArmUpdateInput>(input).arm;
}

bool IsLabelledEvent(const PartitionInput& input) {
  const auto* e = std::get_if<EventInput>(&input);
  return e != nullptr && e->event.label.has_value();
}

}  // namespace

PartitionJournal::PartitionJournal(PartitionLearner learner, storage::EventLog& log,
                                   storage::CheckpointStore& checkpoints,
                                   const JournalOptions& options)
    : learner_(std::move(learner)),
      log_(log),
      checkpoints_(checkpoints),
      options_(options),
      outbox_(learner_.partition(), [partitions = std::max<uint32_t>(1, options.partitions)](
                                        const std::string& arm) { return PartitionOf(arm, partitions); }) {}

Result<std::unique_ptr<PartitionJournal>> PartitionJournal::Recover(
    uint32_t partition, const OnlineOptions& online, uint64_t seed, storage::EventLog& log,
    storage::CheckpointStore& checkpoints, const JournalOptions& options) {
  uint64_t from = 1;
  std::unique_ptr<PartitionJournal> journal;
  auto latest = checkpoints.Latest(partition);
  const std::string where = "partition " + std::to_string(partition);
  if (latest.ok()) {
    auto snapshot = DecodeCheckpoint(latest->bytes);
    if (!snapshot.ok()) {
      return Status::Corruption(where + " checkpoint: " + snapshot.status().message());
    }
    if (!snapshot->options_fingerprint.empty()) {
      DRIFTLINE_RETURN_IF_ERROR(CheckOnlineOptionsFingerprint(
          snapshot->options_fingerprint, OnlineOptionsFingerprint(online), where + "'s checkpoint"));
    }
    auto learner = PartitionLearner::Restore(*snapshot, online);
    if (!learner.ok()) return learner.status();
    journal.reset(new PartitionJournal(std::move(*learner), log, checkpoints, options));
    journal->applied_sequence_ = latest->sequence;
    journal->logged_epoch_ = snapshot->epoch;
    if (Status s = journal->outbox_.FromSnapshot(*snapshot); !s.ok()) {
      return Status::Corruption(where + " checkpoint: " + s.message());
    }
    from = latest->sequence + 1;
  } else if (latest.status().code() == Status::Code::kNotFound) {
    journal.reset(new PartitionJournal(PartitionLearner(partition, online, seed), log,
                                       checkpoints, options));
  } else {
    return latest.status();
  }
  while (true) {
    auto records = log.Read(partition, from, options.replay_chunk);
    if (!records.ok()) return records.status();
    if (records->empty()) break;
    for (const storage::LogRecord& record : *records) {
      auto decoded = DecodeLogRecord(record.bytes);
      if (!decoded.ok()) {
        return Status::Corruption(where + " log record " + std::to_string(record.sequence) +
                                  ": " + decoded.status().message());
      }
      journal->logged_epoch_ = std::max(journal->logged_epoch_, decoded->epoch);
      ApplyResult r = journal->learner_.Apply(decoded->input);
      journal->outbox_.Stamp(record.sequence, r.arm_updates);
      journal->applied_sequence_ = record.sequence;
      from = record.sequence + 1;
    }
  }
  if (journal->logged_epoch_ > options.epoch) {
    return Status::FailedPrecondition(
        where + "'s checkpoint or log was written at epoch " + std::to_string(journal->logged_epoch_) +
        ", newer than this owner's epoch " + std::to_string(options.epoch) +
        ": a newer owner took the partition over (epochs never go back)");
  }
  return journal;
}

Status PartitionJournal::Reset(uint32_t partition, const OnlineOptions& online, uint64_t seed,
                               storage::EventLog& log, storage::CheckpointStore& checkpoints,
                               const JournalOptions& options) {
  const uint64_t last = log.LastSequence(partition);
  if (last == 0) return Status::Ok();  // nothing was ever logged: nothing to forget
  PartitionJournal fresh(PartitionLearner(partition, online, seed), log, checkpoints, options);
  fresh.applied_sequence_ = last;
  DRIFTLINE_RETURN_IF_ERROR(checkpoints.Put(partition, last, EncodeCheckpoint(fresh.Snapshot())));
  return log.TruncateThrough(partition, last);
}

Status PartitionJournal::Admit(const PartitionInput& input, int64_t batch_clock) const {
  DRIFTLINE_RETURN_IF_ERROR(ValidatePartitionInput(input));
  if (const auto* a = std::get_if<ArmUpdateInput>(&input); a && a->ordinal.none()) {
    return Status::InvalidArgument("arm update for " + a->arm +
                                   " carries no source ordinal (source partition, sequence)");
  }
  const std::optional<int64_t> ts = EventTime(input);
  const int64_t skew = learner_.state().options().max_event_skew_ms;
  // ts - clock > skew, written so that nothing overflows (clock >= 0, skew >= 0).
  if (ts && batch_clock > 0 && *ts > batch_clock && *ts - batch_clock > skew) {
    return Status::InvalidArgument(
        Describe(input) + " at ts_ms " + std::to_string(*ts) + " is " +
        std::to_string(*ts - batch_clock) + " ms ahead of partition " +
        std::to_string(partition()) + "'s event clock (" + std::to_string(batch_clock) +
        "); at most " + std::to_string(skew) + " ms ahead is accepted (max_event_skew_ms)");
  }
  return Status::Ok();
}

PreparedInputs PartitionJournal::Prepare(std::vector<PartitionInput> inputs) const {
  PreparedInputs prepared;
  prepared.verdicts.reserve(inputs.size());
  std::unordered_set<std::string> batch_ids;
  // What the state will be when each input is applied: the clock and the
  // arm high-water marks move with the inputs accepted before it.
  int64_t batch_clock = learner_.state().clock_ms();
  std::map<uint32_t, ArmOrdinal> batch_high_water;
  uint64_t batch_activation = 0;
  for (PartitionInput& input : inputs) {
    if (Status admitted = Admit(input, batch_clock); !admitted.ok()) {
      prepared.verdicts.push_back(InputVerdict::kRejected);
      prepared.rejections.push_back(admitted.message());
      continue;
    }
    if (const auto* a = std::get_if<ArmUpdateInput>(&input)) {
      auto known = batch_high_water.find(a->source_partition);
      const ArmOrdinal high_water = known != batch_high_water.end()
                                        ? known->second
                                        : learner_.state().ArmHighWater(a->source_partition);
      const ArmVerdict verdict = JudgeArmUpdate(*a, high_water);
      if (verdict == ArmVerdict::kDuplicate) {
        prepared.verdicts.push_back(InputVerdict::kDuplicate);
        continue;
      }
      if (verdict == ArmVerdict::kGap) {
        prepared.verdicts.push_back(InputVerdict::kArmGap);
        continue;
      }
      batch_high_water[a->source_partition] = a->ordinal;
    } else if (const auto* m = std::get_if<ModelSwitchInput>(&input)) {
      // Applied once per activation number, rising (a re-sent activation
      // after a restart is a duplicate).
      if (m->activation <= std::max(learner_.state().model_activation(), batch_activation)) {
        prepared.verdicts.push_back(InputVerdict::kDuplicate);
        continue;
      }
      batch_activation = m->activation;
    } else {
      std::string id = DedupId(input);
      if (learner_.state().HasEventId(id) ||
          (!id.empty() && !batch_ids.insert(std::move(id)).second)) {
        prepared.verdicts.push_back(InputVerdict::kDuplicate);
        continue;
      }
      if (const std::optional<int64_t> ts = EventTime(input)) batch_clock = std::max(batch_clock, *ts);
    }
    prepared.verdicts.push_back(InputVerdict::kToLog);
    prepared.to_log.push_back(std::move(input));
  }
  return prepared;
}

std::vector<std::string> PartitionJournal::EncodeForLog(const std::vector<PartitionInput>& inputs,
                                                        uint64_t epoch) {
  std::vector<std::string> records;
  records.reserve(inputs.size());
  for (const PartitionInput& input : inputs) records.push_back(EncodePartitionInput(input, epoch));
  return records;
}

JournalBatchResult PartitionJournal::Commit(const std::vector<PartitionInput>& logged,
                                            storage::SequenceRange range) {
  JournalBatchResult result;
  if (logged.empty()) return result;
  uint64_t sequence = range.first;
  bool forgot = false;
  for (const PartitionInput& input : logged) {
    forgot = forgot || std::holds_alternative<ForgetInput>(input);
    ApplyResult r = learner_.Apply(input);
    outbox_.Stamp(sequence++, r.arm_updates);
    result.arm_updates.insert(result.arm_updates.end(), r.arm_updates.begin(), r.arm_updates.end());
    result.applied.push_back(std::move(r));
  }
  result.accepted = static_cast<uint32_t>(logged.size());
  applied_sequence_ = range.last;
  since_checkpoint_ += logged.size();
  if (forgot || (options_.checkpoint_every > 0 && since_checkpoint_ >= options_.checkpoint_every)) {
    // After a forget: the user's events leave this partition's log now, not
    // at the next periodic checkpoint.
    // The batch is durable in the log either way: a failed checkpoint only
    // means a longer replay after a restart. Kept for status, retried later.
    last_checkpoint_error_ = Checkpoint();
  }
  return result;
}

Result<JournalBatchResult> PartitionJournal::AppendAndCommit(const std::vector<PartitionInput>& to_log) {
  if (to_log.empty()) return JournalBatchResult{};
  auto range = log_.Append(partition(), EncodeForLog(to_log, options_.epoch));
  if (!range.ok()) return range.status();
  return Commit(to_log, *range);
}

Status PartitionJournal::AdmitOutbox(const std::vector<PartitionInput>& inputs) const {
  if (outbox_.size() < options_.max_arm_outbox ||
      std::none_of(inputs.begin(), inputs.end(), IsLabelledEvent)) {
    return Status::Ok();
  }
  return Status::Unavailable(
      "partition " + std::to_string(partition()) + "'s arm-update outbox is full (" +
      std::to_string(outbox_.size()) + " updates not yet confirmed by their arms' partitions, "
      "max_arm_outbox " + std::to_string(options_.max_arm_outbox) + "): resend later");
}

Result<JournalBatchResult> PartitionJournal::LogAndApply(const std::vector<PartitionInput>& inputs) {
  DRIFTLINE_RETURN_IF_ERROR(AdmitOutbox(inputs));
  PreparedInputs prepared = Prepare(inputs);
  auto committed = AppendAndCommit(prepared.to_log);
  if (!committed.ok()) return committed.status();
  JournalBatchResult result = std::move(*committed);
  size_t rejection = 0;
  for (InputVerdict v : prepared.verdicts) {
    if (v == InputVerdict::kDuplicate) ++result.duplicates;
    if (v == InputVerdict::kArmGap) ++result.arm_gaps;
    if (v == InputVerdict::kRejected) {
      if (result.rejected++ == 0) result.first_rejection = prepared.rejections[rejection];
      ++rejection;
    }
  }
  return result;
}

PartitionSnapshot PartitionJournal::Snapshot() const {
  PartitionSnapshot snapshot = learner_.Snapshot(options_.epoch, applied_sequence_);
  outbox_.ToSnapshot(&snapshot);
  snapshot.options_fingerprint = OnlineOptionsFingerprint(learner_.state().options());
  return snapshot;
}

Status PartitionJournal::Checkpoint() {
  if (applied_sequence_ == 0) return Status::Ok();
  const std::string bytes = EncodeCheckpoint(Snapshot());
  DRIFTLINE_RETURN_IF_ERROR(checkpoints_.Put(partition(), applied_sequence_, bytes));
  DRIFTLINE_RETURN_IF_ERROR(log_.TruncateThrough(partition(), applied_sequence_));
  since_checkpoint_ = 0;
  return Status::Ok();
}

}  // namespace driftline
