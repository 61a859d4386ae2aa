// Event-log records and the canonical bytes of one event.
#include "protocol/codec_internal.h"

namespace driftline {
namespace {

constexpr uint16_t kEventLogFormatVersion = wire::EVENT_LOG_FORMAT_VERSION;

Result<EventBatch> ReadRecord(capnp::MessageReader& message, const DecodeLimits& limits) {
  wire::EventLogRecord::Reader record = message.getRoot<wire::EventLogRecord>();
  if (record.getFormatVersion() != kEventLogFormatVersion) {
    return codec_internal::UnsupportedVersion("event log format", record.getFormatVersion(),
                                              kEventLogFormatVersion, "reads");
  }
  return codec_internal::ReadEventBatch(record.getBatch(), limits.content.max_events_per_batch);
}

}  // namespace

std::string EncodeEventBatchRecord(const EventBatch& batch) {
  capnp::MallocMessageBuilder message;
  wire::EventLogRecord::Builder root = message.initRoot<wire::EventLogRecord>();
  root.setFormatVersion(kEventLogFormatVersion);
  codec_internal::WriteEventBatch(batch, root.initBatch());
  return codec_internal::CanonicalMessageBytes(root.asReader());
}

Result<EventBatch> DecodeEventBatchRecord(std::string_view bytes, const DecodeLimits& limits) {
  return codec_internal::ReadMessage<EventBatch>(
      bytes, limits, "event log record",
      [&](capnp::MessageReader& message) { return ReadRecord(message, limits); });
}

std::string CanonicalEventBytes(const Event& event) {
  capnp::MallocMessageBuilder message;
  wire::Event::Builder root = message.initRoot<wire::Event>();
  codec_internal::WriteEvent(event, root);
  kj::Array<capnp::word> words = capnp::canonicalize(root.asReader());
  kj::ArrayPtr<const kj::byte> bytes = words.asBytes();
  return std::string(reinterpret_cast<const char*>(bytes.begin()), bytes.size());
}

}  // namespace driftline
