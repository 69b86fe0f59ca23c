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

 private:
  struct Started {
    std::string message_id;
    std::string recipient;
    bool remote = false;
  };
  std::unordered_map<uint64_t, Started> pending_;
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
