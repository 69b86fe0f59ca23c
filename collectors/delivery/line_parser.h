// LineParser: one log line -> a DeliveryEvent, for one log source.
//
// The syslog header is read by syslog_prefix.h (every shape listed there).
// With mta "auto" the MTA is picked per line from the syslog tag (Postfix
// "<name>/<program>", "sendmail"/"sm-mta", "smtpd", "qmail", "exim") or, for
// lines without a syslog tag, from the line's content after its stamps (Exim
// mainlog, qmail-send's own lines under multilog/splogger/epoch stamps,
// OpenSMTPD's foreground log). With a fixed mta only that parser is tried.
// Only outbound outcomes are kParsed; local deliveries are kIgnored (see the
// per-MTA parsers). Keeps qmail's delivery-number state and, for traces,
// Sendmail's logins by pid and OpenSMTPD's sessions, so use one LineParser
// per source. Not thread-safe.
#ifndef MAILREP_COLLECTORS_DELIVERY_LINE_PARSER_H_
#define MAILREP_COLLECTORS_DELIVERY_LINE_PARSER_H_

#include <string_view>

#include "collectors/delivery/delivery_event.h"
#include "collectors/delivery/message_trace.h"
#include "collectors/delivery/opensmtpd_log.h"
#include "collectors/delivery/qmail_log.h"
#include "collectors/delivery/sendmail_log.h"

namespace mailrep {

enum class MtaKind { kAuto, kPostfix, kExim, kSendmail, kQmail, kOpenSmtpd };

// "auto", "postfix", "exim", "sendmail", "qmail", "opensmtpd"; false if unknown.
bool ParseMtaKind(std::string_view name, MtaKind* kind);

// The inverse of ParseMtaKind: "auto", "postfix", ...
std::string_view MtaKindName(MtaKind kind);

class LineParser {
 public:
  // Longer lines are malformed (the follower caps lines at this size too).
  static constexpr size_t kMaxLineBytes = 1 << 20;

  explicit LineParser(MtaKind kind = MtaKind::kAuto) : kind_(kind) {}

  // `line` has no trailing newline. Fills `*event` only for kParsed. With a
  // `trace`, a line that is no outcome but names a message's Message-ID,
  // submitter, client, sender or removal fills `*trace` (ParsePostfixTrace,
  // ParseEximTrace, SendmailTraceParser, QmailLogParser::ParseTrace,
  // OpenSmtpdTraceParser; views into `line` or this parser, valid until the
  // next call); else `*trace` is left empty.
  LineResult Parse(std::string_view line, DeliveryEvent* event, MessageTrace* trace = nullptr);

  // The MTA whose log line the last Parse() call read (by its tag or shape,
  // or because it gave an outcome); kAuto when the line was none of theirs
  // (another program's line in a shared log, or unreadable).
  MtaKind last_mta() const { return last_mta_; }

 private:
  LineResult ParseTagged(std::string_view tag, std::string_view pid, MtaKind by_tag,
                         std::string_view message, DeliveryEvent* event, MessageTrace* trace);
  LineResult ParseUntagged(std::string_view body, DeliveryEvent* event, MessageTrace* trace);

  MtaKind kind_;
  MtaKind last_mta_ = MtaKind::kAuto;
  QmailLogParser qmail_;
  SendmailTraceParser sendmail_trace_;
  OpenSmtpdTraceParser opensmtpd_trace_;
};

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_DELIVERY_LINE_PARSER_H_
