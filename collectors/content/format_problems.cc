#include "collectors/content/format_problems.h"

#include <array>

namespace mailrep {
namespace {

constexpr size_t kMaxLineOctets = 998;

FormatProblem FromMimeDefect(MimeDefect defect) {
  switch (defect) {
    case MimeDefect::kHeaderSyntax:
      return FormatProblem::kHeaderSyntax;
    case MimeDefect::kNoBoundary:
      return FormatProblem::kMimeNoBoundary;
    case MimeDefect::kBoundaryNotFound:
      return FormatProblem::kMimeBoundaryNotFound;
    case MimeDefect::kNotClosed:
      return FormatProblem::kMimeNotClosed;
    case MimeDefect::kTooDeep:
      return FormatProblem::kMimeTooDeep;
    case MimeDefect::kTooManyParts:
      return FormatProblem::kMimeTooManyParts;
    case MimeDefect::kBadBase64:
      return FormatProblem::kMimeBadBase64;
    case MimeDefect::kPartTooLarge:
      return FormatProblem::kMimePartTooLarge;
  }
  return FormatProblem::kHeaderSyntax;
}

}  // namespace

std::string_view FormatProblemName(FormatProblem problem) {
  switch (problem) {
    case FormatProblem::kFromMissing:
      return "from_missing";
    case FormatProblem::kFromRepeated:
      return "from_repeated";
    case FormatProblem::kDateMissing:
      return "date_missing";
    case FormatProblem::kDateRepeated:
      return "date_repeated";
    case FormatProblem::kMessageIdMissing:
      return "message_id_missing";
    case FormatProblem::kMessageIdRepeated:
      return "message_id_repeated";
    case FormatProblem::kFieldRepeated:
      return "field_repeated";
    case FormatProblem::kHeaderSyntax:
      return "header_syntax";
    case FormatProblem::kLineTooLong:
      return "line_too_long";
    case FormatProblem::kBareLf:
      return "bare_lf";
    case FormatProblem::kMimeNoBoundary:
      return "mime_no_boundary";
    case FormatProblem::kMimeBoundaryNotFound:
      return "mime_boundary_not_found";
    case FormatProblem::kMimeNotClosed:
      return "mime_not_closed";
    case FormatProblem::kMimeTooDeep:
      return "mime_too_deep";
    case FormatProblem::kMimeTooManyParts:
      return "mime_too_many_parts";
    case FormatProblem::kMimeBadBase64:
      return "mime_bad_base64";
    case FormatProblem::kMimePartTooLarge:
      return "mime_part_too_large";
  }
  return "unknown";
}

std::vector<FormatProblem> FindFormatProblems(std::string_view message, const MailHeaders& headers,
                                              const HeaderDefects& header_defects,
                                              const MimeWalk& walk) {
  std::array<bool, kFormatProblemCount> found{};
  auto mark = [&](FormatProblem p) { found[static_cast<size_t>(p)] = true; };
  auto exactly_one = [&](std::string_view field, FormatProblem missing, FormatProblem repeated) {
    size_t n = headers.GetAll(field).size();
    if (n == 0) mark(missing);
    if (n > 1) mark(repeated);
  };
  exactly_one("From", FormatProblem::kFromMissing, FormatProblem::kFromRepeated);
  exactly_one("Date", FormatProblem::kDateMissing, FormatProblem::kDateRepeated);
  exactly_one("Message-ID", FormatProblem::kMessageIdMissing, FormatProblem::kMessageIdRepeated);
  for (std::string_view field :
       {"Sender", "Reply-To", "To", "Cc", "Bcc", "Subject", "In-Reply-To", "References"}) {
    if (headers.GetAll(field).size() > 1) mark(FormatProblem::kFieldRepeated);
  }
  if (header_defects.bad_lines > 0 || header_defects.too_many_fields) {
    mark(FormatProblem::kHeaderSyntax);
  }
  for (MimeDefect d : walk.defects) mark(FromMimeDefect(d));

  size_t crlf = 0;
  size_t lf = 0;
  size_t line_start = 0;
  for (size_t i = message.find('\n'); i != std::string_view::npos; i = message.find('\n', i + 1)) {
    bool cr = i > 0 && message[i - 1] == '\r';
    ++(cr ? crlf : lf);
    if (i - line_start - (cr ? 1 : 0) > kMaxLineOctets) mark(FormatProblem::kLineTooLong);
    line_start = i + 1;
  }
  if (message.size() - line_start > kMaxLineOctets) mark(FormatProblem::kLineTooLong);
  if (crlf > 0 && lf > 0) mark(FormatProblem::kBareLf);

  std::vector<FormatProblem> out;
  for (size_t i = 0; i < kFormatProblemCount; ++i) {
    if (found[i]) out.push_back(static_cast<FormatProblem>(i));
  }
  return out;
}

}  // namespace mailrep
