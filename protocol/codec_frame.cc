// Client-wire frames: the Frame envelope and the data-plane messages it
// carries (batches, predictions, errors, acks). Administration messages are
// in codec_frame_admin.cc.
#include "protocol/codec_internal.h"
#include "protocol/validate.h"

namespace driftline {

using codec_internal::ToString;

namespace {

void WriteCandidates(const std::vector<Candidate>& in,
                     capnp::List<wire::Candidate>::Builder out) {
  for (size_t i = 0; i < in.size(); ++i) {
    out[i].setItem(codec_internal::AsText(in[i].item));
    codec_internal::WriteFeatureSet(in[i].features, out[i].initFeatures(in[i].features.size()));
  }
}

void WriteRequest(const PredictRequest& in, wire::PredictRequest::Builder out) {
  out.setRequestId(in.request_id);
  out.setUser(codec_internal::AsText(in.user));
  codec_internal::WriteFeatureSet(in.context, out.initContext(in.context.size()));
  WriteCandidates(in.candidates, out.initCandidates(in.candidates.size()));
  out.setDeadlineMs(in.deadline_ms);
  out.setExplore(in.explore);
  out.setTsMs(in.ts_ms);
}

void WriteReply(const PredictReply& in, wire::PredictReply::Builder out) {
  out.setRequestId(in.request_id);
  out.setPredictionId(codec_internal::AsText(in.prediction_id));
  out.setModelVersion(codec_internal::AsText(in.model_version));
  auto scores = out.initScores(in.scores.size());
  for (size_t i = 0; i < in.scores.size(); ++i) {
    scores[i].setItem(codec_internal::AsText(in.scores[i].item));
    scores[i].setProbability(in.scores[i].probability);
  }
  out.setChosen(codec_internal::AsText(in.chosen));
  out.setPropensity(in.propensity);
  out.setPropensitySamples(in.propensity_samples);
  out.setFallback(in.fallback);
  out.setFallbackReason(codec_internal::AsText(in.fallback_reason));
  out.setUnjoinable(!in.joinable);
  out.setUnjoinableReason(codec_internal::AsText(in.unjoinable_reason));
}

Result<PredictRequest> ReadRequest(wire::PredictRequest::Reader in, const ContentLimits& limits) {
  PredictRequest out;
  out.request_id = in.getRequestId();
  out.user = ToString(in.getUser());
  out.context = codec_internal::ReadFeatureSet(in.getContext());
  auto candidates = in.getCandidates();
  if (candidates.size() > limits.max_candidates) {
    return Status::ResourceExhausted("candidates has " + std::to_string(candidates.size()) +
                                     " entries, more than the limit of " +
                                     std::to_string(limits.max_candidates));
  }
  out.candidates.reserve(candidates.size());
  for (wire::Candidate::Reader c : candidates) {
    out.candidates.push_back(
        Candidate{ToString(c.getItem()), codec_internal::ReadFeatureSet(c.getFeatures())});
  }
  out.deadline_ms = in.getDeadlineMs();
  out.explore = in.getExplore();
  out.ts_ms = in.getTsMs();
  return out;
}

PredictReply ReadReply(wire::PredictReply::Reader in) {
  PredictReply out;
  out.request_id = in.getRequestId();
  out.prediction_id = ToString(in.getPredictionId());
  out.model_version = ToString(in.getModelVersion());
  auto scores = in.getScores();
  out.scores.reserve(scores.size());
  for (wire::ScoredCandidate::Reader s : scores) {
    out.scores.push_back(ScoredCandidate{ToString(s.getItem()), s.getProbability()});
  }
  out.chosen = ToString(in.getChosen());
  out.propensity = in.getPropensity();
  out.propensity_samples = in.getPropensitySamples();
  out.fallback = in.getFallback();
  out.fallback_reason = ToString(in.getFallbackReason());
  out.joinable = !in.getUnjoinable();
  out.unjoinable_reason = ToString(in.getUnjoinableReason());
  return out;
}

ErrorReply ReadError(wire::ErrorReply::Reader in) {
  ErrorReply out;
  out.request_id = in.getRequestId();
  out.code = static_cast<Status::Code>(in.getCode());
  out.message = ToString(in.getMessage());
  return out;
}

BatchAck ReadAck(wire::BatchAck::Reader in) {
  return BatchAck{in.getBatchId(), in.getAccepted(), in.getDuplicates()};
}

// Converts a validated plain message into the Message variant.
template <class T>
Result<Message> Checked(Result<T> decoded, Status (*validate)(const T&)) {
  if (!decoded.ok()) return decoded.status();
  DRIFTLINE_RETURN_IF_ERROR(validate(*decoded));
  return Message(std::move(decoded).value());
}

// The name of a reply kind, or nullptr for a request kind (and for none /
// unknown kinds, which ReadFrame refuses on their own).
const char* ReplyKindName(wire::Frame::Body::Which which) {
  switch (which) {
    case wire::Frame::Body::PREDICT_REPLY: return "PredictReply";
    case wire::Frame::Body::ERROR_REPLY: return "ErrorReply";
    case wire::Frame::Body::BATCH_ACK: return "BatchAck";
    case wire::Frame::Body::MODEL_REPLY: return "ModelReply";
    case wire::Frame::Body::STATUS_REPLY: return "StatusReply";
    case wire::Frame::Body::OK_REPLY: return "OkReply";
    case wire::Frame::Body::FORGET_USER_REPLY: return "ForgetUserReply";
    default: return nullptr;
  }
}

bool IsKnownKind(wire::Frame::Body::Which which) {
  return static_cast<unsigned>(which) >= wire::Frame::Body::EVENT_BATCH &&
         static_cast<unsigned>(which) <= wire::Frame::Body::FORGET_USER_REPLY;
}

// requests_only: refuse reply kinds (and unknown kinds) before reading their
// content, setting *unexpected_kind.
Result<Message> ReadFrame(capnp::MessageReader& message, const DecodeLimits& limits,
                          bool requests_only, bool* unexpected_kind) {
  wire::Frame::Reader frame = message.getRoot<wire::Frame>();
  if (frame.getProtocolVersion() != kProtocolVersion) {
    return codec_internal::UnsupportedVersion("protocol", frame.getProtocolVersion(),
                                              kProtocolVersion, "speaks");
  }
  wire::Frame::Body::Reader body = frame.getBody();
  const ContentLimits& content = limits.content;
  if (requests_only && body.which() != wire::Frame::Body::NONE) {
    const char* reply = ReplyKindName(body.which());
    if (reply != nullptr || !IsKnownKind(body.which())) {
      if (unexpected_kind != nullptr) *unexpected_kind = true;
      const std::string kind = reply != nullptr
                                   ? std::string(reply)
                                   : "number " + std::to_string(static_cast<unsigned>(body.which()));
      return Status::InvalidArgument("unexpected message kind " + kind + ": " +
                                     kRequestKindsAccepted);
    }
  }
  switch (body.which()) {
    case wire::Frame::Body::NONE:
      return Status::InvalidArgument("frame carries no message");
    case wire::Frame::Body::EVENT_BATCH: {
      Result<EventBatch> batch =
          codec_internal::ReadEventBatch(body.getEventBatch(), content.max_events_per_batch);
      if (!batch.ok()) return batch.status();
      DRIFTLINE_RETURN_IF_ERROR(ValidateEventBatch(*batch, content));
      return Message(std::move(batch).value());
    }
    case wire::Frame::Body::PREDICT_REQUEST: {
      Result<PredictRequest> request = ReadRequest(body.getPredictRequest(), content);
      if (!request.ok()) return request.status();
      DRIFTLINE_RETURN_IF_ERROR(ValidatePredictRequest(*request, content));
      return Message(std::move(request).value());
    }
    case wire::Frame::Body::PREDICT_REPLY:
      return Checked<PredictReply>(ReadReply(body.getPredictReply()), &ValidatePredictReply);
    case wire::Frame::Body::ERROR_REPLY:
      return Checked<ErrorReply>(ReadError(body.getErrorReply()), &ValidateErrorReply);
    case wire::Frame::Body::BATCH_ACK:
      return Message(ReadAck(body.getBatchAck()));
    case wire::Frame::Body::MODEL_REGISTER_REQUEST:
    case wire::Frame::Body::MODEL_ACTIVATE_REQUEST:
    case wire::Frame::Body::MODEL_ROLLBACK_REQUEST:
    case wire::Frame::Body::MODEL_REPLY:
    case wire::Frame::Body::STATUS_REQUEST:
    case wire::Frame::Body::STATUS_REPLY:
    case wire::Frame::Body::STALL_PARTITION_REQUEST:
    case wire::Frame::Body::OK_REPLY:
    case wire::Frame::Body::FORGET_USER_REQUEST:
    case wire::Frame::Body::FORGET_USER_REPLY:
      return codec_internal::ReadAdminBody(body, content);
  }
  return Status::InvalidArgument("frame carries an unknown message kind " +
                                 std::to_string(static_cast<unsigned>(body.which())));
}

}  // namespace

std::string EncodeFrame(const EventBatch& batch) {
  return codec_internal::BuildFrame([&](wire::Frame::Body::Builder body) {
    codec_internal::WriteEventBatch(batch, body.initEventBatch());
  });
}

std::string EncodeFrame(const PredictRequest& request) {
  return codec_internal::BuildFrame(
      [&](wire::Frame::Body::Builder body) { WriteRequest(request, body.initPredictRequest()); });
}

std::string EncodeFrame(const PredictReply& reply) {
  return codec_internal::BuildFrame(
      [&](wire::Frame::Body::Builder body) { WriteReply(reply, body.initPredictReply()); });
}

std::string EncodeFrame(const ErrorReply& reply) {
  return codec_internal::BuildFrame([&](wire::Frame::Body::Builder body) {
    wire::ErrorReply::Builder out = body.initErrorReply();
    out.setRequestId(reply.request_id);
    out.setCode(static_cast<uint16_t>(reply.code));
    out.setMessage(codec_internal::AsText(reply.message));
  });
}

std::string EncodeFrame(const BatchAck& ack) {
  return codec_internal::BuildFrame([&](wire::Frame::Body::Builder body) {
    wire::BatchAck::Builder out = body.initBatchAck();
    out.setBatchId(ack.batch_id);
    out.setAccepted(ack.accepted);
    out.setDuplicates(ack.duplicates);
  });
}

std::string EncodeFrame(const Message& message) {
  return std::visit([](const auto& m) { return EncodeFrame(m); }, message);
}

Result<Message> DecodeFrame(std::string_view bytes, const DecodeLimits& limits) {
  return codec_internal::ReadMessage<Message>(
      bytes, limits, "frame",
      [&](capnp::MessageReader& message) { return ReadFrame(message, limits, false, nullptr); });
}

Result<Message> DecodeRequestFrame(std::string_view bytes, const DecodeLimits& limits,
                                   bool* unexpected_kind) {
  if (unexpected_kind != nullptr) *unexpected_kind = false;
  return codec_internal::ReadMessage<Message>(
      bytes, limits, "frame", [&](capnp::MessageReader& message) {
        return ReadFrame(message, limits, true, unexpected_kind);
      });
}

}  // namespace driftline
