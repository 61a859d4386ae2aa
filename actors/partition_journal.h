// PartitionJournal: one partition's learner bound to its durable log and its
// checkpoints. The partition actor's state; plain C++ (no CAF), so the
// durability rules are tested directly against the in-memory twin and RocksDB.
//
// The rules it keeps:
//  * an input is applied only after it is in the log (LogAndApply appends the
//    whole batch in one write, then applies it), so an acknowledged event is
//    never lost;
//  * duplicates (event id or arm-update id in the de-duplication window, or
//    repeated within the batch) are dropped before logging and counted;
//  * state = latest checkpoint + replay of the log after it (Recover), which
//    equals, bit for bit, the state of a run that never stopped;
//  * Checkpoint() writes a snapshot at the last applied sequence, then
//    truncates the log through it;
//  * the arm updates this partition produces stay in its outbox (and in its
//    checkpoints) until the arm's partition confirms it logged them, so a
//    crash between the two never loses an arm's share of an event.
//
// Not thread-safe: one owner (the partition actor). The storage objects must
// outlive the journal.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "learning/partition_input.h"
#include "learning/partition_learner.h"
#include "storage/checkpoint_store.h"
#include "storage/event_log.h"

namespace driftline {

struct JournalOptions {
  uint64_t epoch = 1;                 // ownership epoch stamped into checkpoints. Default: 1
  uint64_t checkpoint_every = 10'000; // inputs between automatic checkpoints. Default: 10'000
  size_t replay_chunk = 4'096;        // records read at a time during recovery. Default: 4'096
};

struct JournalBatchResult {
  uint32_t accepted = 0;    // logged and applied
  uint32_t duplicates = 0;  // dropped before logging
  uint32_t rejected = 0;    // refused by ValidatePartitionInput: never logged
  std::string first_rejection;  // the first refusal's message
  std::vector<ApplyResult> applied;          // one per accepted input, in order
  std::vector<ArmUpdateInput> arm_updates;   // every arm update the batch produced, in order
};

class PartitionJournal {
 public:
  // Restores the latest checkpoint (if any) and replays the log after it.
  // Every unconfirmed arm update (the checkpoint's outbox plus those the
  // replay produced) is appended to *redeliver: the arms' partitions drop the
  // ones they already applied (their ids are in their windows) and confirm.
  // Errors: Corruption for undecodable checkpoints or records.
  static Result<std::unique_ptr<PartitionJournal>> Recover(
      uint32_t partition, const OnlineOptions& online, uint64_t seed, storage::EventLog& log,
      storage::CheckpointStore& checkpoints, const JournalOptions& options,
      std::vector<ArmUpdateInput>* redeliver);

  // Logs the valid (protocol/validate.h), non-duplicate inputs in one durable
  // append, then applies them.
  // On a storage error nothing is applied and the error is returned.
  // Checkpoints automatically every options.checkpoint_every inputs (a
  // failure there is kept in last_checkpoint_error(), not returned: the
  // batch is durable in the log regardless).
  Result<JournalBatchResult> LogAndApply(const std::vector<PartitionInput>& inputs);

  // Snapshot at the last applied sequence (outbox included), then truncate
  // the log through it.
  Status Checkpoint();

  // The arm's partition logged these updates: drop them from the outbox.
  // Unknown ids are ignored (a redelivered copy confirmed twice).
  void Confirm(const std::vector<std::string>& update_ids);
  size_t outbox_size() const { return outbox_.size(); }
  // The unconfirmed arm updates, ascending update_id (to deliver again).
  std::vector<ArmUpdateInput> Outbox() const;

  const PartitionLearner& learner() const { return learner_; }
  uint64_t applied_sequence() const { return applied_sequence_; }
  // The outcome of the last automatic checkpoint (ok if none failed).
  const Status& last_checkpoint_error() const { return last_checkpoint_error_; }
  uint32_t partition() const { return learner_.partition(); }

 private:
  PartitionJournal(PartitionLearner learner, storage::EventLog& log,
                   storage::CheckpointStore& checkpoints, const JournalOptions& options)
      : learner_(std::move(learner)), log_(log), checkpoints_(checkpoints), options_(options) {}

  PartitionLearner learner_;
  storage::EventLog& log_;
  storage::CheckpointStore& checkpoints_;
  JournalOptions options_;
  uint64_t applied_sequence_ = 0;
  uint64_t since_checkpoint_ = 0;
  Status last_checkpoint_error_;
  std::map<std::string, ArmUpdateInput> outbox_;  // by update_id
};

}  // namespace driftline
