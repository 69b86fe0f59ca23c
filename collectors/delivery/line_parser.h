// LineParser: one log line -> a DeliveryEvent, for one log source.
//
// With mta "auto" the MTA is picked per line from the syslog tag (Postfix
// "<name>/<program>", "sendmail"/"sm-mta", "smtpd", "qmail", "exim") or, for
// lines without a syslog header, from the line's shape (Exim mainlog, qmail
// multilog). With a fixed mta only that parser is tried. Keeps qmail's
// delivery-number state, so use one LineParser per source. Not thread-safe.
#ifndef MAILREP_COLLECTORS_DELIVERY_LINE_PARSER_H_
#define MAILREP_COLLECTORS_DELIVERY_LINE_PARSER_H_

#include <string_view>

#include "collectors/delivery/delivery_event.h"
#include "collectors/delivery/qmail_log.h"

namespace mailrep {

enum class MtaKind { kAuto, kPostfix, kExim, kSendmail, kQmail, kOpenSmtpd };

// "auto", "postfix", "exim", "sendmail", "qmail", "opensmtpd"; false if unknown.
bool ParseMtaKind(std::string_view name, MtaKind* kind);

class LineParser {
 public:
  // Longer lines are malformed (the follower caps lines at this size too).
  static constexpr size_t kMaxLineBytes = 1 << 20;

  explicit LineParser(MtaKind kind = MtaKind::kAuto) : kind_(kind) {}

  // `line` has no trailing newline. Fills `*event` only for kParsed.
  LineResult Parse(std::string_view line, DeliveryEvent* event);

 private:
  LineResult ParseTagged(std::string_view tag, std::string_view message, DeliveryEvent* event);

  MtaKind kind_;
  QmailLogParser qmail_;
};

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_DELIVERY_LINE_PARSER_H_
