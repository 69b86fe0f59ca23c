// Sendmail delivery lines: "ID: to=..., delay=..., xdelay=..., mailer=...,
// pri=..., relay=name [ip], dsn=x.y.z, [reply=...,] stat=...". Local mailers
// (local, prog, *file*) and "stat=queued" are ignored. Pure function; the
// trace parser below keeps what each SMTP session's process logged.
#ifndef MAILREP_COLLECTORS_DELIVERY_SENDMAIL_LOG_H_
#define MAILREP_COLLECTORS_DELIVERY_SENDMAIL_LOG_H_

#include <string>
#include <string_view>
#include <unordered_map>

#include "collectors/delivery/delivery_event.h"
#include "collectors/delivery/message_trace.h"

namespace mailrep {

// `message` is the text after the "sendmail[pid]: " / "sm-mta[pid]: " tag.
LineResult ParseSendmailLine(std::string_view message, DeliveryEvent* event);

// What Sendmail's lines that are no outcome say about a message (8.17's
// logsender() in envelope.c and srvrsmtp.c; the same since 8.12):
//   "QID: from=S, size=N, class=N, nrcpts=N, msgid=<ID>, [bodytype=..,]
//     [proto=..,] [daemon=..,] relay=R" gives the Message-ID, the sender's
//     domain and, from R ("name [address]", "[address]", with "(may be
//     forged)" at times), the client's address; R is "user@localhost" for a
//     message submitted on the host (the submitting user: kLocal);
//   "AUTH=server, relay=R, authid=U, mech=M, bits=N" (LogLevel 9 and up, no
//     queue id: logged by the SMTP session's process before its messages'
//     from= lines) makes U (kSasl) the submitter of the from= lines of the
//     same pid from the same client address;
//   "QID: done; delay=.., ntries=N" (LogLevel 10 and up, after a queue run)
//     is the removal. At the default LogLevel 9 Sendmail logs no removal: a
//     traced message stays until the tracer's bound pushes it out.
// With the submission program (MSP, submit.cf) in front, a local user's mail
// reaches the daemon over SMTP: the daemon's message is the client
// 127.0.0.1's, and the user is only on the MSP's own from= line (its own
// queue id). One per log source; not thread-safe.
class SendmailTraceParser {
 public:
  // Authenticated sessions remembered at most; beyond it all are forgotten.
  static constexpr size_t kMaxSessions = 10000;

  // `pid` is the syslog tag's ("" when none), `message` as for
  // ParseSendmailLine. True when `*trace` was filled; its views point into
  // `message` or into this parser (valid until the next call). False,
  // `*trace` untouched, for any other line.
  bool Parse(std::string_view pid, std::string_view message, MessageTrace* trace);

  size_t sessions() const { return logins_.size(); }

 private:
  struct Login {
    std::string authid;
    std::string client_ip;
  };
  std::unordered_map<std::string, Login> logins_;  // by pid
};

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_DELIVERY_SENDMAIL_LOG_H_
