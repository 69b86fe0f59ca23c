// OpenSMTPD "mta delivery" lines: "<session> mta delivery evpid=... from=<..>
// to=<..> rcpt=<..> source="ip" relay="ip (name)" delay=6m40s
// result="Ok|TempFail|PermFail" stat="...". Pure function.
#ifndef MAILREP_COLLECTORS_DELIVERY_OPENSMTPD_LOG_H_
#define MAILREP_COLLECTORS_DELIVERY_OPENSMTPD_LOG_H_

#include <string_view>

#include "collectors/delivery/delivery_event.h"

namespace mailrep {

// `message` is the text after the "smtpd[pid]: " tag (or a foreground -d line).
LineResult ParseOpenSmtpdLine(std::string_view message, DeliveryEvent* event);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_DELIVERY_OPENSMTPD_LOG_H_
