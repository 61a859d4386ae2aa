// libFuzzer target: feeds every input to every protocol decoder (frames of
// every message kind, cluster frames of every kind, artifacts, checkpoints,
// event-log records). Each must
// return a value or an error; a crash, sanitizer report, uncaught exception
// or allocation beyond libFuzzer's -malloc_limit_mb is a finding.
//
// Build (clang only):
//   cmake -S . -B build-fuzz -G Ninja -DCMAKE_CXX_COMPILER=clang++ \
//         -DCMAKE_C_COMPILER=clang -DDRIFTLINE_FUZZ=ON
//   cmake --build build-fuzz --target protocol_decode_fuzzer protocol_fuzz_seeds
//   build-fuzz/protocol/protocol_fuzz_seeds protocol/fuzz/corpus
//   build-fuzz/protocol/protocol_decode_fuzzer -max_total_time=60 \
//         -max_len=4096 /tmp/corpus protocol/fuzz/corpus
//
// Decoded values are round-tripped too: whatever a decoder accepts must
// encode and decode again to an equal value. The doors must agree: a frame a
// node accepts (DecodeRequestFrame) is one DecodeFrame accepts, and every
// event of an accepted batch passes the JSON Lines door too, arriving equal.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "protocol/codec.h"
#include "protocol/event_jsonl.h"
#include "protocol/shard_codec.h"

namespace {

using driftline::DecodeLimits;

DecodeLimits FuzzLimits() {
  DecodeLimits limits;
  limits.max_bytes = 1 << 20;
  limits.traversal_limit_words = 1 << 18;
  return limits;
}

// Limits for re-decoding a re-encoded value. A fuzzed input may decode to a
// value made mostly of all-default list elements, whose re-encoding is far
// smaller than what it traverses: drop the per-input-word cap here.
DecodeLimits RoundTripLimits() {
  DecodeLimits limits = FuzzLimits();
  limits.traversal_words_per_input_word = 0;
  return limits;
}

// Aborts (a finding) when a decoded value does not survive a round trip.
template <class T>
void RequireSame(const T& a, const T& b) {
  if (!(a == b)) std::abort();
}

void FuzzFrame(std::string_view bytes, const DecodeLimits& limits) {
  driftline::Result<driftline::Message> m = driftline::DecodeFrame(bytes, limits);
  if (!m.ok()) return;
  driftline::Result<driftline::Message> again =
      driftline::DecodeFrame(driftline::EncodeFrame(*m), RoundTripLimits());
  if (!again.ok()) std::abort();
  // NaN never passes validation, so == is a sound comparison here.
  RequireSame(*m, *again);
  if (const auto* batch = std::get_if<driftline::EventBatch>(&*m)) {
    for (const driftline::Event& e : batch->events) {
      driftline::Result<driftline::Event> line =
          driftline::ParseEventLine(driftline::FormatEventLine(e));
      if (!line.ok() || !(*line == e)) std::abort();
    }
  }
}

void FuzzRequestFrame(std::string_view bytes, const DecodeLimits& limits) {
  bool unexpected = false;
  driftline::Result<driftline::Message> request =
      driftline::DecodeRequestFrame(bytes, limits, &unexpected);
  driftline::Result<driftline::Message> any = driftline::DecodeFrame(bytes, limits);
  if (request.ok()) {
    // What a node takes, any reader takes, and equal.
    if (!any.ok() || unexpected) std::abort();
    RequireSame(*request, *any);
  } else if (unexpected) {
    // Refused by kind only: the kind is a reply (or unknown), never a request.
    if (any.ok() && (std::holds_alternative<driftline::EventBatch>(*any) ||
                     std::holds_alternative<driftline::PredictRequest>(*any))) {
      std::abort();
    }
  }
}

// A cluster frame that decodes was validated (no NaN): it must survive a
// round trip equal, and its name and request id must be readable.
void FuzzShardFrame(std::string_view bytes, const DecodeLimits& limits) {
  driftline::Result<driftline::ShardMessage> m = driftline::DecodeShardFrame(bytes, limits);
  if (!m.ok()) return;
  driftline::Result<driftline::ShardMessage> again =
      driftline::DecodeShardFrame(driftline::EncodeShardFrame(*m), RoundTripLimits());
  if (!again.ok()) std::abort();
  RequireSame(*m, *again);
  (void)driftline::ShardMessageName(*m);
  (void)driftline::ShardRequestId(*m);
}

void FuzzArtifact(std::string_view bytes, const DecodeLimits& limits) {
  driftline::Result<driftline::ModelArtifact> a = driftline::DecodeArtifact(bytes, limits);
  if (!a.ok()) return;
  driftline::Result<driftline::ModelArtifact> again =
      driftline::DecodeArtifact(driftline::EncodeArtifact(*a), RoundTripLimits());
  if (!again.ok()) std::abort();
}

void FuzzCheckpointExactly(std::string_view bytes, const DecodeLimits& limits) {
  driftline::Result<driftline::PartitionSnapshot> s = driftline::DecodeCheckpoint(bytes, limits);
  if (!s.ok()) return;
  // Checkpoint content is not validated (NaN may appear), so compare bytes:
  // the canonical re-encoding must be a fixed point.
  const std::string again = driftline::EncodeCheckpoint(*s);
  driftline::Result<driftline::PartitionSnapshot> back =
      driftline::DecodeCheckpoint(again, RoundTripLimits());
  if (!back.ok() || driftline::EncodeCheckpoint(*back) != again) std::abort();
}

void FuzzEventLog(std::string_view bytes, const DecodeLimits& limits) {
  driftline::Result<driftline::PartitionInput> input =
      driftline::DecodePartitionInput(bytes, limits);
  if (!input.ok()) return;
  // Records are not validated on decode either (NaN may appear): the
  // canonical re-encoding must decode to the same kind and be a fixed point.
  const std::string again = driftline::EncodePartitionInput(*input);
  driftline::Result<driftline::PartitionInput> back =
      driftline::DecodePartitionInput(again, RoundTripLimits());
  if (!back.ok() || back->index() != input->index()) std::abort();
  if (driftline::EncodePartitionInput(*back) != again) std::abort();
  // The owner epoch the record carries survives its re-encoding too.
  driftline::Result<driftline::LogRecordInput> record = driftline::DecodeLogRecord(bytes, limits);
  if (!record.ok()) std::abort();
  const std::string stamped = driftline::EncodePartitionInput(record->input, record->epoch);
  driftline::Result<driftline::LogRecordInput> stamped_back =
      driftline::DecodeLogRecord(stamped, RoundTripLimits());
  if (!stamped_back.ok() || stamped_back->epoch != record->epoch) std::abort();
  // Validation must not crash on whatever decoded.
  (void)driftline::ValidatePartitionInput(*input);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const DecodeLimits limits = FuzzLimits();
  FuzzFrame(bytes, limits);
  FuzzRequestFrame(bytes, limits);
  FuzzShardFrame(bytes, limits);
  FuzzArtifact(bytes, limits);
  FuzzCheckpointExactly(bytes, limits);
  FuzzEventLog(bytes, limits);
  return 0;
}
