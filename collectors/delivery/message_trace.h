// MessageTrace: what a log line that is not a delivery outcome says about one
// message on its way through the MTA — its Message-ID, who submitted it, or
// that it left the queue — tied to the message by its queue id. The per-MTA
// parsers fill it (ParsePostfixTrace, ParseEximTrace, SendmailTraceParser,
// QmailLogParser::ParseTrace, OpenSmtpdTraceParser) and a MessageTracer
// (message_tracer.h) joins it to the message's deliveries. Plain value type;
// its views point into the parsed line or the stateful parser that filled it
// (valid until that parser's next call).
#ifndef MAILREP_COLLECTORS_DELIVERY_MESSAGE_TRACE_H_
#define MAILREP_COLLECTORS_DELIVERY_MESSAGE_TRACE_H_

#include <cstdint>
#include <string_view>

namespace mailrep {

// How a log names a message's submitter (collectors/queue has its own
// SubmitterKind, for what queue files say).
enum class LoggedSubmitterKind : uint8_t {
  kNone,
  kSasl,   // an authenticated account (Postfix sasl_username, Exim A=, Sendmail
           // authid=, OpenSMTPD user=)
  kLocal,  // a local user (Postfix pickup uid=, Exim U= with P=local, Sendmail
           // relay=USER@localhost, qmail uid=, OpenSMTPD "local")
};

struct MessageTrace {
  std::string_view queue_id;    // empty: the line says nothing about a message
  std::string_view message_id;  // the Message-ID as logged, or empty
  // The account that submitted it, as logged (Postfix sasl_username or
  // pickup "uid=N"; Exim A= id or, for local submissions, U=; Sendmail
  // authid or local user; qmail "uid=N"; OpenSMTPD user= or "local"), or empty.
  std::string_view submitter;
  LoggedSubmitterKind submitter_kind = LoggedSubmitterKind::kNone;  // kNone when submitter is empty
  // The SMTP client's address (Postfix smtpd "client=name[address]", Exim
  // H=, Sendmail relay=, OpenSMTPD "smtp connected address="), or empty.
  std::string_view client_ip;
  // The envelope sender's domain as logged (Postfix qmgr "from=<local@domain>";
  // never the local part), or empty (also for the null sender).
  std::string_view sender_domain;
  // The message left the queue (Postfix "removed", Exim "Completed", qmail
  // "end msg", Sendmail "done;").
  bool removed = false;

  bool empty() const { return queue_id.empty(); }
};

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_DELIVERY_MESSAGE_TRACE_H_
