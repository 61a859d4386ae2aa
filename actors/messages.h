// The messages between driftline's actors. Every payload is a plain value
// (no pointers into another actor's state), so each could cross a process
// boundary by way of the codec; inside one process CAF moves them as they are
// (registered as local types below). The one exception is the base model,
// which is immutable and shared by pointer inside a node.
//
// Include only from actors/*.cc: it pulls in CAF.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <caf/all.hpp>

#include "learning/base_model.h"
#include "learning/feature_hasher.h"
#include "learning/partition_input.h"
#include "learning/partition_learner.h"
#include "protocol/messages.h"
#include "storage/event_log.h"
#include "protocol/shard_messages.h"

namespace driftline {

// ---- atoms (at most 10 characters each) ----
using ingest_atom = caf::atom_constant<caf::atom("ingest")>;        // router -> partition
using remember_atom = caf::atom_constant<caf::atom("remember")>;    // router -> partition
using arm_update_atom = caf::atom_constant<caf::atom("armupdate")>; // partition -> partition
using user_score_atom = caf::atom_constant<caf::atom("userscore")>; // router -> partition
using arm_view_atom = caf::atom_constant<caf::atom("armview")>;     // router -> partition
using model_atom = caf::atom_constant<caf::atom("model")>;          // coordinator -> all (partitions: a ModelSwitchInput)
using peers_atom = caf::atom_constant<caf::atom("peers")>;          // node -> partition
using stall_atom = caf::atom_constant<caf::atom("stall")>;          // coordinator -> partition
using resume_atom = caf::atom_constant<caf::atom("resume")>;        // partition -> itself
using checkpoint_atom = caf::atom_constant<caf::atom("checkpnt")>;  // node -> partition
using counters_atom = caf::atom_constant<caf::atom("counters")>;    // coordinator -> all
using client_atom = caf::atom_constant<caf::atom("client")>;        // endpoint -> router/coordinator
using deadline_atom = caf::atom_constant<caf::atom("deadline")>;    // router -> itself
using sync_atom = caf::atom_constant<caf::atom("sync")>;            // router -> syncer
using confirm_atom = caf::atom_constant<caf::atom("confirm")>;      // arm's partition -> source
using redeliver_atom = caf::atom_constant<caf::atom("redeliver")>;  // node -> partition
using append_atom = caf::atom_constant<caf::atom("append")>;        // partition -> log writer
using remote_reply_atom = caf::atom_constant<caf::atom("rreply")>;  // shard link -> remote partition
using remote_lost_atom = caf::atom_constant<caf::atom("rlost")>;    // shard link -> remote partition
using expire_atom = caf::atom_constant<caf::atom("expire")>;        // remote partition -> itself
using probe_atom = caf::atom_constant<caf::atom("probe")>;          // remote partition -> itself
using shard_atom = caf::atom_constant<caf::atom("shard")>;          // shard endpoint -> shard server
using forget_atom = caf::atom_constant<caf::atom("forget")>;        // coordinator -> partition

// A client request as it came off the wire, with the peer to answer.
struct ClientRequest {
  std::string peer;
  int64_t received_ns = 0;  // steady-clock time the endpoint decoded it
  // Predicts only: the endpoint's token (actors/open_predicts.h) and the
  // prediction id it assigned (unique per node incarnation).
  uint64_t predict_token = 0;
  std::string prediction_id;
};

// A decoded predict request, shared (immutable) by the endpoint's table of
// open predicts and the router.
using PredictRequestPtr = std::shared_ptr<const PredictRequest>;

// The active base model: immutable, shared inside one node.
using ModelPtr = std::shared_ptr<const BaseModel>;

// router -> user's partition: the user's delta for each candidate's features.
struct UserScoreRequest {
  std::string user;
  std::vector<SparseFeatures> candidates;
};

// router -> arm's partition: each arm's delta and evidence for its features.
struct ArmViewRequest {
  std::vector<std::pair<std::string, SparseFeatures>> arms;
  // true (ingest's phase 1): answered after every arm update the partition
  // received before it is logged and applied (the arm view of
  // docs/architecture.md). false (predicts): answered at once from the
  // applied state, overtaking queued work. Default: true
  bool settle = true;
};

// partition -> log writer: inputs a partition's journal prepared (admitted,
// de-duplicated), to encode and append to the partition's log.
struct AppendRequest {
  uint32_t partition = 0;
  uint64_t epoch = 0;  // the owner epoch every record carries
  std::vector<PartitionInput> inputs;
};

// The log writer's answer: the inputs back, and where they were logged (or
// why not: then nothing was logged).
struct AppendOutcome {
  std::vector<PartitionInput> inputs;
  storage::SequenceRange range;
  std::string error;  // non-empty: the append failed
};

// router -> user's partition: events to log durably, then apply.
struct IngestRequest {
  std::vector<EventInput> inputs;
};

// The partition's answer to an IngestRequest: sent only after the accepted
// inputs are in the partition's durable log.
struct IngestResult {
  uint32_t accepted = 0;
  uint32_t duplicates = 0;
  uint32_t rejected = 0;        // invalid inputs, never logged
  std::string first_rejection;
  std::string error;  // non-empty: nothing was logged or applied
};

// A partition's answer to (forget_atom, user): sent once the ForgetInput is
// in its durable log and applied.
struct ForgetResult {
  ForgetReport removed;
  std::string error;  // non-empty: nothing was logged or applied
};

// Named counters of one actor, for the status reply.
using CounterList = std::vector<Counter>;

}  // namespace driftline

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(driftline::ClientRequest)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(driftline::ModelPtr)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(driftline::UserScoreRequest)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(driftline::ArmViewRequest)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(driftline::IngestRequest)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(driftline::IngestResult)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(driftline::AppendRequest)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(driftline::AppendOutcome)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(driftline::CounterList)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(driftline::ForgetResult)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(driftline::ForgetUserRequest)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(driftline::PredictionInput)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(driftline::ModelSwitchInput)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::vector<driftline::ArmUpdateInput>)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::vector<driftline::ArmView>)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(driftline::EventBatch)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(driftline::PredictRequest)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(driftline::PredictRequestPtr)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(driftline::ModelRegisterRequest)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(driftline::ModelActivateRequest)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(driftline::ModelRollbackRequest)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(driftline::StatusRequest)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(driftline::StallPartitionRequest)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(driftline::ShardMessage)
