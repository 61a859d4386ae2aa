#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "cluster/etcd_json.h"
#include "cluster/etcd_watch_impl.h"
#include "common/base64.h"

namespace driftline::etcd_internal {
namespace {

// What one message of the stream asks the loop to do.
enum class Next { kContinue, kFinalError };

class WatchImpl final : public EtcdWatch {
 public:
  WatchImpl(HttpPool& pool, std::string key, WatchOptions options,
            EtcdClient::EventsCallback on_events, EtcdClient::ErrorCallback on_error)
      : pool_(pool),
        key_(std::move(key)),
        options_(options),
        on_events_(std::move(on_events)),
        on_error_(std::move(on_error)),
        next_revision_(options.start_revision) {
    thread_ = std::thread([this] { Loop(); });
  }
  ~WatchImpl() override { Cancel(); }

  void Cancel() override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (cancelled_) {
        if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
        return;
      }
      cancelled_ = true;
      stop_.store(true);
    }
    call_.Wake();
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
  }

  int64_t next_revision() const override { return next_revision_.load(); }

 private:
  void Loop() {
    size_t endpoint = pool_.preferred_endpoint();
    while (!stop_.load()) {
      const std::string url = pool_.endpoints()[endpoint % pool_.endpoints().size()] + "/v3/watch";
      buffer_.clear();
      final_error_ = false;
      Status s = call_.Run(url, RequestBody(), pool_.connect_timeout(),
                           [this, &url](const char* data, size_t n) { return OnBytes(url, data, n); },
                           stop_);
      if (stop_.load() || final_error_) return;
      if (s.ok()) s = Status::Unavailable("etcd " + url + ": the watch stream ended");
      on_error_(Status(s.code(), s.message() + "; resuming from revision " +
                                     std::to_string(next_revision_.load())));
      if (!options_.resume) return;
      ++endpoint;  // fail over to the next endpoint
      std::unique_lock<std::mutex> lock(mu_);
      wake_.wait_for(lock, options_.retry_interval, [this] { return cancelled_; });
    }
  }

  std::string RequestBody() const {
    Json create = {{"key", Base64Encode(key_)}};
    if (options_.prefix) create["range_end"] = Base64Encode(PrefixRangeEnd(key_));
    int64_t start = next_revision_.load();
    if (start > 0) create["start_revision"] = std::to_string(start);
    return Json{{"create_request", create}}.dump();
  }

  // Splits the stream into lines (one JSON message each) and handles them.
  bool OnBytes(const std::string& url, const char* data, size_t n) {
    buffer_.append(data, n);
    if (buffer_.size() > kMaxMessageBytes) {
      final_error_ = true;
      on_error_(Status::ResourceExhausted("etcd " + url + ": a watch message exceeds " +
                                          std::to_string(kMaxMessageBytes) + " bytes"));
      return false;
    }
    size_t start = 0;
    for (size_t nl; (nl = buffer_.find('\n', start)) != std::string::npos; start = nl + 1) {
      if (stop_.load()) return false;
      if (HandleMessage(url, buffer_.substr(start, nl - start)) == Next::kFinalError) {
        final_error_ = true;
        return false;
      }
    }
    buffer_.erase(0, start);
    return !stop_.load();
  }

  // Nothing etcd (or anything on its port) sends can throw out of here.
  Next HandleMessage(const std::string& url, const std::string& line) {
    try {
      return HandleJson(url, line);
    } catch (const Json::exception& e) {
      on_error_(Status::Corruption("etcd " + url + ": unexpected watch message (" + e.what() +
                                   "): " + line.substr(0, 200)));
      return Next::kFinalError;
    }
  }

  Next HandleJson(const std::string& url, const std::string& line) {
    if (line.find_first_not_of(" \r\t") == std::string::npos) return Next::kContinue;
    Json message = Json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (message.is_discarded() || !message.is_object()) {
      on_error_(Status::Corruption("etcd " + url + ": unreadable watch message: " +
                                   line.substr(0, 200)));
      return Next::kFinalError;
    }
    if (message.contains("error")) {
      // A stream error {"error":{"grpc_code":..,"message":..}} or a plain
      // answer {"error":"...","code":..,"message":..}.
      const Json& e = message["error"].is_object() ? message["error"] : message;
      auto code = e.find(e.contains("grpc_code") ? "grpc_code" : "code");
      auto text = e.find("message");
      on_error_(StatusFromEtcdError(
          code != e.end() && code->is_number_integer() ? code->get<int>() : 2,
          text != e.end() && text->is_string() ? text->get<std::string>() : e.dump(),
          "etcd " + url));
      return Next::kFinalError;
    }
    const Json& result = message.contains("result") ? message["result"] : message;
    if (!result.is_object()) {
      on_error_(Status::Corruption("etcd " + url + ": watch result is not an object"));
      return Next::kFinalError;
    }
    auto compact = IntField(result, "compact_revision");
    if (compact.ok() && *compact > 0) {
      on_error_(Status::FailedPrecondition(
          "etcd " + url + ": the watch cannot resume at revision " +
          std::to_string(next_revision_.load()) + ": compacted up to revision " +
          std::to_string(*compact) + "; re-read and watch again"));
      return Next::kFinalError;
    }
    if (BoolField(result, "canceled")) {
      on_error_(Status::FailedPrecondition("etcd " + url + ": the server cancelled the watch"));
      return Next::kFinalError;
    }
    auto header = result.find("header");
    auto revision = IntField(header != result.end() ? *header : Json::object(), "revision");
    if (!revision.ok()) {
      on_error_(revision.status());
      return Next::kFinalError;
    }
    if (BoolField(result, "created")) {
      if (next_revision_.load() == 0) next_revision_.store(*revision + 1);
      return Next::kContinue;
    }
    auto events_it = result.find("events");
    if (events_it == result.end() || !events_it->is_array()) return Next::kContinue;
    std::vector<WatchEvent> events;
    for (const Json& e : *events_it) {
      auto kv = ParseKeyValue(e.value("kv", Json::object()));
      if (!kv.ok()) {
        on_error_(kv.status());
        return Next::kFinalError;
      }
      WatchEvent event;
      event.type = e.value("type", std::string("PUT")) == "DELETE" ? WatchEvent::Type::kDelete
                                                                   : WatchEvent::Type::kPut;
      event.kv = std::move(kv).value();
      events.push_back(std::move(event));
    }
    if (events.empty()) return Next::kContinue;
    int64_t last = events.back().kv.mod_revision;
    on_events_(events, *revision);
    next_revision_.store(last + 1);
    return Next::kContinue;
  }

  static constexpr size_t kMaxMessageBytes = 16u << 20;

  HttpPool& pool_;
  const std::string key_;
  const WatchOptions options_;
  EtcdClient::EventsCallback on_events_;
  EtcdClient::ErrorCallback on_error_;
  std::atomic<int64_t> next_revision_;
  std::atomic<bool> stop_{false};
  std::mutex mu_;
  std::condition_variable wake_;
  bool cancelled_ = false;
  StreamCall call_;
  std::string buffer_;     // the watch thread's partial line
  bool final_error_ = false;
  std::thread thread_;     // last: starts after every member is ready
};

}  // namespace

Result<std::unique_ptr<EtcdWatch>> StartWatch(HttpPool& pool, const std::string& key,
                                              const WatchOptions& options,
                                              EtcdClient::EventsCallback on_events,
                                              EtcdClient::ErrorCallback on_error) {
  return std::unique_ptr<EtcdWatch>(
      new WatchImpl(pool, key, options, std::move(on_events), std::move(on_error)));
}

}  // namespace driftline::etcd_internal
