// PartitionJournal: one partition's learner bound to its durable log and its
// checkpoints. The partition actor's state; plain C++ (no CAF), so the
// durability rules are tested directly against the in-memory twin and RocksDB.
//
// The rules it keeps:
//  * an input is applied only after it is in the log (LogAndApply appends the
//    whole batch in one write, then applies it), so an acknowledged event is
//    never lost;
//  * duplicates (event id in the de-duplication window, arm update at or
//    below its source's high-water mark, or repeated within the batch) are
//    dropped before logging and counted;
//  * an event or prediction more than OnlineOptions::max_event_skew_ms ahead
//    of the partition's event clock is refused, never logged;
//  * state = latest checkpoint + replay of the log after it (Recover), which
//    equals, bit for bit, the state of a run that never stopped; a checkpoint
//    written with other online options is refused (it names the option);
//  * Checkpoint() writes a snapshot at the last applied sequence, then
//    truncates the log through it;
//  * the arm updates this partition produces are stamped and kept in its
//    outbox (and in its checkpoints) until the arm's partition confirms it
//    logged them, and the arm's partition accepts each exactly once, in its
//    source's order: learning/arm_update_delivery.h is that protocol;
//  * the outbox is bounded: while it holds max_arm_outbox updates, a batch
//    with a labelled event is refused whole (Unavailable, nothing logged: the
//    client resends) until confirmations drain it; arm updates arriving and
//    predictions are still taken, so the outbox always drains;
//  * a ForgetInput is logged like any input, applied, and then the partition
//    checkpoints, so the forgotten user's events leave its log.
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
#include "learning/arm_update_delivery.h"
#include "learning/partition_input.h"
#include "learning/partition_learner.h"
#include "storage/checkpoint_store.h"
#include "storage/event_log.h"

namespace driftline {

struct JournalOptions {
  // Ownership epoch stamped into checkpoints and every log record; Recover
  // refuses a partition whose checkpoint or log carries a newer one. Default: 1
  uint64_t epoch = 1;
  uint64_t checkpoint_every = 10'000; // inputs between automatic checkpoints. Default: 10'000
  size_t replay_chunk = 4'096;        // records read at a time during recovery. Default: 4'096
  // The node's partition count: where each arm's updates go
  // (cluster/partitioner.h). Must equal the node's. Default: 16
  uint32_t partitions = 16;
  // Unconfirmed arm updates this partition keeps before it refuses batches
  // with labelled events (Unavailable: resend later). Only expiries with a
  // default label can add to a full outbox, at most OnlineOptions::max_pending
  // more. An arm update is never dropped or applied twice at the bound: the
  // refused events were never logged. Default: 100'000
  size_t max_arm_outbox = 100'000;
};

struct JournalBatchResult {
  uint32_t accepted = 0;    // logged and applied
  uint32_t duplicates = 0;  // dropped before logging
  uint32_t rejected = 0;    // refused (invalid, too far ahead in time, unstamped arm update): never logged
  uint32_t arm_gaps = 0;    // arm updates whose predecessor is not logged here: refused, resent later
  std::string first_rejection;  // the first refusal's message
  std::vector<ApplyResult> applied;          // one per accepted input, in order
  std::vector<ArmUpdateInput> arm_updates;   // every arm update the batch produced, stamped, in order
};

// What Prepare decided for one input.
enum class InputVerdict : uint8_t {
  kToLog,      // admitted: to be logged, then applied
  kDuplicate,  // dropped (already logged, or repeated earlier in the batch)
  kRejected,   // refused (invalid, too far ahead in time, unstamped arm update)
  kArmGap,     // arm update whose predecessor is not logged here: refused, resent later
};

// The inputs of a batch that may be logged, and the verdict on each input.
struct PreparedInputs {
  std::vector<PartitionInput> to_log;  // the kToLog inputs, in order
  std::vector<InputVerdict> verdicts;  // one per input given, in order
  std::vector<std::string> rejections;  // one message per kRejected input, in order
};

class PartitionJournal {
 public:
  // Restores the latest checkpoint (if any) and replays the log after it.
  // Every unconfirmed arm update (the checkpoint's outbox plus those the
  // replay produced) stays in the outbox: Unconfirmed() gives them to send
  // again, and the arms' partitions drop what they already logged.
  // Errors: Corruption for undecodable checkpoints or records;
  // FailedPrecondition when the checkpoint was written with other online
  // options (the message names them), or when the checkpoint or a log record
  // carries an owner epoch newer than options.epoch (a newer owner wrote it).
  static Result<std::unique_ptr<PartitionJournal>> Recover(
      uint32_t partition, const OnlineOptions& online, uint64_t seed, storage::EventLog& log,
      storage::CheckpointStore& checkpoints, const JournalOptions& options);

  // Drops the partition's online state: writes a checkpoint of a fresh state
  // (learned with `online`, seeded with `seed`) at the log's last sequence
  // and truncates the log through it. Acknowledged events in the log are
  // forgotten: only for an explicit reset (`driftline node
  // --reset-online-state`).
  static Status Reset(uint32_t partition, const OnlineOptions& online, uint64_t seed,
                      storage::EventLog& log, storage::CheckpointStore& checkpoints,
                      const JournalOptions& options);

  // Logs the valid (protocol/validate.h), non-duplicate, in-order inputs in
  // one durable append, then applies them.
  // On a storage error nothing is applied and the error is returned.
  // Checkpoints automatically every options.checkpoint_every inputs (a
  // failure there is kept in last_checkpoint_error(), not returned: the
  // batch is durable in the log regardless).
  // Unavailable while the outbox is full (max_arm_outbox) and `inputs` hold
  // a labelled event (it would add an arm update): the batch is refused
  // whole, nothing logged, and the client resends. LogAndApply checks it; the
  // partition actor checks it when a batch arrives (Prepare does not), so
  // the bound is soft there by at most the partition's queued work.
  Status AdmitOutbox(const std::vector<PartitionInput>& inputs) const;

  Result<JournalBatchResult> LogAndApply(const std::vector<PartitionInput>& inputs);

  // LogAndApply in three steps, so that the append can run on another thread
  // (the node's log writer) while the owner keeps serving reads:
  //   Prepare (owner) -> EncodeForLog + EventLog::Append (any thread) ->
  //   Commit (owner).
  // Prepare judges the inputs against the state as it is now; Commit applies
  // what Prepare gave to log, at the range the append returned.
  // REQUIRES: no other Prepare or Commit between a Prepare and its Commit
  // (one append in flight per partition), and nothing committed if the
  // append failed (drop the prepared inputs: they were not logged).
  PreparedInputs Prepare(std::vector<PartitionInput> inputs) const;
  // The log records of `inputs`, each stamped with the owner `epoch`
  // (epoch()). Pure: callable from any thread.
  static std::vector<std::string> EncodeForLog(const std::vector<PartitionInput>& inputs, uint64_t epoch);
  // Applies `logged` (a Prepare's to_log, durable at `range`) in order and
  // stamps the arm updates produced; fills accepted, applied and arm_updates.
  // Checkpoints automatically as LogAndApply does.
  // REQUIRES: range holds exactly logged.size() sequences.
  JournalBatchResult Commit(const std::vector<PartitionInput>& logged, storage::SequenceRange range);
  // EncodeForLog + Append on the calling thread + Commit: for a Prepare's
  // to_log when no other append of this partition is in flight. On a storage
  // error nothing is applied and the error is returned.
  Result<JournalBatchResult> AppendAndCommit(const std::vector<PartitionInput>& to_log);

  // Snapshot at the last applied sequence (outbox included), then truncate
  // the log through it.
  Status Checkpoint();

  // --- arm-update delivery (learning/arm_update_delivery.h) ---
  // `destination` logged every arm update of this partition up to high_water.
  void Confirm(uint32_t destination, ArmOrdinal high_water) { outbox_.Confirm(destination, high_water); }
  size_t outbox_size() const { return outbox_.size(); }
  // Every unconfirmed arm update, by destination, in order (to send at start).
  std::map<uint32_t, std::vector<ArmUpdateInput>> Unconfirmed() const { return outbox_.Unconfirmed(); }
  // Those unconfirmed for a whole period (to send again periodically).
  std::map<uint32_t, std::vector<ArmUpdateInput>> TickOutbox() { return outbox_.Tick(); }
  // What this partition logged from `source` (the confirmation it sends).
  ArmOrdinal ArmHighWater(uint32_t source) const {
    return learner_.state().ArmHighWater(source);
  }

  const PartitionLearner& learner() const { return learner_; }
  uint64_t applied_sequence() const { return applied_sequence_; }
  // The highest owner epoch found in the checkpoint and log at Recover (0:
  // nothing recorded one); at most options.epoch.
  uint64_t logged_epoch() const { return logged_epoch_; }
  uint64_t epoch() const { return options_.epoch; }
  // The outcome of the last automatic checkpoint (ok if none failed).
  const Status& last_checkpoint_error() const { return last_checkpoint_error_; }
  uint32_t partition() const { return learner_.partition(); }
  // The whole state as a checkpoint would hold it (learner + outbox).
  PartitionSnapshot Snapshot() const;

 private:
  PartitionJournal(PartitionLearner learner, storage::EventLog& log,
                   storage::CheckpointStore& checkpoints, const JournalOptions& options);

  // Why `input` may not be logged now, or ok. `batch_clock` includes the
  // inputs accepted earlier in the batch.
  Status Admit(const PartitionInput& input, int64_t batch_clock) const;

  PartitionLearner learner_;
  storage::EventLog& log_;
  storage::CheckpointStore& checkpoints_;
  JournalOptions options_;
  uint64_t applied_sequence_ = 0;
  uint64_t logged_epoch_ = 0;
  uint64_t since_checkpoint_ = 0;
  Status last_checkpoint_error_;
  ArmUpdateOutbox outbox_;
};

}  // namespace driftline
