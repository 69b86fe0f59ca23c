// OpenSMTPD "mta delivery" lines: "<session> mta delivery evpid=... from=<..>
// to=<..> rcpt=<..> source="ip" relay="ip (name)" delay=6m40s
// result="Ok|TempFail|PermFail" stat="...". Local deliveries ("mda delivery
// ...", to a mailbox, maildir, LMTP or a command) are not outbound and are
// ignored. Pure functions.
#ifndef MAILREP_COLLECTORS_DELIVERY_OPENSMTPD_LOG_H_
#define MAILREP_COLLECTORS_DELIVERY_OPENSMTPD_LOG_H_

#include <string_view>

#include "collectors/delivery/delivery_event.h"

namespace mailrep {

// `message` is the text after the "smtpd[pid]: " tag (or a foreground -d line).
LineResult ParseOpenSmtpdLine(std::string_view message, DeliveryEvent* event);

// True when `body` (a line without syslog header or stamps, as `smtpd -d`
// writes to stderr) starts with a 16-hex-digit session id and a space, or
// with the "info: ", "warn: " or "debug: " of its other messages.
bool LooksLikeOpenSmtpdLine(std::string_view body);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_DELIVERY_OPENSMTPD_LOG_H_
