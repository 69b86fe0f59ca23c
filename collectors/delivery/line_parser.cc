#include "collectors/delivery/line_parser.h"

#include <cstdint>
#include <cstring>

#include "collectors/delivery/exim_log.h"
#include "collectors/delivery/opensmtpd_log.h"
#include "collectors/delivery/postfix_log.h"
#include "collectors/delivery/sendmail_log.h"
#include "collectors/delivery/syslog_prefix.h"

namespace mailrep {
namespace {

bool IsControl(char c) {
  unsigned char u = static_cast<unsigned char>(c);
  return u < 0x20 && u != '\t';
}

// Eight bytes at a time: a word with no byte below 0x20 (almost every word of
// a log line) needs no closer look.
bool HasControlBytes(std::string_view line) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  constexpr uint64_t kHighs = 0x8080808080808080ULL;
  const char* p = line.data();
  size_t n = line.size();
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    std::memcpy(&w, p + i, 8);
    if (((w - kOnes * 0x20) & ~w & kHighs) != 0) {
      for (size_t j = i; j < i + 8; ++j) {
        if (IsControl(p[j])) return true;
      }
    }
  }
  for (; i < n; ++i) {
    if (IsControl(p[i])) return true;
  }
  return false;
}

bool IsSendmailTag(std::string_view tag) {
  return tag == "sendmail" || tag == "sm-mta" || tag == "sm-msp-queue";
}
bool IsEximTag(std::string_view tag) { return tag == "exim" || tag == "exim4"; }
bool IsQmailTag(std::string_view tag) {
  return tag == "qmail" || tag == "qmail-send" || tag.substr(0, 6) == "qmail-";
}

}  // namespace

bool ParseMtaKind(std::string_view name, MtaKind* kind) {
  if (name == "auto") {
    *kind = MtaKind::kAuto;
  } else if (name == "postfix") {
    *kind = MtaKind::kPostfix;
  } else if (name == "exim") {
    *kind = MtaKind::kExim;
  } else if (name == "sendmail") {
    *kind = MtaKind::kSendmail;
  } else if (name == "qmail") {
    *kind = MtaKind::kQmail;
  } else if (name == "opensmtpd") {
    *kind = MtaKind::kOpenSmtpd;
  } else {
    return false;
  }
  return true;
}

LineResult LineParser::ParseTagged(std::string_view tag, std::string_view message,
                                   DeliveryEvent* event) {
  switch (kind_) {
    case MtaKind::kPostfix:
      return ParsePostfixLine(tag, message, event);
    case MtaKind::kExim:
      return ParseEximLine(message, event);
    case MtaKind::kSendmail:
      return ParseSendmailLine(message, event);
    case MtaKind::kQmail:
      return qmail_.Parse(message, event);
    case MtaKind::kOpenSmtpd:
      return ParseOpenSmtpdLine(message, event);
    case MtaKind::kAuto:
      break;
  }
  if (IsSendmailTag(tag)) return ParseSendmailLine(message, event);
  if (tag == "smtpd") return ParseOpenSmtpdLine(message, event);
  if (IsEximTag(tag)) return ParseEximLine(message, event);
  if (IsQmailTag(tag)) return qmail_.Parse(message, event);
  if (IsPostfixTag(tag)) return ParsePostfixLine(tag, message, event);
  return LineResult::kIgnored;  // another program's line in a shared log
}

LineResult LineParser::Parse(std::string_view line, DeliveryEvent* event) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (line.size() > kMaxLineBytes || HasControlBytes(line)) return LineResult::kMalformed;
  if (line.empty()) return LineResult::kIgnored;
  if (std::optional<SyslogLine> sys = ParseSyslogPrefix(line)) {
    return ParseTagged(sys->tag, sys->message, event);
  }
  // No syslog header: Exim's own mainlog, qmail under multilog, OpenSMTPD -d.
  switch (kind_) {
    case MtaKind::kExim:
      return ParseEximLine(line, event);
    case MtaKind::kQmail:
      return qmail_.Parse(line, event);
    case MtaKind::kOpenSmtpd:
      return ParseOpenSmtpdLine(line, event);
    case MtaKind::kPostfix:
    case MtaKind::kSendmail:
      return LineResult::kMalformed;
    case MtaKind::kAuto:
      break;
  }
  if (LooksLikeEximMainlog(line)) return ParseEximLine(line, event);
  if (line.front() == '@') return qmail_.Parse(line, event);
  return LineResult::kMalformed;
}

}  // namespace mailrep
