// The RFC 5322 / MIME format problems of one message, as bounded codes (the
// milter's `problem` label values and `check message`'s format_problems):
//
//   from_missing, from_repeated            exactly one From (RFC 5322 §3.6)
//   date_missing, date_repeated            exactly one Date
//   message_id_missing, message_id_repeated  exactly one Message-ID (required
//                                          of a sender in practice; the RFC says SHOULD)
//   field_repeated                         Sender, Reply-To, To, Cc, Bcc, Subject,
//                                          In-Reply-To or References more than once
//   header_syntax                          a header line that is neither a field nor
//                                          a continuation (in the message or a part)
//   line_too_long                          a line over 998 octets without its CRLF (§2.1.1)
//   bare_lf                                a line ending in LF alone among CRLF lines
//                                          (a file whose every line ends in LF is a
//                                          Unix copy of a CRLF message, not bare LF)
//   mime_no_boundary, mime_boundary_not_found, mime_not_closed, mime_too_deep,
//   mime_too_many_parts, mime_bad_base64, mime_part_too_large
//                                          the MIME walk's defects (mime_walker.h)
//
// Pure; thread-safe.
#ifndef MAILREP_COLLECTORS_CONTENT_FORMAT_PROBLEMS_H_
#define MAILREP_COLLECTORS_CONTENT_FORMAT_PROBLEMS_H_

#include <cstddef>
#include <string_view>
#include <vector>

#include "collectors/mail/mail_headers.h"
#include "collectors/mail/mime_walker.h"

namespace mailrep {

enum class FormatProblem {
  kFromMissing,
  kFromRepeated,
  kDateMissing,
  kDateRepeated,
  kMessageIdMissing,
  kMessageIdRepeated,
  kFieldRepeated,
  kHeaderSyntax,
  kLineTooLong,
  kBareLf,
  kMimeNoBoundary,
  kMimeBoundaryNotFound,
  kMimeNotClosed,
  kMimeTooDeep,
  kMimeTooManyParts,
  kMimeBadBase64,
  kMimePartTooLarge,
};
inline constexpr size_t kFormatProblemCount = 17;
std::string_view FormatProblemName(FormatProblem problem);

// The problems of `message` (its bytes), whose top-level fields are
// `headers` (parsed leniently, with `header_defects`) and MIME walk `walk`:
// each problem once, in enum order.
std::vector<FormatProblem> FindFormatProblems(std::string_view message, const MailHeaders& headers,
                                              const HeaderDefects& header_defects,
                                              const MimeWalk& walk);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_CONTENT_FORMAT_PROBLEMS_H_
