#include "collectors/delivery/line_parser.h"

#include "collectors/delivery/exim_log.h"
#include "collectors/delivery/opensmtpd_log.h"
#include "collectors/delivery/postfix_log.h"
#include "collectors/delivery/sendmail_log.h"
#include "collectors/delivery/syslog_prefix.h"

namespace mailrep {
namespace {

bool HasControlBytes(std::string_view line) {
  unsigned bad = 0;  // no early exit, so the loop vectorises
  for (char c : line) {
    unsigned char u = static_cast<unsigned char>(c);
    bad |= static_cast<unsigned>(u < 0x20) & static_cast<unsigned>(u != '\t');
  }
  return bad != 0;
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
