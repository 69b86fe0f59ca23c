// Mail header blocks (RFC 5322 §2.2 fields, folded lines unfolded) and the
// Content-Type / Content-Disposition values of MIME (RFC 2045 §5, RFC 2183,
// RFC 2231 parameters): what the report reader needs from a mail, its parts,
// an ARF message/feedback-report part (the same field syntax) and an original
// message's headers, and what the content analysis reads of an outgoing
// message. Lenient as mail readers are: LF or CRLF, an mbox "From " line
// first is skipped. Bounded: at most kMaxHeaderFields fields, each unfolded
// value cut at kMaxHeaderValue bytes. Stateless; thread-safe.
#ifndef MAILREP_COLLECTORS_MAIL_MAIL_HEADERS_H_
#define MAILREP_COLLECTORS_MAIL_MAIL_HEADERS_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "exporter/util/status.h"

namespace mailrep {

inline constexpr size_t kMaxHeaderFields = 1000;
inline constexpr size_t kMaxHeaderValue = 16384;

struct MailHeader {
  std::string name;   // as written
  std::string value;  // unfolded, leading and trailing white space removed
};

struct MailHeaders {
  std::vector<MailHeader> fields;
  // The first field named `name` (case-blind), or none.
  std::optional<std::string_view> Get(std::string_view name) const;
  // Every field named `name` (case-blind), in order.
  std::vector<std::string_view> GetAll(std::string_view name) const;
};

// Splits a message (or MIME part) at the first empty line: {header block,
// body}. No empty line: all of it is the header block and the body is empty.
std::pair<std::string_view, std::string_view> SplitHeaderBody(std::string_view message);

// The fields of a header block. mime_syntax (mail_error.h) when a line is
// neither a field ("Name: value") nor a continuation, or past
// kMaxHeaderFields.
StatusOr<MailHeaders> ParseMailHeaders(std::string_view block);

// What ParseMailHeadersLenient passed over.
struct HeaderDefects {
  size_t bad_lines = 0;          // neither a field nor a continuation (skipped)
  bool too_many_fields = false;  // fields past kMaxHeaderFields (dropped)
};

// The same fields, never failing: broken lines are skipped, fields past the
// cap dropped, and both noted in *defects.
MailHeaders ParseMailHeadersLenient(std::string_view block, HeaderDefects* defects);

// True when `text` starts with a header field line (or an mbox "From " line).
bool LooksLikeMail(std::string_view text);

// A Content-Type or Content-Disposition value: the lower-cased token before
// the first ';' and the parameters (names lower-cased, quoted values
// unquoted). RFC 2231 parameters are joined and decoded: `name*0`, `name*1`
// ... in order make `name`, and an extended value (`name*=utf-8'en'a%20b`,
// `name*0*=...`) has its charset and language dropped and %XX decoded (the
// bytes are kept in their charset). At most 32 parameters.
struct MimeValue {
  std::string token;  // "multipart/report", "attachment"
  std::vector<std::pair<std::string, std::string>> params;
  std::optional<std::string_view> Param(std::string_view name) const;
};
MimeValue ParseMimeValue(std::string_view value);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_MAIL_MAIL_HEADERS_H_
