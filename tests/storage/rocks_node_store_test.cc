// RocksNodeStore only: persistence across reopen and refusal of bad places to
// open. The behaviour shared with the in-memory twin is tested elsewhere.
#include <rocksdb/db.h>

#include <fstream>

#include "store_fixtures.h"
#include "storage/keys.h"

namespace driftline::storage::testing {
namespace {

TEST_CASE("everything a node stored survives reopening", "[storage][rocks]") {
  RocksStore fixture;
  NodeStore* store = &fixture.store();
  REQUIRE_OK(store->events().Append(0, {"a", "b", "c"}));
  REQUIRE_OK(store->events().Append(9, {"x"}));
  REQUIRE_OK(store->events().TruncateThrough(0, 1));
  REQUIRE_OK(store->checkpoints().Put(0, 1, "cp1"));
  REQUIRE_OK(store->checkpoints().Put(0, 2, "cp2"));
  for (const char* v : {"m1", "m2", "m3"}) REQUIRE_OK(store->models().Put(v, std::string("art-") + v));
  for (const char* v : {"m1", "m2", "m3"}) REQUIRE_OK(store->models().Activate(v));
  REQUIRE_OK(store->meta().Put("partition_count", "64"));

  fixture.Reopen();
  store = &fixture.store();
  CHECK(store->events().LastSequence(0) == 3);
  CHECK(store->events().LastSequence(9) == 1);
  CHECK(store->events().Read(0, 1, 10).status().code() == Status::Code::kFailedPrecondition);
  Result<std::vector<LogRecord>> rest = store->events().Read(0, 2, 10);
  REQUIRE_OK(rest);
  REQUIRE(rest->size() == 2);
  CHECK((*rest)[0].bytes == "b");
  CHECK((*rest)[1].bytes == "c");
  Result<SequenceRange> next = store->events().Append(0, {"d"});
  REQUIRE_OK(next);
  CHECK(next->first == 4);
  CHECK(store->checkpoints().Latest(0)->bytes == "cp2");
  CHECK(store->checkpoints().Previous(0)->bytes == "cp1");
  CHECK(store->models().List() == std::vector<std::string>{"m1", "m2", "m3"});
  CHECK(*store->models().Active() == "m3");
  CHECK(*store->models().Rollback() == "m2");
  CHECK(*store->meta().Get("partition_count") == "64");

  fixture.Reopen();  // the rollback itself is durable, and rollback continues
  CHECK(*fixture.store().models().Active() == "m2");
  CHECK(*fixture.store().models().Rollback() == "m1");
  CHECK(*fixture.store().models().Get("m3") == "art-m3");
}

TEST_CASE("the last sequence survives reopening after the whole log was truncated", "[storage][rocks]") {
  RocksStore fixture;
  REQUIRE_OK(fixture.store().events().Append(4, {"1", "2", "3", "4", "5"}));
  REQUIRE_OK(fixture.store().events().TruncateThrough(4, 5));
  fixture.Reopen();
  CHECK(fixture.store().events().LastSequence(4) == 5);
  Result<SequenceRange> next = fixture.store().events().Append(4, {"6"});
  REQUIRE_OK(next);
  CHECK(next->first == 6);
}

TEST_CASE("the synced mode reads back what it wrote", "[storage][rocks]") {
  RocksStore fixture;
  StorageOptions synced;
  synced.sync = true;
  fixture.Reopen(synced);
  REQUIRE_OK(fixture.store().events().Append(0, {"durable"}));
  fixture.Reopen(synced);
  CHECK((*fixture.store().events().Read(0, 1, 1))[0].bytes == "durable");
}

TEST_CASE("opening a path that is a file fails with IoError", "[storage][rocks]") {
  TempDir dir;
  std::ofstream(dir.Sub("file")) << "not a database";
  Result<std::unique_ptr<RocksNodeStore>> opened = RocksNodeStore::Open(dir.Sub("file"), StorageOptions());
  INFO(opened.status().ToString());
  CHECK(opened.status().code() == Status::Code::kIoError);
  CHECK(RocksNodeStore::Open("", StorageOptions()).status().code() == Status::Code::kInvalidArgument);
}

TEST_CASE("a directory already opened by a store cannot be opened again", "[storage][rocks]") {
  RocksStore fixture;
  Result<std::unique_ptr<RocksNodeStore>> second = RocksNodeStore::Open(fixture.dir.Sub("db"), StorageOptions());
  INFO(second.status().ToString());
  CHECK(second.status().code() == Status::Code::kIoError);
}

TEST_CASE("create_if_missing and error_if_exists are honoured", "[storage][rocks]") {
  TempDir dir;
  StorageOptions no_create;
  no_create.create_if_missing = false;
  CHECK(RocksNodeStore::Open(dir.Sub("db"), no_create).status().code() == Status::Code::kNotFound);
  REQUIRE_OK(RocksNodeStore::Open(dir.Sub("db"), StorageOptions()));
  REQUIRE_OK(RocksNodeStore::Open(dir.Sub("db"), no_create));
  StorageOptions exclusive;
  exclusive.error_if_exists = true;
  CHECK(RocksNodeStore::Open(dir.Sub("db"), exclusive).status().code() == Status::Code::kFailedPrecondition);
}

// Writes directly with RocksDB: `extra_family` is created, and when
// `format_version` is not empty it is stored as the format version.
void PrepareWithRocks(const std::string& path, const std::string& extra_family, const std::string& format_version) {
  rocksdb::Options options;
  options.create_if_missing = true;
  rocksdb::DB* raw = nullptr;
  REQUIRE(rocksdb::DB::Open(options, path, &raw).ok());
  std::unique_ptr<rocksdb::DB> db(raw);
  rocksdb::ColumnFamilyHandle* extra = nullptr;
  REQUIRE(db->CreateColumnFamily(rocksdb::ColumnFamilyOptions(), extra_family, &extra).ok());
  rocksdb::ColumnFamilyHandle* meta = nullptr;
  REQUIRE(db->CreateColumnFamily(rocksdb::ColumnFamilyOptions(), keys::kMetaFamily, &meta).ok());
  if (!format_version.empty()) {
    REQUIRE(db->Put(rocksdb::WriteOptions(), meta, keys::FormatVersionKey(), format_version).ok());
  }
  REQUIRE(db->DestroyColumnFamilyHandle(extra).ok());
  REQUIRE(db->DestroyColumnFamilyHandle(meta).ok());
  REQUIRE(db->Close().ok());
}

TEST_CASE("existing column families are opened and missing ones created", "[storage][rocks]") {
  TempDir dir;
  PrepareWithRocks(dir.Sub("db"), "from_the_future", "");
  {
    Result<std::unique_ptr<RocksNodeStore>> opened = RocksNodeStore::Open(dir.Sub("db"), StorageOptions());
    REQUIRE_OK(opened);
    REQUIRE_OK((*opened)->events().Append(0, {"e"}));
  }
  std::vector<std::string> families;
  REQUIRE(rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), dir.Sub("db"), &families).ok());
  std::sort(families.begin(), families.end());
  CHECK(families == std::vector<std::string>{"checkpoints", "default", "events", "from_the_future", "meta", "models"});
}

TEST_CASE("a store with an unknown format version is refused", "[storage][rocks]") {
  TempDir dir;
  PrepareWithRocks(dir.Sub("db"), "other", "99");
  Result<std::unique_ptr<RocksNodeStore>> opened = RocksNodeStore::Open(dir.Sub("db"), StorageOptions());
  INFO(opened.status().ToString());
  CHECK(opened.status().code() == Status::Code::kFailedPrecondition);
}

}  // namespace
}  // namespace driftline::storage::testing
