// The JSON value type and the writer. The parser is in json_parse.cc.
#include "protocol/json.h"

#include <cassert>
#include <charconv>
#include <cmath>

namespace driftline {

Json Json::Bool(bool b) {
  Json j;
  j.type_ = Type::kBool;
  j.bool_ = b;
  return j;
}

Json Json::Number(double d) {
  Json j;
  j.type_ = Type::kNumber;
  j.number_ = d;
  return j;
}

Json Json::Integer(int64_t i) {
  Json j;
  j.type_ = Type::kNumber;
  j.number_ = static_cast<double>(i);
  j.integer_literal_ = true;
  j.int_exact_ = true;
  j.int_ = i;
  return j;
}

Json Json::String(std::string s) {
  Json j;
  j.type_ = Type::kString;
  j.string_ = std::move(s);
  return j;
}

Json Json::MakeArray(Array items) {
  Json j;
  j.type_ = Type::kArray;
  j.array_ = std::move(items);
  return j;
}

Json Json::MakeObject(Object members) {
  Json j;
  j.type_ = Type::kObject;
  j.object_ = std::move(members);
  return j;
}

bool Json::as_bool() const {
  assert(is_bool());
  return bool_;
}

double Json::as_number() const {
  assert(is_number());
  return number_;
}

const std::string& Json::as_string() const {
  assert(is_string());
  return string_;
}

const Json::Array& Json::as_array() const {
  assert(is_array());
  return array_;
}

const Json::Object& Json::as_object() const {
  assert(is_object());
  return object_;
}

Json::Array& Json::mutable_array() {
  assert(is_array());
  return array_;
}

Json::Object& Json::mutable_object() {
  assert(is_object());
  return object_;
}

std::optional<int64_t> Json::AsInt64() const {
  if (type_ != Type::kNumber || !integer_literal_ || !int_exact_) return std::nullopt;
  return int_;
}

const Json* Json::FindMember(std::string_view key) const {
  if (type_ != Type::kObject) return nullptr;
  for (const JsonMember& m : object_) {
    if (m.key == key) return &m.value;
  }
  return nullptr;
}

bool Json::operator==(const Json& o) const {
  if (type_ != o.type_) return false;
  switch (type_) {
    case Type::kNull: return true;
    case Type::kBool: return bool_ == o.bool_;
    case Type::kNumber:
      if (int_exact_ && o.int_exact_) return int_ == o.int_;
      return number_ == o.number_;
    case Type::kString: return string_ == o.string_;
    case Type::kArray: return array_ == o.array_;
    case Type::kObject: return object_ == o.object_;
  }
  return false;
}

const char* Json::TypeName(Type t) {
  switch (t) {
    case Type::kNull: return "null";
    case Type::kBool: return "boolean";
    case Type::kNumber: return "number";
    case Type::kString: return "string";
    case Type::kArray: return "array";
    case Type::kObject: return "object";
  }
  return "unknown";
}

void AppendJsonString(std::string_view s, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  for (char c : s) {
    unsigned char u = static_cast<unsigned char>(c);
    switch (c) {
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      case '\b': out->append("\\b"); break;
      case '\f': out->append("\\f"); break;
      case '\n': out->append("\\n"); break;
      case '\r': out->append("\\r"); break;
      case '\t': out->append("\\t"); break;
      default:
        if (u < 0x20) {
          out->append("\\u00");
          out->push_back(kHex[u >> 4]);
          out->push_back(kHex[u & 0xF]);
        } else {
          out->push_back(c);
        }
    }
  }
  out->push_back('"');
}

void AppendJsonNumber(double d, std::string* out) {
  if (!std::isfinite(d)) {
    out->append("null");
    return;
  }
  char buf[64];
  // Shortest representation that round-trips (C++17 <charconv>).
  std::to_chars_result r = std::to_chars(buf, buf + sizeof(buf), d);
  out->append(buf, r.ptr);
}

namespace {

void AppendValue(const Json& v, std::string* out) {
  switch (v.type()) {
    case Json::Type::kNull: out->append("null"); return;
    case Json::Type::kBool: out->append(v.as_bool() ? "true" : "false"); return;
    case Json::Type::kNumber:
      if (std::optional<int64_t> i = v.AsInt64()) {
        out->append(std::to_string(*i));
      } else {
        AppendJsonNumber(v.as_number(), out);
      }
      return;
    case Json::Type::kString: AppendJsonString(v.as_string(), out); return;
    case Json::Type::kArray: {
      out->push_back('[');
      bool first = true;
      for (const Json& item : v.as_array()) {
        if (!first) out->push_back(',');
        first = false;
        AppendValue(item, out);
      }
      out->push_back(']');
      return;
    }
    case Json::Type::kObject: {
      out->push_back('{');
      bool first = true;
      for (const JsonMember& m : v.as_object()) {
        if (!first) out->push_back(',');
        first = false;
        AppendJsonString(m.key, out);
        out->push_back(':');
        AppendValue(m.value, out);
      }
      out->push_back('}');
      return;
    }
  }
}

}  // namespace

std::string WriteJson(const Json& value) {
  std::string out;
  AppendValue(value, &out);
  return out;
}

}  // namespace driftline
