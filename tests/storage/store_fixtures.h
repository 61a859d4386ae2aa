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
#include "storage/rocks_node_store.h"

namespace driftline::storage::testing {

inline Status AsStatus(const Status& s) { return s; }
template <class T>
Status AsStatus(const Result<T>& r) {
  return r.status();
}

// Fails the test with the status message unless `expr` (a Status or Result) is ok.
#define REQUIRE_OK(expr)                                                   \
  do {                                                                     \
    ::driftline::Status _st = ::driftline::storage::testing::AsStatus(expr); \
    INFO(_st.ToString());                                                  \
    REQUIRE(_st.ok());                                                     \
  } while (0)

// A fresh directory under /tmp (mkdtemp), removed with everything in it.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "driftline-storage-XXXXXX").string();
    std::vector<char> buffer(pattern.begin(), pattern.end());
    buffer.push_back('\0');
    REQUIRE(mkdtemp(buffer.data()) != nullptr);
    path_ = buffer.data();
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  std::string Sub(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

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
