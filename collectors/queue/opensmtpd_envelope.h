// A pure parser of OpenSMTPD queue envelopes (format version 3, OpenSMTPD 6.x
// and 7.x): one envelope per pending recipient, a text file of "key: value"
// lines where empty fields are left out. Keys this reader uses: version,
// dispatcher, type (mta, mda, bounce), sender ("@" is the null sender), rcpt,
// dest, ctime (arrival, Unix seconds), retry (failed attempts so far),
// errorline (the last error text), username (the authenticated login) and
// sockaddr (the client). Unknown keys are skipped, so newer
// versions' additions do not break it. Memory is bounded by the input size.
#ifndef MAILREP_COLLECTORS_QUEUE_OPENSMTPD_ENVELOPE_H_
#define MAILREP_COLLECTORS_QUEUE_OPENSMTPD_ENVELOPE_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "exporter/util/status.h"

namespace mailrep {

struct OpensmtpdEnvelope {
  int version = 0;
  std::string dispatcher;  // the smtpd.conf action name
  std::string type;        // "mta", "mda", "bounce"
  std::string sender;      // as written: "user@domain", "@" for <>
  std::string rcpt;        // the address given in RCPT TO
  std::string dest;        // the address it is delivered to (after aliases)
  int64_t ctime = 0;       // arrival, Unix seconds
  uint64_t retry = 0;      // failed delivery attempts
  std::string errorline;   // the last error ("452 4.2.2 Mailbox full"), "" if none
  std::string username;    // the SMTP AUTH login, "" when none
  std::string sockaddr;    // the client's IP address, "local" for the local socket

  // dest when present, else rcpt.
  const std::string& Destination() const { return dest.empty() ? rcpt : dest; }
};

// InvalidArgument for anything that is not a text envelope: a line without
// "key: " (compressed or encrypted queues, see smtpd.conf's "queue
// compression"), a NUL byte, a missing or non-numeric version or ctime, a
// missing rcpt and dest, a non-numeric retry.
StatusOr<OpensmtpdEnvelope> ParseOpensmtpdEnvelope(std::string_view text);

// True for 8 lower-case hex digits (a msgid), or 16 (an evpid).
bool IsOpensmtpdMsgid(std::string_view name);
bool IsOpensmtpdEvpid(std::string_view name);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_QUEUE_OPENSMTPD_ENVELOPE_H_
