# driftline's wire and storage formats.
#
# FROZEN ORDINALS: ordinals are never reused; add fields at the end. A field
# that is no longer needed keeps its ordinal and is renamed `obsoleteX`.
# Changing a field's type or ordinal breaks every stored artifact, checkpoint
# and log record, and every peer on the wire. Bump the version constants
# below only for a change old readers cannot ignore.
#
# Only protocol/codec_*.cc see the types generated from this file; the rest of
# driftline uses the plain structs of protocol/messages.h and learning/*.h.

@0xf46e6164922397cf;

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("driftline::wire");

const protocolVersion :UInt16 = 1;          # Frame.protocolVersion
const artifactFormatVersion :UInt16 = 1;    # ModelArtifact.formatVersion
const checkpointFormatVersion :UInt16 = 1;  # PartitionCheckpoint.formatVersion
const eventLogFormatVersion :UInt16 = 2;    # EventLogRecord.formatVersion
# eventLogFormatVersion history: 1 = one EventBatch per record (obsoleteBatch),
# never persisted by users; 2 = one partition input per record (input union).

# ---- Features and events (learning/event.h) --------------------------------

struct Feature {
  name @0 :Text;
  value @1 :Float64 = 1.0;
}

struct FeatureNamespace {
  name @0 :Text;
  features @1 :List(Feature);
}

struct Event {
  tsMs @0 :Int64;
  user @1 :Text;
  item @2 :Text;
  label @3 :Int8 = -1;        # -1: unlabelled; 0 or 1: the outcome
  eventId @4 :Text;
  predictionId @5 :Text;
  features @6 :List(FeatureNamespace);
}

# ---- Client wire (protocol/messages.h) -------------------------------------

struct EventBatch {
  batchId @0 :UInt64;
  events @1 :List(Event);
}

struct BatchAck {
  batchId @0 :UInt64;
  accepted @1 :UInt32;
  duplicates @2 :UInt32;
}

struct Candidate {
  item @0 :Text;
  features @1 :List(FeatureNamespace);
}

struct PredictRequest {
  requestId @0 :UInt64;
  user @1 :Text;
  context @2 :List(FeatureNamespace);
  candidates @3 :List(Candidate);
  deadlineMs @4 :UInt32;
  explore @5 :Bool;
  tsMs @6 :Int64;
}

struct ScoredCandidate {
  item @0 :Text;
  probability @1 :Float64;
}

struct PredictReply {
  requestId @0 :UInt64;
  predictionId @1 :Text;
  modelVersion @2 :Text;
  scores @3 :List(ScoredCandidate);
  chosen @4 :Text;
  propensity @5 :Float64 = 1.0;
  propensitySamples @6 :UInt32;
  fallback @7 :Bool;
  fallbackReason @8 :Text;
  # True when the node could not confirm, within the deadline, that the
  # prediction was logged: an outcome sent with this prediction id may not be
  # joined (docs/faults.md, "Overload and deadlines"). False (the default) for
  # a reply whose prediction was logged before the reply left.
  unjoinable @9 :Bool;
  unjoinableReason @10 :Text;  # empty unless unjoinable
}

struct ErrorReply {
  requestId @0 :UInt64;
  code @1 :UInt16;            # driftline::Status::Code (common/status.h), frozen there
  message @2 :Text;
}

# The envelope of every client-wire message.
struct Frame {
  protocolVersion @0 :UInt16;
  body :union {
    none @1 :Void;            # a frame that carries nothing is refused
    eventBatch @2 :EventBatch;
    predictRequest @3 :PredictRequest;
    predictReply @4 :PredictReply;
    errorReply @5 :ErrorReply;
    batchAck @6 :BatchAck;
    modelRegisterRequest @7 :ModelRegisterRequest;
    modelActivateRequest @8 :ModelActivateRequest;
    modelRollbackRequest @9 :ModelRollbackRequest;
    modelReply @10 :ModelReply;
    statusRequest @11 :StatusRequest;
    statusReply @12 :StatusReply;
    stallPartitionRequest @13 :StallPartitionRequest;
    okReply @14 :OkReply;
    forgetUserRequest @15 :ForgetUserRequest;
    forgetUserReply @16 :ForgetUserReply;
  }
}

# ---- Administration (protocol/messages.h) ----------------------------------

struct ModelRegisterRequest {
  requestId @0 :UInt64;
  artifact @1 :Data;          # the artifact file's bytes (EncodeArtifact)
}

struct ModelActivateRequest {
  requestId @0 :UInt64;
  version @1 :Text;
  deltas @2 :DeltaTransform;  # null or kind unspecified: the node's default
}

struct ModelRollbackRequest {
  requestId @0 :UInt64;
  deltas @1 :DeltaTransform;  # null or kind unspecified: the node's default
}

struct ModelReply {
  requestId @0 :UInt64;
  version @1 :Text;
  contentHash @2 :Text;
  deltas @3 :DeltaTransform;  # activate / rollback: the transform applied
}

# What a model activation does to the online deltas (learning/delta_transform.h).
enum DeltaTransformKind {
  unspecified @0;
  keep @1;
  reset @2;
  decay @3;
}

struct DeltaTransform {
  kind @0 :DeltaTransformKind;
  factor @1 :Float64;          # decay: in (0, 1); keep 1, reset 0
}

struct StatusRequest {
  requestId @0 :UInt64;
}

struct Counter {
  name @0 :Text;
  value @1 :Int64;
}

struct StatusReply {
  requestId @0 :UInt64;
  activeVersion @1 :Text;
  partitions @2 :UInt32;
  counters @3 :List(Counter);
}

struct StallPartitionRequest {
  requestId @0 :UInt64;
  partition @1 :UInt32;
  durationMs @2 :UInt32;
}

struct OkReply {
  requestId @0 :UInt64;
  message @1 :Text;
}

# `driftline forget`: remove everything the user's partition keeps keyed by
# the user (learning/partition_input.h ForgetInput); answered once the
# request is in the partition's durable log and applied.
struct ForgetUserRequest {
  requestId @0 :UInt64;
  user @1 :Text;
}

struct ForgetUserReply {
  requestId @0 :UInt64;
  user @1 :Text;
  partition @2 :UInt32;
  deltaRemoved @3 :Bool;       # the user had a delta layer
  pendingRemoved @4 :UInt32;   # pending predictions of the user
  replayRemoved @5 :UInt32;    # the user's examples in the replay reservoir
}

# ---- Model artifact (learning/model_artifact.h) ----------------------------

struct Cross {
  left @0 :Text;
  right @1 :Text;
}

struct TrainConfig {
  hashingBits @0 :UInt32;
  crosses @1 :List(Cross);
  epochs @2 :UInt32;
  learningRate @3 :Float64;
  l2 @4 :Float64;
  seed @5 :UInt64;
}

struct SnapshotInfo {
  description @0 :Text;
  sha256Hex @1 :Text;
  cutTsMs @2 :Int64;
  eventCount @3 :UInt64;
}

struct WeightEntry {
  index @0 :UInt32;
  weight @1 :Float64;
}

struct NamespaceHistogram {
  name @0 :Text;
  counts @1 :List(Float64);
}

# Root of an artifact file. Its bytes are the canonical single-segment
# encoding; contentHash is the sha256 hex of the canonical encoding of this
# same message with contentHash null.
struct ModelArtifact {
  formatVersion @0 :UInt16;
  version @1 :Text;
  config @2 :TrainConfig;
  snapshot @3 :SnapshotInfo;
  weights @4 :List(WeightEntry);
  histograms @5 :List(NamespaceHistogram);
  contentHash @6 :Text;
}

# ---- Partition checkpoint (learning/partition_snapshot.h) ------------------

struct DeltaCoordinate {
  index @0 :UInt32;
  z @1 :Float64;
  n @2 :Float64;
}

struct UserDelta {
  user @0 :Text;
  coords @1 :List(DeltaCoordinate);
  lastTouchMs @2 :Int64;      # event time of the last update (eviction)
}

struct ArmState {
  arm @0 :Text;
  coords @1 :List(DeltaCoordinate);
  successes @2 :Float64;
  failures @3 :Float64;
  linearA @4 :List(Float64);
  linearB @5 :List(Float64);
  lastTouchMs @6 :Int64;      # event time of the last update (eviction)
}

struct PendingPrediction {
  predictionId @0 :Text;
  user @1 :Text;
  chosen @2 :Text;
  propensity @3 :Float64 = 1.0;
  modelVersion @4 :Text;
  tsMs @5 :Int64;
  features @6 :List(FeatureNamespace);
  baseLogit @7 :Float64;      # the parts of the chosen arm's score
  userLogit @8 :Float64;
  armLogit @9 :Float64;
}

struct ReplayExample {
  event @0 :Event;
  baseLogit @1 :Float64;
  armLogit @2 :Float64;
}

# Root of a checkpoint value.
struct PartitionCheckpoint {
  formatVersion @0 :UInt16;
  partition @1 :UInt32;
  epoch @2 :UInt64;
  appliedSequence @3 :UInt64;
  users @4 :List(UserDelta);
  arms @5 :List(ArmState);
  pending @6 :List(PendingPrediction);
  obsoleteReplay @7 :List(Event);  # retired: events without score parts; never written
  recentEventIds @8 :List(Text);
  rngState @9 :List(UInt64);
  eventsSeen @10 :UInt64;
  clockMs @11 :Int64;
  replay @12 :List(ReplayExample);
  outbox @13 :List(ArmUpdate);  # arm updates not yet confirmed by their arm's partition
  armHighWater @14 :List(ArmWatermark);  # per source: the last arm update logged here
  armLastSent @15 :List(ArmWatermark);   # per destination: the last arm update sent there
  optionsFingerprint @16 :Text;          # learning/online_options_fingerprint.h; empty: unknown
  modelActivation @17 :UInt64;           # the last ModelSwitch applied (0: none)
  modelVersion @18 :Text;
}

# An arm update's identity at its source (learning/arm_update_delivery.h):
# the source's log sequence and the index among that record's arm updates.
struct ArmWatermark {
  partition @0 :UInt32;
  sequence @1 :UInt64;
  index @2 :UInt32;
}

# ---- Event log (learning/partition_input.h) --------------------------------

struct EventInput {
  event @0 :Event;
  baseLogit @1 :Float64;
  armLogit @2 :Float64;
}

struct ArmUpdate {
  updateId @0 :Text;
  arm @1 :Text;
  user @2 :Text;
  features @3 :List(FeatureNamespace);
  residual @4 :Float64;
  label @5 :Int8;             # 0 or 1 when valid; out-of-range values saturate
  tsMs @6 :Int64;
  sourcePartition @7 :UInt32;  # identity: (source partition, sequence, index); 0/0 = unstamped
  sourceSequence @8 :UInt64;
  sourceIndex @9 :UInt32;
  previousSequence @10 :UInt64;  # the update this source sent to the same arm partition before
  previousIndex @11 :UInt32;
}

# A model activation reaching a partition (learning/partition_input.h).
struct ModelSwitch {
  activation @0 :UInt64;       # the node's activation number, rising from 1
  version @1 :Text;
  deltas @2 :DeltaTransform;
}

# Root of one event-log value: one input a partition applies, in log order.
struct EventLogRecord {
  formatVersion @0 :UInt16;
  obsoleteBatch @1 :EventBatch;  # retired with format 1 (a whole batch per record); never written
  input :union {
    none @2 :Void;            # a record that carries nothing is refused
    event @3 :EventInput;
    prediction @4 :PendingPrediction;
    armUpdate @5 :ArmUpdate;
    modelSwitch @6 :ModelSwitch;
    forget @8 :ForgetInput;     # @7 is the epoch below (appended first)
  }
  # The owner epoch of the partition that appended the record (0: written
  # before epochs were recorded, read as the checkpoint's epoch). A restarted
  # owner resumes at the highest epoch of its checkpoint and log.
  epoch @7 :UInt64;
}

# ---- Cluster wire: router -> shard, shard -> shard, coordinator -> shard ----
# (protocol/shard_messages.h; docs/cluster.md, "Wire messages")
#
# Every message that reads or changes a partition names the partition and the
# epoch its sender believes the owner has (PartitionEpoch). The receiving
# shard refuses any other epoch with a ShardError whose staleEpoch is set,
# naming the partition, the epoch it got and its own (cluster/epoch_fence.h).
# Replies name the epoch that answered.

const shardProtocolVersion :UInt16 = 1;     # ShardFrame.protocolVersion

struct PartitionEpoch {
  partition @0 :UInt32;
  epoch @1 :UInt64;
}

# One hashed delta feature (learning/feature_hasher.h HashedFeature).
struct HashedFeature {
  index @0 :UInt32;
  value @1 :Float64;
}

struct SparseVector {
  features @0 :List(HashedFeature);
}

# router -> shard: the user's delta for each candidate (a predict's user part).
struct UserPartRead {
  requestId @0 :UInt64;
  target @1 :PartitionEpoch;
  user @2 :Text;
  candidates @3 :List(SparseVector);
}

struct UserPartReply {
  requestId @0 :UInt64;
  source @1 :PartitionEpoch;
  logits @2 :List(Float64);   # one per candidate, in request order
}

struct ArmRead {
  arm @0 :Text;
  features @1 :List(HashedFeature);
}

# router -> shard: each arm's delta and evidence (a predict's arm parts, or
# the arm logits of an ingest batch's labelled events).
struct ArmPartsRead {
  requestId @0 :UInt64;
  target @1 :PartitionEpoch;
  arms @2 :List(ArmRead);
}

struct ArmPartView {
  logit @0 :Float64;
  successes @1 :Float64;
  failures @2 :Float64;
}

struct ArmPartsReply {
  requestId @0 :UInt64;
  source @1 :PartitionEpoch;
  views @2 :List(ArmPartView);  # one per arm, in request order
}

# router -> shard: one partition's share of a client's event batch (events,
# and outcomes: an event with a prediction id and a label), appended durably
# before the reply.
struct EventAppend {
  requestId @0 :UInt64;
  target @1 :PartitionEpoch;
  inputs @2 :List(EventInput);
}

struct EventAppendReply {
  requestId @0 :UInt64;
  source @1 :PartitionEpoch;
  accepted @2 :UInt32;
  duplicates @3 :UInt32;
  rejected @4 :UInt32;
  firstRejection @5 :Text;
}

# router -> shard: a prediction to log before the predict's reply (its outcome
# joins it later). Answered by ShardOk once durable, or ShardError.
struct PredictionAppend {
  requestId @0 :UInt64;
  target @1 :PartitionEpoch;
  prediction @2 :PendingPrediction;
}

# shard -> shard: arm updates of one source partition for one arm partition,
# stamped with their source ordinals (learning/arm_update_delivery.h), in
# ordinal order. Answered by ArmUpdateConfirm (or ShardError).
struct ArmUpdateBatch {
  requestId @0 :UInt64;
  source @1 :PartitionEpoch;   # the sending partition and its epoch
  target @2 :PartitionEpoch;   # the arm's partition, as the sender's map knows it
  updates @3 :List(ArmUpdate);
}

# shard -> shard: the arm's partition logged every update of `target`'s
# partition up to (sequence, index): its high-water mark for that source.
struct ArmUpdateConfirm {
  requestId @0 :UInt64;
  source @1 :PartitionEpoch;   # the arm's partition that confirms
  target @2 :PartitionEpoch;   # the source partition confirmed to
  sequence @3 :UInt64;
  index @4 :UInt32;
}

# coordinator -> shard: serve this registered model version on the listed
# partitions (each with the epoch the coordinator assigned). The artifact's
# bytes travel with it when the shard may not hold it (empty: already held).
struct ModelActivation {
  requestId @0 :UInt64;
  version @1 :Text;
  partitions @2 :List(PartitionEpoch);
  artifact @3 :Data;
}

# shard -> anyone: a refusal. staleEpoch: the message named an epoch the
# receiver does not own `partition` at; `current` is the receiver's (0: it
# does not own the partition), `gotEpoch` the one the message carried.
struct ShardError {
  requestId @0 :UInt64;
  code @1 :UInt16;              # driftline::Status::Code
  message @2 :Text;
  staleEpoch @3 :Bool;
  current @4 :PartitionEpoch;
  gotEpoch @5 :UInt64;
}

struct ShardOk {
  requestId @0 :UInt64;
  source @1 :PartitionEpoch;
  message @2 :Text;
}

# The envelope of every cluster-wire message.
struct ShardFrame {
  protocolVersion @0 :UInt16;
  body :union {
    none @1 :Void;             # a frame that carries nothing is refused
    userPartRead @2 :UserPartRead;
    userPartReply @3 :UserPartReply;
    armPartsRead @4 :ArmPartsRead;
    armPartsReply @5 :ArmPartsReply;
    eventAppend @6 :EventAppend;
    eventAppendReply @7 :EventAppendReply;
    predictionAppend @8 :PredictionAppend;
    armUpdateBatch @9 :ArmUpdateBatch;
    armUpdateConfirm @10 :ArmUpdateConfirm;
    modelActivation @11 :ModelActivation;
    shardError @12 :ShardError;
    shardOk @13 :ShardOk;
    shardPing @14 :ShardPing;
  }
}

# Is the shard there? Answered with the same ShardPing (a link that lost its
# shard probes with it before it sends writes again).
struct ShardPing {
  requestId @0 :UInt64;
}

struct ForgetInput {
  user @0 :Text;
}
