// Sendmail delivery lines: "ID: to=..., delay=..., xdelay=..., mailer=...,
// pri=..., relay=name [ip], dsn=x.y.z, [reply=...,] stat=...". Local mailers
// (local, prog, *file*) and "stat=queued" are ignored. Pure function.
#ifndef MAILREP_COLLECTORS_DELIVERY_SENDMAIL_LOG_H_
#define MAILREP_COLLECTORS_DELIVERY_SENDMAIL_LOG_H_

#include <string_view>

#include "collectors/delivery/delivery_event.h"

namespace mailrep {

// `message` is the text after the "sendmail[pid]: " / "sm-mta[pid]: " tag.
LineResult ParseSendmailLine(std::string_view message, DeliveryEvent* event);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_DELIVERY_SENDMAIL_LOG_H_
