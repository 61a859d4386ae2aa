// FaultyNodeStore, the storage fault-injecting twin, over the in-memory twin
// and over RocksDB: while failing it refuses every write and changes nothing;
// after Heal() the same writes succeed where they would have.
#include "storage/faulty_node_store.h"
#include "store_fixtures.h"

namespace driftline::storage::testing {
namespace {

struct MemoryInner {
  std::unique_ptr<NodeStore> Make() { return std::make_unique<MemoryNodeStore>(); }
};

struct RocksInner {
  std::unique_ptr<NodeStore> Make() {
    auto opened = RocksNodeStore::Open(dir.Sub("db"), StorageOptions());
    REQUIRE_OK(opened);
    return std::move(*opened);
  }
  TempDir dir;
};

bool IsInjectedNoSpace(const Status& s) {
  return s.code() == Status::Code::kResourceExhausted && s.message().find("no space left") != std::string::npos;
}

TEMPLATE_TEST_CASE("a failing store refuses every write with the injected error, changes nothing, and "
                   "takes the same writes after Heal",
                   "[storage][faults]", MemoryInner, RocksInner) {
  TestType factory;
  FaultyNodeStore store(factory.Make());
  REQUIRE_OK(store.events().Append(3, {"a", "b"}));
  REQUIRE_OK(store.checkpoints().Put(3, 2, "state at 2"));
  REQUIRE_OK(store.meta().Put("k", "v1"));
  REQUIRE_OK(store.models().Put("m1", "artifact 1"));
  REQUIRE_OK(store.models().Activate("m1"));

  store.FailWrites(FaultyNodeStore::NoSpaceError());
  CHECK(IsInjectedNoSpace(store.events().Append(3, {"c"}).status()));
  CHECK(IsInjectedNoSpace(store.events().TruncateThrough(3, 1)));
  CHECK(IsInjectedNoSpace(store.events().Sync()));
  CHECK(IsInjectedNoSpace(store.checkpoints().Put(3, 2, "other state")));
  CHECK(IsInjectedNoSpace(store.meta().Put("k", "v2")));
  CHECK(IsInjectedNoSpace(store.models().Put("m2", "artifact 2")));
  CHECK(IsInjectedNoSpace(store.models().Activate("m1")));
  CHECK(IsInjectedNoSpace(store.models().Rollback().status()));

  // Nothing changed, as seen through the wrapper and in the inner store.
  for (NodeStore* view : {static_cast<NodeStore*>(&store), &store.inner()}) {
    CHECK(view->events().LastSequence(3) == 2);
    auto records = view->events().Read(3, 1, 10);
    REQUIRE_OK(records);
    REQUIRE(records->size() == 2);
    CHECK((*records)[1].bytes == "b");
    auto latest = view->checkpoints().Latest(3);
    REQUIRE_OK(latest);
    CHECK(latest->bytes == "state at 2");
    CHECK(*view->meta().Get("k") == "v1");
    CHECK(view->models().List() == std::vector<std::string>{"m1"});
    CHECK(*view->models().Active() == "m1");
  }
  StorageCounters during = store.counters();
  CHECK(during.write_errors == 8);
  CHECK(during.no_space_errors == 8);
  CHECK(during.resumes == 0);

  store.Heal();
  auto range = store.events().Append(3, {"c"});
  REQUIRE_OK(range);
  CHECK(range->first == 3);  // no sequence was used by the refused append
  REQUIRE_OK(store.meta().Put("k", "v2"));
  CHECK(*store.inner().meta().Get("k") == "v2");
  CHECK(store.counters().resumes == 1);
}

TEST_CASE("a failing store passes any injected error through unchanged", "[storage][faults]") {
  FaultyNodeStore store(std::make_unique<MemoryNodeStore>());
  store.FailWrites(Status::IoError("disk on fire"));
  Status refused = store.events().Append(0, {"x"}).status();
  CHECK(refused.code() == Status::Code::kIoError);
  CHECK(refused.message() == "disk on fire");
  CHECK(store.counters().write_errors == 1);
  CHECK(store.counters().no_space_errors == 0);
}

}  // namespace
}  // namespace driftline::storage::testing
