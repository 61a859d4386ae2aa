// A small JSON value, parser and writer (RFC 8259), written for driftline's
// JSON Lines event stream and the HTTP/JSON endpoint. No third-party code.
//
// Contract:
//  * ParseJson never crashes, never throws and never recurses deeper than
//    JsonLimits::max_depth, whatever bytes it is given. Errors come back as
//    Status::InvalidArgument with a one-line message naming the column
//    ("json: expected ':' after object key at column 12").
//  * Input must be one complete value with only whitespace around it
//    (trailing garbage is an error). Strings must be valid UTF-8; escapes
//    (\" \\ \/ \b \f \n \r \t \uXXXX, surrogate pairs) decode to UTF-8, lone
//    surrogates are an error.
//  * Numbers are kept as a double. A number written without fraction or
//    exponent ("an integer literal") that fits in int64 also keeps its exact
//    integer value, so a field such as `ts` can insist on an integer.
//    Numbers whose magnitude overflows a double are an error.
//  * Objects keep their members in input order, duplicates included; callers
//    that need unique keys check for them (see FindMember / HasDuplicateKey).
//  * WriteJson emits compact JSON (no spaces) with minimal escaping (", \,
//    control characters) and shortest round-trip number formatting, so
//    ParseJson(WriteJson(v)) == v for every finite v. Non-finite numbers,
//    which JSON cannot carry, are written as null.
//
// Thread safety: plain values and pure functions; safe to use from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace driftline {

struct JsonMember;

class Json {
 public:
  enum class Type { kNull, kBool, kNumber, kString, kArray, kObject };
  using Array = std::vector<Json>;
  using Object = std::vector<JsonMember>;

  Json() = default;  // null
  static Json Null() { return Json(); }
  static Json Bool(bool b);
  static Json Number(double d);            // not an integer literal
  static Json Integer(int64_t i);          // an integer literal with exact value
  static Json String(std::string s);
  static Json MakeArray(Array items);
  static Json MakeObject(Object members);

  Type type() const { return type_; }
  bool is_null() const { return type_ == Type::kNull; }
  bool is_bool() const { return type_ == Type::kBool; }
  bool is_number() const { return type_ == Type::kNumber; }
  bool is_string() const { return type_ == Type::kString; }
  bool is_array() const { return type_ == Type::kArray; }
  bool is_object() const { return type_ == Type::kObject; }

  // REQUIRES: the matching is_*() holds. Wrong-type access is a programmer
  // error (asserted); in release builds it returns a neutral value.
  bool as_bool() const;
  double as_number() const;
  const std::string& as_string() const;
  const Array& as_array() const;
  const Object& as_object() const;
  Array& mutable_array();
  Object& mutable_object();

  // True for a number written without '.', 'e' or 'E'.
  bool is_integer_literal() const { return type_ == Type::kNumber && integer_literal_; }
  // The exact value of an integer literal that fits in int64; nullopt for
  // anything else (non-numbers, fractions, exponents, too-large integers).
  std::optional<int64_t> AsInt64() const;

  // The first member named `key`, or nullptr (also for non-objects).
  const Json* FindMember(std::string_view key) const;

  // Structural equality. Numbers compare by value (exactly, as int64, when
  // both are integer literals that fit; else as doubles, so 0 == -0 and the
  // literal flag is ignored).
  bool operator==(const Json& o) const;
  bool operator!=(const Json& o) const { return !(*this == o); }

  // "null", "boolean", "number", "string", "array" or "object".
  static const char* TypeName(Type t);

 private:
  Type type_ = Type::kNull;
  bool bool_ = false;
  bool integer_literal_ = false;
  bool int_exact_ = false;   // int_ holds the exact literal value
  double number_ = 0.0;
  int64_t int_ = 0;
  std::string string_;
  Array array_;
  Object object_;

  friend class JsonParser;
};

struct JsonMember {
  std::string key;
  Json value;
  bool operator==(const JsonMember& o) const { return key == o.key && value == o.value; }
};

// Hard limits that keep hostile input bounded. Every field documents its default.
struct JsonLimits {
  int max_depth = 64;                       // nested arrays/objects. Default: 64
  size_t max_string_bytes = 1 << 20;        // decoded bytes per string or key. Default: 1 MiB
  size_t max_input_bytes = 64 << 20;        // whole document. Default: 64 MiB
};

// Parses exactly one JSON value from `text`.
Result<Json> ParseJson(std::string_view text, const JsonLimits& limits = JsonLimits());

// Compact JSON text for `value` (see the contract above).
std::string WriteJson(const Json& value);

// Appends `s` as a quoted JSON string. REQUIRES: s is UTF-8 (bytes >= 0x80
// are copied through unchanged).
void AppendJsonString(std::string_view s, std::string* out);
// Appends the shortest text that parses back to exactly `d`; "null" when d
// is not finite.
void AppendJsonNumber(double d, std::string* out);

}  // namespace driftline
