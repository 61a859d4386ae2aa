#include "protocol/validate.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <limits>

#include "sample_messages.h"

using namespace driftline;
using driftline::testing::SampleArtifact;
using driftline::testing::SampleBatch;
using driftline::testing::SampleEvent;
using driftline::testing::SampleReply;
using driftline::testing::SampleRequest;

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

bool Mentions(const Status& s, const std::string& text) {
  return s.message().find(text) != std::string::npos;
}
}  // namespace

TEST_CASE("the sample messages are valid") {
  REQUIRE(ValidateEventBatch(SampleBatch(10)).ok());
  REQUIRE(ValidatePredictRequest(SampleRequest()).ok());
  REQUIRE(ValidatePredictReply(SampleReply()).ok());
  REQUIRE(ValidateErrorReply(testing::SampleError()).ok());
  REQUIRE(ValidateArtifact(SampleArtifact()).ok());
}

TEST_CASE("an event without a user is refused naming the field") {
  EventBatch b = SampleBatch(3);
  b.events[2].user.clear();
  Status s = ValidateEventBatch(b);
  REQUIRE(s.code() == Status::Code::kInvalidArgument);
  REQUIRE(s.message() == "events[2].user must not be empty");
}

TEST_CASE("an event label other than 0 or 1 is refused") {
  Event e = SampleEvent();
  e.label = 2;
  Status s = ValidateEvent(e);
  REQUIRE(s.code() == Status::Code::kInvalidArgument);
  REQUIRE(s.message() == "event.label must be 0 or 1, got 2");
  e.label = -1;
  REQUIRE_FALSE(ValidateEvent(e).ok());
  e.label.reset();
  REQUIRE(ValidateEvent(e).ok());
}

TEST_CASE("a NaN or infinite feature value in an event is refused naming namespace and feature") {
  for (double bad : {kNaN, kInf, -kInf}) {
    EventBatch b = SampleBatch(2);
    b.events[1].features[0].features[1].value = bad;
    Status s = ValidateEventBatch(b);
    REQUIRE(s.code() == Status::Code::kInvalidArgument);
    REQUIRE(Mentions(s, "events[1].features['user']['country:FR'] must be finite"));
  }
}

TEST_CASE("a batch with more events than the limit is refused as resource exhausted") {
  ContentLimits limits;
  limits.max_events_per_batch = 4;
  REQUIRE(ValidateEventBatch(SampleBatch(4), limits).ok());
  Status s = ValidateEventBatch(SampleBatch(5), limits);
  REQUIRE(s.code() == Status::Code::kResourceExhausted);
  REQUIRE(Mentions(s, "more than the limit of 4"));
}

TEST_CASE("a predict request without candidates is refused") {
  PredictRequest r = SampleRequest();
  r.candidates.clear();
  Status s = ValidatePredictRequest(r);
  REQUIRE(s.code() == Status::Code::kInvalidArgument);
  REQUIRE(s.message() == "candidates must not be empty");
}

TEST_CASE("a predict request with more candidates than the limit is refused") {
  ContentLimits limits;
  limits.max_candidates = 2;
  Status s = ValidatePredictRequest(SampleRequest(), limits);
  REQUIRE(s.code() == Status::Code::kResourceExhausted);
}

TEST_CASE("a predict request without a user is refused") {
  PredictRequest r = SampleRequest();
  r.user.clear();
  REQUIRE(ValidatePredictRequest(r).message() == "user must not be empty");
}

TEST_CASE("a candidate without an item is refused naming its index") {
  PredictRequest r = SampleRequest();
  r.candidates[1].item.clear();
  REQUIRE(ValidatePredictRequest(r).message() == "candidates[1].item must not be empty");
}

TEST_CASE("non-finite context or candidate features in a predict request are refused") {
  PredictRequest r = SampleRequest();
  r.context[0].features[0].value = kNaN;
  REQUIRE(Mentions(ValidatePredictRequest(r), "context['ctx']['hour'] must be finite"));
  r = SampleRequest();
  r.candidates[2].features[0].features[1].value = kInf;
  REQUIRE(Mentions(ValidatePredictRequest(r), "candidates[2].features['item']['pop']"));
}

TEST_CASE("a predict reply with a non-finite or out-of-range score is refused") {
  PredictReply r = SampleReply();
  r.scores[1].probability = kNaN;
  REQUIRE(Mentions(ValidatePredictReply(r), "scores[1].probability must be finite"));
  r.scores[1].probability = 1.5;
  REQUIRE(Mentions(ValidatePredictReply(r), "scores[1].probability must be within [0, 1]"));
}

TEST_CASE("a predict reply with a non-finite or out-of-range propensity is refused") {
  PredictReply r = SampleReply();
  r.propensity = kInf;
  REQUIRE(Mentions(ValidatePredictReply(r), "propensity must be finite"));
  r.propensity = -0.1;
  REQUIRE(Mentions(ValidatePredictReply(r), "propensity must be within [0, 1]"));
}

TEST_CASE("an error reply must carry a known non-ok status code") {
  ErrorReply e = testing::SampleError();
  e.code = Status::Code::kOk;
  REQUIRE_FALSE(ValidateErrorReply(e).ok());
  e.code = static_cast<Status::Code>(77);
  REQUIRE(Mentions(ValidateErrorReply(e), "got 77"));
  e.code = Status::Code::kInternal;
  REQUIRE(ValidateErrorReply(e).ok());
}

TEST_CASE("an artifact with bad hashing bits, weights or histograms is refused") {
  ModelArtifact a = SampleArtifact();
  a.config.hashing.bits = 0;
  REQUIRE(Mentions(ValidateArtifact(a), "config.hashing.bits"));
  a = SampleArtifact();
  a.weights[3].weight = kNaN;
  REQUIRE(Mentions(ValidateArtifact(a), "weights[3].weight must be finite"));
  a = SampleArtifact();
  a.weights[4].index = a.weights[3].index;
  REQUIRE(Mentions(ValidateArtifact(a), "weights[4].index must be greater"));
  a = SampleArtifact();
  a.weights.back().index = 1u << 12;
  REQUIRE(Mentions(ValidateArtifact(a), "outside 2^12 buckets"));
  a = SampleArtifact();
  a.histograms[1].counts[2] = -1;
  REQUIRE(Mentions(ValidateArtifact(a), "histograms[1].counts[2] must not be negative"));
  a = SampleArtifact();
  a.config.l2 = kNaN;
  REQUIRE(Mentions(ValidateArtifact(a), "config.l2 must be finite"));
}

TEST_CASE("a feature without a name is refused naming its namespace and position") {
  Event e = SampleEvent();
  e.features[1].features[1].name.clear();
  REQUIRE(ValidateEvent(e).message() == "event.features['item'][1].name must not be empty");
}
