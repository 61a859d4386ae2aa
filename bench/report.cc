#include "bench/report.h"

#include <algorithm>
#include <cstdio>
#include <string>

namespace driftline::bench {
namespace {

std::string Fmt(const char* format, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

double Ratio(double a, double b) { return b > 0 ? a / b : 0; }

void LatencyRow(std::ostream& out, const char* name, const LatencyFigures& f) {
  const LatencySummary& s = f.summary;
  out << "  " << name << Fmt("%10.1f", s.p50_us) << Fmt("%10.1f", s.p99_us) << Fmt("%10.1f", s.p999_us)
      << Fmt("%10.1f", s.max_us) << Fmt("%10.1f", s.mean_us) << Fmt("%10.0f", f.run.answered)
      << Fmt("%6.0f", f.run.lost) << Fmt("%10.0f", f.run.fallbacks) << Fmt("%7.0f", f.run.errors)
      << Fmt("%9.0f", f.run.sent / std::max(f.run.seconds, 1e-9)) << Fmt("%10.1f", f.run.p99_send_lag_us)
      << "\n";
}

double WalFloor(const RawIngestFigures& r) {
  return std::min(r.zmq.events_per_second(), r.rocks_wal.events_per_second());
}
double FsyncFloor(const RawIngestFigures& r) {
  return std::min(r.zmq.events_per_second(), r.rocks_fsync.events_per_second());
}

}  // namespace

void PrintPredict(std::ostream& out, const BenchOptions& opts, const PredictFigures& f) {
  out << "== predict round trip: open loop at " << opts.rate << " req/s offered, " << opts.samples
      << " measured after " << opts.warmup << " warm-up, " << opts.candidates
      << " candidates, request frame " << f.mean_frame_bytes << " B mean (raw frames: same sizes)\n";
  out << "  path           p50_us    p99_us  p99.9_us    max_us   mean_us  answered  lost fallbacks errors"
         "   req/s  lag99_us\n";
  LatencyRow(out, "raw echo ", f.raw);
  LatencyRow(out, "driftline", f.driftline);
  out << "  ratio    " << Fmt("%10.2f", Ratio(f.driftline.summary.p50_us, f.raw.summary.p50_us))
      << Fmt("%10.2f", Ratio(f.driftline.summary.p99_us, f.raw.summary.p99_us))
      << Fmt("%10.2f", Ratio(f.driftline.summary.p999_us, f.raw.summary.p999_us)) << "\n";
  out << "  (fallback and error replies are latency samples too; lag99 = p99 lateness of a send vs its schedule)\n";
}

void PrintIngest(std::ostream& out, const BenchOptions& opts, const IngestReport& r) {
  out << "== ingest: " << r.events << " events in " << r.batches << " batches of " << opts.batch
      << ", frames " << r.frame_bytes / std::max<uint64_t>(r.batches, 1) << " B mean, log records "
      << r.record_bytes / std::max<uint64_t>(r.events, 1) << " B mean; window " << opts.window
      << "; raw baselines replay the batches " << opts.raw_repeats << "x\n";
  auto row = [&out](const std::string& name, const Throughput& t) {
    out << "  " << name << Fmt("%12.0f", t.events_per_second()) << " events/s  ("
        << t.events << " events, " << Fmt("%.3f", t.seconds) << " s, "
        << Fmt("%.1f", t.bytes / std::max(t.seconds, 1e-9) / 1e6) << " MB/s)\n";
  };
  row("raw zmq one-way        ", r.raw.zmq);
  row("raw rocks append       ", r.raw.rocks_wal);
  row("raw rocks append+fsync ", r.raw.rocks_fsync);
  out << "  raw floor (WAL)        " << Fmt("%12.0f", WalFloor(r.raw)) << " events/s\n";
  out << "  raw floor (fsync)      " << Fmt("%12.0f", FsyncFloor(r.raw)) << " events/s\n";
  auto node_row = [&out](const std::string& name, const IngestResult& n, double floor, double cpu) {
    const double secs = std::max(n.throughput.seconds, 1e-9);
    out << "  " << name << Fmt("%12.0f", n.throughput.events_per_second()) << " events/s  vs floor "
        << Fmt("%.0f", floor) << " = " << Fmt("%.3f", Ratio(n.throughput.events_per_second(), floor))
        << "  (accepted " << n.accepted << ", duplicates " << n.duplicates << ", short acks "
        << n.short_acks << ", slowest ack " << Fmt("%.1f", n.max_ack_ms) << " ms; node CPU "
        << Fmt("%.2f", cpu) << " s = " << Fmt("%.2f", cpu / secs) << " cores, "
        << Fmt("%.1f", 1e6 * cpu / std::max<double>(n.throughput.events, 1)) << " us/event)\n";
  };
  node_row("driftline (WAL)        ", r.wal, WalFloor(r.raw), r.wal_cpu_seconds);
  node_row("driftline (--fsync)    ", r.fsync, FsyncFloor(r.raw), r.fsync_cpu_seconds);
}

namespace {

void RateRow(std::ostream& out, const std::string& name, const RateFigures& f) {
  const OpenLoopResult& r = f.run;
  const double answered = std::max<double>(r.answered, 1);
  out << "  " << name << Fmt("%9.0f", f.rate) << Fmt("%10.0f", r.sent) << Fmt("%9.1f", 100.0 * r.answered / std::max<double>(r.sent, 1))
      << Fmt("%9.1f", 100.0 * r.within_deadline / std::max<double>(r.sent, 1))
      << Fmt("%9.1f", 100.0 * r.fallbacks / answered) << Fmt("%8.1f", 100.0 * r.busy / answered)
      << Fmt("%10.0f", f.summary.p50_us) << Fmt("%10.0f", f.summary.p99_us) << Fmt("%10.0f", f.summary.max_us)
      << Fmt("%10.0f", r.p99_send_lag_us) << "\n";
}

void CounterLines(std::ostream& out, const std::vector<Counter>& counters) {
  out << "  node:";
  const std::string endpoint_prefix = "endpoint_predicts_";
  for (const Counter& c : counters) {
    const bool endpoint = c.name.rfind(endpoint_prefix, 0) == 0;
    out << " " << (endpoint ? c.name.substr(endpoint_prefix.size()) : c.name) << "=" << c.value;
  }
  out << "\n";
}

const char* kRateHeader =
    "  run              rate      sent  answer%  in-dl%  fallbk%  busy%    p50_us    p99_us    max_us  lag99_us\n";

}  // namespace

void PrintUnderIngest(std::ostream& out, const UnderIngestFigures& f) {
  out << "== predicts during full-speed ingest: " << f.senders << " connections streaming (window of acks each), "
      << f.events_acked << " events acknowledged in " << Fmt("%.1f", f.ingest_seconds) << " s = "
      << Fmt("%.0f", f.events_acked / std::max(f.ingest_seconds, 1e-9)) << " events/s"
      << (f.ingest_error.empty() ? std::string() : "; ingest error: " + f.ingest_error) << "\n";
  out << kRateHeader;
  RateRow(out, "idle          ", f.idle);
  RateRow(out, "under ingest  ", f.under_ingest);
  CounterLines(out, f.node_counters);
  const double idle_predicts = std::max<double>(f.idle.run.sent, 1);
  const double busy_ops = std::max<double>(f.events_acked + f.under_ingest.run.sent, 1);
  out << "  node CPU: idle run " << Fmt("%.2f", f.idle_cpu_seconds) << " s = "
      << Fmt("%.0f", 1e6 * f.idle_cpu_seconds / idle_predicts) << " us per predict; under ingest "
      << Fmt("%.2f", f.under_ingest_cpu_seconds) << " s = "
      << Fmt("%.1f", 1e6 * f.under_ingest_cpu_seconds / busy_ops) << " us per event or predict ("
      << Fmt("%.2f", f.under_ingest_cpu_seconds / std::max(f.ingest_seconds, 1e-9)) << " cores)\n";
  out << "  (in-dl% = answered within the deadline as seen by the client, of sent; busy = over the node's\n"
         "   predict bounds, answered base-only at once; fallbacks include busy)\n";
}

void PrintOverload(std::ostream& out, const OverloadFigures& f, double cpu_seconds) {
  out << "== predict capacity and overload: deadline " << f.deadline_ms
      << " ms; capacity = highest swept rate with p99 within the deadline, nothing lost, <1% fallbacks\n";
  out << kRateHeader;
  for (const RateFigures& r : f.sweep) RateRow(out, "sweep         ", r);
  if (f.capacity_found) {
    out << "  capacity " << Fmt("%.0f", f.capacity) << " predicts/s\n";
  } else {
    out << "  capacity: no swept rate met the deadline; the floods below use 500 predicts/s as the base\n";
  }
  RateRow(out, "2x capacity   ", f.twice);
  RateRow(out, "10x capacity  ", f.tenfold);
  CounterLines(out, f.node_counters);
  out << "  normal answer (no fallback) again " << Fmt("%.0f", f.recovery_ms_2x) << " ms after the 2x flood, "
      << Fmt("%.0f", f.recovery_ms_10x) << " ms after the 10x flood (-1: not within 30 s)\n";
  out << "  node RSS " << Fmt("%.1f", f.rss_before_mib) << " MiB before the floods, max "
      << Fmt("%.1f", f.rss_max_mib) << " MiB during them; node CPU in this phase " << Fmt("%.2f", cpu_seconds)
      << " s\n";
}

void PrintOverloadRatios(std::ostream& out, const UnderIngestFigures& u, const OverloadFigures& o) {
  out << "RATIO predict_p99_under_ingest "
      << Fmt("%.3f", Ratio(u.under_ingest.summary.p99_us, u.idle.summary.p99_us)) << "\n";
  out << "RATIO predict_10x_within_deadline "
      << Fmt("%.3f", Ratio(o.tenfold.run.within_deadline, std::max<double>(o.tenfold.run.sent, 1))) << "\n";
}

void PrintRatios(std::ostream& out, const PredictFigures& p, const IngestReport& r) {
  out << "RATIO predict_p50 " << Fmt("%.3f", Ratio(p.driftline.summary.p50_us, p.raw.summary.p50_us)) << "\n";
  out << "RATIO predict_p99 " << Fmt("%.3f", Ratio(p.driftline.summary.p99_us, p.raw.summary.p99_us)) << "\n";
  out << "RATIO ingest_wal " << Fmt("%.3f", Ratio(r.wal.throughput.events_per_second(), WalFloor(r.raw)))
      << "\n";
  out << "RATIO ingest_fsync "
      << Fmt("%.3f", Ratio(r.fsync.throughput.events_per_second(), FsyncFloor(r.raw))) << "\n";
}

}  // namespace driftline::bench
