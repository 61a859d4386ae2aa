// A deterministic in-process cluster of partition journals over one store,
// for exactly-once tests of arm updates: every step ingests one batch at its
// user's partition, delivers the arm updates it produced to their arms'
// partitions (destinations ascending, each in ordinal order) and confirms
// them, as the actors do, but in a fixed order. A "crash" drops every
// in-memory object and reopens the store (for RocksDB: what kill -9 leaves,
// since every append reached the write-ahead log), then recovers every
// partition and redelivers every unconfirmed update; the interrupted batch is
// then resent, as a client does when it got no acknowledgement.
//
// A crash can strike before any operation (a log append, a confirmation, a
// checkpoint), including during the redelivery that follows a crash.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <vector>

#include <catch2/catch.hpp>

#include "actors/partition_journal.h"
#include "cluster/partitioner.h"
#include "protocol/codec.h"
#include "tests/storage/store_fixtures.h"

namespace driftline::testing {

struct Batch {
  uint32_t partition = 0;  // the users' partition
  std::vector<PartitionInput> inputs;
};

template <class Store>
class JournalCluster {
 public:
  JournalCluster(uint32_t partitions, OnlineOptions online, JournalOptions options)
      : partitions_(partitions), online_(online), options_(options) {
    options_.partitions = partitions;
    RecoverAll();
  }

  // Crashes before operation number n (counted from 0 over the whole run).
  void CrashBefore(std::set<uint64_t> ops) { crash_before_ = std::move(ops); }
  uint64_t crashes() const { return crashes_; }
  uint64_t operations() const { return op_; }

  // Runs every batch to completion (through any number of crashes).
  void Run(const std::vector<Batch>& batches) {
    for (size_t k = 0; k < batches.size();) {
      if (Step(batches[k])) {
        ++k;
      } else {
        CrashAndRecover();
      }
    }
  }

  PartitionJournal& journal(uint32_t p) { return *journals_[p]; }
  // The canonical checkpoint bytes of every partition's whole state.
  std::vector<std::string> CheckpointBytes() const {
    std::vector<std::string> out;
    for (const auto& j : journals_) out.push_back(EncodeCheckpoint(j->Snapshot()));
    return out;
  }

 private:
  bool Crash() { return crash_before_.count(op_++) > 0; }

  // Delivers `updates` (one destination, in order) and confirms to their
  // sources. False if a crash struck.
  bool Deliver(uint32_t destination, const std::vector<ArmUpdateInput>& updates) {
    if (Crash()) return false;
    std::vector<PartitionInput> inputs(updates.begin(), updates.end());
    REQUIRE(journals_[destination]->LogAndApply(inputs).ok());
    std::set<uint32_t> sources;
    for (const auto& u : updates) sources.insert(u.source_partition);
    for (uint32_t source : sources) {
      if (Crash()) return false;
      journals_[source]->Confirm(destination, journals_[destination]->ArmHighWater(source));
    }
    return true;
  }

  bool Step(const Batch& batch) {
    if (Crash()) return false;
    auto result = journals_[batch.partition]->LogAndApply(batch.inputs);
    REQUIRE(result.ok());
    std::map<uint32_t, std::vector<ArmUpdateInput>> by_destination;
    for (const auto& u : result->arm_updates) {
      by_destination[PartitionOf(u.arm, partitions_)].push_back(u);
    }
    for (const auto& [destination, updates] : by_destination) {
      if (!Deliver(destination, updates)) return false;
    }
    if ((++steps_ % 5) == 0) {  // now and then an explicit checkpoint of the source
      if (Crash()) return false;
      REQUIRE(journals_[batch.partition]->Checkpoint().ok());
    }
    return true;
  }

  void RecoverAll() {
    journals_.clear();
    for (uint32_t p = 0; p < partitions_; ++p) {
      auto j = PartitionJournal::Recover(p, online_, 100 + p, store_.store().events(),
                                         store_.store().checkpoints(), options_);
      REQUIRE(j.ok());
      journals_.push_back(std::move(*j));
    }
  }

  void CrashAndRecover() {
    while (true) {
      ++crashes_;
      journals_.clear();
      if constexpr (std::is_same_v<Store, storage::testing::RocksStore>) store_.Reopen();
      RecoverAll();
      if (RedeliverAll()) return;
    }
  }

  bool RedeliverAll() {
    for (uint32_t source = 0; source < partitions_; ++source) {
      for (const auto& [destination, updates] : journals_[source]->Unconfirmed()) {
        if (!Deliver(destination, updates)) return false;
      }
    }
    return true;
  }

  uint32_t partitions_;
  OnlineOptions online_;
  JournalOptions options_;
  Store store_;
  std::vector<std::unique_ptr<PartitionJournal>> journals_;
  std::set<uint64_t> crash_before_;
  uint64_t op_ = 0;
  uint64_t steps_ = 0;
  uint64_t crashes_ = 0;
};

}  // namespace driftline::testing
