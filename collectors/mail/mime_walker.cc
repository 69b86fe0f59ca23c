#include "collectors/mail/mime_walker.h"

#include <array>
#include <cstdint>
#include <optional>

#include "collectors/mail/encoded_words.h"
#include "collectors/mail/mail_error.h"
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

// Base64 as a mail reader decodes it: characters outside the alphabet
// skipped, decoding stopped at the padding, a last group cut short dropped.
// *clean is false when anything had to be skipped or dropped.
std::string DecodeBase64Leniently(std::string_view text, bool* clean) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  std::string out;
  out.reserve(text.size() / 4 * 3);
  uint32_t group = 0;
  int have = 0;
  *clean = true;
  size_t i = 0;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (c == '=') break;
    int v = value(c);
    if (v < 0) {
      if (c != ' ' && c != '\t' && c != '\r' && c != '\n') *clean = false;
      continue;
    }
    group = (group << 6) | static_cast<uint32_t>(v);
    if (++have == 4) {
      out += static_cast<char>(group >> 16);
      out += static_cast<char>(group >> 8);
      out += static_cast<char>(group);
      group = 0;
      have = 0;
    }
  }
  if (have == 1) {
    *clean = false;
  } else if (have == 2) {
    out += static_cast<char>(group >> 4);
  } else if (have == 3) {
    out += static_cast<char>(group >> 10);
    out += static_cast<char>(group >> 2);
  }
  for (; i < text.size(); ++i) {  // after the padding: only more padding and white space
    char c = text[i];
    if (c != '=' && c != ' ' && c != '\t' && c != '\r' && c != '\n') *clean = false;
  }
  return out;
}

class Walker {
 public:
  Walker(const MimeLimits& limits, MimeWalk* lenient) : limits_(limits), lenient_(lenient) {}

  Status Walk(std::string_view entity, int depth) {
    if (depth > limits_.max_depth) {
      if (!lenient_) {
        return MailErrorStatus(MailError::kMimeTooDeep, "multiparts nested deeper than " +
                                                            std::to_string(limits_.max_depth));
      }
      Note(MimeDefect::kTooDeep);
      return Status::OK();
    }
    if (++parts_ > limits_.max_parts) {
      if (!lenient_) {
        return MailErrorStatus(MailError::kMimeTooManyParts,
                               "more than " + std::to_string(limits_.max_parts) + " parts");
      }
      Note(MimeDefect::kTooManyParts);
      return Status::OK();
    }
    auto [block, body] = SplitHeaderBody(entity);
    MailHeaders headers;
    if (lenient_) {
      HeaderDefects defects;
      headers = ParseMailHeadersLenient(block, &defects);
      if (defects.bad_lines > 0 || defects.too_many_fields) Note(MimeDefect::kHeaderSyntax);
    } else {
      StatusOr<MailHeaders> parsed = ParseMailHeaders(block);
      if (!parsed.ok()) return parsed.status();
      headers = std::move(parsed).value();
    }
    MimeValue type = ParseMimeValue(headers.Get("Content-Type").value_or("text/plain"));
    if (type.token.empty() || type.token.find('/') == std::string::npos) type.token = "text/plain";
    if (type.token.rfind("multipart/", 0) == 0) {
      std::optional<std::string_view> boundary = type.Param("boundary");
      if (!boundary || boundary->empty()) {
        if (!lenient_) {
          return MailErrorStatus(MailError::kMimeSyntax, "a multipart without a boundary");
        }
        Note(MimeDefect::kNoBoundary);
        type.token = "text/plain";  // read as the text it is
      } else {
        std::string boundary_copy(*boundary);
        bool found = false;
        if (Status s = Multipart(body, boundary_copy, depth, &found); !s.ok()) return s;
        if (found || !lenient_) return Status::OK();
        type.token = "text/plain";
      }
    }
    MimePart part;
    part.depth = depth;
    part.disposition = ParseMimeValue(headers.Get("Content-Disposition").value_or(""));
    part.filename = DecodeEncodedWords(
        part.disposition.Param("filename").value_or(type.Param("name").value_or("")));
    part.content_type = std::move(type);
    std::string encoding = ToLowerAscii(headers.Get("Content-Transfer-Encoding").value_or(""));
    if (encoding == "base64") {
      if (lenient_) {
        bool clean = true;
        part.body = DecodeBase64Leniently(body, &clean);
        if (!clean) Note(MimeDefect::kBadBase64);
      } else {
        StatusOr<std::string> decoded = DecodeMimeBase64(body);
        if (!decoded.ok()) return decoded.status();
        part.body = std::move(decoded).value();
      }
    } else if (encoding == "quoted-printable") {
      part.body = DecodeQuotedPrintable(body);
    } else {
      part.body = body;
    }
    if (part.body.size() > limits_.max_part_bytes) {
      if (!lenient_) {
        return MailErrorStatus(MailError::kTooLarge,
                               "a part over " + std::to_string(limits_.max_part_bytes) + " bytes");
      }
      Note(MimeDefect::kPartTooLarge);
      part.body.resize(limits_.max_part_bytes);
    }
    leaves_.push_back(std::move(part));
    return Status::OK();
  }

  std::vector<MimePart> Take() { return std::move(leaves_); }

 private:
  void Note(MimeDefect defect) {
    if (!lenient_->Has(defect)) lenient_->defects.push_back(defect);
  }

  // *found: the boundary occurred (else, lenient, nothing was walked).
  Status Multipart(std::string_view body, std::string_view boundary, int depth, bool* found) {
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
        *found = true;
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
      if (!lenient_) {
        return MailErrorStatus(MailError::kMimeSyntax, "a multipart without its boundary");
      }
      Note(MimeDefect::kBoundaryNotFound);
      return Status::OK();
    }
    // No closing delimiter: the last part runs to the end.
    if (lenient_) Note(MimeDefect::kNotClosed);
    if (part_start != std::string_view::npos && part_start < body.size()) {
      return Walk(body.substr(part_start), depth + 1);
    }
    return Status::OK();
  }

  const MimeLimits& limits_;
  MimeWalk* lenient_;  // null: strict
  size_t parts_ = 0;
  std::vector<MimePart> leaves_;
};

}  // namespace

namespace {

// Per byte: its 6-bit value, or one of these.
constexpr uint8_t kSpace = 64, kPad = 65, kInvalid = 255;

constexpr std::array<uint8_t, 256> Base64Table() {
  std::array<uint8_t, 256> t{};
  for (uint8_t& v : t) v = kInvalid;
  constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (size_t i = 0; i < kAlphabet.size(); ++i) {
    t[static_cast<unsigned char>(kAlphabet[i])] = static_cast<uint8_t>(i);
  }
  t[' '] = t['\t'] = t['\r'] = t['\n'] = kSpace;
  t['='] = kPad;
  return t;
}

constexpr std::array<uint8_t, 256> kBase64 = Base64Table();

// The general decoder: white space dropped, then DecodeBase64(), whose
// messages name what is wrong.
StatusOr<std::string> DecodeMimeBase64Slowly(std::string_view text) {
  std::string compact;
  compact.reserve(text.size());
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
    compact += c;
  }
  StatusOr<std::string> decoded = DecodeBase64(compact);
  if (!decoded.ok()) {
    return MailErrorStatus(MailError::kBadBase64, decoded.status().message());
  }
  return decoded;
}

}  // namespace

StatusOr<std::string> DecodeMimeBase64(std::string_view text) {
  // One pass over well-formed text; anything else goes to the general
  // decoder, so the result and every error are the same as its.
  std::string out(text.size() / 4 * 3 + 3, '\0');
  size_t n = 0, data_chars = 0, i = 0;
  uint32_t accumulator = 0;
  int bits = 0;
  for (; i < text.size(); ++i) {
    uint8_t v = kBase64[static_cast<unsigned char>(text[i])];
    if (v < 64) {
      ++data_chars;
      accumulator = (accumulator << 6) | v;
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        out[n++] = static_cast<char>((accumulator >> bits) & 0xff);
      }
    } else if (v != kSpace) {
      break;
    }
  }
  size_t padding = 0;
  for (; i < text.size(); ++i) {
    uint8_t v = kBase64[static_cast<unsigned char>(text[i])];
    if (v == kPad) {
      ++padding;
    } else if (v != kSpace) {
      return DecodeMimeBase64Slowly(text);
    }
  }
  if (data_chars % 4 == 1 || padding > 2 || (padding > 0 && (data_chars + padding) % 4 != 0)) {
    return DecodeMimeBase64Slowly(text);
  }
  out.resize(n);
  return out;
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
  Walker walker(limits, nullptr);
  if (Status s = walker.Walk(message, 0); !s.ok()) return s;
  return walker.Take();
}

bool MimeWalk::Has(MimeDefect defect) const {
  for (MimeDefect d : defects) {
    if (d == defect) return true;
  }
  return false;
}

MimeWalk WalkMimeLenient(std::string_view message, const MimeLimits& limits) {
  MimeWalk walk;
  Walker walker(limits, &walk);
  (void)walker.Walk(message, 0);  // lenient: never an error
  walk.leaves = walker.Take();
  return walk;
}

std::string_view MimeDefectName(MimeDefect defect) {
  switch (defect) {
    case MimeDefect::kHeaderSyntax:
      return "header_syntax";
    case MimeDefect::kNoBoundary:
      return "no_boundary";
    case MimeDefect::kBoundaryNotFound:
      return "boundary_not_found";
    case MimeDefect::kNotClosed:
      return "not_closed";
    case MimeDefect::kTooDeep:
      return "too_deep";
    case MimeDefect::kTooManyParts:
      return "too_many_parts";
    case MimeDefect::kBadBase64:
      return "bad_base64";
    case MimeDefect::kPartTooLarge:
      return "part_too_large";
  }
  return "unknown";
}

}  // namespace mailrep
