// Splits a log line's syslog header from its message, whatever wrote it.
//
// A header is: up to four "<PRI>"s and time stamps in any order, an
// optional HOSTNAME, then the tag "name[pid]:" or "name:". Accepted stamps:
//   "Nov 27 13:39:52" (RFC 3164, journalctl -o short, Postfix maillog_file),
//   "Nov 27 13:39:52.123456" (journalctl -o short-precise),
//   "2026-11-27T13:39:52[.123456](Z|+00:00|+0000)" (rsyslog, journalctl
//   -o short-iso[-precise]; also svlogd's "2026-11-27_13:39:52.12345"),
//   "Fri 2026-11-27 13:39:52 UTC" (journalctl -o short-full),
//   "1795786187[.123456]" (epoch, journalctl -o short-unix, a relay or `ts`),
//   "@4000000069287a3b1c3b2a14" (multilog / s6-log TAI64N).
// A relay that prepends its own stamp and host to a whole line ("STAMP relay
// Nov 27 ... host tag[pid]: ...") is read too. Also RFC 5424:
// "[<PRI>]1 2026-11-27T13:39:52Z host app procid msgid [sd]|- message".
//
// HOSTNAME or not is decided per line by the shape of a tag, not by position:
// the first token is the tag when it is "name[pid]:" or "name:" (name starts
// with a letter and has no ':' or spaces), else the second token is. So the
// raw /dev/log form "<22>Nov 27 13:38:08 sendmail[31561]: 6ARD...: to=..."
// gives tag "sendmail", never the queue id. Without any stamp or <PRI>, only
// "name[pid]: message" is taken as a header (a container's stdout).
//
// Pure functions; the views point into `line`. Never read past `line`.
#ifndef MAILREP_COLLECTORS_DELIVERY_SYSLOG_PREFIX_H_
#define MAILREP_COLLECTORS_DELIVERY_SYSLOG_PREFIX_H_

#include <optional>
#include <string_view>

namespace mailrep {

struct SyslogLine {
  std::string_view tag;      // "postfix-out1/smtp", "sm-mta", "smtpd"; never empty
  std::string_view message;  // the text after "tag[pid]: "
};

// nullopt when the line has no recognisable syslog header.
std::optional<SyslogLine> ParseSyslogPrefix(std::string_view line);

// `line` without the "<PRI>" and time stamps it starts with (the ones listed
// above, at most four): the body of a log line with no syslog tag, such as
// qmail-send under multilog or OpenSMTPD's foreground log.
std::string_view SkipLogStamps(std::string_view line);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_DELIVERY_SYSLOG_PREFIX_H_
