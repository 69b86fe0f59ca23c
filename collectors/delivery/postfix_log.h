// Postfix outbound delivery outcomes: "QUEUEID: to=<..>, relay=.., delay=..,
// delays=.., [tls=..,] dsn=x.y.z, status=S (text)" from the smtp client, and
// the deferrals the error and retry agents log for mail held back before any
// connection ("delivery temporarily suspended: ...", "deferred transport");
// qmgr "QUEUEID: from=<..>, status=expired|force-expired, returned to sender".
// Not outbound, so kIgnored: lmtp (mail store), local, virtual, pipe, discard,
// and bounces through error/retry (address errors such as "User unknown in
// virtual alias table"). Short and long queue ids; any syslog_name
// ("postfix", "postfix-out1", "postfix/relay"). Pure function.
#ifndef MAILREP_COLLECTORS_DELIVERY_POSTFIX_LOG_H_
#define MAILREP_COLLECTORS_DELIVERY_POSTFIX_LOG_H_

#include <string_view>

#include "collectors/delivery/delivery_event.h"
#include "collectors/delivery/message_trace.h"

namespace mailrep {

// `tag` is the syslog tag ("postfix-out1/smtp"), `message` the text after it.
// Fills `*event` only when returning kParsed. Lines of other Postfix programs,
// and smtp lines without a status, are kIgnored.
LineResult ParsePostfixLine(std::string_view tag, std::string_view message, DeliveryEvent* event);

// What a Postfix line that is no outcome says about its message: cleanup's
// "QID: message-id=<..>", smtpd's "QID: client=.., sasl_username=NAME",
// pickup's "QID: uid=N from=<..>" (submitter "uid=N"), qmgr's "QID: removed".
// False, `*trace` untouched, for any other line.
bool ParsePostfixTrace(std::string_view tag, std::string_view message, MessageTrace* trace);

// Both of the above in one pass, as the line parser reads a log: what
// ParsePostfixLine returns and, when that is kIgnored and `trace` is not null,
// what ParsePostfixTrace would fill in `*trace`. Each line goes to the parser
// of its program (smtp, error, retry: outcomes; smtpd, cleanup, pickup:
// trace; qmgr: both), and the queue id is read once.
LineResult ParsePostfixLineOrTrace(std::string_view tag, std::string_view message,
                                   DeliveryEvent* event, MessageTrace* trace);

// True when `tag` looks like a Postfix tag: "<syslog_name>/<program>".
bool IsPostfixTag(std::string_view tag);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_DELIVERY_POSTFIX_LOG_H_
