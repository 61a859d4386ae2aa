// Watches against a real etcd: order, prompt cancellation, resumption after
// etcd restarts, compaction.
#include <catch2/catch.hpp>
#include <mutex>
#include <set>

#include "cluster/etcd_client.h"
#include "tests/etcd/etcd_process.h"
#include "tests/support/require_ok.h"
#include "tests/support/temp_dir.h"

namespace driftline {
namespace {

using testing::Eventually;
using testing::TempDir;

// Collects what a watch delivers.
struct Collected {
  std::mutex mu;
  std::vector<WatchEvent> events;
  std::vector<Status> errors;

  EtcdClient::EventsCallback OnEvents() {
    return [this](const std::vector<WatchEvent>& e, int64_t) {
      std::lock_guard<std::mutex> lock(mu);
      events.insert(events.end(), e.begin(), e.end());
    };
  }
  EtcdClient::ErrorCallback OnError() {
    return [this](const Status& s) {
      std::lock_guard<std::mutex> lock(mu);
      errors.push_back(s);
    };
  }
  size_t count() {
    std::lock_guard<std::mutex> lock(mu);
    return events.size();
  }
};

TEST_CASE("a watch delivers puts and deletes in revision order from its start revision") {
  TempDir tmp;
  START_ETCD(etcd, tmp);
  auto client = etcd.Client();
  auto first = client->Put("w/a", "1");
  REQUIRE_OK(first);
  REQUIRE_OK(client->Put("other", "not watched"));
  REQUIRE_OK(client->Put("w/b", "2"));

  Collected got;
  WatchOptions options;
  options.prefix = true;
  options.start_revision = *first;
  auto watch = client->Watch("w/", options, got.OnEvents(), got.OnError());
  REQUIRE_OK(watch);
  REQUIRE_OK(client->Put("w/a", "3"));
  auto del = client->Delete("w/b");
  REQUIRE_OK(del);
  REQUIRE(Eventually([&] { return got.count() >= 4; }, std::chrono::seconds(20)));
  (*watch)->Cancel();

  std::lock_guard<std::mutex> lock(got.mu);
  REQUIRE(got.events.size() == 4);
  CHECK(got.events[0].kv.key == "w/a");
  CHECK(got.events[0].kv.value == "1");
  CHECK(got.events[1].kv.key == "w/b");
  CHECK(got.events[2].kv.value == "3");
  CHECK(got.events[2].type == WatchEvent::Type::kPut);
  CHECK(got.events[3].type == WatchEvent::Type::kDelete);
  CHECK(got.events[3].kv.key == "w/b");
  for (size_t i = 1; i < got.events.size(); ++i) {
    CHECK(got.events[i].kv.mod_revision > got.events[i - 1].kv.mod_revision);
  }
  CHECK(got.errors.empty());
}

TEST_CASE("cancelling a watch returns promptly and stops its callbacks") {
  TempDir tmp;
  START_ETCD(etcd, tmp);
  auto client = etcd.Client();
  Collected got;
  auto watch = client->Watch("idle", WatchOptions{}, got.OnEvents(), got.OnError());
  REQUIRE_OK(watch);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the stream is open and idle
  auto start = std::chrono::steady_clock::now();
  (*watch)->Cancel();
  auto took = std::chrono::steady_clock::now() - start;
  CHECK(took < std::chrono::seconds(5));  // ~100 ms by design; generous for a loaded host
  REQUIRE_OK(client->Put("idle", "after cancel"));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  CHECK(got.count() == 0);
}

TEST_CASE("a watch resumes after etcd is killed and restarted without missing a revision") {
  TempDir tmp;
  START_ETCD(etcd, tmp);
  auto client = etcd.Client();
  auto start = client->Put("seed", "x");
  REQUIRE_OK(start);
  Collected got;
  WatchOptions options;
  options.prefix = true;
  options.start_revision = *start + 1;
  options.retry_interval = std::chrono::milliseconds(100);
  auto watch = client->Watch("r/", options, got.OnEvents(), got.OnError());
  REQUIRE_OK(watch);

  std::set<int64_t> written;
  for (int i = 0; i < 10; ++i) {
    auto rev = client->Put("r/" + std::to_string(i), std::to_string(i));
    REQUIRE_OK(rev);
    written.insert(*rev);
  }
  REQUIRE_OK(etcd.Kill());
  // While etcd is down the watch keeps trying (and says so).
  REQUIRE(Eventually(
      [&] {
        std::lock_guard<std::mutex> lock(got.mu);
        return !got.errors.empty();
      },
      std::chrono::seconds(20)));
  REQUIRE_OK(etcd.Restart());
  for (int i = 10; i < 20; ++i) {
    auto rev = client->Put("r/" + std::to_string(i), std::to_string(i));
    REQUIRE_OK(rev);
    written.insert(*rev);
  }
  REQUIRE(Eventually([&] { return got.count() >= 20; }, std::chrono::seconds(30)));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // nothing extra arrives
  (*watch)->Cancel();

  std::lock_guard<std::mutex> lock(got.mu);
  std::vector<int64_t> seen;
  for (const auto& e : got.events) seen.push_back(e.kv.mod_revision);
  CHECK(seen == std::vector<int64_t>(written.begin(), written.end()));  // each once, in order
  for (size_t i = 0; i < got.events.size(); ++i) {
    CHECK(got.events[i].kv.key == "r/" + std::to_string(i));
  }
  for (const Status& s : got.errors) CHECK(s.code() == Status::Code::kUnavailable);
}

TEST_CASE("a watch that cannot resume past a compaction ends with an error saying so") {
  TempDir tmp;
  START_ETCD(etcd, tmp);
  auto client = etcd.Client();
  auto first = client->Put("c", "1");
  REQUIRE_OK(first);
  auto second = client->Put("c", "2");
  REQUIRE_OK(second);
  REQUIRE_OK(client->Compact(*second));
  Collected got;
  WatchOptions options;
  options.start_revision = *first;
  auto watch = client->Watch("c", options, got.OnEvents(), got.OnError());
  REQUIRE_OK(watch);
  REQUIRE(Eventually(
      [&] {
        std::lock_guard<std::mutex> lock(got.mu);
        return !got.errors.empty();
      },
      std::chrono::seconds(20)));
  (*watch)->Cancel();
  std::lock_guard<std::mutex> lock(got.mu);
  CHECK(got.errors[0].code() == Status::Code::kFailedPrecondition);
  CHECK(got.errors[0].message().find("compacted") != std::string::npos);
  CHECK(got.events.empty());
}

}  // namespace
}  // namespace driftline
