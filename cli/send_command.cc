// `driftline send`: streams a JSON Lines event file to a node in pipelined
// batches; a one-line summary on stdout, progress on stderr.
#include <chrono>
#include <iomanip>
#include <sstream>

#include "cli/client_flags.h"
#include "cli/commands.h"
#include "cli/flags.h"
#include "client/send_events.h"
#include "protocol/event_jsonl.h"

namespace driftline {
namespace {

constexpr char kProgram[] = "driftline send";
constexpr auto kProgressEvery = std::chrono::seconds(2);

std::string Summary(const SendStats& s, int64_t skipped_lines) {
  std::ostringstream os;
  os << "acknowledged " << s.acknowledged << " events (" << s.accepted << " accepted, "
     << s.duplicates << " duplicates) in " << s.batches << " batches, " << std::fixed
     << std::setprecision(2) << s.seconds << " s, " << std::setprecision(0)
     << s.events_per_second() << " events/s";
  if (s.resends > 0) os << ", " << s.resends << " batches resent";
  if (skipped_lines > 0) os << ", " << skipped_lines << " bad lines skipped";
  return os.str();
}

}  // namespace

int RunSend(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  FlagParser flags(kProgram,
                   "Stream a JSON Lines event file (docs/events.md) to a node in batches,\n"
                   "several in flight; a batch the node could not log is resent (the node drops\n"
                   "events whose event_id it has seen). Prints one summary line.\n\n"
                   "  driftline send --router tcp://127.0.0.1:7400 events.jsonl");
  AddNodeClientFlags(flags, "router", 30'000);
  flags.AddPositional("FILE", "the JSON Lines event file");
  flags.AddInt("batch-size", "N", "events per batch (1..10000)", 500);
  flags.AddInt("window", "W", "batches in flight (1..1024)", 8);
  flags.AddBool("skip-bad-lines", "count and skip malformed lines instead of failing");
  if (std::optional<int> code = flags.ParseOrExit(args, out, err)) return *code;

  auto fail = [&err](int code, const std::string& message) {
    return ReportFailure(err, kProgram, code, message);
  };
  const int64_t batch_size = flags.GetInt("batch-size");
  if (batch_size < 1 || batch_size > 10'000) return fail(kExitUsage, "--batch-size must be in 1..10000");
  const int64_t window = flags.GetInt("window");
  if (window < 1 || window > 1024) return fail(kExitUsage, "--window must be in 1..1024");
  auto client = ConnectFromFlags(flags, "router");
  if (!client.ok()) return fail(kExitUsage, client.status().message());

  EventFileOptions file_options;
  file_options.skip_bad_lines = flags.GetBool("skip-bad-lines");
  auto reader = EventFileReader::Open(flags.positional()[0], file_options);
  if (!reader.ok()) return fail(kExitFailure, reader.status().message());

  auto last_report = std::chrono::steady_clock::now();
  SendStats last;
  auto progress = [&](const SendStats& s) {
    last = s;
    const auto now = std::chrono::steady_clock::now();
    if (now - last_report < kProgressEvery) return;
    last_report = now;
    err << "[send] " << s.acknowledged << " events acknowledged, " << std::fixed
        << std::setprecision(0) << s.events_per_second() << " events/s\n";
  };
  auto stats = (*client)->SendEvents(EventSourceFromReader(reader->get()),
                                     static_cast<size_t>(batch_size), static_cast<size_t>(window),
                                     progress);
  if (!stats.ok()) {
    return fail(kExitFailure, stats.status().ToString() + " (" + std::to_string(last.acknowledged) +
                                  " events were acknowledged before)");
  }
  if ((*reader)->skipped_lines() > 0) {
    err << "[send] skipped " << (*reader)->skipped_lines() << " bad lines; first: "
        << (*reader)->first_skipped_error() << "\n";
  }
  out << Summary(*stats, (*reader)->skipped_lines()) << "\n";
  return kExitOk;
}

}  // namespace driftline
