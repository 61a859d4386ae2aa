// `driftline convert`: public datasets -> JSON Lines events on stdout.
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "cli/commands.h"
#include "cli/convert_movietweetings.h"
#include "cli/convert_obd.h"
#include "cli/flags.h"
#include "protocol/decision_jsonl.h"
#include "protocol/event_jsonl.h"

namespace driftline {
namespace {

constexpr char kProgram[] = "driftline convert";

Result<std::unique_ptr<std::ifstream>> OpenInput(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) return Status::InvalidArgument("cannot read " + path + ": is a directory");
  auto in = std::make_unique<std::ifstream>(path, std::ios::binary);
  if (!in->is_open()) return Status::NotFound("cannot open " + path + ": " + std::strerror(errno));
  return in;
}

// `sibling` next to `path` ("data/x/ratings.dat" + "movies.dat" -> "data/x/movies.dat").
std::string Beside(const std::string& path, const std::string& sibling) {
  return (std::filesystem::path(path).parent_path() / sibling).string();
}

EventSink WriteTo(std::ostream& out) {
  return [&out](const Event& e) {
    out << FormatEventLine(e) << '\n';
    if (!out) return Status::IoError("write to stdout failed");
    return Status::Ok();
  };
}

Status ConvertMovieTweetingsFiles(const std::string& in_path, std::string movies_path,
                                  const ConvertOptions& options, std::ostream& out, ConvertStats* stats) {
  if (movies_path.empty()) movies_path = Beside(in_path, "movies.dat");
  Result<std::unique_ptr<std::ifstream>> ratings = OpenInput(in_path);
  if (!ratings.ok()) return ratings.status();
  Result<std::unique_ptr<std::ifstream>> movies_in = OpenInput(movies_path);
  if (!movies_in.ok()) return movies_in.status();
  Result<MovieCatalog> movies = ReadMovieCatalog(**movies_in, movies_path, options, stats);
  if (!movies.ok()) return movies.status();
  return ConvertMovieTweetings(**ratings, in_path, *movies, options, WriteTo(out), stats);
}

Status ConvertObdFiles(const std::string& in_path, std::string items_path, bool decisions,
                       const ConvertOptions& options, std::ostream& out, ConvertStats* stats) {
  if (items_path.empty()) items_path = Beside(in_path, "item_context.csv");
  Result<std::unique_ptr<std::ifstream>> log = OpenInput(in_path);
  if (!log.ok()) return log.status();
  Result<std::unique_ptr<std::ifstream>> items_in = OpenInput(items_path);
  if (!items_in.ok()) return items_in.status();
  Result<ObdItemTable> items = ReadObdItemTable(**items_in, items_path, options, stats);
  if (!items.ok()) return items.status();
  // "random/men/men.csv" -> "random-men": the logging policy folder keeps the
  // ids of the random and bts logs of one campaign apart.
  const std::filesystem::path p(in_path);
  const std::string policy = p.parent_path().parent_path().filename().string();
  std::string stem = (policy.empty() ? "" : policy + "-") + p.stem().string();
  if (!decisions) return ConvertObdLog(**log, in_path, stem, *items, options, WriteTo(out), stats);
  const std::string logging_policy = policy.empty() ? "obd" : "obd:" + policy;
  return ConvertObdDecisions(**log, in_path, stem, logging_policy, *items, options,
                             [&out](const LoggedDecision& d) {
                               out << FormatDecisionLine(d) << '\n';
                               if (!out) return Status::IoError("write to stdout failed");
                               return Status::Ok();
                             },
                             stats);
}

}  // namespace

int RunConvert(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  FlagParser flags(kProgram,
                   "Convert a public dataset into the JSON Lines event stream (docs/events.md)\n"
                   "on stdout. Diagnostics go to stderr.\n\n"
                   "  driftline convert --from movietweetings data/movietweetings/ratings.dat > mt.jsonl\n"
                   "  driftline convert --from obd data/open_bandit_dataset/random/men/men.csv > obd.jsonl\n"
                   "  driftline convert --from obd --decisions data/open_bandit_dataset/random/men/men.csv > decisions.jsonl");
  flags.AddPositional("IN", "the input file: ratings.dat (movietweetings) or a log csv (obd)");
  flags.AddString("from", "FORMAT", "input format: movietweetings or obd (required)", "");
  flags.AddString("movies", "FILE", "movietweetings: the movies.dat catalog (default: beside IN)", "");
  flags.AddString("items", "FILE", "obd: the item_context.csv table (default: beside IN)", "");
  flags.AddBool("decisions", "obd: write logged decisions with propensity, position and candidates (docs/decisions.md)");
  flags.AddBool("skip-bad-lines", "skip malformed lines and report their count instead of failing");
  if (std::optional<int> code = flags.ParseOrExit(args, out, err)) return *code;

  const std::string& from = flags.GetString("from");
  auto usage_error = [&err](const std::string& message) {
    err << kProgram << ": " << message << " (try --help)\n";
    return kExitUsage;
  };
  if (from.empty()) return usage_error("--from is required (movietweetings or obd)");
  if (from != "movietweetings" && from != "obd") {
    return usage_error("--from must be movietweetings or obd, got '" + from + "'");
  }
  if (from == "movietweetings" && flags.IsSet("items")) return usage_error("--items applies to --from obd only");
  if (from == "obd" && flags.IsSet("movies")) return usage_error("--movies applies to --from movietweetings only");
  if (from == "movietweetings" && flags.GetBool("decisions")) {
    return usage_error("--decisions applies to --from obd only (MovieTweetings logs no decisions)");
  }

  ConvertOptions options;
  options.skip_bad_lines = flags.GetBool("skip-bad-lines");
  ConvertStats stats;
  const std::string& in_path = flags.positional()[0];
  Status s = from == "movietweetings"
                 ? ConvertMovieTweetingsFiles(in_path, flags.GetString("movies"), options, out, &stats)
                 : ConvertObdFiles(in_path, flags.GetString("items"), flags.GetBool("decisions"), options, out, &stats);
  out.flush();
  if (s.ok() && !out) s = Status::IoError("write to stdout failed");
  if (stats.skipped_lines > 0) {
    err << kProgram << ": skipped " << stats.skipped_lines << " bad line(s); first: "
        << stats.first_skipped_error << "\n";
  }
  if (!s.ok()) {
    err << kProgram << ": " << s.message() << "\n";
    return kExitFailure;
  }
  err << kProgram << ": wrote " << stats.events << (flags.GetBool("decisions") ? " decisions\n" : " events\n");
  return kExitOk;
}

}  // namespace driftline
