// Status and StatusOr<T>: how modules report failure without exceptions.
//
// A Status is either OK or carries a code and a human-readable message that
// names what failed ("config.yml:3:5: collectors.dnsbl.interval: ..."). It is a
// small value type; copy it freely. StatusOr<T> holds either a T or a non-OK
// Status. Neither is thread-safe for concurrent mutation; const access is.
// Both are [[nodiscard]]: a failure is handled, returned, or dropped with a
// (void) cast and a comment saying who else reports it.
#ifndef MAILREP_EXPORTER_UTIL_STATUS_H_
#define MAILREP_EXPORTER_UTIL_STATUS_H_

#include <cassert>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace mailrep {

class [[nodiscard]] Status {
 public:
  enum class Code {
    kOk,
    kInvalidArgument,
    kNotFound,
    kPermissionDenied,
    kIoError,
    kUnavailable,
    kDeadlineExceeded,
    kCancelled,
    kResourceExhausted,  // a size or count cap was reached
    kInternal,
  };

  Status() = default;
  Status(Code code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status OK() { return Status(); }
  static Status InvalidArgument(std::string msg) {
    return {Code::kInvalidArgument, std::move(msg)};
  }
  static Status NotFound(std::string msg) { return {Code::kNotFound, std::move(msg)}; }
  static Status PermissionDenied(std::string msg) {
    return {Code::kPermissionDenied, std::move(msg)};
  }
  static Status IoError(std::string msg) { return {Code::kIoError, std::move(msg)}; }
  static Status Unavailable(std::string msg) { return {Code::kUnavailable, std::move(msg)}; }
  static Status DeadlineExceeded(std::string msg) {
    return {Code::kDeadlineExceeded, std::move(msg)};
  }
  static Status Cancelled(std::string msg) { return {Code::kCancelled, std::move(msg)}; }
  static Status ResourceExhausted(std::string msg) {
    return {Code::kResourceExhausted, std::move(msg)};
  }
  static Status Internal(std::string msg) { return {Code::kInternal, std::move(msg)}; }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }

  // "OK", or "<code name>: <message>".
  std::string ToString() const;

  // Returns a copy whose message is "<prefix>: <message>"; OK stays OK.
  Status Annotate(const std::string& prefix) const;

 private:
  Code code_ = Code::kOk;
  std::string message_;
};

// The Status for a failed system call's errno: NotFound for ENOENT/ENOTDIR,
// PermissionDenied for EACCES/EPERM, IoError otherwise; the message is
// "<what>: <strerror>".
Status StatusFromErrno(int err, const std::string& what);

// Name of a code in snake_case ("invalid_argument"), usable as a label value.
std::string_view StatusCodeName(Status::Code code);

template <typename T>
class [[nodiscard]] StatusOr {
 public:
  // Implicit by design, so functions can `return value;` or `return status;`.
  StatusOr(T value) : value_(std::move(value)) {}  // NOLINT
  StatusOr(Status status) : value_(std::move(status)) {
    assert(!std::get<Status>(value_).ok());
  }  // NOLINT

  bool ok() const { return std::holds_alternative<T>(value_); }
  Status status() const { return ok() ? Status::OK() : std::get<Status>(value_); }

  // Requires ok().
  const T& value() const& { return std::get<T>(value_); }
  T& value() & { return std::get<T>(value_); }
  T&& value() && { return std::get<T>(std::move(value_)); }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

 private:
  std::variant<Status, T> value_;
};

}  // namespace mailrep

#endif  // MAILREP_EXPORTER_UTIL_STATUS_H_
