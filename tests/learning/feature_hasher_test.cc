#include "learning/feature_hasher.h"
#include "learning/model_input.h"
#include "learning/online_step.h"

#include <catch2/catch.hpp>

using namespace driftline;

namespace {
FeatureSet UserItem() {
  return {{"user", {{"id=7", 1.0}, {"age=30s", 1.0}}}, {"item", {{"id=7", 1.0}, {"price", 2.5}}}};
}
}  // namespace

TEST_CASE("the bias is always the first feature and every index fits the bucket count") {
  HashingConfig config;
  config.bits = 10;
  SparseFeatures x = HashFeatures(UserItem(), config);
  REQUIRE(x.size() == 5);
  REQUIRE(x[0].index == BiasIndex(10));
  REQUIRE(x[0].value == 1.0);
  for (const auto& f : x) REQUIRE(f.index < 1024u);
  REQUIRE(x[4].value == 2.5);
}

TEST_CASE("the same feature name in two namespaces hashes to different buckets") {
  HashingConfig config;
  config.bits = 24;
  SparseFeatures x = HashFeatures(UserItem(), config);
  REQUIRE(x[1].index != x[3].index);  // user id=7 vs item id=7
}

TEST_CASE("a cross adds one feature per pair with the product of the values") {
  HashingConfig config;
  config.bits = 20;
  config.crosses = {{"user", "item"}};
  SparseFeatures x = HashFeatures(UserItem(), config);
  REQUIRE(x.size() == 5 + 4);
  REQUIRE(x.back().value == 2.5);  // age=30s x price
  SECTION("a cross of a missing namespace adds nothing") {
    config.crosses = {{"user", "context"}};
    REQUIRE(HashFeatures(UserItem(), config).size() == 5);
  }
}

TEST_CASE("hashing is deterministic and drops zero-valued features") {
  HashingConfig config;
  FeatureSet fs = UserItem();
  fs[1].features.push_back({"discount", 0.0});
  SparseFeatures a = HashFeatures(fs, config), b = HashFeatures(fs, config);
  REQUIRE(a.size() == 5);
  for (size_t i = 0; i < a.size(); ++i) REQUIRE(a[i].index == b[i].index);
}

TEST_CASE("delta features equal hashing the model input without crosses") {
  OnlineOptions options;
  options.delta_bits = 16;
  HashingConfig config;
  config.bits = 16;
  for (const auto& [user, item] : std::vector<std::pair<std::string, std::string>>{
           {"u1", "i9"}, {"", "i9"}, {"u1", ""}, {"", ""}}) {
    FeatureSet fs = UserItem();
    fs.push_back({"ctx", {{"hour=9", 1.0}, {"zero", 0.0}}});
    SparseFeatures fast = DeltaFeatures(user, item, fs, options);
    SparseFeatures slow = HashFeatures(ModelInput(user, item, fs), config);
    REQUIRE(fast.size() == slow.size());
    for (size_t i = 0; i < fast.size(); ++i) {
      REQUIRE(fast[i].index == slow[i].index);
      REQUIRE(fast[i].value == slow[i].value);
    }
  }
}
