// `driftline forget`: a user asked to be forgotten. The node logs the request
// at the user's partition (so it survives a crash and a replay), removes what
// the partition keeps keyed by the user, and checkpoints that partition.
#include "cli/client_flags.h"
#include "cli/commands.h"
#include "cli/flags.h"

namespace driftline {

int RunForget(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  const char* program = "driftline forget";
  FlagParser flags(program,
                   "Forget a user: the user's partition logs the request, then removes the\n"
                   "user's delta layer, pending predictions and replay examples, and\n"
                   "checkpoints (the user's logged events leave its log). Arm state is an\n"
                   "aggregate over users and keeps what it learned. Prints what was removed.\n\n"
                   "  driftline forget --node tcp://127.0.0.1:7400 --user alice");
  AddNodeClientFlags(flags, "node");
  flags.AddString("user", "ID", "the user id to forget (required)", "");
  if (std::optional<int> code = flags.ParseOrExit(args, out, err)) return *code;
  if (Status s = flags.RequireStrings({"user"}); !s.ok()) {
    return ReportFailure(err, program, kExitUsage, s.message());
  }
  auto client = ConnectFromFlags(flags, "node");
  if (!client.ok()) return ReportFailure(err, program, kExitUsage, client.status().message());
  auto reply = (*client)->ForgetUser(flags.GetString("user"));
  if (!reply.ok()) {
    const int code = reply.status().code() == Status::Code::kInvalidArgument ? kExitUsage : kExitFailure;
    return ReportFailure(err, program, code, reply.status().ToString());
  }
  out << "forgot user " << reply->user << " (partition " << reply->partition
      << "): delta " << (reply->delta_removed ? "removed" : "none") << ", "
      << reply->pending_removed << " pending prediction(s), " << reply->replay_removed
      << " replay example(s) removed\n";
  return kExitOk;
}

}  // namespace driftline
