// storage_crash_writer <dir> <sync 0|1> <records per batch>
//
// Opens a RocksNodeStore in <dir> and appends batches to partition 0 forever.
// Batch b holds records EncodeCrashRecord(b, 0..K-1). After each Append
// returns ok it prints "ack <batch> <first_seq> <last_seq>" and flushes stdout,
// so every printed ack is a promise the crash test holds the store to after
// killing this process with SIGKILL.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "crash_record.h"
#include "storage/rocks_node_store.h"

int main(int argc, char** argv) {
  using driftline::storage::RocksNodeStore;
  if (argc != 4) {
    std::fprintf(stderr, "usage: %s <dir> <sync 0|1> <records per batch>\n", argv[0]);
    return 2;
  }
  driftline::storage::StorageOptions options;
  options.sync = std::string(argv[2]) == "1";
  const uint64_t per_batch = std::strtoull(argv[3], nullptr, 10);
  auto opened = RocksNodeStore::Open(argv[1], options);
  if (!opened.ok()) {
    std::fprintf(stderr, "crash_writer: %s\n", opened.status().ToString().c_str());
    return 1;
  }
  driftline::storage::EventLog& log = (*opened)->events();
  for (uint64_t batch = 0;; ++batch) {
    std::vector<std::string> records;
    for (uint64_t i = 0; i < per_batch; ++i) {
      records.push_back(driftline::storage::testing::EncodeCrashRecord(batch, i));
    }
    auto range = log.Append(0, records);
    if (!range.ok()) {
      std::fprintf(stderr, "crash_writer: %s\n", range.status().ToString().c_str());
      return 1;
    }
    std::printf("ack %llu %llu %llu\n", static_cast<unsigned long long>(batch),
                static_cast<unsigned long long>(range->first), static_cast<unsigned long long>(range->last));
    std::fflush(stdout);
  }
}
