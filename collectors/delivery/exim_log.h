// Exim main-log delivery lines: "=>" and "->" (delivered), "==" (deferred),
// "**" (failed), with or without the timestamp, "+millisec" and "+pid"
// prefixes, 16- and 23-character message ids, and the H=, I=, QT= tags of any
// log_selector. Local deliveries (pipe or file addresses, the local
// transports of Exim's default and Debian's configurations such as
// local_delivery, mail_spool, address_pipe, and "=>" lines without H=) are
// not outbound and are kIgnored. Pure function.
#ifndef MAILREP_COLLECTORS_DELIVERY_EXIM_LOG_H_
#define MAILREP_COLLECTORS_DELIVERY_EXIM_LOG_H_

#include <string_view>

#include "collectors/delivery/delivery_event.h"

namespace mailrep {

// `line` is a whole mainlog line, or the message of an "exim[pid]:" syslog line.
LineResult ParseEximLine(std::string_view line, DeliveryEvent* event);

// True when `line` starts like a mainlog line ("YYYY-MM-DD HH:MM:SS").
bool LooksLikeEximMainlog(std::string_view line);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_DELIVERY_EXIM_LOG_H_
