// OpenSMTPD "mta delivery" lines: "<session> mta delivery evpid=... from=<..>
// to=<..> rcpt=<..> source="ip" relay="ip (name)" delay=6m40s
// result="Ok|TempFail|PermFail" stat="...". Local deliveries ("mda delivery
// ...", to a mailbox, maildir, LMTP or a command) are not outbound and are
// ignored. A delivery's queue id is its message's msgid, the first 8 hex
// digits of the 16-digit evpid (evpid = msgid << 32 | random: smtpd's
// queue.c), so the recipients of one message share it as under Postfix.
// ParseOpenSmtpdLine and LooksLikeOpenSmtpdLine are pure functions;
// OpenSmtpdTraceParser keeps what each SMTP session said.
#ifndef MAILREP_COLLECTORS_DELIVERY_OPENSMTPD_LOG_H_
#define MAILREP_COLLECTORS_DELIVERY_OPENSMTPD_LOG_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

#include "collectors/delivery/delivery_event.h"
#include "collectors/delivery/message_trace.h"

namespace mailrep {

// `message` is the text after the "smtpd[pid]: " tag (or a foreground -d line).
LineResult ParseOpenSmtpdLine(std::string_view message, DeliveryEvent* event);

// What the SMTP server's lines say about a message, joined through their
// session id (smtp_session.c, the same in 6.8.0p2 and 7.8.0p1):
//   "SID smtp connected address=A host=H" (A is "local" for mail enqueued on
//     the host with sendmail/smtpctl, "[v6 address]" for IPv6),
//   "SID smtp authentication user=U result=ok",
//   "SID smtp message msgid=M size=.. nrcpt=.. proto=..": the trace for queue
//     id M: submitter U (kSasl) when the session authenticated, else "local"
//     (kLocal; the log does not say which user enqueued it) for a local
//     session, else the client's address A,
//   "SID smtp envelope evpid=E from=<S> to=<R>": the sender's domain, for
//     queue id M (E's first 8 digits),
//   "SID smtp disconnected ...": the session is forgotten.
// OpenSMTPD logs no Message-ID and no removal of a message: a traced message
// stays until the tracer's bound pushes it out. One per log source; not
// thread-safe.
class OpenSmtpdTraceParser {
 public:
  // Sessions remembered at most; beyond it they are all forgotten (a message
  // of a forgotten session is traced without its submitter).
  static constexpr size_t kMaxSessions = 10000;

  // `message` as for ParseOpenSmtpdLine. True when `*trace` was filled; its
  // views point into `message` or into this parser (valid until the next
  // call). False, `*trace` untouched, for any other line.
  bool Parse(std::string_view message, MessageTrace* trace);

  size_t sessions() const { return sessions_.size(); }

 private:
  struct Session {
    std::string user;       // authenticated login, or empty
    std::string client_ip;  // or empty
    bool local = false;     // address=local
  };
  std::unordered_map<uint64_t, Session> sessions_;
};

// The message id in an envelope id: "2ab15cf6acbc478e" -> "2ab15cf6";
// anything that is not 16 lower-case hex digits is returned as it is.
std::string_view OpenSmtpdMessageOfEnvelope(std::string_view evpid);

// True when `body` (a line without syslog header or stamps, as `smtpd -d`
// writes to stderr) starts with a 16-hex-digit session id and a space, or
// with the "info: ", "warn: " or "debug: " of its other messages.
bool LooksLikeOpenSmtpdLine(std::string_view body);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_DELIVERY_OPENSMTPD_LOG_H_
