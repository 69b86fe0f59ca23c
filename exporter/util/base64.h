// Base64 (RFC 4648 §4, the standard alphabet) decoding, for DKIM keys and
// HTTP basic auth. Padding may be left off; when present it must complete the
// last group. No white space is skipped: callers strip what their format allows.
#ifndef MAILREP_EXPORTER_UTIL_BASE64_H_
#define MAILREP_EXPORTER_UTIL_BASE64_H_

#include <string>
#include <string_view>

#include "exporter/util/status.h"

namespace mailrep {

// The decoded bytes, or InvalidArgument saying what is wrong ("base64: bad
// padding", "base64: invalid character '\"'", ...).
StatusOr<std::string> DecodeBase64(std::string_view text);

}  // namespace mailrep

#endif  // MAILREP_EXPORTER_UTIL_BASE64_H_
