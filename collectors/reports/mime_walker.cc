#include "collectors/reports/mime_walker.h"

#include "collectors/reports/report_invalid_reason.h"
#include "exporter/util/ascii.h"
#include "exporter/util/base64.h"

namespace mailrep {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// A delimiter line "--boundary" (or the close "--boundary--"), white space after it allowed.
enum class Delimiter { kNone, kPart, kClose };

Delimiter DelimiterOf(std::string_view line, std::string_view boundary) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (line.size() < boundary.size() + 2 || line.substr(0, 2) != "--" ||
      line.substr(2, boundary.size()) != boundary) {
    return Delimiter::kNone;
  }
  std::string_view rest = line.substr(2 + boundary.size());
  Delimiter kind = Delimiter::kPart;
  if (rest.substr(0, 2) == "--") {
    kind = Delimiter::kClose;
    rest.remove_prefix(2);
  }
  for (char c : rest) {
    if (c != ' ' && c != '\t') return Delimiter::kNone;
  }
  return kind;
}

class Walker {
 public:
  explicit Walker(const MimeLimits& limits) : limits_(limits) {}

  Status Walk(std::string_view entity, int depth) {
    if (depth > limits_.max_depth) {
      return InvalidReport(ReportInvalidReason::kMimeTooDeep,
                           "multiparts nested deeper than " + std::to_string(limits_.max_depth));
    }
    if (++parts_ > limits_.max_parts) {
      return InvalidReport(ReportInvalidReason::kMimeTooManyParts,
                           "more than " + std::to_string(limits_.max_parts) + " parts");
    }
    auto [block, body] = SplitHeaderBody(entity);
    StatusOr<MailHeaders> headers = ParseMailHeaders(block);
    if (!headers.ok()) return headers.status();
    MimeValue type = ParseMimeValue(headers->Get("Content-Type").value_or("text/plain"));
    if (type.token.empty() || type.token.find('/') == std::string::npos) type.token = "text/plain";
    if (type.token.rfind("multipart/", 0) == 0) {
      std::optional<std::string_view> boundary = type.Param("boundary");
      if (!boundary || boundary->empty()) {
        return InvalidReport(ReportInvalidReason::kMimeSyntax, "a multipart without a boundary");
      }
      return Multipart(body, *boundary, depth);
    }
    MimePart part;
    part.depth = depth;
    MimeValue disposition = ParseMimeValue(headers->Get("Content-Disposition").value_or(""));
    part.filename = disposition.Param("filename").value_or(type.Param("name").value_or(""));
    part.content_type = std::move(type);
    std::string encoding = ToLowerAscii(headers->Get("Content-Transfer-Encoding").value_or(""));
    if (encoding == "base64") {
      StatusOr<std::string> decoded = DecodeMimeBase64(body);
      if (!decoded.ok()) return decoded.status();
      part.body = std::move(decoded).value();
    } else if (encoding == "quoted-printable") {
      part.body = DecodeQuotedPrintable(body);
    } else {
      part.body = body;
    }
    if (part.body.size() > limits_.max_part_bytes) {
      return InvalidReport(ReportInvalidReason::kTooLarge,
                           "a part over " + std::to_string(limits_.max_part_bytes) + " bytes");
    }
    leaves_.push_back(std::move(part));
    return Status::OK();
  }

  std::vector<MimePart> Take() { return std::move(leaves_); }

 private:
  Status Multipart(std::string_view body, std::string_view boundary, int depth) {
    // Each part runs from after its delimiter line to the line break before
    // the next delimiter (that line break belongs to the delimiter).
    size_t at = 0;
    size_t part_start = std::string_view::npos;
    bool any = false;
    while (at <= body.size()) {
      size_t nl = body.find('\n', at);
      size_t line_end = nl == std::string_view::npos ? body.size() : nl;
      Delimiter d = DelimiterOf(body.substr(at, line_end - at), boundary);
      if (d != Delimiter::kNone) {
        any = true;
        if (part_start != std::string_view::npos) {
          size_t end = at;
          if (end > part_start && body[end - 1] == '\n') --end;
          if (end > part_start && body[end - 1] == '\r') --end;
          if (Status s = Walk(body.substr(part_start, end - part_start), depth + 1); !s.ok()) {
            return s;
          }
        }
        if (d == Delimiter::kClose) return Status::OK();
        part_start = nl == std::string_view::npos ? body.size() : nl + 1;
      }
      if (nl == std::string_view::npos) break;
      at = nl + 1;
    }
    if (!any) {
      return InvalidReport(ReportInvalidReason::kMimeSyntax, "a multipart without its boundary");
    }
    // No closing delimiter: the last part runs to the end.
    if (part_start != std::string_view::npos && part_start < body.size()) {
      return Walk(body.substr(part_start), depth + 1);
    }
    return Status::OK();
  }

  const MimeLimits& limits_;
  size_t parts_ = 0;
  std::vector<MimePart> leaves_;
};

}  // namespace

StatusOr<std::string> DecodeMimeBase64(std::string_view text) {
  std::string compact;
  compact.reserve(text.size());
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
    compact += c;
  }
  StatusOr<std::string> decoded = DecodeBase64(compact);
  if (!decoded.ok()) {
    return InvalidReport(ReportInvalidReason::kBadBase64, decoded.status().message());
  }
  return decoded;
}

std::string DecodeQuotedPrintable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c != '=') {
      out += c;
      continue;
    }
    if (text.substr(i + 1, 2) == "\r\n") {  // soft line break
      i += 2;
    } else if (i + 1 < text.size() && text[i + 1] == '\n') {
      i += 1;
    } else if (i + 2 < text.size() && HexValue(text[i + 1]) >= 0 && HexValue(text[i + 2]) >= 0) {
      out += static_cast<char>(HexValue(text[i + 1]) * 16 + HexValue(text[i + 2]));
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

StatusOr<std::vector<MimePart>> WalkMime(std::string_view message, const MimeLimits& limits) {
  Walker walker(limits);
  if (Status s = walker.Walk(message, 0); !s.ok()) return s;
  return walker.Take();
}

}  // namespace mailrep
