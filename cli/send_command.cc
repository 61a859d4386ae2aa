// `driftline send`: streams a JSON Lines event file to a node in pipelined
// batches; a one-line summary on stdout, progress on stderr.
#include <chrono>
#include <deque>
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

// The file lines of the events in flight, so that a failed send can say up
// to which line everything was acknowledged. Holds at most the events read
// but not yet in the acknowledged prefix (window x batch size).
class LineTracker {
 public:
  void Read(int64_t line) { lines_.push_back(line); }
  // The first `prefix` events read are acknowledged.
  void Acknowledged(uint64_t prefix) {
    while (forgotten_ < prefix && !lines_.empty()) {
      last_acknowledged_line_ = lines_.front();
      lines_.pop_front();
      ++forgotten_;
    }
  }
  // The line of the last event of the acknowledged prefix; 0 if none.
  int64_t last_acknowledged_line() const { return last_acknowledged_line_; }

 private:
  std::deque<int64_t> lines_;
  uint64_t forgotten_ = 0;
  int64_t last_acknowledged_line_ = 0;
};

// Where to resume a failed send, in lines of `file`.
std::string ResumeAdvice(const LineTracker& lines, const std::string& file) {
  const int64_t through = lines.last_acknowledged_line();
  const std::string next = std::to_string(through + 1);
  std::string advice = through > 0 ? "every event through line " + std::to_string(through) +
                                         " of " + file + " was acknowledged"
                                   : "no event of " + file + " is known to be acknowledged";
  return advice + "; resend from line " + next + " (e.g. tail -n +" + next + " " + file +
         " > rest.jsonl; the node drops events whose event_id it already has)";
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
  LineTracker lines;
  EventFileReader* file = reader->get();
  EventSource source = [file, &lines]() -> Result<std::optional<Event>> {
    auto next = file->Next();
    if (!next.ok()) return next.status();
    if (!next->has_value()) return std::optional<Event>();
    lines.Read((*next)->line);
    return std::optional<Event>(std::move((*next)->event));
  };
  auto progress = [&](const SendStats& s) {
    lines.Acknowledged(s.acknowledged_prefix);
    const auto now = std::chrono::steady_clock::now();
    if (now - last_report < kProgressEvery) return;
    last_report = now;
    err << "[send] " << s.acknowledged << " events acknowledged, " << std::fixed
        << std::setprecision(0) << s.events_per_second() << " events/s\n";
  };
  auto stats = (*client)->SendEvents(source, static_cast<size_t>(batch_size),
                                     static_cast<size_t>(window), progress);
  if (!stats.ok()) {
    return fail(kExitFailure,
                stats.status().ToString() + "; " + ResumeAdvice(lines, flags.positional()[0]));
  }
  if ((*reader)->skipped_lines() > 0) {
    err << "[send] skipped " << (*reader)->skipped_lines() << " bad lines; first: "
        << (*reader)->first_skipped_error() << "\n";
  }
  out << Summary(*stats, (*reader)->skipped_lines()) << "\n";
  return kExitOk;
}

}  // namespace driftline
