// Representative, valid instances of every plain struct the codec handles,
// shared by the protocol tests. Each call returns a fresh value.
#pragma once

#include <string>
#include <vector>

#include "learning/event.h"
#include "learning/model_artifact.h"
#include "learning/partition_input.h"
#include "learning/partition_snapshot.h"
#include "protocol/messages.h"

namespace driftline {
namespace testing {

Event SampleEvent(int i = 0);
EventBatch SampleBatch(int events = 3);
PredictRequest SampleRequest();
PredictReply SampleReply();
ErrorReply SampleError();
BatchAck SampleAck();
ModelArtifact SampleArtifact();
PartitionSnapshot SampleSnapshot();

ModelRegisterRequest SampleRegister();
ModelActivateRequest SampleActivate();
ModelRollbackRequest SampleRollback();
ModelReply SampleModelReply();
StatusRequest SampleStatusRequest();
StatusReply SampleStatusReply();
StallPartitionRequest SampleStall();
OkReply SampleOk();
ForgetUserRequest SampleForget();
ForgetUserReply SampleForgetReply();

PendingPrediction SamplePending();
EventInput SampleEventInput();
PredictionInput SamplePredictionInput();
ArmUpdateInput SampleArmUpdate();
// One valid input of each PartitionInput kind: a labelled event, an outcome
// (labelled, with a prediction id), an unlabelled event, a prediction, an arm
// update.
std::vector<PartitionInput> SamplePartitionInputs();

// One valid encoded frame of each message kind.
std::vector<std::string> SampleFrames();

}  // namespace testing
}  // namespace driftline
