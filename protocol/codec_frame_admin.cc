// Client-wire frames: the administration messages (model registry, status,
// fault injection). The envelope is in codec_frame.cc.
#include "protocol/codec_internal.h"
#include "protocol/validate.h"

namespace driftline {

using codec_internal::AsText;
using codec_internal::BuildFrame;
using codec_internal::ToString;

namespace {

std::string ToBytes(capnp::Data::Reader data) {
  return std::string(reinterpret_cast<const char*>(data.begin()), data.size());
}

capnp::Data::Reader AsData(const std::string& s) {
  return capnp::Data::Reader(reinterpret_cast<const kj::byte*>(s.data()), s.size());
}

StatusReply ReadStatusReply(wire::StatusReply::Reader in) {
  StatusReply out;
  out.request_id = in.getRequestId();
  out.active_version = ToString(in.getActiveVersion());
  out.partitions = in.getPartitions();
  auto counters = in.getCounters();
  out.counters.reserve(counters.size());
  for (wire::Counter::Reader c : counters) {
    out.counters.push_back(Counter{ToString(c.getName()), c.getValue()});
  }
  return out;
}

// The message if `status` is ok, else the status.
template <class T>
Result<Message> IfValid(T message, const Status& status) {
  if (!status.ok()) return status;
  return Message(std::move(message));
}

}  // namespace

namespace codec_internal {

Result<Message> ReadAdminBody(wire::Frame::Body::Reader body, const ContentLimits& limits) {
  switch (body.which()) {
    case wire::Frame::Body::MODEL_REGISTER_REQUEST: {
      wire::ModelRegisterRequest::Reader in = body.getModelRegisterRequest();
      ModelRegisterRequest out{in.getRequestId(), ToBytes(in.getArtifact())};
      const Status status = ValidateModelRegisterRequest(out, limits);
      return IfValid(std::move(out), status);
    }
    case wire::Frame::Body::MODEL_ACTIVATE_REQUEST: {
      wire::ModelActivateRequest::Reader in = body.getModelActivateRequest();
      ModelActivateRequest out{in.getRequestId(), ToString(in.getVersion()),
                               codec_internal::ReadDeltaTransform(in.getDeltas())};
      const Status status = ValidateModelActivateRequest(out);
      return IfValid(std::move(out), status);
    }
    case wire::Frame::Body::MODEL_ROLLBACK_REQUEST: {
      wire::ModelRollbackRequest::Reader in = body.getModelRollbackRequest();
      ModelRollbackRequest out{in.getRequestId(), codec_internal::ReadDeltaTransform(in.getDeltas())};
      const Status status = ValidateModelRollbackRequest(out);
      return IfValid(std::move(out), status);
    }
    case wire::Frame::Body::MODEL_REPLY: {
      wire::ModelReply::Reader in = body.getModelReply();
      return Message(ModelReply{in.getRequestId(), ToString(in.getVersion()),
                                ToString(in.getContentHash()),
                                codec_internal::ReadDeltaTransform(in.getDeltas())});
    }
    case wire::Frame::Body::STATUS_REQUEST:
      return Message(StatusRequest{body.getStatusRequest().getRequestId()});
    case wire::Frame::Body::STATUS_REPLY: {
      StatusReply out = ReadStatusReply(body.getStatusReply());
      const Status status = ValidateStatusReply(out);
      return IfValid(std::move(out), status);
    }
    case wire::Frame::Body::STALL_PARTITION_REQUEST: {
      wire::StallPartitionRequest::Reader in = body.getStallPartitionRequest();
      StallPartitionRequest out{in.getRequestId(), in.getPartition(), in.getDurationMs()};
      const Status status = ValidateStallPartitionRequest(out);
      return IfValid(std::move(out), status);
    }
    case wire::Frame::Body::OK_REPLY: {
      wire::OkReply::Reader in = body.getOkReply();
      return Message(OkReply{in.getRequestId(), ToString(in.getMessage())});
    }
    case wire::Frame::Body::FORGET_USER_REQUEST: {
      wire::ForgetUserRequest::Reader in = body.getForgetUserRequest();
      ForgetUserRequest out{in.getRequestId(), ToString(in.getUser())};
      const Status status = ValidateForgetUserRequest(out);
      return IfValid(std::move(out), status);
    }
    case wire::Frame::Body::FORGET_USER_REPLY: {
      wire::ForgetUserReply::Reader in = body.getForgetUserReply();
      return Message(ForgetUserReply{in.getRequestId(), ToString(in.getUser()), in.getPartition(),
                                     in.getDeltaRemoved(), in.getPendingRemoved(),
                                     in.getReplayRemoved()});
    }
    default:
      break;
  }
  return Status::Internal("ReadAdminBody called on a non-administration frame body");
}

}  // namespace codec_internal

std::string EncodeFrame(const ModelRegisterRequest& request) {
  return BuildFrame([&](wire::Frame::Body::Builder body) {
    wire::ModelRegisterRequest::Builder out = body.initModelRegisterRequest();
    out.setRequestId(request.request_id);
    out.setArtifact(AsData(request.artifact));
  });
}

std::string EncodeFrame(const ModelActivateRequest& request) {
  return BuildFrame([&](wire::Frame::Body::Builder body) {
    wire::ModelActivateRequest::Builder out = body.initModelActivateRequest();
    out.setRequestId(request.request_id);
    out.setVersion(AsText(request.version));
    if (request.deltas) codec_internal::WriteDeltaTransform(*request.deltas, out.initDeltas());
  });
}

std::string EncodeFrame(const ModelRollbackRequest& request) {
  return BuildFrame([&](wire::Frame::Body::Builder body) {
    wire::ModelRollbackRequest::Builder out = body.initModelRollbackRequest();
    out.setRequestId(request.request_id);
    if (request.deltas) codec_internal::WriteDeltaTransform(*request.deltas, out.initDeltas());
  });
}

std::string EncodeFrame(const ModelReply& reply) {
  return BuildFrame([&](wire::Frame::Body::Builder body) {
    wire::ModelReply::Builder out = body.initModelReply();
    out.setRequestId(reply.request_id);
    out.setVersion(AsText(reply.version));
    out.setContentHash(AsText(reply.content_hash));
    if (reply.deltas) codec_internal::WriteDeltaTransform(*reply.deltas, out.initDeltas());
  });
}

std::string EncodeFrame(const StatusRequest& request) {
  return BuildFrame([&](wire::Frame::Body::Builder body) {
    body.initStatusRequest().setRequestId(request.request_id);
  });
}

std::string EncodeFrame(const StatusReply& reply) {
  return BuildFrame([&](wire::Frame::Body::Builder body) {
    wire::StatusReply::Builder out = body.initStatusReply();
    out.setRequestId(reply.request_id);
    out.setActiveVersion(AsText(reply.active_version));
    out.setPartitions(reply.partitions);
    auto counters = out.initCounters(reply.counters.size());
    for (size_t i = 0; i < reply.counters.size(); ++i) {
      counters[i].setName(AsText(reply.counters[i].name));
      counters[i].setValue(reply.counters[i].value);
    }
  });
}

std::string EncodeFrame(const StallPartitionRequest& request) {
  return BuildFrame([&](wire::Frame::Body::Builder body) {
    wire::StallPartitionRequest::Builder out = body.initStallPartitionRequest();
    out.setRequestId(request.request_id);
    out.setPartition(request.partition);
    out.setDurationMs(request.duration_ms);
  });
}

std::string EncodeFrame(const OkReply& reply) {
  return BuildFrame([&](wire::Frame::Body::Builder body) {
    wire::OkReply::Builder out = body.initOkReply();
    out.setRequestId(reply.request_id);
    out.setMessage(AsText(reply.message));
  });
}

std::string EncodeFrame(const ForgetUserRequest& request) {
  return BuildFrame([&](wire::Frame::Body::Builder body) {
    wire::ForgetUserRequest::Builder out = body.initForgetUserRequest();
    out.setRequestId(request.request_id);
    out.setUser(AsText(request.user));
  });
}

std::string EncodeFrame(const ForgetUserReply& reply) {
  return BuildFrame([&](wire::Frame::Body::Builder body) {
    wire::ForgetUserReply::Builder out = body.initForgetUserReply();
    out.setRequestId(reply.request_id);
    out.setUser(AsText(reply.user));
    out.setPartition(reply.partition);
    out.setDeltaRemoved(reply.delta_removed);
    out.setPendingRemoved(reply.pending_removed);
    out.setReplayRemoved(reply.replay_removed);
  });
}

}  // namespace driftline
