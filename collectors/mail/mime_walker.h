// WalkMime: the leaf parts of a mail (RFC 2045/2046), their bodies decoded
// from base64 or quoted-printable — what the report reader looks through for
// a report, and what the content analysis reads links and attachments from.
// Multiparts are walked (nesting and part count capped); message/rfc822 and
// text/rfc822-headers parts are leaves (an ARF report's original message is
// read, not walked). File names are RFC 2231-joined and RFC 2047-decoded.
//
// Two modes over one walk:
//  - WalkMime (strict, for reports): the first defect but a missing closing
//    boundary is an error (mail_error.h). Lenient where reporters are
//    sloppy: base64 lines of any length, a missing closing boundary.
//  - WalkMimeLenient (for outgoing mail): never fails; each defect is noted
//    once and the walk goes on as a mail reader would (a multipart without
//    its boundary reads as one text leaf, a part past the depth or count cap
//    is left out, base64 is decoded past characters outside the alphabet, a
//    part over max_part_bytes is cut there).
//
// Bodies are copies; memory is bounded by the input size plus
// max_part_bytes per leaf; time is linear in the input. Stateless;
// thread-safe.
#ifndef MAILREP_COLLECTORS_MAIL_MIME_WALKER_H_
#define MAILREP_COLLECTORS_MAIL_MIME_WALKER_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "collectors/mail/mail_headers.h"
#include "exporter/util/status.h"

namespace mailrep {

struct MimeLimits {
  int max_depth = 8;      // multipart inside multipart ...
  size_t max_parts = 64;  // parts of every level, counted together
  size_t max_part_bytes = 32 << 20;
};

struct MimePart {
  MimeValue content_type;  // "text/plain" when absent
  MimeValue disposition;   // Content-Disposition; token "" when absent
  std::string filename;    // Content-Disposition filename, else Content-Type name; decoded
  std::string body;        // transfer-decoded
  int depth = 0;           // 0 for the message itself
};

// The leaves, in order. mime_syntax, mime_too_deep, mime_too_many_parts,
// bad_base64 or too_large when it cannot be walked.
StatusOr<std::vector<MimePart>> WalkMime(std::string_view message, const MimeLimits& limits = {});

// What a lenient walk passed over; each is a bounded code.
enum class MimeDefect {
  kHeaderSyntax,      // a header line that is neither a field nor a continuation
  kNoBoundary,        // a multipart without a boundary parameter
  kBoundaryNotFound,  // a multipart whose boundary never occurs in its body
  kNotClosed,         // a multipart without its closing delimiter
  kTooDeep,           // multiparts nested past max_depth (those parts left out)
  kTooManyParts,      // parts past max_parts (left out)
  kBadBase64,         // base64 with characters outside the alphabet or cut short
  kPartTooLarge,      // a decoded part over max_part_bytes (cut there)
};
inline constexpr size_t kMimeDefectCount = 8;
// "header_syntax", "no_boundary", "boundary_not_found", "not_closed",
// "too_deep", "too_many_parts", "bad_base64", "part_too_large".
std::string_view MimeDefectName(MimeDefect defect);

struct MimeWalk {
  std::vector<MimePart> leaves;     // in order
  std::vector<MimeDefect> defects;  // each at most once, in the order met
  bool Has(MimeDefect defect) const;
};
MimeWalk WalkMimeLenient(std::string_view message, const MimeLimits& limits = {});

// Base64 with white space anywhere (any line length) skipped: bad_base64 for
// other characters outside the alphabet.
StatusOr<std::string> DecodeMimeBase64(std::string_view text);

// Quoted-printable (RFC 2045 §6.7); malformed escapes are kept as written.
std::string DecodeQuotedPrintable(std::string_view text);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_MAIL_MIME_WALKER_H_
