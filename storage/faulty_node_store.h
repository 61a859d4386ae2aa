// FaultyNodeStore: a NodeStore that passes everything to another one, except
// that its writes fail on command. The storage fault-injecting twin: it makes
// a full disk (or a failing one) happen at an exact write, in any test, over
// the in-memory twin or the real RocksDB store, without mounting anything.
//
// While failing, every write (EventLog Append / TruncateThrough / Sync,
// CheckpointStore Put, ModelRegistry Put / Activate / Rollback, NodeMeta Put)
// returns the injected error and changes nothing in the inner store; reads
// pass through. Heal() makes writes pass through again.
//
// A slow disk: while held (HoldAppends), every EventLog Append waits, in the
// calling thread, until ReleaseAppends(); then it goes on as usual.
//
// Ownership: owns the inner store. Thread safety: every method from any
// thread (the inner store's rules apply to what is passed through).
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>

#include "storage/node_store.h"

namespace driftline::storage {

class FaultyNodeStore final : public NodeStore {
 public:
  // REQUIRES: inner != nullptr.
  explicit FaultyNodeStore(std::unique_ptr<NodeStore> inner);
  ~FaultyNodeStore() override;
  FaultyNodeStore(const FaultyNodeStore&) = delete;
  FaultyNodeStore& operator=(const FaultyNodeStore&) = delete;

  // The error RocksNodeStore returns on a full disk, marked as injected.
  static Status NoSpaceError();

  // Every write from now on fails with `error` (REQUIRES: !error.ok()).
  void FailWrites(Status error);
  // Writes pass through again.
  void Heal();

  // EventLog appends wait from now on until ReleaseAppends() (a disk that
  // does not move); the destructor releases them too.
  void HoldAppends();
  void ReleaseAppends();
  // Appends waiting now.
  int held_appends();

  EventLog& events() override;
  CheckpointStore& checkpoints() override;
  ModelRegistry& models() override;
  NodeMeta& meta() override;
  // The inner store's counters plus the refused writes (write_errors, and
  // no_space_errors when the injected error is ResourceExhausted) and one
  // resume per Heal() after a refused write.
  StorageCounters counters() override;

  NodeStore& inner() { return *inner_; }

  // For the wrapped parts: the injected error, or ok; counts a refusal.
  Status CheckWrite();
  // For the wrapped event log: waits while appends are held.
  void WaitWhileHeld();

 private:
  class Events;
  class Checkpoints;
  class Models;
  class Meta;

  std::unique_ptr<NodeStore> inner_;
  std::unique_ptr<Events> events_;
  std::unique_ptr<Checkpoints> checkpoints_;
  std::unique_ptr<Models> models_;
  std::unique_ptr<Meta> meta_;
  std::mutex mu_;
  Status error_;               // guarded by mu_; ok = healthy
  bool refused_since_heal_ = false;  // guarded by mu_
  StorageCounters injected_;   // guarded by mu_
  bool hold_appends_ = false;  // guarded by mu_
  int held_appends_ = 0;       // guarded by mu_
  std::condition_variable released_;
};

}  // namespace driftline::storage
