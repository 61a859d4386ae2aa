// Event-log records (one PartitionInput each) and the canonical bytes of one
// event.
#include <type_traits>

#include "protocol/codec_internal.h"

namespace driftline {

using codec_internal::AsText;
using codec_internal::ToString;

namespace {

constexpr uint16_t kEventLogFormatVersion = wire::EVENT_LOG_FORMAT_VERSION;

void WriteInput(const PartitionInput& in, wire::EventLogRecord::Input::Builder out) {
  std::visit(
      [&](const auto& input) {
        using T = std::decay_t<decltype(input)>;
        if constexpr (std::is_same_v<T, EventInput>) {
          wire::EventInput::Builder event = out.initEvent();
          codec_internal::WriteEvent(input.event, event.initEvent());
          event.setBaseLogit(input.base_logit);
          event.setArmLogit(input.arm_logit);
        } else if constexpr (std::is_same_v<T, PredictionInput>) {
          codec_internal::WritePending(input.prediction, out.initPrediction());
        } else if constexpr (std::is_same_v<T, ModelSwitchInput>) {
          wire::ModelSwitch::Builder model = out.initModelSwitch();
          model.setActivation(input.activation);
          model.setVersion(AsText(input.version));
          codec_internal::WriteDeltaTransform(input.deltas, model.initDeltas());
        } else if constexpr (std::is_same_v<T, ForgetInput>) {
          out.initForget().setUser(AsText(input.user));
        } else {
          static_assert(std::is_same_v<T, ArmUpdateInput>, "a PartitionInput kind is not encoded");
          codec_internal::WriteArmUpdate(input, out.initArmUpdate());
        }
      },
      in);
}

Result<PartitionInput> ReadInput(wire::EventLogRecord::Reader record) {
  if (record.getFormatVersion() != kEventLogFormatVersion) {
    return codec_internal::UnsupportedVersion("event log format", record.getFormatVersion(),
                                              kEventLogFormatVersion, "reads");
  }
  wire::EventLogRecord::Input::Reader input = record.getInput();
  switch (input.which()) {
    case wire::EventLogRecord::Input::NONE:
      return Status::InvalidArgument("event log record carries no input");
    case wire::EventLogRecord::Input::EVENT: {
      wire::EventInput::Reader event = input.getEvent();
      return PartitionInput(EventInput{codec_internal::ReadEvent(event.getEvent()),
                                       event.getBaseLogit(), event.getArmLogit()});
    }
    case wire::EventLogRecord::Input::PREDICTION:
      return PartitionInput(PredictionInput{codec_internal::ReadPending(input.getPrediction())});
    case wire::EventLogRecord::Input::ARM_UPDATE:
      return PartitionInput(codec_internal::ReadArmUpdate(input.getArmUpdate()));
    case wire::EventLogRecord::Input::MODEL_SWITCH: {
      wire::ModelSwitch::Reader model = input.getModelSwitch();
      ModelSwitchInput out;
      out.activation = model.getActivation();
      out.version = ToString(model.getVersion());
      std::optional<DeltaTransform> deltas = codec_internal::ReadDeltaTransform(model.getDeltas());
      if (!deltas) return Status::InvalidArgument("model switch record carries no delta transform");
      out.deltas = *deltas;
      return PartitionInput(std::move(out));
    }
    case wire::EventLogRecord::Input::FORGET:
      return PartitionInput(ForgetInput{ToString(input.getForget().getUser())});
  }
  return Status::InvalidArgument("event log record carries an unknown input kind " +
                                 std::to_string(static_cast<unsigned>(input.which())));
}

Result<LogRecordInput> ReadRecordWithEpoch(capnp::MessageReader& message) {
  wire::EventLogRecord::Reader record = message.getRoot<wire::EventLogRecord>();
  auto input = ReadInput(record);
  if (!input.ok()) return input.status();
  return LogRecordInput{std::move(*input), record.getEpoch()};
}

Result<PartitionInput> ReadRecord(capnp::MessageReader& message) {
  auto record = ReadRecordWithEpoch(message);
  if (!record.ok()) return record.status();
  return std::move(record->input);
}

}  // namespace

std::string EncodePartitionInput(const PartitionInput& input, uint64_t epoch) {
  // A 2 KiB first segment: records are a few hundred bytes, and the default
  // 8 KiB segment is zeroed for every one (it was a fifth of ingest's CPU).
  capnp::MallocMessageBuilder message(64);
  wire::EventLogRecord::Builder root = message.initRoot<wire::EventLogRecord>();
  root.setFormatVersion(kEventLogFormatVersion);
  root.setEpoch(epoch);
  WriteInput(input, root.initInput());
  // Built in one segment, the builder's bytes are already a deterministic
  // single-segment message (the same input, written in the same order, gives
  // the same bytes), and the root is at word 0 as in canonical form. Copying
  // out a canonical form instead cost a third of ingest's instructions
  // (capnp::canonicalize re-checks the copy with isCanonical()). A record that
  // outgrew the first segment takes the canonical copy, so it is still one
  // segment.
  if (message.getSegmentsForOutput().size() == 1) return codec_internal::MessageBytes(message);
  return codec_internal::CanonicalMessageBytes(root.asReader());
}

Result<PartitionInput> DecodePartitionInput(std::string_view bytes, const DecodeLimits& limits) {
  return codec_internal::ReadMessage<PartitionInput>(bytes, limits, "event log record",
                                                     &ReadRecord);
}

Result<LogRecordInput> DecodeLogRecord(std::string_view bytes, const DecodeLimits& limits) {
  return codec_internal::ReadMessage<LogRecordInput>(bytes, limits, "event log record",
                                                     &ReadRecordWithEpoch);
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
