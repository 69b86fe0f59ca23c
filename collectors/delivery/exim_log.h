// Exim main-log delivery lines: "=>" and "->" (delivered), "==" (deferred),
// "**" (failed), with or without the timestamp, "+millisec" and "+pid"
// prefixes, 16- and 23-character message ids, and the H=, I=, QT= tags of any
// log_selector. Local deliveries (pipe or file addresses, the local
// transports of Exim's default and Debian's configurations such as
// local_delivery, mail_spool, address_pipe, and "=>" lines without H=) are
// not outbound and are kIgnored. A delivery's reply is its C= confirmation
// (empty without one); a deferral's or failure's the error text. Pure function.
#ifndef MAILREP_COLLECTORS_DELIVERY_EXIM_LOG_H_
#define MAILREP_COLLECTORS_DELIVERY_EXIM_LOG_H_

#include <string_view>

#include "collectors/delivery/delivery_event.h"
#include "collectors/delivery/message_trace.h"

namespace mailrep {

// `line` is a whole mainlog line, or the message of an "exim[pid]:" syslog line.
LineResult ParseEximLine(std::string_view line, DeliveryEvent* event);

// What an Exim line that is no outcome says about its message: the arrival
// "ID <= sender ... id=MESSAGE-ID" (submitter: the A= id after its
// authenticator's "name:", else U= for P=local submissions) and "ID
// Completed". False, `*trace` untouched, for any other line.
bool ParseEximTrace(std::string_view line, MessageTrace* trace);

// True when `line` starts like a mainlog line ("YYYY-MM-DD HH:MM:SS").
bool LooksLikeEximMainlog(std::string_view line);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_DELIVERY_EXIM_LOG_H_
