#include "exporter/util/status.h"

#include <cerrno>
#include <cstring>

namespace mailrep {

std::string_view StatusCodeName(Status::Code code) {
  switch (code) {
    case Status::Code::kOk:
      return "ok";
    case Status::Code::kInvalidArgument:
      return "invalid_argument";
    case Status::Code::kNotFound:
      return "not_found";
    case Status::Code::kPermissionDenied:
      return "permission_denied";
    case Status::Code::kIoError:
      return "io_error";
    case Status::Code::kUnavailable:
      return "unavailable";
    case Status::Code::kDeadlineExceeded:
      return "deadline_exceeded";
    case Status::Code::kCancelled:
      return "cancelled";
    case Status::Code::kResourceExhausted:
      return "resource_exhausted";
    case Status::Code::kInternal:
      return "internal";
  }
  return "unknown";
}

Status StatusFromErrno(int err, const std::string& what) {
  std::string message = what + ": " + std::strerror(err);
  if (err == ENOENT || err == ENOTDIR) return Status::NotFound(std::move(message));
  if (err == EACCES || err == EPERM) return Status::PermissionDenied(std::move(message));
  return Status::IoError(std::move(message));
}

std::string Status::ToString() const {
  if (ok()) return "OK";
  return std::string(StatusCodeName(code_)) + ": " + message_;
}

Status Status::Annotate(const std::string& prefix) const {
  if (ok()) return *this;
  return Status(code_, prefix + ": " + message_);
}

}  // namespace mailrep
