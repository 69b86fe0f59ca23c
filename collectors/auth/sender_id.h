// Sender ID (RFC 4406 / RFC 4407, experimental and abandoned in practice):
// the spf2.0/ records a domain publishes and the result of the mfrom scope.
// The pra scope needs the message headers (the Purported Responsible
// Address), which an exporter does not have; it is reported as unchecked.
#ifndef MAILREP_COLLECTORS_AUTH_SENDER_ID_H_
#define MAILREP_COLLECTORS_AUTH_SENDER_ID_H_

#include <string>
#include <vector>

#include "collectors/auth/spf_evaluator.h"
#include "collectors/dns/dns_lookup.h"

namespace mailrep {

struct SenderIdRecord {
  std::string text;
  std::vector<std::string> scopes;  // lower case, e.g. {"mfrom", "pra"}
  bool valid = false;               // parses as an SPF record
  std::string error;                // the syntax error when !valid
};

struct SenderIdReport {
  std::string domain;
  // spf2.0/ records at the domain; empty when it publishes none (or on a DNS
  // error, which the mfrom result then reports as temperror).
  std::vector<SenderIdRecord> records;
  // The mfrom scope: spf2.0/ records covering mfrom, else v=spf1, evaluated
  // like check_host() (includes and redirects select records the same way).
  SpfCheckResult mfrom;
  bool pra_checked = false;
  std::string pra_note = "the pra scope needs the message headers (RFC 4407); not checked";
};

// Evaluates the mfrom scope for the request's MAIL FROM (or HELO for the
// null sender) and lists the domain's spf2.0/ records. options.scope is
// overridden.
SenderIdReport CheckSenderId(const SpfRequest& request, DnsLookup& dns, SpfOptions options = {});

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_AUTH_SENDER_ID_H_
