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

// The MTA a syslog tag belongs to; kAuto for other programs.
MtaKind TagMta(std::string_view tag) {
  if (IsSendmailTag(tag)) return MtaKind::kSendmail;
  if (tag == "smtpd") return MtaKind::kOpenSmtpd;
  if (IsEximTag(tag)) return MtaKind::kExim;
  if (IsQmailTag(tag)) return MtaKind::kQmail;
  if (IsPostfixTag(tag)) return MtaKind::kPostfix;
  return MtaKind::kAuto;
}

// The MTA whose own (tag-less) line `body` is, by its content; kAuto if none.
MtaKind BodyMta(std::string_view body) {
  if (LooksLikeQmailSendLine(body)) return MtaKind::kQmail;
  if (LooksLikeOpenSmtpdLine(body)) return MtaKind::kOpenSmtpd;
  if (LooksLikeEximMainlog(body)) return MtaKind::kExim;
  return MtaKind::kAuto;
}

// The pid in the header between `sys`'s tag and message: "tag[pid]: " or
// RFC 5424's "app procid ..."; "" when there is none.
std::string_view TagPid(const SyslogLine& sys) {
  auto end = reinterpret_cast<uintptr_t>(sys.tag.data() + sys.tag.size());
  auto start = reinterpret_cast<uintptr_t>(sys.message.data());
  if (sys.message.data() == nullptr || start < end) return {};
  std::string_view gap(sys.tag.data() + sys.tag.size(), start - end);
  if (!gap.empty() && (gap.front() == '[' || gap.front() == ' ')) gap.remove_prefix(1);
  size_t n = 0;
  while (n < gap.size() && gap[n] >= '0' && gap[n] <= '9') ++n;
  return gap.substr(0, n);
}

// journalctl's "-- Boot 1a2b... --", "-- No entries --", "-- Logs begin at ... --".
bool IsJournalMarker(std::string_view body) {
  return body.size() >= 6 && body.starts_with("-- ") && body.ends_with(" --");
}

}  // namespace

bool ParseMtaKind(std::string_view name, MtaKind* kind) {
  for (MtaKind k : {MtaKind::kAuto, MtaKind::kPostfix, MtaKind::kExim, MtaKind::kSendmail,
                    MtaKind::kQmail, MtaKind::kOpenSmtpd}) {
    if (name == MtaKindName(k)) {
      *kind = k;
      return true;
    }
  }
  return false;
}

std::string_view MtaKindName(MtaKind kind) {
  switch (kind) {
    case MtaKind::kAuto:
      return "auto";
    case MtaKind::kPostfix:
      return "postfix";
    case MtaKind::kExim:
      return "exim";
    case MtaKind::kSendmail:
      return "sendmail";
    case MtaKind::kQmail:
      return "qmail";
    case MtaKind::kOpenSmtpd:
      return "opensmtpd";
  }
  return "unknown";
}

LineResult LineParser::ParseTagged(std::string_view tag, std::string_view pid, MtaKind by_tag,
                                   std::string_view message, DeliveryEvent* event,
                                   MessageTrace* trace) {
  MtaKind use = kind_ == MtaKind::kAuto ? by_tag : kind_;
  LineResult r;
  switch (use) {
    case MtaKind::kPostfix:
      r = ParsePostfixLineOrTrace(tag, message, event, trace);
      break;
    case MtaKind::kExim:
      r = ParseEximLine(message, event);
      if (trace && r == LineResult::kIgnored) ParseEximTrace(message, trace);
      break;
    case MtaKind::kSendmail:
      r = ParseSendmailLine(message, event);
      if (trace && r == LineResult::kIgnored) sendmail_trace_.Parse(pid, message, trace);
      break;
    case MtaKind::kQmail:
      r = qmail_.Parse(message, event);
      if (trace && r == LineResult::kIgnored) qmail_.ParseTrace(message, trace);
      break;
    case MtaKind::kOpenSmtpd:
      r = ParseOpenSmtpdLine(message, event);
      if (trace && r == LineResult::kIgnored) opensmtpd_trace_.Parse(message, trace);
      break;
    case MtaKind::kAuto:
    default:
      return LineResult::kIgnored;  // another program's line in a shared log
  }
  // Under a fixed --mta any tag goes to that parser; the line is that MTA's
  // only if its tag says so or it gave an outcome.
  if (r == LineResult::kParsed || kind_ == MtaKind::kAuto || by_tag == kind_) {
    last_mta_ = use;
  }
  return r;
}

LineResult LineParser::ParseUntagged(std::string_view body, DeliveryEvent* event,
                                     MessageTrace* trace) {
  MtaKind by_body = BodyMta(body);
  MtaKind use = kind_ == MtaKind::kAuto ? by_body : kind_;
  LineResult r;
  switch (use) {
    case MtaKind::kExim:
      r = ParseEximLine(body, event);
      if (trace && r == LineResult::kIgnored) ParseEximTrace(body, trace);
      break;
    case MtaKind::kQmail:
      r = qmail_.Parse(body, event);
      if (trace && r == LineResult::kIgnored) qmail_.ParseTrace(body, trace);
      break;
    case MtaKind::kOpenSmtpd:
      r = ParseOpenSmtpdLine(body, event);
      if (trace && r == LineResult::kIgnored) opensmtpd_trace_.Parse(body, trace);
      break;
    case MtaKind::kPostfix:
    case MtaKind::kSendmail:
    case MtaKind::kAuto:
    default:
      return LineResult::kMalformed;
  }
  if (r == LineResult::kParsed || by_body == use) last_mta_ = use;
  return r;
}

LineResult LineParser::Parse(std::string_view line, DeliveryEvent* event, MessageTrace* trace) {
  last_mta_ = MtaKind::kAuto;
  if (trace) *trace = MessageTrace();
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (line.size() > kMaxLineBytes || HasControlBytes(line)) return LineResult::kMalformed;
  if (line.empty()) return LineResult::kIgnored;
  if ((kind_ == MtaKind::kAuto || kind_ == MtaKind::kExim) && LooksLikeEximMainlog(line)) {
    last_mta_ = MtaKind::kExim;
    LineResult r = ParseEximLine(line, event);
    if (trace && r == LineResult::kIgnored) ParseEximTrace(line, trace);
    return r;
  }
  std::optional<SyslogLine> sys = ParseSyslogPrefix(line);
  MtaKind by_tag = sys ? TagMta(sys->tag) : MtaKind::kAuto;
  if (by_tag != MtaKind::kAuto && (kind_ == MtaKind::kAuto || kind_ == by_tag)) {
    return ParseTagged(sys->tag, TagPid(*sys), by_tag, sys->message, event, trace);
  }
  // No MTA's tag: a tag-less MTA line (whose text may start like "word: "),
  // a line of another program, or nothing we can read.
  std::string_view body = SkipLogStamps(line);
  MtaKind by_body = BodyMta(body);
  if (by_body != MtaKind::kAuto && (kind_ == MtaKind::kAuto || kind_ == by_body)) {
    return ParseUntagged(body, event, trace);
  }
  if (sys) return ParseTagged(sys->tag, TagPid(*sys), by_tag, sys->message, event, trace);
  if (IsJournalMarker(body)) return LineResult::kIgnored;
  return ParseUntagged(body, event, trace);
}

}  // namespace mailrep
