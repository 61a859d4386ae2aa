// The subcommand table and the dispatcher. See cli/commands.h.
#include "cli/commands.h"

#include <iomanip>

namespace driftline {

std::vector<Command> AllCommands() {
  return {
      {"convert", "turn MovieTweetings or Open Bandit Dataset logs into a JSON Lines event stream",
       RunConvert},
      {"train", "train the base model on a point-in-time snapshot of an event file", RunTrain},
      {"evaluate", "replay later events: stale base vs hybrid vs online-only, side by side",
       RunEvaluate},
      {"evaluate-policy", "off-policy evaluation (IPS, SNIPS, DR) of a policy on a decision log", RunEvaluatePolicy},
      {"node", "run a node (router, partition learners, coordinator) serving a ZeroMQ endpoint",
       RunNode},
      {"send", "stream a JSON Lines event file to a node in pipelined batches", RunSend},
      {"predict", "ask a node to score candidates for a user (prints JSON)", RunPredict},
      {"model", "register, activate or roll back a node's base model", RunModel},
      {"status", "a node's active model, partitions and counters", RunStatus},
      {"stall", "fault injection: stall one partition of a node for a while", RunStall},
      {"forget", "forget a user: remove their delta, pending predictions and replay examples",
       RunForget},
  };
}

namespace {

void PrintCommandList(const std::vector<Command>& commands, std::ostream& os) {
  os << "usage: driftline COMMAND [flags] [args]\n\n"
     << "Hybrid offline + online learning for recommendations.\n\ncommands:\n";
  for (const Command& c : commands) {
    os << "  " << std::left << std::setw(12) << c.name << " " << c.summary << "\n";
  }
  os << "\nRun `driftline COMMAND --help` for the flags of one command.\n";
}

}  // namespace

int ReportFailure(std::ostream& err, const char* program, int code, const std::string& message) {
  err << program << ": " << message << (code == kExitUsage ? " (try --help)" : "") << "\n";
  return code;
}

int RunDriftline(const std::vector<std::string>& argv, const std::vector<Command>& commands,
                 std::ostream& out, std::ostream& err) {
  if (argv.empty()) {
    PrintCommandList(commands, err);
    return kExitUsage;
  }
  const std::string& name = argv[0];
  if (name == "--help" || name == "-h" || name == "help") {
    PrintCommandList(commands, out);
    return kExitOk;
  }
  if (name == "--version") {
    out << "driftline " << DRIFTLINE_VERSION << "\n";
    return kExitOk;
  }
  for (const Command& c : commands) {
    if (name == c.name) {
      std::vector<std::string> rest(argv.begin() + 1, argv.end());
      return c.run(rest, out, err);
    }
  }
  err << "driftline: unknown command '" << name << "' (try driftline --help)\n";
  return kExitUsage;
}

}  // namespace driftline
