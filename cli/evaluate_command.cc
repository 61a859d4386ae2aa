// `driftline evaluate`: progressive validation of base, hybrid and online on
// the events after a cut, side by side.
#include <chrono>
#include <cstdio>
#include <limits>

#include "cli/commands.h"
#include "cli/event_loading.h"
#include "cli/file_io.h"
#include "cli/flags.h"
#include "cli/outcome_times.h"
#include "learning/delta_transform.h"
#include "learning/evaluator.h"
#include "protocol/codec.h"

namespace driftline {
namespace {

constexpr char kProgram[] = "driftline evaluate";

struct ModeRun {
  EvalMode mode;
  EvalResult result;
  double seconds = 0.0;
};

Result<OnlineOptions> OnlineFromFlags(const FlagParser& flags) {
  OnlineOptions o;
  o.user_ftrl.alpha = flags.GetDouble("user-alpha");
  o.arm_ftrl.alpha = flags.GetDouble("arm-alpha");
  o.user_ftrl.l2 = o.arm_ftrl.l2 = flags.GetDouble("delta-l2");
  if (!(o.user_ftrl.alpha > 0) || !(o.arm_ftrl.alpha > 0)) {
    return Status::InvalidArgument("--user-alpha and --arm-alpha must be > 0");
  }
  if (!(o.user_ftrl.l2 >= 0)) return Status::InvalidArgument("--delta-l2 must be >= 0");
  const int64_t replay = flags.GetInt("replay");
  if (replay < 0 || replay > 100) return Status::InvalidArgument("--replay must be in 0..100");
  o.replay_per_update = static_cast<size_t>(replay);
  // Delayed labels wait as in the node (same flags, same defaults).
  o.pending_ttl_ms = flags.GetInt("pending-ttl-ms");
  if (o.pending_ttl_ms < 1) return Status::InvalidArgument("--pending-ttl-ms must be >= 1");
  o.state_ttl_ms = flags.GetInt("state-ttl-ms");
  if (o.state_ttl_ms < 0) return Status::InvalidArgument("--state-ttl-ms must be >= 0");
  const std::string& label = flags.GetString("default-label");
  if (label == "0" || label == "1") {
    o.default_label = label == "1" ? 1 : 0;
  } else if (label != "none") {
    return Status::InvalidArgument("--default-label must be none, 0 or 1");
  }
  return o;
}

// `switched`: the run had a model switch (the "after the switch" figures).
std::string Json(const std::string& version, int64_t from, size_t batch,
                 const std::vector<ModeRun>& runs, const std::string& switch_json) {
  std::string s = "{\"model_version\":\"" + version + "\",\"from\":" + std::to_string(from) +
                  ",\"batch\":" + std::to_string(batch) + switch_json + ",\"modes\":{";
  char buf[512];
  for (size_t i = 0; i < runs.size(); ++i) {
    const ModeRun& r = runs[i];
    std::snprintf(buf, sizeof buf,
                  "%s\"%s\":{\"logloss\":%.6f,\"auc\":%.6f,\"n\":%zu,\"events_per_s\":%.0f",
                  i ? "," : "", EvalModeName(r.mode), r.result.logloss, r.result.auc, r.result.n,
                  r.seconds > 0 ? r.result.n / r.seconds : 0.0);
    s += buf;
    if (!switch_json.empty()) {
      const EvalWindow& w = r.result.after_switch;
      std::snprintf(buf, sizeof buf, ",\"after_switch\":{\"logloss\":%.6f,\"auc\":%.6f,\"n\":%zu}",
                    w.logloss, w.auc, w.n);
      s += buf;
    }
    s += "}";
  }
  return s + "}}";
}

void Table(const std::vector<ModeRun>& runs, bool switched, std::ostream& out) {
  char buf[256];
  out << "mode          n   log loss      AUC    events/s";
  out << (switched ? "   after switch: n   log loss      AUC\n" : "\n");
  for (const ModeRun& r : runs) {
    std::snprintf(buf, sizeof buf, "%-7s %8zu %10.4f %8.4f %11.0f", EvalModeName(r.mode),
                  r.result.n, r.result.logloss, r.result.auc,
                  r.seconds > 0 ? r.result.n / r.seconds : 0.0);
    out << buf;
    if (switched) {
      const EvalWindow& w = r.result.after_switch;
      std::snprintf(buf, sizeof buf, " %18zu %10.4f %8.4f", w.n, w.logloss, w.auc);
      out << buf;
    }
    out << "\n";
  }
}

// The artifact at `path`, decoded and validated.
Result<ModelArtifact> LoadArtifact(const std::string& path) {
  auto bytes = ReadWholeFile(path);
  if (!bytes.ok()) return bytes.status();
  auto artifact = DecodeArtifact(*bytes);
  if (!artifact.ok()) return Status(artifact.status().code(), path + ": " + artifact.status().ToString());
  return artifact;
}

}  // namespace

int RunEvaluate(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  FlagParser flags(kProgram,
                   "Replay the events after --from with progressive validation (predict, then\n"
                   "learn) in the order things become known: each exposure is scored at its time,\n"
                   "its label learned at the outcome's time. Reports, side by side: the stale\n"
                   "base model alone, the hybrid (base + per-user and per-arm online deltas), and\n"
                   "online only (deltas from zero, no base). --batch N gives the node's reads when\n"
                   "a client sends the stream in batches of N (docs/evaluation.md).\n"
                   "--switch-model M --switch-at TS --deltas D replays an activation of base M at TS\n"
                   "with delta transform D (as `driftline model activate`) and also reports the\n"
                   "examples after it.\n\n"
                   "  driftline evaluate --model base.model --events mt.jsonl --from 1368706380000");
  flags.AddString("model", "MODEL", "base model artifact from `driftline train` (required)", "");
  flags.AddString("events", "FILE", "JSON Lines event file (required)", "");
  flags.AddString("from", "TS", "replay events with ts > TS (usually the model's --until) (required)", "");
  flags.AddBool("json", "print one JSON object instead of a table");
  flags.AddDouble("user-alpha", "X", "FTRL learning rate of the per-user deltas", OnlineOptions{}.user_ftrl.alpha);
  flags.AddDouble("arm-alpha", "X", "FTRL learning rate of the per-arm deltas", OnlineOptions{}.arm_ftrl.alpha);
  flags.AddDouble("delta-l2", "X", "L2 pull of the deltas towards the base", OnlineOptions{}.user_ftrl.l2);
  flags.AddInt("replay", "N", "replayed examples per live update (against forgetting)", 0);
  flags.AddInt("seed", "N", "seed of the evaluator's partition state", 1);
  flags.AddInt("pending-ttl-ms", "MS", "how long a prediction waits for its outcome (event time), as in the node",
               OnlineOptions{}.pending_ttl_ms);
  flags.AddString("default-label", "none|0|1", "label of a prediction whose outcome never came", "none");
  flags.AddInt("state-ttl-ms", "MS",
               "evict user and arm state idle longer than this (event time), as in the node; 0: never",
               OnlineOptions{}.state_ttl_ms);
  flags.AddInt("batch", "N", "events per batch: each is scored from the state before its batch", 1);
  flags.AddString("switch-model", "MODEL",
                  "activate this base model during the replay, after --switch-at (docs/evaluation.md)", "");
  flags.AddString("switch-at", "TS", "with --switch-model: events with ts > TS see the new model", "");
  flags.AddString("deltas", "keep|reset|decay:F",
                  "with --switch-model: what the switch does to the online deltas, as `driftline model activate`",
                  DeltaTransformName(DefaultDeltaTransform()));
  flags.AddBool("skip-bad-lines",
                "skip malformed event lines and outcomes before their exposure (counted) instead of failing");
  if (std::optional<int> code = flags.ParseOrExit(args, out, err)) return *code;

  auto fail = [&err](int code, const std::string& message) {
    return ReportFailure(err, kProgram, code, message);
  };
  if (Status s = flags.RequireStrings({"model", "events", "from"}); !s.ok()) return fail(kExitUsage, s.message());
  auto from = ParseTimestampFlag("from", flags.GetString("from"));
  if (!from.ok()) return fail(kExitUsage, from.status().message());
  auto online = OnlineFromFlags(flags);
  if (!online.ok()) return fail(kExitUsage, online.status().message());
  if (flags.GetInt("seed") < 0) return fail(kExitUsage, "--seed must be >= 0");
  const int64_t batch = flags.GetInt("batch");
  if (batch < 1 || batch > 1'000'000) return fail(kExitUsage, "--batch must be in 1..1000000");

  auto deltas = ParseDeltaTransform(flags.GetString("deltas"));
  if (!deltas.ok()) return fail(kExitUsage, "--deltas: " + deltas.status().message());
  const bool switched = !flags.GetString("switch-model").empty();
  if (switched != !flags.GetString("switch-at").empty()) {
    return fail(kExitUsage, "--switch-model and --switch-at go together");
  }
  int64_t switch_at = 0;
  if (switched) {
    auto at = ParseTimestampFlag("switch-at", flags.GetString("switch-at"));
    if (!at.ok()) return fail(kExitUsage, at.status().message());
    if (*at < *from) return fail(kExitUsage, "--switch-at must not be before --from");
    switch_at = *at;
  }

  auto artifact = LoadArtifact(flags.GetString("model"));
  if (!artifact.ok()) return fail(kExitFailure, artifact.status().message());
  if (artifact->snapshot.cut_ts_ms > *from) {
    err << kProgram << ": warning: the model saw labels up to " << artifact->snapshot.cut_ts_ms
        << ", after --from " << *from << "; the evaluation overlaps its training data\n";
  }
  std::optional<ModelArtifact> next;
  if (switched) {
    auto loaded = LoadArtifact(flags.GetString("switch-model"));
    if (!loaded.ok()) return fail(kExitFailure, loaded.status().message());
    if (loaded->snapshot.cut_ts_ms > switch_at) {
      err << kProgram << ": warning: the switch model saw labels up to " << loaded->snapshot.cut_ts_ms
          << ", after --switch-at " << switch_at << "; the evaluation after the switch overlaps its training data\n";
    }
    next = std::move(*loaded);
  }
  auto loaded = LoadEventFile(kProgram, flags.GetString("events"), flags.GetBool("skip-bad-lines"), err);
  if (!loaded.ok()) return fail(kExitFailure, loaded.status().message());
  if (Status s = CheckOutcomeTimes(kProgram, flags.GetString("events"), loaded->events,
                                   flags.GetBool("skip-bad-lines"), err);
      !s.ok()) {
    return fail(kExitFailure, s.message());
  }
  std::vector<LabelledExample> all =
      PointInTimeSnapshot(loaded->events, std::numeric_limits<int64_t>::max());
  std::vector<LabelledExample> later;
  for (auto& ex : all) {
    if (ex.event.ts_ms > *from) later.push_back(std::move(ex));
  }
  if (later.empty()) return fail(kExitFailure, "no labelled events after " + std::to_string(*from));

  BaseModel base(*artifact);
  EvalOptions options;
  options.online = *online;
  options.seed = static_cast<uint64_t>(flags.GetInt("seed"));
  options.batch = static_cast<size_t>(batch);
  std::optional<BaseModel> next_base;
  std::string switch_json;
  if (next) {
    next_base.emplace(*next);
    options.model_switch = EvalModelSwitch{&*next_base, switch_at, *deltas};
    switch_json = ",\"switch\":{\"model_version\":\"" + next->version + "\",\"at\":" +
                  std::to_string(switch_at) + ",\"deltas\":\"" + DeltaTransformName(*deltas) + "\"}";
  }
  std::vector<ModeRun> runs;
  for (EvalMode mode : {EvalMode::kBase, EvalMode::kHybrid, EvalMode::kOnline}) {
    err << "[evaluate] " << EvalModeName(mode) << ": " << later.size() << " events\n";
    const auto start = std::chrono::steady_clock::now();
    EvalResult r = EvaluateProgressive(mode, &base, later, options, [&](size_t done, size_t total) {
      err << "[evaluate] " << EvalModeName(mode) << " " << done << "/" << total << "\n";
    });
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
    runs.push_back({mode, r, took.count()});
  }
  if (flags.GetBool("json")) {
    out << Json(artifact->version, *from, options.batch, runs, switch_json) << "\n";
  } else {
    out << "model " << artifact->version << ", " << later.size() << " events after " << *from;
    if (options.batch > 1) out << ", in batches of " << options.batch;
    if (next) {
      out << "; model " << next->version << " after " << switch_at << ", deltas "
          << DeltaTransformName(*deltas);
    }
    out << "\n";
    Table(runs, next.has_value(), out);
  }
  return kExitOk;
}

}  // namespace driftline
