#include "cluster/etcd_client.h"

#include "cluster/etcd_http.h"
#include "cluster/etcd_json.h"
#include "cluster/etcd_watch_impl.h"
#include "common/base64.h"

namespace driftline {

using etcd_internal::EncodeCompare;
using etcd_internal::EncodeOp;
using etcd_internal::IntField;
using etcd_internal::Json;
using etcd_internal::ParseAnswer;
using etcd_internal::ParseKvs;

std::string PrefixRangeEnd(const std::string& prefix) {
  std::string end = prefix;
  while (!end.empty()) {
    unsigned char last = static_cast<unsigned char>(end.back());
    if (last < 0xff) {
      end.back() = static_cast<char>(last + 1);
      return end;
    }
    end.pop_back();
  }
  return std::string(1, '\0');  // every key
}

TxnCompare TxnCompare::ModRevision(std::string key, Result r, int64_t rev) {
  return TxnCompare{std::move(key), Target::kModRevision, r, rev, {}};
}
TxnCompare TxnCompare::CreateRevision(std::string key, Result r, int64_t rev) {
  return TxnCompare{std::move(key), Target::kCreateRevision, r, rev, {}};
}
TxnCompare TxnCompare::Version(std::string key, Result r, int64_t version) {
  return TxnCompare{std::move(key), Target::kVersion, r, version, {}};
}
TxnCompare TxnCompare::Value(std::string key, Result r, std::string value) {
  return TxnCompare{std::move(key), Target::kValue, r, 0, std::move(value)};
}
TxnCompare TxnCompare::Absent(std::string key) {
  return CreateRevision(std::move(key), Result::kEqual, 0);
}

TxnOp TxnOp::Put(std::string key, std::string value, int64_t lease) {
  return TxnOp{Kind::kPut, std::move(key), std::move(value), lease, false};
}
TxnOp TxnOp::Delete(std::string key, bool prefix) {
  return TxnOp{Kind::kDelete, std::move(key), {}, 0, prefix};
}
TxnOp TxnOp::Range(std::string key, bool prefix) {
  return TxnOp{Kind::kRange, std::move(key), {}, 0, prefix};
}

class EtcdClient::Impl {
 public:
  explicit Impl(const EtcdOptions& options)
      : options_(options),
        pool_(options.endpoints, options.request_timeout, options.connect_timeout) {}

  // POSTs a JSON request and parses etcd's answer.
  Result<Json> Call(const std::string& path, const Json& request) {
    auto answer = pool_.Post(path, request.dump());
    if (!answer.ok()) return answer.status();
    return ParseAnswer(*answer, path);
  }

  EtcdOptions options_;
  etcd_internal::HttpPool pool_;
};

EtcdClient::EtcdClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
EtcdClient::~EtcdClient() = default;

Result<std::unique_ptr<EtcdClient>> EtcdClient::Create(const EtcdOptions& options) {
  if (options.endpoints.empty()) return Status::InvalidArgument("etcd: no endpoint given");
  for (const std::string& e : options.endpoints) {
    if (e.rfind("http://", 0) != 0 || e.size() <= 7) {
      return Status::InvalidArgument("etcd: endpoint '" + e + "' is not an http:// URL");
    }
  }
  if (options.request_timeout.count() <= 0 || options.connect_timeout.count() <= 0) {
    return Status::InvalidArgument("etcd: timeouts must be positive");
  }
  EtcdOptions normalized = options;
  for (std::string& e : normalized.endpoints) {
    while (!e.empty() && e.back() == '/') e.pop_back();
  }
  return std::unique_ptr<EtcdClient>(new EtcdClient(std::make_unique<Impl>(normalized)));
}

const EtcdOptions& EtcdClient::options() const { return impl_->options_; }

namespace {
Result<int64_t> HeaderRevision(const Json& body) {
  auto it = body.find("header");
  if (it == body.end()) return Status::Corruption("etcd answer: no header");
  return IntField(*it, "revision");
}
}  // namespace

Result<RangeResult> EtcdClient::Range(const std::string& key, const RangeOptions& options) {
  Json request = {{"key", Base64Encode(key)}};
  if (options.prefix) request["range_end"] = Base64Encode(PrefixRangeEnd(key));
  if (options.revision != 0) request["revision"] = std::to_string(options.revision);
  if (options.limit != 0) request["limit"] = std::to_string(options.limit);
  auto body = impl_->Call("/v3/kv/range", request);
  if (!body.ok()) return body.status();
  auto revision = HeaderRevision(*body);
  if (!revision.ok()) return revision.status();
  auto kvs = ParseKvs(*body);
  if (!kvs.ok()) return kvs.status();
  return RangeResult{*revision, std::move(kvs).value()};
}

Result<int64_t> EtcdClient::Put(const std::string& key, const std::string& value, int64_t lease) {
  Json request = {{"key", Base64Encode(key)}, {"value", Base64Encode(value)}};
  if (lease != 0) request["lease"] = std::to_string(lease);
  auto body = impl_->Call("/v3/kv/put", request);
  if (!body.ok()) return body.status();
  return HeaderRevision(*body);
}

Result<int64_t> EtcdClient::Delete(const std::string& key, bool prefix) {
  Json request = {{"key", Base64Encode(key)}};
  if (prefix) request["range_end"] = Base64Encode(PrefixRangeEnd(key));
  auto body = impl_->Call("/v3/kv/deleterange", request);
  if (!body.ok()) return body.status();
  return IntField(*body, "deleted");
}

Result<TxnResult> EtcdClient::Txn(const TxnRequest& request) {
  Json compares = Json::array(), success = Json::array(), failure = Json::array();
  for (const auto& c : request.compares) compares.push_back(EncodeCompare(c));
  for (const auto& op : request.success) success.push_back(EncodeOp(op));
  for (const auto& op : request.failure) failure.push_back(EncodeOp(op));
  auto body = impl_->Call("/v3/kv/txn",
                          Json{{"compare", compares}, {"success", success}, {"failure", failure}});
  if (!body.ok()) return body.status();
  TxnResult result;
  auto revision = HeaderRevision(*body);
  if (!revision.ok()) return revision.status();
  result.revision = *revision;
  result.succeeded = etcd_internal::BoolField(*body, "succeeded");
  auto responses = body->find("responses");
  if (responses != body->end() && responses->is_array()) {
    for (const Json& r : *responses) {
      if (!r.is_object()) return Status::Corruption("etcd txn answer: a response is not an object");
      auto range = r.find("response_range");
      if (range == r.end()) {
        result.ranges.emplace_back();
        continue;
      }
      auto kvs = ParseKvs(*range);
      if (!kvs.ok()) return kvs.status();
      result.ranges.push_back(std::move(kvs).value());
    }
  }
  return result;
}

Status EtcdClient::Compact(int64_t revision) {
  return impl_->Call("/v3/kv/compaction", Json{{"revision", std::to_string(revision)}}).status();
}

Result<Lease> EtcdClient::LeaseGrant(int64_t ttl_seconds) {
  if (ttl_seconds <= 0) return Status::InvalidArgument("etcd: a lease TTL must be positive");
  auto body = impl_->Call("/v3/lease/grant", Json{{"TTL", std::to_string(ttl_seconds)}});
  if (!body.ok()) return body.status();
  auto id = IntField(*body, "ID");
  auto ttl = IntField(*body, "TTL");
  if (!id.ok()) return id.status();
  if (!ttl.ok()) return ttl.status();
  return Lease{*id, *ttl};
}

Result<int64_t> EtcdClient::LeaseKeepAlive(int64_t lease_id) {
  // The gateway maps the keepalive stream to one request and one answer
  // wrapped in "result".
  auto body = impl_->Call("/v3/lease/keepalive", Json{{"ID", std::to_string(lease_id)}});
  if (!body.ok()) return body.status();
  const Json& result = body->contains("result") && (*body)["result"].is_object() ? (*body)["result"] : *body;
  auto ttl = IntField(result, "TTL");
  if (!ttl.ok()) return ttl.status();
  if (*ttl <= 0) {
    return Status::NotFound("etcd lease " + std::to_string(lease_id) +
                            ": not found (expired or revoked)");
  }
  return *ttl;
}

Status EtcdClient::LeaseRevoke(int64_t lease_id) {
  auto body = impl_->Call("/v3/lease/revoke", Json{{"ID", std::to_string(lease_id)}});
  return body.status();
}

Result<int64_t> EtcdClient::LeaseTimeToLive(int64_t lease_id) {
  auto body = impl_->Call("/v3/lease/timetolive", Json{{"ID", std::to_string(lease_id)}});
  if (!body.ok()) return body.status();
  auto ttl = IntField(*body, "TTL");
  if (!ttl.ok()) return ttl.status();
  if (*ttl < 0) {
    return Status::NotFound("etcd lease " + std::to_string(lease_id) +
                            ": not found (expired or revoked)");
  }
  return *ttl;
}

Result<std::unique_ptr<EtcdWatch>> EtcdClient::Watch(const std::string& key,
                                                     const WatchOptions& options,
                                                     EventsCallback on_events,
                                                     ErrorCallback on_error) {
  if (!on_events || !on_error) return Status::InvalidArgument("etcd watch: callbacks required");
  if (options.start_revision < 0) {
    return Status::InvalidArgument("etcd watch: negative start revision");
  }
  return etcd_internal::StartWatch(impl_->pool_, key, options, std::move(on_events),
                                   std::move(on_error));
}

}  // namespace driftline
