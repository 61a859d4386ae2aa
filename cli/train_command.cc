// `driftline train`: the offline half. Point-in-time snapshot of an event
// file -> deterministic base model artifact.
#include <sstream>

#include "cli/commands.h"
#include "cli/event_loading.h"
#include "cli/file_io.h"
#include "cli/flags.h"
#include "cli/outcome_times.h"
#include "learning/offline_trainer.h"
#include "learning/point_in_time.h"
#include "protocol/codec.h"
#include "protocol/sha256.h"

namespace driftline {
namespace {

constexpr char kProgram[] = "driftline train";

// "user:item,user:context" -> pairs. Empty text -> no crosses.
Result<std::vector<std::pair<std::string, std::string>>> ParseCrosses(const std::string& text) {
  std::vector<std::pair<std::string, std::string>> crosses;
  std::stringstream list(text);
  std::string item;
  while (std::getline(list, item, ',')) {
    const auto colon = item.find(':');
    if (item.empty() || colon == std::string::npos || colon == 0 || colon + 1 == item.size() ||
        item.find(':', colon + 1) != std::string::npos) {
      return Status::InvalidArgument("--cross wants NAMESPACE:NAMESPACE[,...], got '" + text + "'");
    }
    crosses.emplace_back(item.substr(0, colon), item.substr(colon + 1));
  }
  return crosses;
}

// sha256 over the canonical bytes of every example trained on, in order,
// each length-prefixed: the snapshot's identity.
std::string SnapshotHash(const std::vector<LabelledExample>& examples) {
  Sha256 hash;
  for (const auto& ex : examples) {
    Event e = ex.event;
    e.label = ex.label;
    const std::string bytes = CanonicalEventBytes(e);
    const uint64_t n = bytes.size();
    hash.Update(&n, sizeof n);
    hash.Update(bytes);
  }
  return Sha256::Hex(hash.Final());
}

Result<TrainConfig> ConfigFromFlags(const FlagParser& flags) {
  TrainConfig config;
  const int64_t bits = flags.GetInt("bits");
  if (bits < 1 || bits > 26) return Status::InvalidArgument("--bits must be in 1..26");
  config.hashing.bits = static_cast<uint32_t>(bits);
  auto crosses = ParseCrosses(flags.GetString("cross"));
  if (!crosses.ok()) return crosses.status();
  config.hashing.crosses = *crosses;
  const int64_t epochs = flags.GetInt("epochs");
  if (epochs < 1 || epochs > 1000) return Status::InvalidArgument("--epochs must be in 1..1000");
  config.epochs = static_cast<uint32_t>(epochs);
  config.learning_rate = flags.GetDouble("learning-rate");
  if (!(config.learning_rate > 0 && config.learning_rate < 100)) {
    return Status::InvalidArgument("--learning-rate must be in (0, 100)");
  }
  config.l2 = flags.GetDouble("l2");
  if (!(config.l2 >= 0 && config.l2 < 100)) return Status::InvalidArgument("--l2 must be in [0, 100)");
  if (flags.GetInt("seed") < 0) return Status::InvalidArgument("--seed must be >= 0");
  config.seed = static_cast<uint64_t>(flags.GetInt("seed"));
  return config;
}

}  // namespace

int RunTrain(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  FlagParser flags(kProgram,
                   "Train the base model on a point-in-time snapshot: only examples whose exposure\n"
                   "and label are both at or before --until are used. Writes the artifact to --out\n"
                   "and prints its content hash. Same events + same flags => byte-identical artifact.\n\n"
                   "  driftline train --events mt.jsonl --until 1368706380000 --out base.model");
  flags.AddString("events", "FILE", "JSON Lines event file (docs/events.md) (required)", "");
  flags.AddString("until", "TS", "cut time: ms since the epoch or 2013-05-16T12:13:00Z (required)", "");
  flags.AddString("out", "MODEL", "where to write the artifact (required)", "");
  flags.AddString("version", "NAME", "model version (default: cut<TS>-<snapshot hash prefix>)", "");
  flags.AddInt("bits", "N", "feature hash space: 2^N buckets", 18);
  flags.AddString("cross", "A:B[,..]", "namespace crosses, like Vowpal Wabbit's -q", "user:item");
  flags.AddInt("epochs", "N", "passes over the snapshot", 3);
  flags.AddDouble("learning-rate", "X", "AdaGrad step scale", 0.1);
  flags.AddDouble("l2", "X", "L2 regularization per example", 1e-6);
  flags.AddInt("seed", "N", "seed of the per-epoch shuffle", 1);
  flags.AddBool("skip-bad-lines",
                "skip malformed event lines and outcomes before their exposure (counted) instead of failing");
  if (std::optional<int> code = flags.ParseOrExit(args, out, err)) return *code;

  auto fail = [&err](int code, const std::string& message) {
    return ReportFailure(err, kProgram, code, message);
  };
  if (Status s = flags.RequireStrings({"events", "until", "out"}); !s.ok()) return fail(kExitUsage, s.message());
  auto until = ParseTimestampFlag("until", flags.GetString("until"));
  if (!until.ok()) return fail(kExitUsage, until.status().message());
  auto config = ConfigFromFlags(flags);
  if (!config.ok()) return fail(kExitUsage, config.status().message());

  const std::string& path = flags.GetString("events");
  auto loaded = LoadEventFile(kProgram, path, flags.GetBool("skip-bad-lines"), err);
  if (!loaded.ok()) return fail(kExitFailure, loaded.status().message());
  if (Status s = CheckOutcomeTimes(kProgram, path, loaded->events, flags.GetBool("skip-bad-lines"), err);
      !s.ok()) {
    return fail(kExitFailure, s.message());
  }
  std::vector<LabelledExample> examples = PointInTimeSnapshot(loaded->events, *until);
  if (examples.empty()) {
    return fail(kExitFailure, "no labelled events known at or before " + std::to_string(*until) +
                                  " in " + path);
  }
  SnapshotInfo snapshot;
  snapshot.description = path + ", labels known at ts <= " + std::to_string(*until);
  snapshot.sha256_hex = SnapshotHash(examples);
  snapshot.cut_ts_ms = *until;
  snapshot.event_count = examples.size();
  std::string version = flags.GetString("version");
  if (version.empty()) version = "cut" + std::to_string(*until) + "-" + snapshot.sha256_hex.substr(0, 8);

  err << "[train] " << examples.size() << " labelled examples of " << loaded->events.size()
      << " events (cut " << *until << "), 2^" << config->hashing.bits << " buckets, "
      << config->epochs << " epochs\n";
  ModelArtifact artifact = TrainBaseModel(
      examples, *config, version, snapshot, [&err](size_t epoch, size_t total, double loss) {
        err << "[train] epoch " << epoch << "/" << total << " training log loss " << loss << "\n";
      });
  const std::string bytes = EncodeArtifact(artifact);
  Status written = WriteFileAtomically(flags.GetString("out"), bytes);
  if (!written.ok()) return fail(kExitFailure, written.message());
  auto sealed = DecodeArtifact(bytes);
  if (!sealed.ok()) return fail(kExitFailure, "internal: artifact does not decode: " + sealed.status().message());
  err << "[train] wrote " << flags.GetString("out") << " (" << bytes.size() << " bytes, version "
      << version << ", " << artifact.weights.size() << " non-zero weights)\n";
  out << sealed->content_hash << "\n";
  return kExitOk;
}

}  // namespace driftline
