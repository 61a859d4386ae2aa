// The JSON parser: recursive descent with an explicit depth bound, strict
// RFC 8259 grammar, UTF-8 validation. See protocol/json.h for the contract.
#include <charconv>
#include <cmath>
#include <cstring>
#include <string>

#include "protocol/json.h"
#include "protocol/utf8.h"

namespace driftline {

class JsonParser {
 public:
  JsonParser(std::string_view text, const JsonLimits& limits) : text_(text), limits_(limits) {}

  Result<Json> ParseDocument() {
    if (text_.size() > limits_.max_input_bytes) {
      return Status::InvalidArgument("json: input longer than " +
                                     std::to_string(limits_.max_input_bytes) + " bytes");
    }
    Json value;
    SkipWhitespace();
    if (!ParseValue(&value, 0)) return Error();
    SkipWhitespace();
    if (pos_ != text_.size()) {
      Fail("unexpected trailing characters after the value");
      return Error();
    }
    return value;
  }

 private:
  // Records the first error at the current position; always returns false.
  bool Fail(const std::string& what) { return FailAt(pos_, what); }
  bool FailAt(size_t at, const std::string& what) {
    if (error_.empty()) {
      error_ = what;
      error_pos_ = at;
    }
    return false;
  }

  Status Error() const {
    size_t line = 1, col = 1;
    for (size_t i = 0; i < error_pos_ && i < text_.size(); ++i) {
      if (text_[i] == '\n') {
        ++line;
        col = 1;
      } else {
        ++col;
      }
    }
    std::string where = line == 1 ? "column " + std::to_string(col)
                                  : "line " + std::to_string(line) + " column " + std::to_string(col);
    return Status::InvalidArgument("json: " + error_ + " at " + where);
  }

  bool AtEnd() const { return pos_ >= text_.size(); }
  char Peek() const { return text_[pos_]; }

  void SkipWhitespace() {
    while (!AtEnd()) {
      char c = Peek();
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
      ++pos_;
    }
  }

  bool ParseValue(Json* out, int depth) {
    if (AtEnd()) return Fail("unexpected end of input, expected a value");
    char c = Peek();
    switch (c) {
      case '{': return ParseObject(out, depth + 1);
      case '[': return ParseArray(out, depth + 1);
      case '"':
        out->type_ = Json::Type::kString;
        return ParseString(&out->string_);
      case 't': return ParseLiteral("true", out, Json::Bool(true));
      case 'f': return ParseLiteral("false", out, Json::Bool(false));
      case 'n': return ParseLiteral("null", out, Json::Null());
      default:
        if (c == '-' || (c >= '0' && c <= '9')) return ParseNumber(out);
        return Fail(std::string("unexpected character ") + Describe(c));
    }
  }

  static std::string Describe(char c) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u < 0x7F) return std::string("'") + c + "'";
    static constexpr char kHex[] = "0123456789abcdef";
    return std::string("byte 0x") + kHex[u >> 4] + kHex[u & 0xF];
  }

  bool ParseLiteral(std::string_view word, Json* out, Json value) {
    if (text_.substr(pos_, word.size()) != word) return Fail("invalid literal, expected " + std::string(word));
    pos_ += word.size();
    *out = std::move(value);
    return true;
  }

  bool CheckDepth(int depth) {
    if (depth > limits_.max_depth) {
      return Fail("nesting deeper than " + std::to_string(limits_.max_depth) + " levels");
    }
    return true;
  }

  bool ParseArray(Json* out, int depth) {
    if (!CheckDepth(depth)) return false;
    ++pos_;  // '['
    out->type_ = Json::Type::kArray;
    SkipWhitespace();
    if (!AtEnd() && Peek() == ']') {
      ++pos_;
      return true;
    }
    while (true) {
      SkipWhitespace();
      Json item;
      if (!ParseValue(&item, depth)) return false;
      out->array_.push_back(std::move(item));
      SkipWhitespace();
      if (AtEnd()) return Fail("unexpected end of input in array, expected ',' or ']'");
      char c = Peek();
      ++pos_;
      if (c == ']') return true;
      if (c != ',') return FailAt(pos_ - 1, "expected ',' or ']' in array, got " + Describe(c));
    }
  }

  bool ParseObject(Json* out, int depth) {
    if (!CheckDepth(depth)) return false;
    ++pos_;  // '{'
    out->type_ = Json::Type::kObject;
    SkipWhitespace();
    if (!AtEnd() && Peek() == '}') {
      ++pos_;
      return true;
    }
    while (true) {
      SkipWhitespace();
      if (AtEnd()) return Fail("unexpected end of input in object, expected a key");
      if (Peek() != '"') return Fail("expected a string key in object, got " + Describe(Peek()));
      JsonMember member;
      if (!ParseString(&member.key)) return false;
      SkipWhitespace();
      if (AtEnd()) return Fail("unexpected end of input, expected ':' after object key");
      if (Peek() != ':') return Fail("expected ':' after object key, got " + Describe(Peek()));
      ++pos_;
      SkipWhitespace();
      if (!ParseValue(&member.value, depth)) return false;
      out->object_.push_back(std::move(member));
      SkipWhitespace();
      if (AtEnd()) return Fail("unexpected end of input in object, expected ',' or '}'");
      char c = Peek();
      ++pos_;
      if (c == '}') return true;
      if (c != ',') return FailAt(pos_ - 1, "expected ',' or '}' in object, got " + Describe(c));
    }
  }

  // Number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
  bool ParseNumber(Json* out) {
    size_t start = pos_;
    auto digits = [this]() {
      size_t n = 0;
      while (!AtEnd() && Peek() >= '0' && Peek() <= '9') {
        ++pos_;
        ++n;
      }
      return n;
    };
    if (Peek() == '-') ++pos_;
    if (AtEnd()) return Fail("expected a digit after '-'");
    if (Peek() == '0') {
      ++pos_;
      if (!AtEnd() && Peek() >= '0' && Peek() <= '9') return Fail("leading zeros are not allowed in numbers");
    } else if (digits() == 0) {
      return Fail("expected a digit in number");
    }
    bool integer = true;
    if (!AtEnd() && Peek() == '.') {
      integer = false;
      ++pos_;
      if (digits() == 0) return Fail("expected a digit after the decimal point");
    }
    if (!AtEnd() && (Peek() == 'e' || Peek() == 'E')) {
      integer = false;
      ++pos_;
      if (!AtEnd() && (Peek() == '+' || Peek() == '-')) ++pos_;
      if (digits() == 0) return Fail("expected a digit in the exponent");
    }
    const char* first = text_.data() + start;
    const char* last = text_.data() + pos_;
    double d = 0.0;
    std::from_chars_result r = std::from_chars(first, last, d);
    if (r.ec == std::errc::result_out_of_range) {
      // Underflow to zero is harmless; overflow to infinity is not.
      if (IsTiny(std::string_view(first, last - first))) {
        d = (*first == '-') ? -0.0 : 0.0;
      } else {
        return FailAt(start, "number out of range");
      }
    } else if (r.ec != std::errc() || r.ptr != last || !std::isfinite(d)) {
      return FailAt(start, "number out of range");
    }
    out->type_ = Json::Type::kNumber;
    out->number_ = d;
    out->integer_literal_ = integer;
    if (integer) {
      int64_t i = 0;
      std::from_chars_result ri = std::from_chars(first, last, i);
      out->int_exact_ = ri.ec == std::errc() && ri.ptr == last;
      out->int_ = out->int_exact_ ? i : 0;
    }
    return true;
  }

  // True when the (grammatical) number has a negative exponent, i.e. an
  // out-of-range result is an underflow.
  static bool IsTiny(std::string_view num) {
    size_t e = num.find_first_of("eE");
    return e != std::string_view::npos && e + 1 < num.size() && num[e + 1] == '-';
  }

  static void AppendUtf8(uint32_t cp, std::string* out) {
    if (cp < 0x80) {
      out->push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }

  // Reads 4 hex digits after "\u".
  bool ParseHex4(uint32_t* cp) {
    if (text_.size() - pos_ < 4) {
      pos_ = text_.size();
      return Fail("unexpected end of input in \\u escape");
    }
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) {
      char c = text_[pos_];
      v <<= 4;
      if (c >= '0' && c <= '9') v |= static_cast<uint32_t>(c - '0');
      else if (c >= 'a' && c <= 'f') v |= static_cast<uint32_t>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F') v |= static_cast<uint32_t>(c - 'A' + 10);
      else return Fail("invalid hex digit in \\u escape");
      ++pos_;
    }
    *cp = v;
    return true;
  }

  bool ParseEscape(std::string* out) {
    size_t start = pos_ - 1;  // the backslash
    if (AtEnd()) return Fail("unexpected end of input in escape");
    char c = Peek();
    ++pos_;
    switch (c) {
      case '"': out->push_back('"'); return true;
      case '\\': out->push_back('\\'); return true;
      case '/': out->push_back('/'); return true;
      case 'b': out->push_back('\b'); return true;
      case 'f': out->push_back('\f'); return true;
      case 'n': out->push_back('\n'); return true;
      case 'r': out->push_back('\r'); return true;
      case 't': out->push_back('\t'); return true;
      case 'u': break;
      default: return FailAt(start, "invalid escape \\" + Describe(c));
    }
    uint32_t cp = 0;
    if (!ParseHex4(&cp)) return false;
    if (cp >= 0xDC00 && cp <= 0xDFFF) return FailAt(start, "lone low surrogate in \\u escape");
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      if (text_.substr(pos_, 2) != "\\u") return FailAt(start, "high surrogate not followed by a low surrogate");
      pos_ += 2;
      uint32_t low = 0;
      if (!ParseHex4(&low)) return false;
      if (low < 0xDC00 || low > 0xDFFF) return FailAt(start, "high surrogate not followed by a low surrogate");
      cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
    }
    AppendUtf8(cp, out);
    return true;
  }

  bool ParseString(std::string* out) {
    ++pos_;  // opening quote
    out->clear();
    while (true) {
      if (AtEnd()) return Fail("unexpected end of input in string");
      if (out->size() > limits_.max_string_bytes) {
        return Fail("string longer than " + std::to_string(limits_.max_string_bytes) + " bytes");
      }
      char c = Peek();
      unsigned char u = static_cast<unsigned char>(c);
      if (c == '"') {
        if (out->size() > limits_.max_string_bytes) {
          return Fail("string longer than " + std::to_string(limits_.max_string_bytes) + " bytes");
        }
        ++pos_;
        return true;
      }
      if (c == '\\') {
        ++pos_;
        if (!ParseEscape(out)) return false;
      } else if (u < 0x20) {
        return Fail("unescaped control character " + Describe(c) + " in string");
      } else if (u < 0x80) {
        out->push_back(c);
        ++pos_;
      } else {
        size_t n = Utf8SequenceLength(text_, pos_);
        if (n == 0) return Fail("invalid UTF-8 in string");
        out->append(text_.data() + pos_, n);
        pos_ += n;
      }
    }
  }

  std::string_view text_;
  JsonLimits limits_;
  size_t pos_ = 0;
  std::string error_;
  size_t error_pos_ = 0;
};

Result<Json> ParseJson(std::string_view text, const JsonLimits& limits) {
  JsonParser parser(text, limits);
  return parser.ParseDocument();
}

}  // namespace driftline
