// qmail-send log lines. The outcome line "delivery D: success|deferral|failure:
// TEXT" names neither message nor recipient; those are on the earlier
// "starting delivery D: msg M to remote|local ADDR" line, so the parser keeps a
// map from D to the delivery. Prefixes "@<tai64n> " (multilog) and
// "<sec>.<usec> " (splogger) are skipped. Not thread-safe; one per log source.
#ifndef MAILREP_COLLECTORS_DELIVERY_QMAIL_LOG_H_
#define MAILREP_COLLECTORS_DELIVERY_QMAIL_LOG_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

#include "collectors/delivery/delivery_event.h"
#include "collectors/delivery/message_trace.h"

namespace mailrep {

class QmailLogParser {
 public:
  // At most this many deliveries are remembered; beyond it the map is
  // cleared (outcomes of forgotten deliveries are still counted when their
  // text shows a remote host).
  static constexpr size_t kMaxPending = 100000;

  // `message` is the line without any syslog header.
  LineResult Parse(std::string_view message, DeliveryEvent* event);

  size_t pending() const { return pending_.size(); }

  // What a qmail-send line that is no outcome says about its message
  // (qmail-send.c; qmail-log(5)): "info msg N: bytes B from <SENDER> qp Q uid
  // U" gives queue id "N" (the number "starting delivery D: msg N" names, so
  // the deliveries join it), the submitter "uid=U" (kLocal, as Postfix's
  // pickup names one: the uid that ran qmail-queue; for mail qmail-smtpd
  // took that is qmaild's, for bounces qmails'; stock qmail logs neither an
  // SMTP AUTH login nor the client's address) and the sender's domain; "end
  // msg N" is the removal (N, an inode number, is reused once the message has
  // gone). Stamps are skipped as Parse skips them. False, `*trace` untouched,
  // for any other line. The views point into `message` or, for the
  // submitter, into this parser (valid until the next call).
  bool ParseTrace(std::string_view message, MessageTrace* trace);

 private:
  struct Started {
    std::string message_id;
    std::string recipient;
    bool remote = false;
  };
  std::unordered_map<uint64_t, Started> pending_;
  std::string submitter_;  // ParseTrace's "uid=U"
};

// True when `body` (a line without syslog header or stamps) starts like one of
// qmail-send's own lines: "delivery D:", "starting delivery D:", "status:
// local", "new msg", "info msg", "end msg", "bounce msg", "triple bounce".
bool LooksLikeQmailSendLine(std::string_view body);

// "127.0.0.1_does_not_like_recipient./Remote_host_said:_550..." -> spaces
// for '_' and '/' (qmail-remote's escaping), for classification and display.
std::string UnescapeQmailText(std::string_view text);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_DELIVERY_QMAIL_LOG_H_
