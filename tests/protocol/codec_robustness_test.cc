// Every decoder, fed hostile bytes, returns a value or an error and never
// crashes, throws or reads out of bounds (this file runs under ASan + UBSan
// in CI: cmake -DDRIFTLINE_SANITIZE=ON).
#include <catch2/catch.hpp>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "protocol/codec.h"
#include "sample_messages.h"
#include "wire_bytes.h"

using namespace driftline;
using namespace driftline::testing;

namespace {

// Small limits keep the worst case cheap and exercise the limit paths.
DecodeLimits TestLimits() {
  DecodeLimits limits;
  limits.max_bytes = 1 << 16;
  limits.traversal_limit_words = 1 << 14;
  limits.content.max_events_per_batch = 100;
  limits.content.max_candidates = 100;
  return limits;
}

// Runs every decoder on `bytes`; each must give a value or a non-ok status
// with a message. Returns how many decoders accepted the bytes.
int DecodeWithEverything(const std::string& bytes) {
  const DecodeLimits limits = TestLimits();
  int accepted = 0;
  auto check = [&](const Status& s) {
    if (s.ok()) {
      ++accepted;
    } else {
      REQUIRE_FALSE(s.message().empty());
    }
  };
  check(DecodeFrame(bytes, limits).status());
  check(DecodeArtifact(bytes, limits).status());
  check(DecodeCheckpoint(bytes, limits).status());
  check(DecodePartitionInput(bytes, limits).status());
  return accepted;
}

std::vector<std::string> ValidInputs() {
  std::vector<std::string> inputs = SampleFrames();
  inputs.push_back(EncodeArtifact(SampleArtifact()));
  inputs.push_back(EncodeCheckpoint(SampleSnapshot()));
  for (const PartitionInput& input : SamplePartitionInputs()) {
    inputs.push_back(EncodePartitionInput(input));
  }
  return inputs;
}

// A random string whose first 8 bytes often look like a plausible
// single-segment table, so the reader gets past the header.
std::string RandomBytes(std::mt19937_64& rng) {
  const size_t words = rng() % 64;
  const size_t extra = rng() % 4 == 0 ? rng() % 8 : 0;
  std::string bytes(words * 8 + extra, '\0');
  for (char& c : bytes) c = static_cast<char>(rng());
  if (bytes.size() >= 8 && rng() % 2 == 0) {
    const uint32_t size = static_cast<uint32_t>(words - 1);
    for (int i = 0; i < 4; ++i) bytes[i] = 0;
    for (int i = 0; i < 4; ++i) bytes[4 + i] = static_cast<char>(size >> (8 * i));
  }
  return bytes;
}

}  // namespace

TEST_CASE("decoders survive thousands of seeded random byte strings") {
  std::mt19937_64 rng(20261127);
  for (int i = 0; i < 5000; ++i) DecodeWithEverything(RandomBytes(rng));
}

TEST_CASE("decoders refuse or accept every truncation of valid encodings without crashing") {
  for (const std::string& valid : ValidInputs()) {
    REQUIRE(DecodeWithEverything(valid) >= 1);
    for (size_t len = 0; len < valid.size(); ++len) {
      DecodeWithEverything(valid.substr(0, len));
    }
  }
}

TEST_CASE("decoders survive every single-bit flip of valid encodings") {
  for (const std::string& valid : ValidInputs()) {
    for (size_t bit = 0; bit < valid.size() * 8; ++bit) {
      std::string flipped = valid;
      flipped[bit / 8] = static_cast<char>(flipped[bit / 8] ^ (1 << (bit % 8)));
      DecodeWithEverything(flipped);
    }
  }
}

TEST_CASE("decoders survive seeded multi-bit flips and word overwrites of valid encodings") {
  std::mt19937_64 rng(7);
  for (const std::string& valid : ValidInputs()) {
    for (int round = 0; round < 400; ++round) {
      std::string mutated = valid;
      const int flips = 2 + static_cast<int>(rng() % 8);
      for (int f = 0; f < flips; ++f) {
        const size_t bit = rng() % (mutated.size() * 8);
        mutated[bit / 8] = static_cast<char>(mutated[bit / 8] ^ (1 << (bit % 8)));
      }
      if (round % 4 == 0) {  // overwrite a whole word: forges pointers and sizes
        const size_t word = rng() % (mutated.size() / 8);
        for (int i = 0; i < 8; ++i) mutated[word * 8 + i] = static_cast<char>(rng());
      }
      DecodeWithEverything(mutated);
    }
  }
}

TEST_CASE("an artifact with any single bit flipped never decodes to a different artifact") {
  const std::string valid = EncodeArtifact(SampleArtifact());
  const ModelArtifact original = *DecodeArtifact(valid);
  for (size_t bit = 0; bit < valid.size() * 8; ++bit) {
    std::string flipped = valid;
    flipped[bit / 8] = static_cast<char>(flipped[bit / 8] ^ (1 << (bit % 8)));
    Result<ModelArtifact> decoded = DecodeArtifact(flipped);
    if (decoded.ok()) REQUIRE(*decoded == original);
  }
}

TEST_CASE("a 56-byte frame claiming 2^28 events is refused without allocating for them") {
  // Segment table, then: root -> Frame{version 1, which eventBatch} ->
  // EventBatch -> events: an inline-composite list whose tag claims 2^28
  // zero-sized elements. Cap'n Proto charges one traversal word per element.
  std::string bytes(8 * 7, '\0');
  PutWord(bytes, 0, 0, 6);                // one segment of 6 words
  PutWord(bytes, 1, 0, 1 | (1u << 16));   // root struct ptr: 1 data word, 1 pointer
  PutWord(bytes, 2, 1 | (2u << 16), 0);   // Frame data: version 1, body = eventBatch
  PutWord(bytes, 3, 0, 1 | (1u << 16));   // -> EventBatch: 1 data word, 1 pointer
  PutWord(bytes, 4, 0, 0);                // batchId 0
  PutWord(bytes, 5, 1, 7);                // events: list, inline composite, 0 words
  PutWord(bytes, 6, (1u << 28) << 2, 0);  // tag: 2^28 elements of 0 data, 0 pointers
  for (const DecodeLimits& limits : {DecodeLimits{}, TestLimits()}) {
    Result<Message> m = DecodeFrame(bytes, limits);
    INFO(m.status().ToString());
    REQUIRE(m.status().code() == Status::Code::kCorruption);
  }
}

namespace {

// A checkpoint of 15 words whose replay list claims `count` zero-sized
// examples: root -> PartitionCheckpoint{5 data words, 7 pointers}, replay is
// pointer 6, an inline-composite list with a tag and no element bytes.
std::string CheckpointClaimingEmptyExamples(uint32_t count) {
  std::string bytes(8 * 15, '\0');
  PutWord(bytes, 0, 0, 14);                // one segment of 14 words
  PutWord(bytes, 1, 0, 5 | (7u << 16));    // root struct ptr: 5 data words, 7 pointers
  PutWord(bytes, 2, 1, 0);                 // formatVersion 1
  PutWord(bytes, 13, 1, 7);                // replay: list right after, inline composite
  PutWord(bytes, 14, count << 2, 0);       // tag: `count` elements of 0 words
  return bytes;
}

// An event-log record of 13 words holding an arm update whose features list
// claims `count` zero-sized namespaces: root -> EventLogRecord{1 data word,
// 2 pointers, input = armUpdate} -> ArmUpdate{3 data words, 4 pointers},
// features is pointer 3.
std::string RecordClaimingEmptyNamespaces(uint32_t count) {
  std::string bytes(8 * 13, '\0');
  PutWord(bytes, 0, 0, 12);                // one segment of 12 words
  PutWord(bytes, 1, 0, 1 | (2u << 16));    // root struct ptr: 1 data word, 2 pointers
  PutWord(bytes, 2, 2 | (3u << 16), 0);    // formatVersion 2, input = armUpdate (3)
  PutWord(bytes, 4, 0, 3 | (4u << 16));    // pointer 1 -> ArmUpdate right after
  PutWord(bytes, 11, 1, 7);                // features: list right after, inline composite
  PutWord(bytes, 12, count << 2, 0);       // tag: `count` elements of 0 words
  return bytes;
}

}  // namespace

TEST_CASE("a tiny checkpoint claiming 100000 empty replay examples is refused, not materialised") {
  Result<PartitionSnapshot> few = DecodeCheckpoint(CheckpointClaimingEmptyExamples(3));
  INFO(few.status().ToString());
  REQUIRE(few.ok());
  REQUIRE(few->replay.size() == 3);
  Result<PartitionSnapshot> many = DecodeCheckpoint(CheckpointClaimingEmptyExamples(100000));
  REQUIRE(many.status().code() == Status::Code::kCorruption);
  DecodeLimits uncapped = StoredDataLimits();
  uncapped.traversal_words_per_input_word = 0;
  REQUIRE(DecodeCheckpoint(CheckpointClaimingEmptyExamples(100000), uncapped).ok());
}

TEST_CASE("a tiny event-log record claiming 100000 empty namespaces is refused, not materialised") {
  Result<PartitionInput> few = DecodePartitionInput(RecordClaimingEmptyNamespaces(3));
  INFO(few.status().ToString());
  REQUIRE(few.ok());
  REQUIRE(std::get<ArmUpdateInput>(*few).features.size() == 3);
  Result<PartitionInput> many = DecodePartitionInput(RecordClaimingEmptyNamespaces(100000));
  REQUIRE(many.status().code() == Status::Code::kCorruption);
  DecodeLimits uncapped = StoredDataLimits();
  uncapped.traversal_words_per_input_word = 0;
  REQUIRE(DecodePartitionInput(RecordClaimingEmptyNamespaces(100000), uncapped).ok());
}
