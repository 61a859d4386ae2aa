// The HTTP layer of the etcd client (internal to cluster/): POSTs a JSON body
// to one of several endpoints with failover and a deadline, or streams one
// long response (a watch). libcurl stays in etcd_http.cc.
//
// Thread safety: Post may be called from any thread at once (each call takes
// a connection from a pool). A StreamCall belongs to one thread, but Wake()
// may be called from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/status.h"

namespace driftline::etcd_internal {

// etcd's answer: the HTTP status and the body, as received.
struct HttpAnswer {
  long http_status = 0;
  std::string body;
  std::string endpoint;  // which endpoint answered
};

// A gRPC status code from etcd's JSON error body -> driftline's Status code,
// with `context` ("etcd URL/path") in front of etcd's message.
Status StatusFromEtcdError(int grpc_code, const std::string& message, const std::string& context);

class HttpPool {
 public:
  HttpPool(std::vector<std::string> endpoints, std::chrono::milliseconds request_timeout,
           std::chrono::milliseconds connect_timeout);
  ~HttpPool();
  HttpPool(const HttpPool&) = delete;
  HttpPool& operator=(const HttpPool&) = delete;

  // POSTs `body` to `path`, trying endpoints in turn from the last one that
  // answered until one answers or the request timeout passes. Only a transport
  // failure or etcd's "unavailable" (HTTP 503) moves on to the next endpoint.
  // Errors: Unavailable/DeadlineExceeded naming every endpoint tried and its cause.
  Result<HttpAnswer> Post(const std::string& path, const std::string& body);

  const std::vector<std::string>& endpoints() const { return endpoints_; }
  // The endpoint a new stream should try first.
  size_t preferred_endpoint() const { return preferred_.load(); }
  void set_preferred_endpoint(size_t i) { preferred_.store(i % endpoints_.size()); }
  std::chrono::milliseconds connect_timeout() const { return connect_timeout_; }

 private:
  void* TakeHandle();
  void GiveBack(void* handle);

  std::vector<std::string> endpoints_;
  std::chrono::milliseconds request_timeout_;
  std::chrono::milliseconds connect_timeout_;
  std::atomic<size_t> preferred_{0};
  std::mutex mu_;
  std::vector<void*> idle_;  // CURL* handles keeping their connections
};

// One streamed POST (a watch): the body's bytes are handed to `on_bytes` as
// they arrive; the call returns when the stream ends, fails, `on_bytes`
// returns false, or Wake() was called after `stop` became true.
class StreamCall {
 public:
  StreamCall();
  ~StreamCall();
  StreamCall(const StreamCall&) = delete;
  StreamCall& operator=(const StreamCall&) = delete;

  // Ok when the server ended the stream or `on_bytes` stopped it; Unavailable
  // naming `url` and the cause otherwise; Ok also when stopped through `stop`.
  Status Run(const std::string& url, const std::string& body,
             std::chrono::milliseconds connect_timeout,
             const std::function<bool(const char*, size_t)>& on_bytes,
             const std::atomic<bool>& stop);
  // Interrupts a Run blocked waiting for bytes (it then checks `stop`).
  void Wake();

 private:
  void* multi_ = nullptr;  // CURLM*
};

}  // namespace driftline::etcd_internal
