#include "collectors/mail/mail_error.h"

#include <string>

namespace mailrep {

std::string_view MailErrorName(MailError error) {
  switch (error) {
    case MailError::kMimeSyntax:
      return "mime_syntax";
    case MailError::kMimeTooDeep:
      return "mime_too_deep";
    case MailError::kMimeTooManyParts:
      return "mime_too_many_parts";
    case MailError::kBadBase64:
      return "bad_base64";
    case MailError::kTooLarge:
      return "too_large";
  }
  return "unknown";
}

Status MailErrorStatus(MailError error, std::string_view detail) {
  std::string message = std::string(MailErrorName(error)) + ": " + std::string(detail);
  switch (error) {
    case MailError::kMimeTooDeep:
    case MailError::kMimeTooManyParts:
    case MailError::kTooLarge:
      return Status::ResourceExhausted(std::move(message));
    default:
      return Status::InvalidArgument(std::move(message));
  }
}

}  // namespace mailrep
