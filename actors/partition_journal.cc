#include "actors/partition_journal.h"

#include <unordered_set>

#include "protocol/codec.h"
#include "protocol/validate.h"

namespace driftline {
namespace {

// An arm update without an id (from a labelled event without an event_id)
// gets one from its source's place in the log, "arm@<partition>:<sequence>",
// so the copy that Recover regenerates for redelivery is recognised as a
// duplicate by the arm's partition instead of being learned twice.
void NameArmUpdates(uint32_t partition, uint64_t sequence, std::vector<ArmUpdateInput>& updates) {
  for (size_t k = 0; k < updates.size(); ++k) {
    if (!updates[k].update_id.empty()) continue;
    updates[k].update_id = "arm@" + std::to_string(partition) + ":" + std::to_string(sequence) +
                           (k ? "/" + std::to_string(k) : std::string());
  }
}

}  // namespace

Result<std::unique_ptr<PartitionJournal>> PartitionJournal::Recover(
    uint32_t partition, const OnlineOptions& online, uint64_t seed, storage::EventLog& log,
    storage::CheckpointStore& checkpoints, const JournalOptions& options,
    std::vector<ArmUpdateInput>* redeliver) {
  uint64_t from = 1;
  std::unique_ptr<PartitionJournal> journal;
  auto latest = checkpoints.Latest(partition);
  if (latest.ok()) {
    auto snapshot = DecodeCheckpoint(latest->bytes);
    if (!snapshot.ok()) {
      return Status::Corruption("partition " + std::to_string(partition) +
                                " checkpoint: " + snapshot.status().message());
    }
    auto learner = PartitionLearner::Restore(*snapshot, online);
    if (!learner.ok()) return learner.status();
    journal.reset(new PartitionJournal(std::move(*learner), log, checkpoints, options));
    journal->applied_sequence_ = latest->sequence;
    for (const ArmUpdateInput& u : snapshot->outbox) journal->outbox_.emplace(u.update_id, u);
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
      auto input = DecodePartitionInput(record.bytes);
      if (!input.ok()) {
        return Status::Corruption("partition " + std::to_string(partition) + " log record " +
                                  std::to_string(record.sequence) + ": " +
                                  input.status().message());
      }
      ApplyResult r = journal->learner_.Apply(*input);
      NameArmUpdates(partition, record.sequence, r.arm_updates);
      for (ArmUpdateInput& u : r.arm_updates) journal->outbox_.emplace(u.update_id, std::move(u));
      journal->applied_sequence_ = record.sequence;
      from = record.sequence + 1;
    }
  }
  if (redeliver) {
    for (const auto& [id, update] : journal->outbox_) redeliver->push_back(update);
  }
  return journal;
}

Result<JournalBatchResult> PartitionJournal::LogAndApply(const std::vector<PartitionInput>& inputs) {
  JournalBatchResult result;
  std::vector<const PartitionInput*> accepted;
  std::vector<std::string> records;
  std::unordered_set<std::string> batch_ids;
  for (const PartitionInput& input : inputs) {
    if (Status valid = ValidatePartitionInput(input); !valid.ok()) {
      if (result.rejected++ == 0) result.first_rejection = valid.message();
      continue;
    }
    std::string id = DedupId(input);
    if (learner_.state().HasEventId(id) || (!id.empty() && !batch_ids.insert(std::move(id)).second)) {
      ++result.duplicates;
      continue;
    }
    accepted.push_back(&input);
    records.push_back(EncodePartitionInput(input));
  }
  if (records.empty()) return result;
  auto range = log_.Append(partition(), records);
  if (!range.ok()) return range.status();
  uint64_t sequence = range->first;
  for (const PartitionInput* input : accepted) {
    ApplyResult r = learner_.Apply(*input);
    NameArmUpdates(partition(), sequence++, r.arm_updates);
    for (const ArmUpdateInput& u : r.arm_updates) outbox_.emplace(u.update_id, u);
    result.arm_updates.insert(result.arm_updates.end(), r.arm_updates.begin(), r.arm_updates.end());
    result.applied.push_back(std::move(r));
  }
  result.accepted = static_cast<uint32_t>(accepted.size());
  applied_sequence_ = range->last;
  since_checkpoint_ += accepted.size();
  if (options_.checkpoint_every > 0 && since_checkpoint_ >= options_.checkpoint_every) {
    // The batch is durable in the log either way: a failed checkpoint only
    // means a longer replay after a restart. Kept for status, retried later.
    last_checkpoint_error_ = Checkpoint();
  }
  return result;
}

Status PartitionJournal::Checkpoint() {
  if (applied_sequence_ == 0) return Status::Ok();
  PartitionSnapshot snapshot = learner_.Snapshot(options_.epoch, applied_sequence_);
  for (const auto& [id, update] : outbox_) snapshot.outbox.push_back(update);
  const std::string bytes = EncodeCheckpoint(snapshot);
  DRIFTLINE_RETURN_IF_ERROR(checkpoints_.Put(partition(), applied_sequence_, bytes));
  DRIFTLINE_RETURN_IF_ERROR(log_.TruncateThrough(partition(), applied_sequence_));
  since_checkpoint_ = 0;
  return Status::Ok();
}

std::vector<ArmUpdateInput> PartitionJournal::Outbox() const {
  std::vector<ArmUpdateInput> out;
  out.reserve(outbox_.size());
  for (const auto& [id, update] : outbox_) out.push_back(update);
  return out;
}

void PartitionJournal::Confirm(const std::vector<std::string>& update_ids) {
  for (const std::string& id : update_ids) outbox_.erase(id);
}

}  // namespace driftline
