// A client of etcd 3.4's v3 JSON gateway (grpc-gateway over HTTP/1.1):
// POST /v3/kv/range|put|deleterange|txn, /v3/lease/grant|keepalive|revoke|
// timetolive, and the streamed /v3/watch. Keys and values are bytes here and
// base64 on the wire; 64-bit integers travel as JSON strings.
//
// Errors are values: every failure names the endpoint, the path and the cause
// ("etcd http://127.0.0.1:2379/v3/kv/range: Couldn't connect to server").
// Unavailable: no endpoint answered (connection refused, timeout, 5xx);
// DeadlineExceeded: the call's timeout passed; etcd's own refusals keep their
// meaning (NotFound for an unknown lease, FailedPrecondition for a compacted
// or future revision, InvalidArgument for a malformed request).
//
// Failover: endpoints are tried in turn from the last one that answered; a
// call moves to the next endpoint only on a transport failure (the request
// did not reach etcd or etcd did not answer), never after an answer.
// NOTE: a put or txn whose answer was lost may have been applied; callers
// make writes conditional (txn compares) so that a retry is safe.
//
// Thread safety: every method may be called from any thread at once; each call
// uses its own HTTP connection (taken from a small pool). The client must
// outlive its watches. HTTP (libcurl) and JSON (nlohmann) stay in the .cc.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"

namespace driftline {

struct EtcdOptions {
  // Client URLs, e.g. {"http://127.0.0.1:2379"}. REQUIRES: at least one.
  std::vector<std::string> endpoints;
  // The whole of one call (connect, send, answer), all endpoints included.
  // Default: 2000 ms
  std::chrono::milliseconds request_timeout{2000};
  // Connecting to one endpoint. Default: 500 ms
  std::chrono::milliseconds connect_timeout{500};
};

struct KeyValue {
  std::string key;
  std::string value;
  int64_t create_revision = 0;
  int64_t mod_revision = 0;
  int64_t version = 0;  // number of puts since creation
  int64_t lease = 0;    // 0: no lease
};

struct RangeResult {
  int64_t revision = 0;  // the store's revision the answer was read at
  std::vector<KeyValue> kvs;
};

struct RangeOptions {
  bool prefix = false;   // every key starting with `key`
  int64_t revision = 0;  // read as of this revision; 0: the latest
  int64_t limit = 0;     // 0: no limit
};

// One compare of a txn: target(key) <result> operand.
struct TxnCompare {
  enum class Target { kVersion, kCreateRevision, kModRevision, kValue, kLease };
  enum class Result { kEqual, kNotEqual, kGreater, kLess };
  std::string key;
  Target target = Target::kModRevision;
  Result result = Result::kEqual;
  int64_t number = 0;   // for every target but kValue
  std::string value;    // for kValue

  static TxnCompare ModRevision(std::string key, Result r, int64_t rev);
  static TxnCompare CreateRevision(std::string key, Result r, int64_t rev);
  static TxnCompare Version(std::string key, Result r, int64_t version);
  static TxnCompare Value(std::string key, Result r, std::string value);
  // The key does not exist (create_revision == 0).
  static TxnCompare Absent(std::string key);
};

struct TxnOp {
  enum class Kind { kPut, kDelete, kRange };
  Kind kind = Kind::kRange;
  std::string key;
  std::string value;     // kPut
  int64_t lease = 0;     // kPut
  bool prefix = false;   // kDelete, kRange

  static TxnOp Put(std::string key, std::string value, int64_t lease = 0);
  static TxnOp Delete(std::string key, bool prefix = false);
  static TxnOp Range(std::string key, bool prefix = false);
};

struct TxnRequest {
  std::vector<TxnCompare> compares;
  std::vector<TxnOp> success;
  std::vector<TxnOp> failure;
};

struct TxnResult {
  bool succeeded = false;  // every compare held: the success ops ran
  int64_t revision = 0;    // the store's revision after the txn
  // One entry per op of the branch that ran; the kvs of a kRange op (empty for
  // a put or a delete).
  std::vector<std::vector<KeyValue>> ranges;
};

struct Lease {
  int64_t id = 0;
  int64_t ttl_seconds = 0;  // as granted (etcd may raise a small TTL)
};

struct WatchEvent {
  enum class Type { kPut, kDelete };
  Type type = Type::kPut;
  KeyValue kv;  // for a delete: key and mod_revision only
};

struct WatchOptions {
  bool prefix = false;
  // The first revision to deliver; 0: changes after the watch starts.
  int64_t start_revision = 0;
  // Reconnect (to the next endpoint) after a lost stream, resuming after the
  // last delivered revision, until cancelled. Default: true
  bool resume = true;
  // Wait between reconnection attempts. Default: 200 ms
  std::chrono::milliseconds retry_interval{200};
};

// A running watch. Events arrive in revision order on the watch's own thread
// through `on_events` (one call per etcd response: all events of a revision
// come together). `on_error` is called with every lost stream (Unavailable,
// then the watch resumes) and with a final error after which the watch stops
// (FailedPrecondition when etcd compacted past the next revision: re-read and
// watch again). Callbacks must not call Cancel() or destroy the watch.
//
// Destruction or Cancel() stops the stream promptly (within ~100 ms) and
// waits for the thread; no callback runs after Cancel() returns.
class EtcdWatch {
 public:
  virtual ~EtcdWatch() = default;
  virtual void Cancel() = 0;
  // The revision after which the next delivery starts (last delivered + 1, or
  // the start revision). Any thread.
  virtual int64_t next_revision() const = 0;
};

class EtcdClient {
 public:
  using EventsCallback = std::function<void(const std::vector<WatchEvent>&, int64_t revision)>;
  using ErrorCallback = std::function<void(const Status&)>;

  // Errors: InvalidArgument when no endpoint is given or one is not http://.
  static Result<std::unique_ptr<EtcdClient>> Create(const EtcdOptions& options);
  ~EtcdClient();
  EtcdClient(const EtcdClient&) = delete;
  EtcdClient& operator=(const EtcdClient&) = delete;

  Result<RangeResult> Range(const std::string& key, const RangeOptions& options = {});
  // The store's revision after the put.
  Result<int64_t> Put(const std::string& key, const std::string& value, int64_t lease = 0);
  // The number of keys deleted.
  Result<int64_t> Delete(const std::string& key, bool prefix = false);
  Result<TxnResult> Txn(const TxnRequest& request);
  // Drops the history before `revision` (a watch cannot start before it).
  Status Compact(int64_t revision);

  Result<Lease> LeaseGrant(int64_t ttl_seconds);
  // One renewal; the TTL it restarted. NotFound when the lease is gone.
  Result<int64_t> LeaseKeepAlive(int64_t lease_id);
  Status LeaseRevoke(int64_t lease_id);
  // Seconds left; NotFound when the lease is gone (expired or revoked).
  Result<int64_t> LeaseTimeToLive(int64_t lease_id);

  // Starts a watch on `key` (or the prefix). Returns once the thread runs; the
  // stream is opened on that thread.
  Result<std::unique_ptr<EtcdWatch>> Watch(const std::string& key, const WatchOptions& options,
                                           EventsCallback on_events, ErrorCallback on_error);

  const EtcdOptions& options() const;

  class Impl;

 private:
  explicit EtcdClient(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The end of the key range holding every key that starts with `prefix`
// (etcd's range_end: the prefix with its last byte incremented).
std::string PrefixRangeEnd(const std::string& prefix);

}  // namespace driftline
