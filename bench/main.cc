// driftline_bench: driftline against raw baselines measured in the same run.
//  (a) predict round trip through a `driftline node` child process vs a raw
//      ZeroMQ DEALER/ROUTER echo of the same frame sizes, open loop at a
//      fixed offered rate;
//  (c) predicts at a fixed rate on an idle node, then during full-speed
//      ingest from several connections (same run, same node);
//  (d) a rate sweep for the highest rate answered within the deadline, then
//      floods at 2x and 10x that rate (answers, fallbacks, recovery, RSS);
//  (b) ingest with acks (WAL, then --fsync) vs the raw floor
//      min(ZeroMQ one-way, RocksDB EventLog appends) of the same batches.
// Ends with RATIO lines (six; four with --skip-overload). Every failure is one line on stderr, exit 1.
#include <sys/prctl.h>

#include <chrono>
#include <iostream>

#include "bench/bench_options.h"
#include "bench/temp_dir.h"
#include "bench/cleanup.h"
#include "bench/node_process.h"
#include "bench/phases.h"
#include "bench/report.h"
#include "bench/workload.h"
#include "cluster/zmq_transport.h"

namespace driftline::bench {
namespace {

Status Fail(const std::string& stage, const Status& s) {
  return Status(s.code(), stage + ": " + s.message());
}

// A node with the model active.
Result<std::unique_ptr<NodeProcess>> StartNode(const BenchOptions& opts, const std::string& dir,
                                               const std::string& name, bool fsync,
                                               const std::string& artifact) {
  NodeLaunch launch{opts.driftline, dir + "/" + name, dir + "/" + name + ".log", opts.partitions, fsync};
  auto node = NodeProcess::Start(launch);
  if (!node.ok()) return Fail("start " + name, node.status());
  auto transport = cluster::MakeZmqTransport();
  auto socket = transport->Connect((*node)->endpoint());
  if (!socket.ok()) return Fail("connect " + name, socket.status());
  auto version = InstallModel(**socket, artifact);
  if (!version.ok()) return Fail(name, version.status());
  std::cerr << "[bench] " << name << " serving " << (*node)->endpoint() << ", model " << *version
            << (fsync ? ", --fsync" : "") << "\n";
  return node;
}

Status Run(const BenchOptions& opts) {
  auto tmp = TempDir::Create(opts.tmp_root);
  if (!tmp.ok()) return tmp.status();
  if (opts.keep_tmp) (*tmp)->Keep();
  const std::string dir = (*tmp)->path();
  std::cerr << "[bench] temp dir " << dir << (opts.keep_tmp ? " (kept)" : "") << "\n";

  auto events = LoadMovieTweetings(opts.driftline, opts.data, dir);
  if (!events.ok()) return Fail("load events", events.status());
  const auto t0 = std::chrono::steady_clock::now();
  auto artifact = TrainModelArtifact(*events, opts.epochs);
  if (!artifact.ok()) return Fail("train", artifact.status());
  std::cerr << "[bench] " << events->size() << " events; model trained in "
            << std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() << " s, "
            << artifact->size() << " bytes\n";

  if (opts.only_under_ingest) {
    auto loaded = StartNode(opts, dir, "node-overload", false, *artifact);
    if (!loaded.ok()) return loaded.status();
    NodeProcess* raw_node = loaded->get();
    auto u = MeasurePredictUnderIngest(opts, *events, raw_node->endpoint(), opts.ingest_senders,
                                       [raw_node] { return raw_node->CpuSeconds(); });
    if (!u.ok()) return Fail("predict under ingest", u.status());
    PrintUnderIngest(std::cout, *u);
    return (*loaded)->Stop();
  }

  auto node = StartNode(opts, dir, "node-wal", false, *artifact);
  if (!node.ok()) return node.status();
  const double cpu0 = (*node)->CpuSeconds();
  auto predict = MeasurePredict(opts, *events, (*node)->endpoint());
  if (!predict.ok()) return Fail("predict", predict.status());
  const double predict_cpu = (*node)->CpuSeconds() - cpu0;
  PrintPredict(std::cout, opts, *predict);
  std::cout << "  node CPU during the predict phase (raw part included, node idle then): "
            << predict_cpu << " s = " << 1e6 * predict_cpu / (opts.warmup + opts.samples)
            << " us per predict\n";
  std::cout.flush();

  // (c) and (d) on their own fresh node, so (b) still measures ingest into
  // the node that served (a), as before.
  UnderIngestFigures under_ingest;
  OverloadFigures overload;
  if (!opts.skip_overload) {
    auto loaded = StartNode(opts, dir, "node-overload", false, *artifact);
    if (!loaded.ok()) return loaded.status();
    NodeProcess* under_node = loaded->get();
    auto u = MeasurePredictUnderIngest(opts, *events, under_node->endpoint(), opts.ingest_senders,
                                       [under_node] { return under_node->CpuSeconds(); });
    if (!u.ok()) return Fail("predict under ingest", u.status());
    under_ingest = std::move(*u);
    PrintUnderIngest(std::cout, under_ingest);
    std::cout.flush();
    const double cpu_o = (*loaded)->CpuSeconds();
    NodeProcess* raw_node = loaded->get();
    auto o = MeasureOverload(opts, *events, (*loaded)->endpoint(), [raw_node] { return raw_node->RssMiB(); });
    if (!o.ok()) return Fail("overload", o.status());
    overload = std::move(*o);
    PrintOverload(std::cout, overload, (*loaded)->CpuSeconds() - cpu_o);
    std::cout.flush();
    Status stopped_o = (*loaded)->Stop();
    if (!stopped_o.ok()) return Fail("stop node-overload", stopped_o);
  }

  IngestBatches batches = MakeIngestBatches(*events, opts);
  IngestReport report;
  report.events = batches.events;
  report.batches = batches.frames.size();
  report.frame_bytes = batches.frame_bytes;
  report.record_bytes = batches.record_bytes;
  auto raw = MeasureRawIngest(opts, batches, dir);
  if (!raw.ok()) return Fail("raw ingest", raw.status());
  report.raw = *raw;
  const double cpu1 = (*node)->CpuSeconds();
  auto wal = MeasureNodeIngest(opts, batches, (*node)->endpoint());
  if (!wal.ok()) return Fail("driftline ingest (WAL)", wal.status());
  report.wal = *wal;
  report.wal_cpu_seconds = (*node)->CpuSeconds() - cpu1;
  Status stopped_wal = (*node)->Stop();
  if (!stopped_wal.ok()) return Fail("stop node-wal", stopped_wal);

  auto fsync_node = StartNode(opts, dir, "node-fsync", true, *artifact);
  if (!fsync_node.ok()) return fsync_node.status();
  const double cpu2 = (*fsync_node)->CpuSeconds();
  auto fsync = MeasureNodeIngest(opts, batches, (*fsync_node)->endpoint());
  if (!fsync.ok()) return Fail("driftline ingest (--fsync)", fsync.status());
  report.fsync = *fsync;
  report.fsync_cpu_seconds = (*fsync_node)->CpuSeconds() - cpu2;
  Status stopped = (*fsync_node)->Stop();
  if (!stopped.ok()) return Fail("stop node-fsync", stopped);

  PrintIngest(std::cout, opts, report);
  if (!opts.skip_overload) PrintOverloadRatios(std::cout, under_ingest, overload);
  PrintRatios(std::cout, *predict, report);
  return Status::Ok();
}

}  // namespace
}  // namespace driftline::bench

int main(int argc, char** argv) {
  using namespace driftline::bench;
  InstallCleanupOnSignals();
  prctl(PR_SET_TIMERSLACK, 1UL);  // sleep_until wakes within microseconds, not 50 us
  std::vector<std::string> args(argv + 1, argv + argc);
  bool help = false;
  auto opts = ParseOptions(args, &help);
  if (help) {
    std::cout << UsageText();
    return 0;
  }
  if (!opts.ok()) {
    std::cerr << "driftline_bench: " << opts.status().message() << "\n";
    return 2;
  }
  driftline::Status s;
  try {
    s = Run(*opts);
  } catch (const std::exception& e) {  // a library threw: still one line, still cleaned up
    s = driftline::Status::Internal(std::string("unexpected exception: ") + e.what());
  }
  if (!s.ok()) {
    std::cerr << "driftline_bench: " << s.message() << "\n";
    return 1;
  }
  return 0;
}
