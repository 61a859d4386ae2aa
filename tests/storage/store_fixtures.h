// Test fixtures shared by the storage tests: a temporary directory and two
// store factories, so that one suite of behaviour tests runs against the
// in-memory twin and the RocksDB implementation alike
// (TEMPLATE_TEST_CASE(..., MemoryStore, RocksStore)).
#pragma once

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "storage/memory_node_store.h"
#include "tests/support/require_ok.h"
#include "storage/rocks_node_store.h"
#include "tests/support/temp_dir.h"

namespace driftline::storage::testing {


using driftline::testing::TempDir;

struct MemoryStore {
  NodeStore& store() { return store_; }
  MemoryNodeStore store_;
};

struct RocksStore {
  RocksStore() { Reopen(); }
  NodeStore& store() { return *store_; }
  // Closes the store and opens the same directory again.
  void Reopen(StorageOptions options = StorageOptions()) {
    store_.reset();
    Result<std::unique_ptr<RocksNodeStore>> opened = RocksNodeStore::Open(dir.Sub("db"), options);
    REQUIRE_OK(opened);
    store_ = std::move(*opened);
  }

  TempDir dir;
  std::unique_ptr<RocksNodeStore> store_;
};

}  // namespace driftline::storage::testing
