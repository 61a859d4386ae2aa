#include "cluster/etcd_json.h"

#include "common/base64.h"

namespace driftline::etcd_internal {

Result<int64_t> IntField(const Json& object, const char* field) {
  if (!object.is_object()) return Status::Corruption("etcd answer: not an object where " + std::string(field) + " was expected");
  auto it = object.find(field);
  if (it == object.end() || it->is_null()) return int64_t{0};
  if (it->is_number_integer()) return it->get<int64_t>();
  if (it->is_string()) {
    const std::string& s = it->get_ref<const std::string&>();
    try {
      size_t used = 0;
      long long v = std::stoll(s, &used);
      if (used == s.size()) return static_cast<int64_t>(v);
    } catch (const std::exception&) {
    }
  }
  return Status::Corruption(std::string("etcd answer: field ") + field + " is not an integer: " +
                            it->dump());
}

Result<std::string> BytesField(const Json& object, const char* field) {
  if (!object.is_object()) return Status::Corruption("etcd answer: not an object where " + std::string(field) + " was expected");
  auto it = object.find(field);
  if (it == object.end() || it->is_null()) return std::string();
  if (!it->is_string()) {
    return Status::Corruption(std::string("etcd answer: field ") + field + " is not a string");
  }
  auto bytes = Base64Decode(it->get_ref<const std::string&>());
  if (!bytes.ok()) {
    return Status::Corruption(std::string("etcd answer: field ") + field + ": " +
                              bytes.status().message());
  }
  return std::move(bytes).value();
}

bool BoolField(const Json& object, const char* field) {
  if (!object.is_object()) return false;
  auto it = object.find(field);
  return it != object.end() && it->is_boolean() && it->get<bool>();
}

Result<KeyValue> ParseKeyValue(const Json& kv) {
  if (!kv.is_object()) return Status::Corruption("etcd answer: a kv is not an object");
  KeyValue out;
  auto key = BytesField(kv, "key");
  auto value = BytesField(kv, "value");
  auto create = IntField(kv, "create_revision");
  auto mod = IntField(kv, "mod_revision");
  auto version = IntField(kv, "version");
  auto lease = IntField(kv, "lease");
  for (const Status& s : {key.status(), value.status(), create.status(), mod.status(),
                          version.status(), lease.status()}) {
    if (!s.ok()) return s;
  }
  out.key = std::move(key).value();
  out.value = std::move(value).value();
  out.create_revision = *create;
  out.mod_revision = *mod;
  out.version = *version;
  out.lease = *lease;
  return out;
}

Result<std::vector<KeyValue>> ParseKvs(const Json& object) {
  std::vector<KeyValue> out;
  if (!object.is_object()) return Status::Corruption("etcd answer: a range answer is not an object");
  auto it = object.find("kvs");
  if (it == object.end() || it->is_null()) return out;
  if (!it->is_array()) return Status::Corruption("etcd answer: kvs is not an array");
  for (const Json& kv : *it) {
    auto parsed = ParseKeyValue(kv);
    if (!parsed.ok()) return parsed.status();
    out.push_back(std::move(parsed).value());
  }
  return out;
}

Result<Json> ParseAnswer(const HttpAnswer& answer, const std::string& path) {
  const std::string context = "etcd " + answer.endpoint + path;
  Json body = Json::parse(answer.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded() || !body.is_object()) {
    return Status::Corruption(context + ": answer is not a JSON object (HTTP " +
                              std::to_string(answer.http_status) + "): " +
                              answer.body.substr(0, 200));
  }
  if (body.contains("error") || answer.http_status != 200) {
    auto code = body.find("code");
    auto message = body.find("message");
    return StatusFromEtcdError(
        code != body.end() && code->is_number_integer() ? code->get<int>() : 2,
        message != body.end() && message->is_string() ? message->get<std::string>() : body.dump(),
        context);
  }
  return body;
}

namespace {
const char* TargetName(TxnCompare::Target t) {
  switch (t) {
    case TxnCompare::Target::kVersion: return "VERSION";
    case TxnCompare::Target::kCreateRevision: return "CREATE";
    case TxnCompare::Target::kModRevision: return "MOD";
    case TxnCompare::Target::kValue: return "VALUE";
    case TxnCompare::Target::kLease: return "LEASE";
  }
  return "MOD";
}
const char* TargetField(TxnCompare::Target t) {
  switch (t) {
    case TxnCompare::Target::kVersion: return "version";
    case TxnCompare::Target::kCreateRevision: return "create_revision";
    case TxnCompare::Target::kModRevision: return "mod_revision";
    case TxnCompare::Target::kValue: return "value";
    case TxnCompare::Target::kLease: return "lease";
  }
  return "mod_revision";
}
const char* ResultName(TxnCompare::Result r) {
  switch (r) {
    case TxnCompare::Result::kEqual: return "EQUAL";
    case TxnCompare::Result::kNotEqual: return "NOT_EQUAL";
    case TxnCompare::Result::kGreater: return "GREATER";
    case TxnCompare::Result::kLess: return "LESS";
  }
  return "EQUAL";
}
}  // namespace

Json EncodeCompare(const TxnCompare& c) {
  Json j = {{"key", Base64Encode(c.key)},
            {"target", TargetName(c.target)},
            {"result", ResultName(c.result)}};
  if (c.target == TxnCompare::Target::kValue) {
    j["value"] = Base64Encode(c.value);
  } else {
    j[TargetField(c.target)] = std::to_string(c.number);
  }
  return j;
}

Json EncodeOp(const TxnOp& op) {
  switch (op.kind) {
    case TxnOp::Kind::kPut: {
      Json put = {{"key", Base64Encode(op.key)}, {"value", Base64Encode(op.value)}};
      if (op.lease != 0) put["lease"] = std::to_string(op.lease);
      return Json{{"request_put", put}};
    }
    case TxnOp::Kind::kDelete: {
      Json del = {{"key", Base64Encode(op.key)}};
      if (op.prefix) del["range_end"] = Base64Encode(PrefixRangeEnd(op.key));
      return Json{{"request_delete_range", del}};
    }
    case TxnOp::Kind::kRange: {
      Json range = {{"key", Base64Encode(op.key)}};
      if (op.prefix) range["range_end"] = Base64Encode(PrefixRangeEnd(op.key));
      return Json{{"request_range", range}};
    }
  }
  return Json::object();
}

}  // namespace driftline::etcd_internal
