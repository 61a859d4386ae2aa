// The model artifact: canonical encoding, content hash, verified decoding.
#include "protocol/codec_internal.h"
#include "protocol/sha256.h"
#include "protocol/validate.h"

namespace driftline {

using codec_internal::ToString;

namespace {

constexpr uint16_t kArtifactFormatVersion = wire::ARTIFACT_FORMAT_VERSION;

void WriteConfig(const TrainConfig& in, wire::TrainConfig::Builder out) {
  out.setHashingBits(in.hashing.bits);
  auto crosses = out.initCrosses(in.hashing.crosses.size());
  for (size_t i = 0; i < in.hashing.crosses.size(); ++i) {
    crosses[i].setLeft(codec_internal::AsText(in.hashing.crosses[i].first));
    crosses[i].setRight(codec_internal::AsText(in.hashing.crosses[i].second));
  }
  out.setEpochs(in.epochs);
  out.setLearningRate(in.learning_rate);
  out.setL2(in.l2);
  out.setSeed(in.seed);
}

// Writes everything but the content hash, which stays null.
void WriteArtifact(const ModelArtifact& in, wire::ModelArtifact::Builder out) {
  out.setFormatVersion(kArtifactFormatVersion);
  out.setVersion(codec_internal::AsText(in.version));
  WriteConfig(in.config, out.initConfig());
  wire::SnapshotInfo::Builder snapshot = out.initSnapshot();
  snapshot.setDescription(codec_internal::AsText(in.snapshot.description));
  snapshot.setSha256Hex(codec_internal::AsText(in.snapshot.sha256_hex));
  snapshot.setCutTsMs(in.snapshot.cut_ts_ms);
  snapshot.setEventCount(in.snapshot.event_count);
  auto weights = out.initWeights(in.weights.size());
  for (size_t i = 0; i < in.weights.size(); ++i) {
    weights[i].setIndex(in.weights[i].index);
    weights[i].setWeight(in.weights[i].weight);
  }
  auto histograms = out.initHistograms(in.histograms.size());
  for (size_t i = 0; i < in.histograms.size(); ++i) {
    histograms[i].setName(codec_internal::AsText(in.histograms[i].name));
    auto counts = histograms[i].initCounts(in.histograms[i].counts.size());
    for (size_t j = 0; j < in.histograms[i].counts.size(); ++j) {
      counts.set(j, in.histograms[i].counts[j]);
    }
  }
}

TrainConfig ReadConfig(wire::TrainConfig::Reader in) {
  TrainConfig out;
  out.hashing.bits = in.getHashingBits();
  auto crosses = in.getCrosses();
  out.hashing.crosses.reserve(crosses.size());
  for (wire::Cross::Reader c : crosses) {
    out.hashing.crosses.emplace_back(ToString(c.getLeft()), ToString(c.getRight()));
  }
  out.epochs = in.getEpochs();
  out.learning_rate = in.getLearningRate();
  out.l2 = in.getL2();
  out.seed = in.getSeed();
  return out;
}

ModelArtifact ReadArtifact(wire::ModelArtifact::Reader in) {
  ModelArtifact out;
  out.version = ToString(in.getVersion());
  out.config = ReadConfig(in.getConfig());
  wire::SnapshotInfo::Reader snapshot = in.getSnapshot();
  out.snapshot.description = ToString(snapshot.getDescription());
  out.snapshot.sha256_hex = ToString(snapshot.getSha256Hex());
  out.snapshot.cut_ts_ms = snapshot.getCutTsMs();
  out.snapshot.event_count = snapshot.getEventCount();
  auto weights = in.getWeights();
  out.weights.reserve(weights.size());
  for (wire::WeightEntry::Reader w : weights) {
    out.weights.push_back(WeightEntry{w.getIndex(), w.getWeight()});
  }
  auto histograms = in.getHistograms();
  out.histograms.reserve(histograms.size());
  for (wire::NamespaceHistogram::Reader h : histograms) {
    NamespaceHistogram plain;
    plain.name = ToString(h.getName());
    auto counts = h.getCounts();
    plain.counts.reserve(counts.size());
    for (double c : counts) plain.counts.push_back(c);
    out.histograms.push_back(std::move(plain));
  }
  out.content_hash = ToString(in.getContentHash());
  return out;
}

// sha256 hex of the canonical encoding of `artifact` with its hash null.
// Copying the reader keeps fields this build does not know.
std::string HashWithoutContentHash(wire::ModelArtifact::Reader artifact) {
  capnp::MallocMessageBuilder copy;
  copy.setRoot(artifact);
  wire::ModelArtifact::Builder root = copy.getRoot<wire::ModelArtifact>();
  if (root.hasContentHash()) root.disownContentHash();
  return Sha256Hex(codec_internal::CanonicalMessageBytes(root.asReader()));
}

Result<ModelArtifact> ReadVerifiedArtifact(capnp::MessageReader& message) {
  // Canonical form has no aliasing pointers, so the copy made to check the
  // hash is no larger than the input; EncodeArtifact() only writes it.
  if (!message.isCanonical()) {
    return Status::Corruption("artifact is malformed: not in canonical form");
  }
  wire::ModelArtifact::Reader root = message.getRoot<wire::ModelArtifact>();
  if (root.getFormatVersion() != kArtifactFormatVersion) {
    return codec_internal::UnsupportedVersion("artifact format", root.getFormatVersion(),
                                              kArtifactFormatVersion, "reads");
  }
  const std::string recorded = ToString(root.getContentHash());
  const std::string actual = HashWithoutContentHash(root);
  if (recorded != actual) {
    return Status::Corruption("artifact content hash mismatch: recorded '" + recorded +
                              "', computed " + actual);
  }
  ModelArtifact artifact = ReadArtifact(root);
  DRIFTLINE_RETURN_IF_ERROR(ValidateArtifact(artifact));
  return artifact;
}

}  // namespace

std::string ArtifactContentHash(const ModelArtifact& artifact) {
  capnp::MallocMessageBuilder message;
  wire::ModelArtifact::Builder root = message.initRoot<wire::ModelArtifact>();
  WriteArtifact(artifact, root);
  return Sha256Hex(codec_internal::CanonicalMessageBytes(root.asReader()));
}

std::string EncodeArtifact(const ModelArtifact& artifact) {
  capnp::MallocMessageBuilder message;
  wire::ModelArtifact::Builder root = message.initRoot<wire::ModelArtifact>();
  WriteArtifact(artifact, root);
  root.setContentHash(Sha256Hex(codec_internal::CanonicalMessageBytes(root.asReader())));
  return codec_internal::CanonicalMessageBytes(root.asReader());
}

Result<ModelArtifact> DecodeArtifact(std::string_view bytes, const DecodeLimits& limits) {
  return codec_internal::ReadMessage<ModelArtifact>(bytes, limits, "artifact",
                                                    &ReadVerifiedArtifact);
}

}  // namespace driftline
