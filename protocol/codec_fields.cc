// Conversions shared by several roots: features, events, event batches,
// pending predictions.
#include "protocol/codec_internal.h"

namespace driftline {
namespace codec_internal {

std::string ToString(capnp::Text::Reader text) { return std::string(text.cStr(), text.size()); }

void WriteDeltaTransform(const DeltaTransform& in, wire::DeltaTransform::Builder out) {
  // Kind values are frozen alike in both places (1 keep, 2 reset, 3 decay).
  out.setKind(static_cast<wire::DeltaTransformKind>(static_cast<uint16_t>(in.kind)));
  out.setFactor(in.factor);
}

std::optional<DeltaTransform> ReadDeltaTransform(wire::DeltaTransform::Reader in) {
  const auto kind = static_cast<uint16_t>(in.getKind());
  if (kind == static_cast<uint16_t>(wire::DeltaTransformKind::UNSPECIFIED)) return std::nullopt;
  DeltaTransform out;
  // An unknown kind is kept as it came (saturated into a byte) so that
  // ValidateDeltaTransform names it.
  out.kind = static_cast<DeltaTransform::Kind>(kind > 255 ? 255 : kind);
  out.factor = in.getFactor();
  return out;
}

void WriteFeatureSet(const FeatureSet& in, capnp::List<wire::FeatureNamespace>::Builder out) {
  for (size_t i = 0; i < in.size(); ++i) {
    wire::FeatureNamespace::Builder ns = out[i];
    ns.setName(codec_internal::AsText(in[i].name));
    auto features = ns.initFeatures(in[i].features.size());
    for (size_t j = 0; j < in[i].features.size(); ++j) {
      features[j].setName(codec_internal::AsText(in[i].features[j].name));
      features[j].setValue(in[i].features[j].value);
    }
  }
}

FeatureSet ReadFeatureSet(capnp::List<wire::FeatureNamespace>::Reader in) {
  FeatureSet out;
  out.reserve(in.size());
  for (wire::FeatureNamespace::Reader ns : in) {
    FeatureNamespace plain;
    plain.name = ToString(ns.getName());
    auto features = ns.getFeatures();
    plain.features.reserve(features.size());
    for (wire::Feature::Reader f : features) {
      plain.features.push_back(Feature{ToString(f.getName()), f.getValue()});
    }
    out.push_back(std::move(plain));
  }
  return out;
}

int8_t WireLabel(int label) {
  return static_cast<int8_t>(label < 0 ? -128 : (label > 127 ? 127 : label));
}

void WriteEvent(const Event& in, wire::Event::Builder out) {
  out.setTsMs(in.ts_ms);
  out.setUser(codec_internal::AsText(in.user));
  out.setItem(codec_internal::AsText(in.item));
  // -1 means unset on the wire; any negative label becomes -128 (WireLabel).
  if (in.label) out.setLabel(WireLabel(*in.label));
  out.setEventId(codec_internal::AsText(in.event_id));
  out.setPredictionId(codec_internal::AsText(in.prediction_id));
  WriteFeatureSet(in.features, out.initFeatures(in.features.size()));
}

Event ReadEvent(wire::Event::Reader in) {
  Event out;
  out.ts_ms = in.getTsMs();
  out.user = ToString(in.getUser());
  out.item = ToString(in.getItem());
  if (in.getLabel() != -1) out.label = in.getLabel();
  out.event_id = ToString(in.getEventId());
  out.prediction_id = ToString(in.getPredictionId());
  out.features = ReadFeatureSet(in.getFeatures());
  return out;
}

void WriteEventBatch(const EventBatch& in, wire::EventBatch::Builder out) {
  out.setBatchId(in.batch_id);
  auto events = out.initEvents(in.events.size());
  for (size_t i = 0; i < in.events.size(); ++i) WriteEvent(in.events[i], events[i]);
}

Result<EventBatch> ReadEventBatch(wire::EventBatch::Reader in, size_t max_events) {
  EventBatch out;
  out.batch_id = in.getBatchId();
  auto events = in.getEvents();
  if (events.size() > max_events) {
    return Status::ResourceExhausted("events has " + std::to_string(events.size()) +
                                     " entries, more than the limit of " +
                                     std::to_string(max_events));
  }
  out.events.reserve(events.size());
  for (wire::Event::Reader e : events) out.events.push_back(ReadEvent(e));
  return out;
}

void WritePending(const PendingPrediction& in, wire::PendingPrediction::Builder out) {
  out.setPredictionId(AsText(in.prediction_id));
  out.setUser(AsText(in.user));
  out.setChosen(AsText(in.chosen));
  out.setPropensity(in.propensity);
  out.setModelVersion(AsText(in.model_version));
  out.setTsMs(in.ts_ms);
  WriteFeatureSet(in.features, out.initFeatures(in.features.size()));
  out.setBaseLogit(in.base_logit);
  out.setUserLogit(in.user_logit);
  out.setArmLogit(in.arm_logit);
}

PendingPrediction ReadPending(wire::PendingPrediction::Reader in) {
  PendingPrediction out;
  out.prediction_id = ToString(in.getPredictionId());
  out.user = ToString(in.getUser());
  out.chosen = ToString(in.getChosen());
  out.propensity = in.getPropensity();
  out.model_version = ToString(in.getModelVersion());
  out.ts_ms = in.getTsMs();
  out.features = ReadFeatureSet(in.getFeatures());
  out.base_logit = in.getBaseLogit();
  out.user_logit = in.getUserLogit();
  out.arm_logit = in.getArmLogit();
  return out;
}

void WriteArmUpdate(const ArmUpdateInput& in, wire::ArmUpdate::Builder out) {
  out.setUpdateId(AsText(in.update_id));
  out.setArm(AsText(in.arm));
  out.setUser(AsText(in.user));
  WriteFeatureSet(in.features, out.initFeatures(in.features.size()));
  out.setResidual(in.residual);
  out.setLabel(WireLabel(in.label));
  out.setTsMs(in.ts_ms);
  out.setSourcePartition(in.source_partition);
  out.setSourceSequence(in.ordinal.sequence);
  out.setSourceIndex(in.ordinal.index);
  out.setPreviousSequence(in.previous.sequence);
  out.setPreviousIndex(in.previous.index);
}

ArmUpdateInput ReadArmUpdate(wire::ArmUpdate::Reader in) {
  ArmUpdateInput out;
  out.update_id = ToString(in.getUpdateId());
  out.arm = ToString(in.getArm());
  out.user = ToString(in.getUser());
  out.features = ReadFeatureSet(in.getFeatures());
  out.residual = in.getResidual();
  out.label = in.getLabel();
  out.ts_ms = in.getTsMs();
  out.source_partition = in.getSourcePartition();
  out.ordinal = ArmOrdinal{in.getSourceSequence(), in.getSourceIndex()};
  out.previous = ArmOrdinal{in.getPreviousSequence(), in.getPreviousIndex()};
  return out;
}

}  // namespace codec_internal
}  // namespace driftline
