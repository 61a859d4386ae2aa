#include "cluster/etcd_http.h"

#include <curl/curl.h>

#include <algorithm>
#include <mutex>

namespace driftline::etcd_internal {
namespace {

using Clock = std::chrono::steady_clock;

// libcurl's process-wide setup, done once before the first handle exists.
void EnsureCurlInitialized() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

size_t AppendBody(char* data, size_t size, size_t n, void* user) {
  static_cast<std::string*>(user)->append(data, size * n);
  return size * n;
}

// The options every call to etcd's gateway shares: a JSON POST of `body` to
// `url`, the answer to `write(data, size, n, write_data)`, errors into
// `error`, no signals. `headers` is the caller's to free after the call.
void SetJsonPost(CURL* curl, const std::string& url, const std::string& body, curl_slist* headers,
                 curl_write_callback write, void* write_data, char* error) {
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_POST, 1L);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, write);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, write_data);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
}

long MillisLeft(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return left < 1 ? 1 : static_cast<long>(left);
}

}  // namespace

Status StatusFromEtcdError(int grpc_code, const std::string& message, const std::string& context) {
  std::string m = context + ": " + message;
  switch (grpc_code) {
    case 3: return Status::InvalidArgument(m);         // INVALID_ARGUMENT
    case 4: return Status::DeadlineExceeded(m);        // DEADLINE_EXCEEDED
    case 5: return Status::NotFound(m);                // NOT_FOUND
    case 8: return Status::ResourceExhausted(m);       // RESOURCE_EXHAUSTED
    case 9:                                            // FAILED_PRECONDITION
    case 11: return Status::FailedPrecondition(m);     // OUT_OF_RANGE (compacted/future revision)
    case 14: return Status::Unavailable(m);            // UNAVAILABLE
    default: return Status::Internal(m + " (grpc code " + std::to_string(grpc_code) + ")");
  }
}

HttpPool::HttpPool(std::vector<std::string> endpoints, std::chrono::milliseconds request_timeout,
                   std::chrono::milliseconds connect_timeout)
    : endpoints_(std::move(endpoints)),
      request_timeout_(request_timeout),
      connect_timeout_(connect_timeout) {
  EnsureCurlInitialized();
}

HttpPool::~HttpPool() {
  for (void* h : idle_) curl_easy_cleanup(static_cast<CURL*>(h));
}

void* HttpPool::TakeHandle() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!idle_.empty()) {
      void* h = idle_.back();
      idle_.pop_back();
      return h;
    }
  }
  return curl_easy_init();
}

void HttpPool::GiveBack(void* handle) {
  std::lock_guard<std::mutex> lock(mu_);
  // Bounded: beyond a few idle connections, close instead of keeping.
  if (idle_.size() < 8) {
    idle_.push_back(handle);
  } else {
    curl_easy_cleanup(static_cast<CURL*>(handle));
  }
}

Result<HttpAnswer> HttpPool::Post(const std::string& path, const std::string& body) {
  const auto deadline = Clock::now() + request_timeout_;
  std::string failures;
  bool timed_out = false;
  size_t first = preferred_.load();
  for (size_t attempt = 0; attempt < endpoints_.size(); ++attempt) {
    size_t index = (first + attempt) % endpoints_.size();
    const std::string url = endpoints_[index] + path;
    if (Clock::now() >= deadline) {
      timed_out = true;
      break;
    }
    CURL* curl = static_cast<CURL*>(TakeHandle());
    if (curl == nullptr) return Status::Internal("etcd " + url + ": curl_easy_init failed");
    curl_easy_reset(curl);
    std::string answer;
    char error[CURL_ERROR_SIZE] = {0};
    struct curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
    SetJsonPost(curl, url, body, headers, AppendBody, &answer, error);
    long left = MillisLeft(deadline);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, left);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                     std::min<long>(left, static_cast<long>(connect_timeout_.count())));
    CURLcode rc = curl_easy_perform(curl);
    long http_status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &http_status);
    curl_slist_free_all(headers);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, nullptr);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, nullptr);
    if (rc == CURLE_OK) {
      GiveBack(curl);
      if (http_status == 503) {  // etcd has no leader / is stopping: try another member
        failures += (failures.empty() ? "" : "; ") + url + ": HTTP 503 " + answer;
        continue;
      }
      preferred_.store(index);
      return HttpAnswer{http_status, std::move(answer), endpoints_[index]};
    }
    curl_easy_cleanup(curl);  // a failed connection is not reused
    if (rc == CURLE_OPERATION_TIMEDOUT) timed_out = true;
    failures += (failures.empty() ? "" : "; ") + url + ": " +
                (error[0] != 0 ? std::string(error) : std::string(curl_easy_strerror(rc)));
  }
  std::string m = "etcd: no endpoint answered " + path + " within " +
                  std::to_string(request_timeout_.count()) + " ms (" + failures + ")";
  return timed_out ? Status::DeadlineExceeded(m) : Status::Unavailable(m);
}

StreamCall::StreamCall() {
  EnsureCurlInitialized();
  multi_ = curl_multi_init();
}

StreamCall::~StreamCall() { curl_multi_cleanup(static_cast<CURLM*>(multi_)); }

void StreamCall::Wake() { curl_multi_wakeup(static_cast<CURLM*>(multi_)); }

namespace {
struct StreamSink {
  const std::function<bool(const char*, size_t)>* on_bytes;
  bool stopped_by_sink = false;
};
size_t StreamBytes(char* data, size_t size, size_t n, void* user) {
  auto* sink = static_cast<StreamSink*>(user);
  if (!(*sink->on_bytes)(data, size * n)) {
    sink->stopped_by_sink = true;
    return 0;  // aborts the transfer
  }
  return size * n;
}
}  // namespace

Status StreamCall::Run(const std::string& url, const std::string& body,
                       std::chrono::milliseconds connect_timeout,
                       const std::function<bool(const char*, size_t)>& on_bytes,
                       const std::atomic<bool>& stop) {
  CURLM* multi = static_cast<CURLM*>(multi_);
  CURL* curl = curl_easy_init();
  if (curl == nullptr || multi == nullptr) return Status::Internal("etcd " + url + ": curl init failed");
  StreamSink sink{&on_bytes};
  char error[CURL_ERROR_SIZE] = {0};
  struct curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
  SetJsonPost(curl, url, body, headers, StreamBytes, &sink, error);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(connect_timeout.count()));
  curl_easy_setopt(curl, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_multi_add_handle(multi, curl);

  Status result = Status::Ok();
  int running = 1;
  while (running > 0 && !stop.load()) {
    CURLMcode mc = curl_multi_perform(multi, &running);
    if (mc != CURLM_OK) {
      result = Status::Unavailable("etcd " + url + ": " + curl_multi_strerror(mc));
      break;
    }
    if (running == 0) break;
    mc = curl_multi_poll(multi, nullptr, 0, 100, nullptr);
    if (mc != CURLM_OK) {
      result = Status::Unavailable("etcd " + url + ": " + curl_multi_strerror(mc));
      break;
    }
  }
  if (result.ok() && !stop.load()) {
    int queued = 0;
    while (CURLMsg* msg = curl_multi_info_read(multi, &queued)) {
      if (msg->msg != CURLMSG_DONE) continue;
      CURLcode rc = msg->data.result;
      long http_status = 0;
      curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &http_status);
      if (rc != CURLE_OK && !(rc == CURLE_WRITE_ERROR && sink.stopped_by_sink)) {
        result = Status::Unavailable("etcd " + url + ": " +
                                     (error[0] != 0 ? std::string(error) : curl_easy_strerror(rc)));
      } else if (rc == CURLE_OK && http_status != 200) {
        result = Status::Unavailable("etcd " + url + ": HTTP " + std::to_string(http_status));
      } else if (rc == CURLE_OK) {
        result = Status::Unavailable("etcd " + url + ": the stream ended");
      }
    }
  }
  curl_multi_remove_handle(multi, curl);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, nullptr);
  curl_easy_cleanup(curl);
  curl_slist_free_all(headers);
  return result;
}

}  // namespace driftline::etcd_internal
