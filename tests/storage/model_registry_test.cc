// ModelRegistry behaviour, run against the in-memory twin and RocksDB alike.
#include "store_fixtures.h"

namespace driftline::storage::testing {
namespace {

using Versions = std::vector<std::string>;

TEMPLATE_TEST_CASE("registered versions are listed in registration order", "[storage][models]",
                   MemoryStore, RocksStore) {
  TestType fixture;
  ModelRegistry& models = fixture.store().models();
  CHECK(models.List().empty());
  REQUIRE_OK(models.Put("v10", "ten"));
  REQUIRE_OK(models.Put("v2", "two"));
  REQUIRE_OK(models.Put("a", std::string("\0artifact", 9)));
  CHECK(models.List() == Versions{"v10", "v2", "a"});
  Result<std::string> artifact = models.Get("a");
  REQUIRE_OK(artifact);
  CHECK(*artifact == std::string("\0artifact", 9));
  CHECK(models.Get("nope").status().code() == Status::Code::kNotFound);
}

TEMPLATE_TEST_CASE("re-registering a version is idempotent but never overwrites", "[storage][models]",
                   MemoryStore, RocksStore) {
  TestType fixture;
  ModelRegistry& models = fixture.store().models();
  REQUIRE_OK(models.Put("v1", "bytes"));
  REQUIRE_OK(models.Put("v1", "bytes"));
  CHECK(models.Put("v1", "other bytes").code() == Status::Code::kFailedPrecondition);
  CHECK(*models.Get("v1") == "bytes");
  CHECK(models.List() == Versions{"v1"});
}

TEMPLATE_TEST_CASE("bad version names are refused", "[storage][models]", MemoryStore, RocksStore) {
  TestType fixture;
  ModelRegistry& models = fixture.store().models();
  CHECK(models.Put("", "x").code() == Status::Code::kInvalidArgument);
  CHECK(models.Put(std::string(kMaxVersionLength + 1, 'v'), "x").code() == Status::Code::kInvalidArgument);
  REQUIRE_OK(models.Put(std::string(kMaxVersionLength, 'v'), "x"));
  CHECK(models.List().size() == 1);
}

TEMPLATE_TEST_CASE("only registered versions can be activated", "[storage][models]", MemoryStore,
                   RocksStore) {
  TestType fixture;
  ModelRegistry& models = fixture.store().models();
  CHECK(models.Active().status().code() == Status::Code::kNotFound);
  CHECK(models.Activate("ghost").code() == Status::Code::kNotFound);
  CHECK(models.Active().status().code() == Status::Code::kNotFound);
  REQUIRE_OK(models.Put("v1", "one"));
  REQUIRE_OK(models.Activate("v1"));
  CHECK(*models.Active() == "v1");
}

TEMPLATE_TEST_CASE("rollback re-activates earlier versions, repeatedly", "[storage][models]", MemoryStore,
                   RocksStore) {
  TestType fixture;
  ModelRegistry& models = fixture.store().models();
  for (const char* v : {"a", "b", "c"}) REQUIRE_OK(models.Put(v, std::string("artifact ") + v));
  CHECK(models.Rollback().status().code() == Status::Code::kFailedPrecondition);
  REQUIRE_OK(models.Activate("a"));
  CHECK(models.Rollback().status().code() == Status::Code::kFailedPrecondition);
  REQUIRE_OK(models.Activate("b"));
  REQUIRE_OK(models.Activate("b"));  // already active: no new history entry
  REQUIRE_OK(models.Activate("c"));

  Result<std::string> back = models.Rollback();
  REQUIRE_OK(back);
  CHECK(*back == "b");
  CHECK(*models.Active() == "b");
  back = models.Rollback();
  REQUIRE_OK(back);
  CHECK(*back == "a");
  CHECK(models.Rollback().status().code() == Status::Code::kFailedPrecondition);
  CHECK(*models.Active() == "a");

  REQUIRE_OK(models.Activate("c"));
  CHECK(*models.Rollback() == "a");
}

}  // namespace
}  // namespace driftline::storage::testing
