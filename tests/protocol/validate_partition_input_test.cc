// Validation rules of partition inputs (protocol/validate.h), run before an
// input is appended to a partition's event log.
#include <catch2/catch.hpp>
#include <limits>
#include <string>

#include "protocol/validate.h"
#include "sample_messages.h"

using namespace driftline;
using namespace driftline::testing;

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

// The message of validating `input`, which must be refused as invalid.
std::string Refusal(const PartitionInput& input) {
  Status s = ValidatePartitionInput(input);
  REQUIRE(s.code() == Status::Code::kInvalidArgument);
  return s.message();
}
}  // namespace

TEST_CASE("the sample partition inputs are valid") {
  for (const PartitionInput& input : SamplePartitionInputs()) {
    INFO("input kind " << input.index());
    REQUIRE(ValidatePartitionInput(input).ok());
  }
}

TEST_CASE("an event input's event is validated like an event on the wire") {
  EventInput e = SampleEventInput();
  e.event.user.clear();
  REQUIRE(Refusal(e) == "event.user must not be empty");
  e = SampleEventInput();
  e.event.label = 2;
  REQUIRE(Refusal(e) == "event.label must be 0 or 1, got 2");
  e = SampleEventInput();
  e.event.features[0].features[0].value = kNaN;
  REQUIRE(Refusal(e) == "event.features['user']['age'] must be finite, got nan");
}

TEST_CASE("an event input's logits must be finite") {
  EventInput e = SampleEventInput();
  e.base_logit = kNaN;
  REQUIRE(Refusal(e) == "base_logit must be finite, got nan");
  e = SampleEventInput();
  e.arm_logit = -kInf;
  REQUIRE(Refusal(e) == "arm_logit must be finite, got -inf");
}

TEST_CASE("a prediction input needs its ids, a probability and finite score parts") {
  PredictionInput p = SamplePredictionInput();
  p.prediction.prediction_id.clear();
  REQUIRE(Refusal(p) == "prediction.prediction_id must not be empty");
  p = SamplePredictionInput();
  p.prediction.user.clear();
  REQUIRE(Refusal(p) == "prediction.user must not be empty");
  p = SamplePredictionInput();
  p.prediction.propensity = 1.5;
  REQUIRE(Refusal(p) == "prediction.propensity must be within [0, 1], got 1.5");
  p = SamplePredictionInput();
  p.prediction.features[1].features[0].value = kInf;
  REQUIRE(Refusal(p) == "prediction.features['item']['genre:Drama'] must be finite, got inf");
  p = SamplePredictionInput();
  p.prediction.base_logit = kNaN;
  REQUIRE(Refusal(p) == "prediction.base_logit must be finite, got nan");
  p = SamplePredictionInput();
  p.prediction.user_logit = kInf;
  REQUIRE(Refusal(p) == "prediction.user_logit must be finite, got inf");
  p = SamplePredictionInput();
  p.prediction.arm_logit = kNaN;
  REQUIRE(Refusal(p) == "prediction.arm_logit must be finite, got nan");
}

TEST_CASE("an arm update needs an arm, a 0/1 label, a finite residual and features") {
  ArmUpdateInput a = SampleArmUpdate();
  a.arm.clear();
  REQUIRE(Refusal(a) == "arm must not be empty");
  for (int label : {-1, 2, 127}) {
    a = SampleArmUpdate();
    a.label = label;
    REQUIRE(Refusal(a) == "label must be 0 or 1, got " + std::to_string(label));
  }
  a = SampleArmUpdate();
  a.label = 0;
  REQUIRE(ValidateArmUpdateInput(a).ok());
  a.residual = kNaN;
  REQUIRE(Refusal(a) == "residual must be finite, got nan");
  a = SampleArmUpdate();
  a.features[1].features[0].name.clear();
  REQUIRE(Refusal(a) == "features[''][0].name must not be empty");
  a = SampleArmUpdate();
  a.update_id.clear();  // may be empty
  a.user.clear();
  REQUIRE(ValidateArmUpdateInput(a).ok());
}
