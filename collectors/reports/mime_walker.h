// WalkMime: the leaf parts of a mail (RFC 2045/2046), their bodies decoded
// from base64 or quoted-printable — what the report reader looks through for
// a report. Multiparts are walked (nesting and part count capped);
// message/rfc822 and text/rfc822-headers parts are leaves (an ARF report's
// original message is read, not walked). Lenient where reporters are
// sloppy: base64 lines of any length, a missing closing boundary. Bodies are
// copies; memory is bounded by the input size plus max_part_bytes per leaf.
// Stateless; thread-safe.
#ifndef MAILREP_COLLECTORS_REPORTS_MIME_WALKER_H_
#define MAILREP_COLLECTORS_REPORTS_MIME_WALKER_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "collectors/reports/mail_headers.h"
#include "exporter/util/status.h"

namespace mailrep {

struct MimeLimits {
  int max_depth = 8;      // multipart inside multipart ...
  size_t max_parts = 64;  // parts of every level, counted together
  size_t max_part_bytes = 32 << 20;
};

struct MimePart {
  MimeValue content_type;  // "text/plain" when absent
  std::string filename;    // Content-Disposition filename, else Content-Type name
  std::string body;        // transfer-decoded
  int depth = 0;           // 0 for the message itself
};

// The leaves, in order. mime_syntax, mime_too_deep, mime_too_many_parts,
// bad_base64 or too_large when it cannot be walked.
StatusOr<std::vector<MimePart>> WalkMime(std::string_view message, const MimeLimits& limits = {});

// Base64 with white space anywhere (any line length) skipped: bad_base64 for
// other characters outside the alphabet.
StatusOr<std::string> DecodeMimeBase64(std::string_view text);

// Quoted-printable (RFC 2045 §6.7); malformed escapes are kept as written.
std::string DecodeQuotedPrintable(std::string_view text);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_REPORTS_MIME_WALKER_H_
