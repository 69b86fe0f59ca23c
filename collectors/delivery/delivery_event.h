// DeliveryEvent: one outbound delivery outcome read from an MTA log line.
//
// Produced by the per-MTA parsers (postfix_log.h, exim_log.h, ...). Plain
// value type. Fields that may identify people (recipient, queue id) are for
// `check logs` filtering only and never become metric labels.
#ifndef MAILREP_COLLECTORS_DELIVERY_DELIVERY_EVENT_H_
#define MAILREP_COLLECTORS_DELIVERY_DELIVERY_EVENT_H_

#include <string>
#include <string_view>

namespace mailrep {

enum class DeliveryStatus { kSent, kDeferred, kBounced, kExpired };

// "sent", "deferred", "bounced", "expired".
std::string_view DeliveryStatusName(DeliveryStatus status);

struct DeliveryEvent {
  std::string mta;  // "postfix", "exim", "sendmail", "qmail", "opensmtpd"
  DeliveryStatus status = DeliveryStatus::kSent;
  // Postfix: the syslog tag ("postfix-out1/smtp"), used to map the sending IP.
  // Empty for other MTAs.
  std::string syslog_tag;
  // The local address when the line carries it (Exim I=, OpenSMTPD source=);
  // empty when unknown from the line.
  std::string sending_ip;
  std::string relay_host;     // "mx.example.com"; may be an IP literal or empty
  std::string relay_ip;       // "192.0.2.7" or empty
  std::string recipient;      // "user@example.com" or empty
  std::string queue_id;       // MTA queue / message id or empty
  std::string dsn;            // "5.7.1" or empty
  std::string reply;          // the receiver's reply or the failure text
  double delay_seconds = -1;  // total delay; negative when the line has none

  // Same as `*this = DeliveryEvent()`, keeping the strings' buffers (parsers
  // call it per line, so a reused event allocates nothing once warm).
  void Clear();
};

// What a parser made of one line.
enum class LineResult {
  kParsed,     // a delivery outcome (the event is filled in)
  kIgnored,    // a well-formed line that is not a delivery outcome
  kMalformed,  // unreadable: no known header, or a delivery line with broken fields
};

// "parsed", "ignored", "malformed" (the result label of mailrep_log_lines_total).
std::string_view LineResultName(LineResult result);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_DELIVERY_DELIVERY_EVENT_H_
