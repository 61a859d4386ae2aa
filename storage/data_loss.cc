#include "storage/data_loss.h"

namespace driftline::storage {

uint64_t DataLossReport::lost_log_records() const {
  uint64_t total = 0;
  for (const LostLogRecords& r : lost_records) total += r.last - r.first + 1;
  return total;
}

std::string DataLossReport::Describe() const {
  constexpr size_t kNamed = 8;
  std::string out = "the write-ahead log is damaged before its end (" + damage +
                    "); recovering up to the damage drops the damaged record and at least " +
                    std::to_string(lost_writes) + " later write(s)";
  if (lost_records.empty()) return out + ", none of them event-log records";
  out += ", among them " + std::to_string(lost_log_records()) + " event-log record(s) (events, predictions, arm updates):";
  uint64_t rest = 0;
  for (size_t i = 0; i < lost_records.size(); ++i) {
    const LostLogRecords& r = lost_records[i];
    if (i >= kNamed) {
      rest += r.last - r.first + 1;
      continue;
    }
    out += (i == 0 ? " " : ", ") + std::string("partition ") + std::to_string(r.partition) + " records " +
           std::to_string(r.first) + ".." + std::to_string(r.last);
  }
  if (lost_records.size() > kNamed) {
    out += ", and " + std::to_string(rest) + " in " + std::to_string(lost_records.size() - kNamed) +
           " more partition(s)";
  }
  return out;
}

}  // namespace driftline::storage
