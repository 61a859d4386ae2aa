// `driftline status`: a node's active model, partitions and counters.
#include "cli/client_flags.h"
#include "cli/commands.h"
#include "cli/flags.h"
#include "protocol/json.h"

namespace driftline {
namespace {

constexpr char kProgram[] = "driftline status";

std::string StatusJson(const StatusReply& reply) {
  Json::Object counters;
  for (const Counter& c : reply.counters) counters.push_back({c.name, Json::Integer(c.value)});
  return WriteJson(Json::MakeObject({
      {"active_version", Json::String(reply.active_version)},
      {"partitions", Json::Integer(reply.partitions)},
      {"counters", Json::MakeObject(std::move(counters))},
  }));
}

void PrintText(const StatusReply& reply, std::ostream& out) {
  out << "active model: " << (reply.active_version.empty() ? "(none)" : reply.active_version) << "\n"
      << "partitions:   " << reply.partitions << "\n";
  for (const Counter& c : reply.counters) out << c.name << " " << c.value << "\n";
}

}  // namespace

int RunStatus(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  FlagParser flags(kProgram,
                   "Show a running node's active model version, partition count and counters\n"
                   "(one `name value` per line, or one JSON object with --json:\n"
                   "{\"active_version\":..,\"partitions\":..,\"counters\":{name:value,..}}).\n\n"
                   "  driftline status --node tcp://127.0.0.1:7400 --json");
  AddNodeClientFlags(flags, "node");
  flags.AddBool("json", "print one JSON object");
  if (std::optional<int> code = flags.ParseOrExit(args, out, err)) return *code;
  auto client = ConnectFromFlags(flags, "node");
  if (!client.ok()) return ReportFailure(err, kProgram, kExitUsage, client.status().message());
  auto reply = (*client)->NodeStatus();
  if (!reply.ok()) return ReportFailure(err, kProgram, kExitFailure, reply.status().ToString());
  if (flags.GetBool("json")) {
    out << StatusJson(*reply) << "\n";
  } else {
    PrintText(*reply, out);
  }
  return kExitOk;
}

}  // namespace driftline
