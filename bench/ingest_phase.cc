// Phase (b): ingest with acks against the raw ZeroMQ and RocksDB floors.
#include "bench/node_process.h"
#include "bench/phases.h"
#include "bench/workload.h"
#include "cluster/zmq_transport.h"
#include "protocol/codec.h"

namespace driftline::bench {

IngestBatches MakeIngestBatches(const std::vector<Event>& events, const BenchOptions& opts) {
  IngestBatches b;
  for (const EventBatch& batch : MakeBatches(events, opts.ingest_events, opts.batch)) {
    b.frames.push_back(EncodeFrame(batch));
    b.events_per_frame.push_back(batch.events.size());
    b.records.push_back(LogRecords(batch));
    b.events += batch.events.size();
    b.frame_bytes += b.frames.back().size();
    for (const auto& r : b.records.back()) b.record_bytes += r.size();
  }
  return b;
}

Result<RawIngestFigures> MeasureRawIngest(const BenchOptions& opts, const IngestBatches& batches,
                                          const std::string& scratch_dir) {
  RawIngestFigures f;
  auto zmq = RawOneWay(batches.frames, batches.events_per_frame, opts.raw_repeats);
  if (!zmq.ok()) return zmq.status();
  f.zmq = *zmq;
  auto wal = RawAppends(batches.records, opts.partitions, opts.raw_repeats, false, scratch_dir + "/rocks-wal");
  if (!wal.ok()) return wal.status();
  f.rocks_wal = *wal;
  auto fsync = RawAppends(batches.records, opts.partitions, opts.raw_repeats, true, scratch_dir + "/rocks-fsync");
  if (!fsync.ok()) return fsync.status();
  f.rocks_fsync = *fsync;
  return f;
}

Result<IngestResult> MeasureNodeIngest(const BenchOptions& opts, const IngestBatches& batches,
                                       const std::string& endpoint) {
  std::unique_ptr<cluster::Transport> transport = cluster::MakeZmqTransport();
  auto client = transport->Connect(endpoint);
  if (!client.ok()) return client.status();
  auto status = Call(**client, StatusRequest{5}, 5, std::chrono::milliseconds(10000));
  if (!status.ok()) return Status(status.status().code(), "node status: " + status.status().message());
  return RunWindowedIngest(**client, batches.frames, batches.events_per_frame, 1, opts.window,
                           std::chrono::milliseconds(30000));
}

}  // namespace driftline::bench
