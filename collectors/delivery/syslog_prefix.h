// Splits a log line's syslog header from its message.
//
// Accepts, each with an optional "<PRI>" in front:
//   RFC 3164 / Postfix maillog_file: "Nov 27 13:39:52 host tag[pid]: message"
//   ISO-8601 (rsyslog high precision): "2026-11-27T13:39:52.123456+00:00 host tag[pid]: message"
//   RFC 5424: "<22>1 2026-11-27T13:39:52Z host app procid msgid [sd]|- message"
//   no timestamp, straight from /dev/log: "<22>tag[pid]: message"
// Pure function; the views point into `line`.
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

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_DELIVERY_SYSLOG_PREFIX_H_
