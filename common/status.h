// Errors as values. A Status is either ok or carries a code and a one-line
// message meant for a human ("events.jsonl:12: label must be 0 or 1").
// Result<T> is a T or a non-ok Status. Nothing in driftline throws across a
// module boundary; a crash is for a programmer's bug, never for input.
//
// Thread safety: plain values; safe to copy between threads.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace driftline {

class [[nodiscard]] Status {
 public:
  // DO NOT CHANGE THESE VALUES: they travel in error replies on the wire.
  enum class Code : int {
    kOk = 0,
    kInvalidArgument = 1,   // the caller sent something malformed or out of range
    kNotFound = 2,          // a named thing (file, version, key) does not exist
    kCorruption = 3,        // stored or received bytes fail their own checks
    kIoError = 4,           // the operating system or a library failed
    kUnavailable = 5,       // a peer or resource is not there right now
    kDeadlineExceeded = 6,  // an answer did not come in time
    kFailedPrecondition = 7,// the request is valid but the state forbids it
    kResourceExhausted = 8, // a size or count limit was hit
    kInternal = 9,          // a bug: an invariant did not hold
  };

  Status() = default;  // ok
  Status(Code code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string m) { return {Code::kInvalidArgument, std::move(m)}; }
  static Status NotFound(std::string m) { return {Code::kNotFound, std::move(m)}; }
  static Status Corruption(std::string m) { return {Code::kCorruption, std::move(m)}; }
  static Status IoError(std::string m) { return {Code::kIoError, std::move(m)}; }
  static Status Unavailable(std::string m) { return {Code::kUnavailable, std::move(m)}; }
  static Status DeadlineExceeded(std::string m) { return {Code::kDeadlineExceeded, std::move(m)}; }
  static Status FailedPrecondition(std::string m) { return {Code::kFailedPrecondition, std::move(m)}; }
  static Status ResourceExhausted(std::string m) { return {Code::kResourceExhausted, std::move(m)}; }
  static Status Internal(std::string m) { return {Code::kInternal, std::move(m)}; }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }

  // Swallowing an error takes an explicit call (Status is [[nodiscard]]):
  // for the rare place where the outcome truly does not matter, with a
  // comment saying why.
  void IgnoreError() const {}

  // "invalid argument: <message>", or "ok".
  std::string ToString() const;
  static const char* CodeName(Code code);

 private:
  Code code_ = Code::kOk;
  std::string message_;
};

// A value or the Status explaining why there is none.
// REQUIRES: a Result is built from a non-ok Status only.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {  // NOLINT
    assert(!std::get<Status>(v_).ok());
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  // REQUIRES: ok()
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  // Ok() when a value is held.
  Status status() const { return ok() ? Status::Ok() : std::get<Status>(v_); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace driftline

// Returns early from the enclosing function with a non-ok Status.
#define DRIFTLINE_RETURN_IF_ERROR(expr)         \
  do {                                          \
    ::driftline::Status _st = (expr);           \
    if (!_st.ok()) return _st;                  \
  } while (0)
