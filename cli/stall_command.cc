// `driftline stall`: fault injection, a partition of a node processes nothing
// for a while, then catches up.
#include "cli/client_flags.h"
#include "cli/commands.h"
#include "cli/flags.h"
#include "protocol/validate.h"

namespace driftline {

int RunStall(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  const char* program = "driftline stall";
  FlagParser flags(program,
                   "Fault injection: one partition of the node processes nothing for --ms\n"
                   "milliseconds (predicts touching it fall back to the base model), then\n"
                   "catches up. The node must run with --enable-fault-injection.\n\n"
                   "  driftline stall --node tcp://127.0.0.1:7400 --partition 3 --ms 2000");
  AddNodeClientFlags(flags, "node");
  flags.AddInt("partition", "N", "the partition to stall (required)", -1);
  flags.AddInt("ms", "MS", "how long, 1..60000 (required)", 0);
  if (std::optional<int> code = flags.ParseOrExit(args, out, err)) return *code;
  const int64_t partition = flags.GetInt("partition");
  if (partition < 0 || partition > 0xffffffffLL) {
    return ReportFailure(err, program, kExitUsage, "--partition is required (a partition number >= 0)");
  }
  const int64_t ms = flags.GetInt("ms");
  if (ms < 1 || ms > kMaxStallMs) return ReportFailure(err, program, kExitUsage, "--ms must be in 1..60000");
  auto client = ConnectFromFlags(flags, "node");
  if (!client.ok()) return ReportFailure(err, program, kExitUsage, client.status().message());
  auto reply = (*client)->StallPartition(static_cast<uint32_t>(partition), static_cast<uint32_t>(ms));
  if (!reply.ok()) return ReportFailure(err, program, kExitFailure, reply.status().ToString());
  out << reply->message << "\n";
  return kExitOk;
}

}  // namespace driftline
