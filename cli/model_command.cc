// `driftline model register|activate|rollback`: a node's model registry.
#include "cli/client_flags.h"
#include "cli/commands.h"
#include "cli/file_io.h"
#include "cli/flags.h"
#include "learning/delta_transform.h"
#include "protocol/codec.h"

namespace driftline {
namespace {

constexpr char kProgram[] = "driftline model";

constexpr char kVerbs[] =
    "usage: driftline model VERB [flags] [args]\n\n"
    "Manage a running node's models.\n\nverbs:\n"
    "  register --node EP FILE   validate an artifact here, store it on the node; prints its version\n"
    "  activate --node EP VER [--deltas keep|reset|decay:F]\n"
    "                            switch the node to a registered version; prints it\n"
    "  rollback --node EP [--deltas keep|reset|decay:F]\n"
    "                            return to the version active before; prints it\n\n"
    "Run `driftline model VERB --help` for the flags of one verb.\n";

int Register(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  const char* program = "driftline model register";
  FlagParser flags(program,
                   "Validate a model artifact (driftline train --out) locally, then store it in\n"
                   "the node's registry. Prints the stored version.\n\n"
                   "  driftline model register --node tcp://127.0.0.1:7400 base.model");
  AddNodeClientFlags(flags, "node", 30'000);
  flags.AddPositional("FILE", "the model artifact");
  if (std::optional<int> code = flags.ParseOrExit(args, out, err)) return *code;
  const std::string& path = flags.positional()[0];
  auto bytes = ReadWholeFile(path);
  if (!bytes.ok()) return ReportFailure(err, program, kExitFailure, bytes.status().message());
  auto artifact = DecodeArtifact(*bytes);
  if (!artifact.ok()) {
    return ReportFailure(err, program, kExitFailure, path + ": " + artifact.status().ToString());
  }
  auto client = ConnectFromFlags(flags, "node");
  if (!client.ok()) return ReportFailure(err, program, kExitUsage, client.status().message());
  auto reply = (*client)->RegisterModel(std::move(*bytes));
  if (!reply.ok()) return ReportFailure(err, program, kExitFailure, reply.status().ToString());
  err << "[model] registered " << reply->version << " (content hash " << reply->content_hash << ")\n";
  out << reply->version << "\n";
  return kExitOk;
}

constexpr char kDeltasHelp[] =
    "what every partition does to its online deltas (and arm evidence) learned against the "
    "old base: keep, reset, or decay:F (weights times F, 0 < F < 1); docs/evaluation.md";

void AddDeltasFlag(FlagParser& flags) {
  flags.AddString("deltas", "keep|reset|decay:F", kDeltasHelp, DeltaTransformName(DefaultDeltaTransform()));
}

// Prints what the node did (stderr) and the version (stdout).
int PrintSwitch(const char* program, const Result<ModelReply>& reply, std::ostream& out, std::ostream& err) {
  if (!reply.ok()) return ReportFailure(err, program, kExitFailure, reply.status().ToString());
  if (reply->deltas) {
    err << "[model] " << reply->version << " active; deltas: " << DeltaTransformName(*reply->deltas) << "\n";
  }
  out << reply->version << "\n";
  return kExitOk;
}

int Activate(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  const char* program = "driftline model activate";
  FlagParser flags(program,
                   "Switch the node's router and partitions to a registered model version.\n"
                   "Prints the version now active.\n\n"
                   "  driftline model activate --node tcp://127.0.0.1:7400 cut1368706380000-1a2b3c4d");
  AddNodeClientFlags(flags, "node");
  AddDeltasFlag(flags);
  flags.AddPositional("VERSION", "a registered model version");
  if (std::optional<int> code = flags.ParseOrExit(args, out, err)) return *code;
  auto deltas = ParseDeltaTransform(flags.GetString("deltas"));
  if (!deltas.ok()) return ReportFailure(err, program, kExitUsage, "--deltas: " + deltas.status().message());
  auto client = ConnectFromFlags(flags, "node");
  if (!client.ok()) return ReportFailure(err, program, kExitUsage, client.status().message());
  return PrintSwitch(program, (*client)->ActivateModel(flags.positional()[0], *deltas), out, err);
}

int Rollback(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  const char* program = "driftline model rollback";
  FlagParser flags(program,
                   "Return the node to the model version active before the current one.\n"
                   "Prints the version now active.\n\n"
                   "  driftline model rollback --node tcp://127.0.0.1:7400");
  AddNodeClientFlags(flags, "node");
  AddDeltasFlag(flags);
  if (std::optional<int> code = flags.ParseOrExit(args, out, err)) return *code;
  auto deltas = ParseDeltaTransform(flags.GetString("deltas"));
  if (!deltas.ok()) return ReportFailure(err, program, kExitUsage, "--deltas: " + deltas.status().message());
  auto client = ConnectFromFlags(flags, "node");
  if (!client.ok()) return ReportFailure(err, program, kExitUsage, client.status().message());
  return PrintSwitch(program, (*client)->Rollback(*deltas), out, err);
}

}  // namespace

int RunModel(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  if (args.empty()) {
    err << kVerbs;
    return kExitUsage;
  }
  const std::string& verb = args[0];
  if (verb == "--help" || verb == "-h" || verb == "help") {
    out << kVerbs;
    return kExitOk;
  }
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (verb == "register") return Register(rest, out, err);
  if (verb == "activate") return Activate(rest, out, err);
  if (verb == "rollback") return Rollback(rest, out, err);
  return ReportFailure(err, kProgram, kExitUsage,
                       "unknown verb '" + verb + "' (register, activate or rollback)");
}

}  // namespace driftline
