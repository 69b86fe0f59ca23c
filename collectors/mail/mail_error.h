// MailError: why a strict mail parser (ParseMailHeaders, WalkMime,
// DecodeMimeBase64) gave up. Its Status message is "<name>: <detail>", the
// name one of mime_syntax, mime_too_deep, mime_too_many_parts, bad_base64 and
// too_large: the names the report intake's reasons carry
// (collectors/reports/report_invalid_reason.h), which read them back, so a
// report mail that does not parse is counted under them. The caps are
// ResourceExhausted, the rest InvalidArgument. Stateless; thread-safe.
#ifndef MAILREP_COLLECTORS_MAIL_MAIL_ERROR_H_
#define MAILREP_COLLECTORS_MAIL_MAIL_ERROR_H_

#include <string_view>

#include "exporter/util/status.h"

namespace mailrep {

enum class MailError {
  kMimeSyntax,        // header lines or a multipart structure that is broken
  kMimeTooDeep,       // multiparts nested deeper than the cap
  kMimeTooManyParts,  // more parts than the cap
  kBadBase64,         // a base64 body with characters outside the alphabet
  kTooLarge,          // a decoded part over its byte cap
};

// "mime_syntax", ...
std::string_view MailErrorName(MailError error);

[[nodiscard]] Status MailErrorStatus(MailError error, std::string_view detail);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_MAIL_MAIL_ERROR_H_
