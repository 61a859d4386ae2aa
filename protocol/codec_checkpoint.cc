// Partition checkpoints (learning/partition_snapshot.h).
#include "protocol/codec_internal.h"

namespace driftline {

using codec_internal::ToString;

namespace {

constexpr uint16_t kCheckpointFormatVersion = wire::CHECKPOINT_FORMAT_VERSION;

void WriteCoords(const std::vector<DeltaCoordinate>& in,
                 capnp::List<wire::DeltaCoordinate>::Builder out) {
  for (size_t i = 0; i < in.size(); ++i) {
    out[i].setIndex(in[i].index);
    out[i].setZ(in[i].state.z);
    out[i].setN(in[i].state.n);
  }
}

std::vector<DeltaCoordinate> ReadCoords(capnp::List<wire::DeltaCoordinate>::Reader in) {
  std::vector<DeltaCoordinate> out;
  out.reserve(in.size());
  for (wire::DeltaCoordinate::Reader c : in) {
    out.push_back(DeltaCoordinate{c.getIndex(), FtrlState{c.getZ(), c.getN()}});
  }
  return out;
}

template <class T>
void WriteNumbers(const std::vector<T>& in, typename capnp::List<T>::Builder out) {
  for (size_t i = 0; i < in.size(); ++i) out.set(i, in[i]);
}

template <class T>
std::vector<T> ReadNumbers(typename capnp::List<T>::Reader in) {
  std::vector<T> out;
  out.reserve(in.size());
  for (T v : in) out.push_back(v);
  return out;
}

void WriteWatermarks(const std::vector<ArmWatermark>& in,
                     capnp::List<wire::ArmWatermark>::Builder out) {
  for (size_t i = 0; i < in.size(); ++i) {
    out[i].setPartition(in[i].partition);
    out[i].setSequence(in[i].ordinal.sequence);
    out[i].setIndex(in[i].ordinal.index);
  }
}

std::vector<ArmWatermark> ReadWatermarks(capnp::List<wire::ArmWatermark>::Reader in) {
  std::vector<ArmWatermark> out;
  out.reserve(in.size());
  for (wire::ArmWatermark::Reader w : in) {
    out.push_back(ArmWatermark{w.getPartition(), ArmOrdinal{w.getSequence(), w.getIndex()}});
  }
  return out;
}

void WriteArm(const ArmSnapshot& in, wire::ArmState::Builder out) {
  out.setArm(codec_internal::AsText(in.arm));
  WriteCoords(in.coords, out.initCoords(in.coords.size()));
  out.setSuccesses(in.successes);
  out.setFailures(in.failures);
  WriteNumbers<double>(in.linear_a, out.initLinearA(in.linear_a.size()));
  WriteNumbers<double>(in.linear_b, out.initLinearB(in.linear_b.size()));
  out.setLastTouchMs(in.last_touch_ms);
}

ArmSnapshot ReadArm(wire::ArmState::Reader in) {
  ArmSnapshot out;
  out.arm = ToString(in.getArm());
  out.coords = ReadCoords(in.getCoords());
  out.successes = in.getSuccesses();
  out.failures = in.getFailures();
  out.linear_a = ReadNumbers<double>(in.getLinearA());
  out.linear_b = ReadNumbers<double>(in.getLinearB());
  out.last_touch_ms = in.getLastTouchMs();
  return out;
}

void WriteReplay(const ReplayExample& in, wire::ReplayExample::Builder out) {
  codec_internal::WriteEvent(in.event, out.initEvent());
  out.setBaseLogit(in.base_logit);
  out.setArmLogit(in.arm_logit);
}

ReplayExample ReadReplay(wire::ReplayExample::Reader in) {
  return ReplayExample{codec_internal::ReadEvent(in.getEvent()), in.getBaseLogit(),
                       in.getArmLogit()};
}

void WriteCheckpoint(const PartitionSnapshot& in, wire::PartitionCheckpoint::Builder out) {
  out.setFormatVersion(kCheckpointFormatVersion);
  out.setPartition(in.partition);
  out.setEpoch(in.epoch);
  out.setAppliedSequence(in.applied_sequence);
  auto users = out.initUsers(in.users.size());
  for (size_t i = 0; i < in.users.size(); ++i) {
    users[i].setUser(codec_internal::AsText(in.users[i].user));
    WriteCoords(in.users[i].coords, users[i].initCoords(in.users[i].coords.size()));
    users[i].setLastTouchMs(in.users[i].last_touch_ms);
  }
  auto arms = out.initArms(in.arms.size());
  for (size_t i = 0; i < in.arms.size(); ++i) WriteArm(in.arms[i], arms[i]);
  auto pending = out.initPending(in.pending.size());
  for (size_t i = 0; i < in.pending.size(); ++i) {
    codec_internal::WritePending(in.pending[i], pending[i]);
  }
  // obsoleteReplay stays null.
  auto ids = out.initRecentEventIds(in.recent_event_ids.size());
  for (size_t i = 0; i < in.recent_event_ids.size(); ++i) {
    ids.set(i, codec_internal::AsText(in.recent_event_ids[i]));
  }
  WriteNumbers<uint64_t>(in.rng_state, out.initRngState(in.rng_state.size()));
  out.setEventsSeen(in.events_seen);
  out.setClockMs(in.clock_ms);
  auto outbox = out.initOutbox(in.outbox.size());
  for (size_t i = 0; i < in.outbox.size(); ++i) codec_internal::WriteArmUpdate(in.outbox[i], outbox[i]);
  WriteWatermarks(in.arm_high_water, out.initArmHighWater(in.arm_high_water.size()));
  WriteWatermarks(in.arm_last_sent, out.initArmLastSent(in.arm_last_sent.size()));
  out.setOptionsFingerprint(codec_internal::AsText(in.options_fingerprint));
  out.setModelActivation(in.model_activation);
  out.setModelVersion(codec_internal::AsText(in.model_version));
  auto replay = out.initReplay(in.replay.size());
  for (size_t i = 0; i < in.replay.size(); ++i) WriteReplay(in.replay[i], replay[i]);
}

Result<PartitionSnapshot> ReadCheckpoint(capnp::MessageReader& message) {
  wire::PartitionCheckpoint::Reader in = message.getRoot<wire::PartitionCheckpoint>();
  if (in.getFormatVersion() != kCheckpointFormatVersion) {
    return codec_internal::UnsupportedVersion("checkpoint format", in.getFormatVersion(),
                                              kCheckpointFormatVersion, "reads");
  }
  PartitionSnapshot out;
  out.partition = in.getPartition();
  out.epoch = in.getEpoch();
  out.applied_sequence = in.getAppliedSequence();
  auto users = in.getUsers();
  out.users.reserve(users.size());
  for (wire::UserDelta::Reader u : users) {
    out.users.push_back(
        UserDeltaSnapshot{ToString(u.getUser()), ReadCoords(u.getCoords()), u.getLastTouchMs()});
  }
  auto arms = in.getArms();
  out.arms.reserve(arms.size());
  for (wire::ArmState::Reader a : arms) out.arms.push_back(ReadArm(a));
  auto pending = in.getPending();
  out.pending.reserve(pending.size());
  for (wire::PendingPrediction::Reader p : pending) {
    out.pending.push_back(codec_internal::ReadPending(p));
  }
  auto replay = in.getReplay();
  out.replay.reserve(replay.size());
  for (wire::ReplayExample::Reader r : replay) out.replay.push_back(ReadReplay(r));
  auto ids = in.getRecentEventIds();
  out.recent_event_ids.reserve(ids.size());
  for (capnp::Text::Reader id : ids) out.recent_event_ids.push_back(ToString(id));
  out.rng_state = ReadNumbers<uint64_t>(in.getRngState());
  out.events_seen = in.getEventsSeen();
  out.clock_ms = in.getClockMs();
  auto outbox = in.getOutbox();
  out.outbox.reserve(outbox.size());
  for (wire::ArmUpdate::Reader u : outbox) out.outbox.push_back(codec_internal::ReadArmUpdate(u));
  out.arm_high_water = ReadWatermarks(in.getArmHighWater());
  out.arm_last_sent = ReadWatermarks(in.getArmLastSent());
  out.options_fingerprint = ToString(in.getOptionsFingerprint());
  out.model_activation = in.getModelActivation();
  out.model_version = ToString(in.getModelVersion());
  return out;
}

}  // namespace

std::string EncodeCheckpoint(const PartitionSnapshot& snapshot) {
  capnp::MallocMessageBuilder message;
  wire::PartitionCheckpoint::Builder root = message.initRoot<wire::PartitionCheckpoint>();
  WriteCheckpoint(snapshot, root);
  return codec_internal::CanonicalMessageBytes(root.asReader());
}

Result<PartitionSnapshot> DecodeCheckpoint(std::string_view bytes, const DecodeLimits& limits) {
  return codec_internal::ReadMessage<PartitionSnapshot>(bytes, limits, "checkpoint",
                                                        &ReadCheckpoint);
}

}  // namespace driftline
