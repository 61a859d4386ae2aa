// Validation rules of the administration messages (protocol/validate.h).
#include <catch2/catch.hpp>
#include <string>

#include "protocol/validate.h"
#include "sample_messages.h"

using namespace driftline;
using namespace driftline::testing;

TEST_CASE("the sample administration messages are valid") {
  REQUIRE(ValidateModelRegisterRequest(SampleRegister()).ok());
  REQUIRE(ValidateModelActivateRequest(SampleActivate()).ok());
  REQUIRE(ValidateStatusReply(SampleStatusReply()).ok());
  REQUIRE(ValidateStatusReply(StatusReply{}).ok());
  REQUIRE(ValidateStallPartitionRequest(SampleStall()).ok());
  REQUIRE(ValidateStallPartitionRequest(StallPartitionRequest{}).ok());
}

TEST_CASE("a register request needs a non-empty artifact within the size limit") {
  Status empty = ValidateModelRegisterRequest(ModelRegisterRequest{1, ""});
  REQUIRE(empty.code() == Status::Code::kInvalidArgument);
  REQUIRE(empty.message() == "artifact must not be empty");
  ContentLimits limits;
  limits.max_artifact_bytes = 8;
  REQUIRE(ValidateModelRegisterRequest(ModelRegisterRequest{1, std::string(8, 'x')}, limits).ok());
  Status big = ValidateModelRegisterRequest(ModelRegisterRequest{1, std::string(9, 'x')}, limits);
  REQUIRE(big.code() == Status::Code::kResourceExhausted);
  REQUIRE(big.message() == "artifact of 9 bytes exceeds the limit of 8 bytes");
}

TEST_CASE("the default artifact size limit is 64 MiB") {
  REQUIRE(ContentLimits{}.max_artifact_bytes == size_t{64} << 20);
}

TEST_CASE("an activate request needs a version of 1 to kMaxModelVersionBytes bytes") {
  REQUIRE(ValidateModelActivateRequest(ModelActivateRequest{1, ""}).message() ==
          "version must not be empty");
  REQUIRE(ValidateModelActivateRequest(ModelActivateRequest{1, std::string(256, 'v')}).ok());
  Status s = ValidateModelActivateRequest(ModelActivateRequest{1, std::string(257, 'v')});
  REQUIRE(s.code() == Status::Code::kInvalidArgument);
  REQUIRE(s.message() == "version of 257 bytes is longer than the limit of 256 bytes");
}

TEST_CASE("a stall may last at most kMaxStallMs") {
  REQUIRE(kMaxStallMs == 60000);
  REQUIRE(ValidateStallPartitionRequest(StallPartitionRequest{1, 2, 60000}).ok());
  Status s = ValidateStallPartitionRequest(StallPartitionRequest{1, 2, 60001});
  REQUIRE(s.code() == Status::Code::kInvalidArgument);
  REQUIRE(s.message() == "duration_ms must be at most 60000, got 60001");
}

TEST_CASE("a status reply counter without a name is refused naming its index") {
  StatusReply r = SampleStatusReply();
  r.counters[2].name.clear();
  Status s = ValidateStatusReply(r);
  REQUIRE(s.code() == Status::Code::kInvalidArgument);
  REQUIRE(s.message() == "counters[2].name must not be empty");
}
