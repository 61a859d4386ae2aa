#include "bench/bench_options.h"

#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>

namespace driftline::bench {
namespace {

Result<double> ParseNumber(const std::string& flag, const std::string& text, double min, double max) {
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (text.empty() || end != text.c_str() + text.size() || !(v >= min && v <= max)) {
    char range[64];
    std::snprintf(range, sizeof range, "[%g, %g]", min, max);
    return Status::InvalidArgument(flag + " wants a number in " + range + ", got '" + text + "'");
  }
  return v;
}

void ApplyQuick(BenchOptions* o) {
  o->samples = 300;
  o->warmup = 100;
  o->ingest_events = 3000;
  o->raw_repeats = 1;
  o->epochs = 1;
  o->under_ingest_seconds = 1;
  o->ingest_senders = 2;
  o->sweep_seconds = 0.5;
  o->overload_seconds = 1;
}

}  // namespace

std::string UsageText() {
  return "usage: driftline_bench [flags]\n"
         "Measures driftline (a `driftline node` child process) against raw ZeroMQ and\n"
         "RocksDB baselines measured in the same run; ends with RATIO lines.\n"
         "  --driftline PATH     driftline binary (default build/cli/driftline)\n"
         "  --data PATH          MovieTweetings ratings.dat (default data/movietweetings/ratings.dat)\n"
         "  --rate R             offered predict rate, req/s, open loop (default 2000)\n"
         "  --samples N          measured round trips per path (default 20000)\n"
         "  --warmup N           discarded round trips first (default 2000)\n"
         "  --candidates N       candidates per predict (default 3)\n"
         "  --batch N            events per ingest batch (default 500)\n"
         "  --window N           ingest batches in flight (default 8)\n"
         "  --ingest-events N    events per driftline ingest run, 0 = all (default 0)\n"
         "  --raw-repeats N      replays of the batches in raw ingest baselines (default 5)\n"
         "  --partitions N       node partitions (default 16)\n"
         "  --epochs N           base model training epochs (default 3)\n"
         "  --tmp DIR            parent of the temp dir (default $TMPDIR or /tmp)\n"
         "  --keep-tmp           keep the temp dir (node logs)\n"
         "  --under-ingest-rate R  predicts/s during full-speed ingest and idle (default 1000)\n"
         "  --under-ingest-seconds S  how long each of those runs (default 4)\n"
         "  --ingest-senders N   connections streaming at once under ingest (default 4)\n"
         "  --sweep-seconds S    seconds per rate of the capacity sweep (default 2)\n"
         "  --overload-seconds S seconds of each 2x / 10x capacity flood (default 4)\n"
         "  --deadline-ms MS     deadline of the overload predicts, 0 = node default (default 0)\n"
         "  --skip-overload      skip the under-ingest and overload phases\n"
         "  --only-under-ingest  run only the idle and under-ingest predicts (phase c)\n"
         "  --quick              smoke run: 300 samples, 100 warmup, 3000 events, 1 repeat, 1 epoch,\n"
         "                       short under-ingest and overload runs\n";
}

Result<BenchOptions> ParseOptions(const std::vector<std::string>& args, bool* help) {
  BenchOptions o;
  *help = false;
  for (const auto& a : args) {
    if (a == "--quick") ApplyQuick(&o);
    if (a == "--help" || a == "-h") *help = true;
  }
  if (*help) return o;
  auto count = [](size_t* out, double min, double max) {
    return [out, min, max](const std::string& f, const std::string& v) -> Status {
      auto n = ParseNumber(f, v, min, max);
      if (!n.ok()) return n.status();
      *out = static_cast<size_t>(*n);
      return Status::Ok();
    };
  };
  using Setter = std::function<Status(const std::string&, const std::string&)>;
  auto number = [](double* out, double min, double max) {
    return [out, min, max](const std::string& f, const std::string& v) -> Status {
      auto n = ParseNumber(f, v, min, max);
      if (!n.ok()) return n.status();
      *out = *n;
      return Status::Ok();
    };
  };
  size_t partitions = o.partitions, epochs = o.epochs, deadline = o.deadline_ms;
  const std::map<std::string, Setter> valued = {
      {"--driftline", [&](const std::string&, const std::string& v) { o.driftline = v; return Status::Ok(); }},
      {"--data", [&](const std::string&, const std::string& v) { o.data = v; return Status::Ok(); }},
      {"--tmp", [&](const std::string&, const std::string& v) { o.tmp_root = v; return Status::Ok(); }},
      {"--rate", [&](const std::string& f, const std::string& v) -> Status {
         auto n = ParseNumber(f, v, 1, 1e6);
         if (!n.ok()) return n.status();
         o.rate = *n;
         return Status::Ok();
       }},
      {"--samples", count(&o.samples, 1, 1e8)},
      {"--warmup", count(&o.warmup, 0, 1e8)},
      {"--candidates", count(&o.candidates, 1, 1000)},
      {"--batch", count(&o.batch, 1, 100000)},
      {"--window", count(&o.window, 1, 1000)},
      {"--ingest-events", count(&o.ingest_events, 0, 1e9)},
      {"--raw-repeats", count(&o.raw_repeats, 1, 1000)},
      {"--partitions", count(&partitions, 1, 4096)},
      {"--epochs", count(&epochs, 1, 1000)},
      {"--ingest-senders", count(&o.ingest_senders, 1, 64)},
      {"--under-ingest-rate", number(&o.under_ingest_rate, 1, 1e6)},
      {"--under-ingest-seconds", number(&o.under_ingest_seconds, 0.1, 3600)},
      {"--sweep-seconds", number(&o.sweep_seconds, 0.1, 3600)},
      {"--overload-seconds", number(&o.overload_seconds, 0.1, 3600)},
      {"--deadline-ms", count(&deadline, 0, 60000)},
  };
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--quick") continue;
    if (a == "--keep-tmp") {
      o.keep_tmp = true;
      continue;
    }
    if (a == "--skip-overload") {
      o.skip_overload = true;
      continue;
    }
    if (a == "--only-under-ingest") {
      o.only_under_ingest = true;
      continue;
    }
    auto it = valued.find(a);
    if (it == valued.end()) return Status::InvalidArgument("unknown flag '" + a + "' (see --help)");
    if (i + 1 >= args.size()) return Status::InvalidArgument(a + " needs a value");
    DRIFTLINE_RETURN_IF_ERROR(it->second(a, args[++i]));
  }
  o.partitions = static_cast<uint32_t>(partitions);
  o.epochs = static_cast<uint32_t>(epochs);
  o.deadline_ms = static_cast<uint32_t>(deadline);
  return o;
}

}  // namespace driftline::bench
