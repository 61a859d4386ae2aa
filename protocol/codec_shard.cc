// The cluster wire's frames (protocol/shard_codec.h).
#include <type_traits>

#include "protocol/codec_internal.h"
#include "protocol/shard_codec.h"
#include "protocol/validate.h"

namespace driftline {

using codec_internal::AsText;
using codec_internal::ToString;

namespace {

static_assert(kShardProtocolVersion == wire::SHARD_PROTOCOL_VERSION,
              "shard_codec.h and driftline.capnp disagree on the cluster protocol version");

void WritePe(const PartitionEpoch& in, wire::PartitionEpoch::Builder out) {
  out.setPartition(in.partition);
  out.setEpoch(in.epoch);
}

PartitionEpoch ReadPe(wire::PartitionEpoch::Reader in) { return {in.getPartition(), in.getEpoch()}; }

void WriteSparse(const SparseFeatures& in, capnp::List<wire::HashedFeature>::Builder out) {
  for (size_t i = 0; i < in.size(); ++i) {
    out[i].setIndex(in[i].index);
    out[i].setValue(in[i].value);
  }
}

Result<SparseFeatures> ReadSparse(capnp::List<wire::HashedFeature>::Reader in) {
  if (in.size() > kMaxHashedFeatures) {
    return Status::ResourceExhausted("a feature vector has " + std::to_string(in.size()) +
                                     " features, more than the limit of " +
                                     std::to_string(kMaxHashedFeatures));
  }
  SparseFeatures out;
  out.reserve(in.size());
  for (wire::HashedFeature::Reader f : in) out.push_back(HashedFeature{f.getIndex(), f.getValue()});
  return out;
}

// ResourceExhausted when a list read from the wire is longer than `limit`,
// checked before anything is allocated for it.
Status CheckListSize(const char* field, size_t size, size_t limit) {
  if (size <= limit) return Status::Ok();
  return Status::ResourceExhausted(std::string(field) + " has " + std::to_string(size) +
                                   " entries, more than the limit of " + std::to_string(limit));
}

void Write(const UserPartRead& m, wire::ShardFrame::Body::Builder body) {
  auto out = body.initUserPartRead();
  out.setRequestId(m.request_id);
  WritePe(m.target, out.initTarget());
  out.setUser(AsText(m.user));
  auto candidates = out.initCandidates(m.candidates.size());
  for (size_t i = 0; i < m.candidates.size(); ++i) {
    WriteSparse(m.candidates[i], candidates[i].initFeatures(m.candidates[i].size()));
  }
}

void Write(const UserPartReply& m, wire::ShardFrame::Body::Builder body) {
  auto out = body.initUserPartReply();
  out.setRequestId(m.request_id);
  WritePe(m.source, out.initSource());
  auto logits = out.initLogits(m.logits.size());
  for (size_t i = 0; i < m.logits.size(); ++i) logits.set(i, m.logits[i]);
}

void Write(const ArmPartsRead& m, wire::ShardFrame::Body::Builder body) {
  auto out = body.initArmPartsRead();
  out.setRequestId(m.request_id);
  WritePe(m.target, out.initTarget());
  auto arms = out.initArms(m.arms.size());
  for (size_t i = 0; i < m.arms.size(); ++i) {
    arms[i].setArm(AsText(m.arms[i].first));
    WriteSparse(m.arms[i].second, arms[i].initFeatures(m.arms[i].second.size()));
  }
}

void Write(const ArmPartsReply& m, wire::ShardFrame::Body::Builder body) {
  auto out = body.initArmPartsReply();
  out.setRequestId(m.request_id);
  WritePe(m.source, out.initSource());
  auto views = out.initViews(m.views.size());
  for (size_t i = 0; i < m.views.size(); ++i) {
    views[i].setLogit(m.views[i].logit);
    views[i].setSuccesses(m.views[i].successes);
    views[i].setFailures(m.views[i].failures);
  }
}

void Write(const EventAppend& m, wire::ShardFrame::Body::Builder body) {
  auto out = body.initEventAppend();
  out.setRequestId(m.request_id);
  WritePe(m.target, out.initTarget());
  auto inputs = out.initInputs(m.inputs.size());
  for (size_t i = 0; i < m.inputs.size(); ++i) {
    codec_internal::WriteEvent(m.inputs[i].event, inputs[i].initEvent());
    inputs[i].setBaseLogit(m.inputs[i].base_logit);
    inputs[i].setArmLogit(m.inputs[i].arm_logit);
  }
}

void Write(const EventAppendReply& m, wire::ShardFrame::Body::Builder body) {
  auto out = body.initEventAppendReply();
  out.setRequestId(m.request_id);
  WritePe(m.source, out.initSource());
  out.setAccepted(m.accepted);
  out.setDuplicates(m.duplicates);
  out.setRejected(m.rejected);
  out.setFirstRejection(AsText(m.first_rejection));
}

void Write(const PredictionAppend& m, wire::ShardFrame::Body::Builder body) {
  auto out = body.initPredictionAppend();
  out.setRequestId(m.request_id);
  WritePe(m.target, out.initTarget());
  codec_internal::WritePending(m.prediction.prediction, out.initPrediction());
}

void Write(const ArmUpdateBatch& m, wire::ShardFrame::Body::Builder body) {
  auto out = body.initArmUpdateBatch();
  out.setRequestId(m.request_id);
  WritePe(m.source, out.initSource());
  WritePe(m.target, out.initTarget());
  auto updates = out.initUpdates(m.updates.size());
  for (size_t i = 0; i < m.updates.size(); ++i) codec_internal::WriteArmUpdate(m.updates[i], updates[i]);
}

void Write(const ArmUpdateConfirm& m, wire::ShardFrame::Body::Builder body) {
  auto out = body.initArmUpdateConfirm();
  out.setRequestId(m.request_id);
  WritePe(m.source, out.initSource());
  WritePe(m.target, out.initTarget());
  out.setSequence(m.high_water.sequence);
  out.setIndex(m.high_water.index);
}

void Write(const ModelActivation& m, wire::ShardFrame::Body::Builder body) {
  auto out = body.initModelActivation();
  out.setRequestId(m.request_id);
  out.setVersion(AsText(m.version));
  auto partitions = out.initPartitions(m.partitions.size());
  for (size_t i = 0; i < m.partitions.size(); ++i) WritePe(m.partitions[i], partitions[i]);
  out.setArtifact(capnp::Data::Reader(reinterpret_cast<const kj::byte*>(m.artifact.data()),
                                      m.artifact.size()));
}

void Write(const ShardError& m, wire::ShardFrame::Body::Builder body) {
  auto out = body.initShardError();
  out.setRequestId(m.request_id);
  out.setCode(static_cast<uint16_t>(m.code));
  out.setMessage(AsText(m.message));
  out.setStaleEpoch(m.stale_epoch);
  WritePe(m.current, out.initCurrent());
  out.setGotEpoch(m.got_epoch);
}

void Write(const ShardOk& m, wire::ShardFrame::Body::Builder body) {
  auto out = body.initShardOk();
  out.setRequestId(m.request_id);
  WritePe(m.source, out.initSource());
  out.setMessage(AsText(m.message));
}

void Write(const ShardPing& m, wire::ShardFrame::Body::Builder body) {
  body.initShardPing().setRequestId(m.request_id);
}

Result<ShardMessage> Read(wire::UserPartRead::Reader in, const ContentLimits& limits) {
  UserPartRead m;
  m.request_id = in.getRequestId();
  m.target = ReadPe(in.getTarget());
  m.user = ToString(in.getUser());
  auto candidates = in.getCandidates();
  DRIFTLINE_RETURN_IF_ERROR(CheckListSize("candidates", candidates.size(), limits.max_candidates));
  m.candidates.reserve(candidates.size());
  for (wire::SparseVector::Reader c : candidates) {
    auto x = ReadSparse(c.getFeatures());
    if (!x.ok()) return x.status();
    m.candidates.push_back(std::move(*x));
  }
  return ShardMessage(std::move(m));
}

Result<ShardMessage> Read(wire::UserPartReply::Reader in, const ContentLimits& limits) {
  UserPartReply m;
  m.request_id = in.getRequestId();
  m.source = ReadPe(in.getSource());
  auto logits = in.getLogits();
  DRIFTLINE_RETURN_IF_ERROR(CheckListSize("logits", logits.size(), limits.max_candidates));
  m.logits.reserve(logits.size());
  for (double v : logits) m.logits.push_back(v);
  return ShardMessage(std::move(m));
}

Result<ShardMessage> Read(wire::ArmPartsRead::Reader in, const ContentLimits& limits) {
  ArmPartsRead m;
  m.request_id = in.getRequestId();
  m.target = ReadPe(in.getTarget());
  auto arms = in.getArms();
  DRIFTLINE_RETURN_IF_ERROR(CheckListSize("arms", arms.size(), limits.max_candidates));
  m.arms.reserve(arms.size());
  for (wire::ArmRead::Reader a : arms) {
    auto x = ReadSparse(a.getFeatures());
    if (!x.ok()) return x.status();
    m.arms.emplace_back(ToString(a.getArm()), std::move(*x));
  }
  return ShardMessage(std::move(m));
}

Result<ShardMessage> Read(wire::ArmPartsReply::Reader in, const ContentLimits& limits) {
  ArmPartsReply m;
  m.request_id = in.getRequestId();
  m.source = ReadPe(in.getSource());
  auto views = in.getViews();
  DRIFTLINE_RETURN_IF_ERROR(CheckListSize("views", views.size(), limits.max_candidates));
  m.views.reserve(views.size());
  for (wire::ArmPartView::Reader v : views) {
    m.views.push_back(ArmPartView{v.getLogit(), v.getSuccesses(), v.getFailures()});
  }
  return ShardMessage(std::move(m));
}

Result<ShardMessage> Read(wire::EventAppend::Reader in, const ContentLimits& limits) {
  EventAppend m;
  m.request_id = in.getRequestId();
  m.target = ReadPe(in.getTarget());
  auto inputs = in.getInputs();
  DRIFTLINE_RETURN_IF_ERROR(CheckListSize("inputs", inputs.size(), limits.max_events_per_batch));
  m.inputs.reserve(inputs.size());
  for (wire::EventInput::Reader e : inputs) {
    m.inputs.push_back(EventInput{codec_internal::ReadEvent(e.getEvent()), e.getBaseLogit(),
                                  e.getArmLogit()});
  }
  return ShardMessage(std::move(m));
}

Result<ShardMessage> Read(wire::EventAppendReply::Reader in, const ContentLimits&) {
  EventAppendReply m;
  m.request_id = in.getRequestId();
  m.source = ReadPe(in.getSource());
  m.accepted = in.getAccepted();
  m.duplicates = in.getDuplicates();
  m.rejected = in.getRejected();
  m.first_rejection = ToString(in.getFirstRejection());
  return ShardMessage(std::move(m));
}

Result<ShardMessage> Read(wire::PredictionAppend::Reader in, const ContentLimits&) {
  PredictionAppend m;
  m.request_id = in.getRequestId();
  m.target = ReadPe(in.getTarget());
  m.prediction.prediction = codec_internal::ReadPending(in.getPrediction());
  return ShardMessage(std::move(m));
}

Result<ShardMessage> Read(wire::ArmUpdateBatch::Reader in, const ContentLimits& limits) {
  ArmUpdateBatch m;
  m.request_id = in.getRequestId();
  m.source = ReadPe(in.getSource());
  m.target = ReadPe(in.getTarget());
  auto updates = in.getUpdates();
  DRIFTLINE_RETURN_IF_ERROR(CheckListSize("updates", updates.size(), limits.max_events_per_batch));
  m.updates.reserve(updates.size());
  for (wire::ArmUpdate::Reader u : updates) m.updates.push_back(codec_internal::ReadArmUpdate(u));
  return ShardMessage(std::move(m));
}

Result<ShardMessage> Read(wire::ArmUpdateConfirm::Reader in, const ContentLimits&) {
  ArmUpdateConfirm m;
  m.request_id = in.getRequestId();
  m.source = ReadPe(in.getSource());
  m.target = ReadPe(in.getTarget());
  m.high_water = ArmOrdinal{in.getSequence(), in.getIndex()};
  return ShardMessage(std::move(m));
}

Result<ShardMessage> Read(wire::ModelActivation::Reader in, const ContentLimits& limits) {
  ModelActivation m;
  m.request_id = in.getRequestId();
  m.version = ToString(in.getVersion());
  auto partitions = in.getPartitions();
  // A cluster has at most a few thousand partitions; the candidate limit is
  // the wire's general bound on a list of small structs.
  DRIFTLINE_RETURN_IF_ERROR(CheckListSize("partitions", partitions.size(), limits.max_candidates));
  for (wire::PartitionEpoch::Reader pe : partitions) m.partitions.push_back(ReadPe(pe));
  auto artifact = in.getArtifact();
  if (artifact.size() > limits.max_artifact_bytes) {
    return Status::ResourceExhausted("artifact of " + std::to_string(artifact.size()) +
                                     " bytes exceeds the limit of " +
                                     std::to_string(limits.max_artifact_bytes) + " bytes");
  }
  m.artifact.assign(reinterpret_cast<const char*>(artifact.begin()), artifact.size());
  return ShardMessage(std::move(m));
}

Result<ShardMessage> Read(wire::ShardError::Reader in, const ContentLimits&) {
  ShardError m;
  m.request_id = in.getRequestId();
  m.code = static_cast<Status::Code>(in.getCode());
  m.message = ToString(in.getMessage());
  m.stale_epoch = in.getStaleEpoch();
  m.current = ReadPe(in.getCurrent());
  m.got_epoch = in.getGotEpoch();
  return ShardMessage(std::move(m));
}

Result<ShardMessage> Read(wire::ShardOk::Reader in, const ContentLimits&) {
  ShardOk m;
  m.request_id = in.getRequestId();
  m.source = ReadPe(in.getSource());
  m.message = ToString(in.getMessage());
  return ShardMessage(std::move(m));
}

Result<ShardMessage> ReadBody(wire::ShardFrame::Body::Reader body, const ContentLimits& limits) {
  using B = wire::ShardFrame::Body;
  switch (body.which()) {
    case B::NONE: return Status::InvalidArgument("cluster frame carries no message");
    case B::USER_PART_READ: return Read(body.getUserPartRead(), limits);
    case B::USER_PART_REPLY: return Read(body.getUserPartReply(), limits);
    case B::ARM_PARTS_READ: return Read(body.getArmPartsRead(), limits);
    case B::ARM_PARTS_REPLY: return Read(body.getArmPartsReply(), limits);
    case B::EVENT_APPEND: return Read(body.getEventAppend(), limits);
    case B::EVENT_APPEND_REPLY: return Read(body.getEventAppendReply(), limits);
    case B::PREDICTION_APPEND: return Read(body.getPredictionAppend(), limits);
    case B::ARM_UPDATE_BATCH: return Read(body.getArmUpdateBatch(), limits);
    case B::ARM_UPDATE_CONFIRM: return Read(body.getArmUpdateConfirm(), limits);
    case B::MODEL_ACTIVATION: return Read(body.getModelActivation(), limits);
    case B::SHARD_ERROR: return Read(body.getShardError(), limits);
    case B::SHARD_OK: return Read(body.getShardOk(), limits);
    case B::SHARD_PING: return ShardMessage(ShardPing{body.getShardPing().getRequestId()});
  }
  return Status::InvalidArgument("cluster frame carries an unknown message kind " +
                                 std::to_string(static_cast<unsigned>(body.which())));
}

Result<ShardMessage> ReadShardFrame(capnp::MessageReader& message, const DecodeLimits& limits) {
  wire::ShardFrame::Reader frame = message.getRoot<wire::ShardFrame>();
  if (frame.getProtocolVersion() != kShardProtocolVersion) {
    return codec_internal::UnsupportedVersion("cluster protocol", frame.getProtocolVersion(),
                                              kShardProtocolVersion, "speaks");
  }
  auto decoded = ReadBody(frame.getBody(), limits.content);
  if (!decoded.ok()) return decoded.status();
  DRIFTLINE_RETURN_IF_ERROR(ValidateShardMessage(*decoded, limits.content));
  return decoded;
}

}  // namespace

std::string EncodeShardFrame(const ShardMessage& message) {
  capnp::MallocMessageBuilder builder(256);
  wire::ShardFrame::Builder frame = builder.initRoot<wire::ShardFrame>();
  frame.setProtocolVersion(kShardProtocolVersion);
  wire::ShardFrame::Body::Builder body = frame.initBody();
  std::visit([&](const auto& m) { Write(m, body); }, message);
  return codec_internal::MessageBytes(builder);
}

Result<ShardMessage> DecodeShardFrame(std::string_view bytes, const DecodeLimits& limits) {
  return codec_internal::ReadMessage<ShardMessage>(
      bytes, limits, "cluster frame",
      [&](capnp::MessageReader& reader) { return ReadShardFrame(reader, limits); });
}

}  // namespace driftline
