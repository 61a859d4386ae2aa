// JSON <-> etcd client types for the v3 gateway (internal to cluster/: only
// etcd_client.cc and etcd_watch.cc include it, so nlohmann stays out of every
// other unit). Keys and values are base64 on the wire; int64s are strings.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "cluster/etcd_client.h"
#include "cluster/etcd_http.h"

namespace driftline::etcd_internal {

using Json = nlohmann::json;

// An int64 field sent as a JSON string (or a number); 0 when absent.
Result<int64_t> IntField(const Json& object, const char* field);
// A base64 field decoded; "" when absent.
Result<std::string> BytesField(const Json& object, const char* field);
// A boolean field; false when absent or not a boolean.
bool BoolField(const Json& object, const char* field);
Result<KeyValue> ParseKeyValue(const Json& kv);
Result<std::vector<KeyValue>> ParseKvs(const Json& object);  // object["kvs"]

// Parses an answer's body; a non-200 status or an "error" member becomes the
// Status etcd meant, prefixed with "etcd ENDPOINT PATH".
Result<Json> ParseAnswer(const HttpAnswer& answer, const std::string& path);

Json EncodeCompare(const TxnCompare& c);
Json EncodeOp(const TxnOp& op);

}  // namespace driftline::etcd_internal
