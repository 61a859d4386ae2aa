// Storage faults inside the node, driven by the fault-injecting store twin
// (storage/faulty_node_store.h) over the in-memory store: a full disk refuses
// exactly the events it could not store, with an error that says so, predicts
// go on, and after the disk recovers (no restart) the resent events give the
// state of a run that never failed, compared checkpoint by checkpoint.
#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

#include "storage/faulty_node_store.h"
#include "storage/memory_node_store.h"
#include "tests/actors/node_harness.h"

using namespace driftline;
using namespace driftline::testing;

namespace {

constexpr uint32_t kPartitions = 4;

// Every partition's latest checkpoint (sequence and canonical bytes).
std::vector<std::pair<uint64_t, std::string>> Checkpoints(storage::NodeStore& store) {
  std::vector<std::pair<uint64_t, std::string>> out;
  for (uint32_t p = 0; p < kPartitions; ++p) {
    auto latest = store.checkpoints().Latest(p);
    INFO("partition " << p << ": " << latest.status().ToString());
    REQUIRE(latest.ok());
    out.emplace_back(latest->sequence, latest->bytes);
  }
  return out;
}

std::vector<Event> First() { return Labelled("u1", "i1", 1, 20, "first"); }
std::vector<Event> Second() {
  auto events = Labelled("u2", "i2", 0, 15, "second");
  auto more = Labelled("u7", "i4", 1, 15, "second-b");
  events.insert(events.end(), more.begin(), more.end());
  return events;
}
std::vector<Event> Third() { return Labelled("u3", "i1", 1, 10, "third"); }

}  // namespace

TEST_CASE("a full disk refuses the unstored events with a no-space error, predicts go on, and after the "
          "disk recovers the resent events give the state of a run that never failed") {
  auto faulty = std::make_shared<storage::FaultyNodeStore>(std::make_unique<storage::MemoryNodeStore>());
  {
    NodeHarness h(kPartitions, false, faulty);
    h.Activate(SmallModel("v1"));
    REQUIRE(h.Send(First()).accepted == 20);
    CHECK(h.Counter("storage_write_errors") == 0);  // also settles the arm updates in flight

    faulty->FailWrites(storage::FaultyNodeStore::NoSpaceError());
    Message refused = h.Call(EventBatch{900, Second()});
    REQUIRE(std::holds_alternative<ErrorReply>(refused));
    const ErrorReply& error = std::get<ErrorReply>(refused);
    INFO(error.message);
    CHECK(error.code == Status::Code::kUnavailable);  // resend later; duplicates are dropped
    CHECK(error.message.find("no space left") != std::string::npos);
    // Predicts are answered, with the online state learned before the fault.
    PredictReply during = h.Predict("u1", {"i1"});
    CHECK_FALSE(during.fallback);
    CHECK(h.Counter("storage_no_space_errors") >= 1);
    CHECK(h.Counter("router_batch_errors") == 1);

    faulty->Heal();
    BatchAck resent = h.Send(Second());
    CHECK(resent.accepted == 30);
    CHECK(resent.duplicates == 0);  // nothing of the refused batch was stored
    REQUIRE(h.Send(Third()).accepted == 10);
    CHECK(h.Counter("storage_resumes") == 1);
    REQUIRE(h.node().Stop().ok());  // checkpoints every partition
  }
  auto healthy = std::make_shared<storage::MemoryNodeStore>();
  {
    NodeHarness h(kPartitions, false, healthy);
    h.Activate(SmallModel("v1"));
    REQUIRE(h.Send(First()).accepted == 20);
    CHECK(h.Counter("storage_write_errors") == 0);
    REQUIRE(h.Send(Second()).accepted == 30);
    REQUIRE(h.Send(Third()).accepted == 10);
    REQUIRE(h.node().Stop().ok());
  }
  CHECK(Checkpoints(faulty->inner()) == Checkpoints(*healthy));
}

// Lets held appends go when the test ends (before the node stops).
struct ReleaseAppendsAtExit {
  storage::FaultyNodeStore& store;
  ~ReleaseAppendsAtExit() { store.ReleaseAppends(); }
};

TEST_CASE("while the log's appends hang (a slow disk), predicts still get their online parts within the "
          "deadline, from the state before the held batch; the batch is acknowledged once the disk moves") {
  auto faulty = std::make_shared<storage::FaultyNodeStore>(std::make_unique<storage::MemoryNodeStore>());
  NodeHarness h(kPartitions, false, faulty);
  ReleaseAppendsAtExit release{*faulty};
  h.Activate(SmallModel("v1"));
  REQUIRE(h.Send(First()).accepted == 20);
  h.Settle();
  const PredictReply before = h.Predict("u1", {"i1", "i2"});
  REQUIRE_FALSE(before.fallback);
  REQUIRE(before.joinable);

  faulty->HoldAppends();
  std::vector<Event> batch = Second();  // users on several partitions
  for (const Event& e : Third()) batch.push_back(e);
  h.SendFrame(EncodeFrame(EventBatch{901, batch}));
  for (int i = 0; i < 2000 && faulty->held_appends() == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  REQUIRE(faulty->held_appends() > 0);  // the batch's shares wait on the disk
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // every share reaches it
  for (int i = 0; i < 5; ++i) {
    // Reads do not wait for appends: before, the partitions' appends held
    // CAF's workers and every predict fell back to the base model.
    PredictReply during = h.Predict("u1", {"i1", "i2"}, 300);
    INFO(during.fallback_reason << " / " << during.unjoinable_reason);
    CHECK_FALSE(during.fallback);
    CHECK(during.scores == before.scores);  // the held batch is not applied yet
    CHECK_FALSE(during.joinable);           // logging the prediction waits on the disk too
  }
  faulty->ReleaseAppends();
  Message ack = h.Receive(std::chrono::seconds(30));
  REQUIRE(std::holds_alternative<BatchAck>(ack));
  CHECK(std::get<BatchAck>(ack).accepted == batch.size());
  const PredictReply after = h.Predict("u1", {"i1"});
  CHECK_FALSE(after.fallback);
  CHECK(after.joinable);
}

TEST_CASE("a node whose store cannot write at start-up refuses to start with the store's error") {
  auto faulty = std::make_shared<storage::FaultyNodeStore>(std::make_unique<storage::MemoryNodeStore>());
  faulty->FailWrites(storage::FaultyNodeStore::NoSpaceError());
  NodeOptions options;
  options.data_dir = "unused";
  options.listen = "inproc://refused";
  std::ostringstream log;
  auto transport = std::make_shared<cluster::InProcTransport>(3);
  auto node = Node::Start(options, log, transport, faulty);
  REQUIRE_FALSE(node.ok());
  CHECK(node.status().code() == Status::Code::kResourceExhausted);
  CHECK(node.status().message().find("no space left") != std::string::npos);
}
