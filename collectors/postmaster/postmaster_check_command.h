// `mailrep_exporter check postmaster (--credentials-file F | --client-id ID
//  --client-secret-file F --refresh-token-file F) --domain D... [--token-url
//  URL] [--api-url URL] [--ca-file F] [--format text|json]`: Postmaster Tools
// v2 asked once per domain (postmaster_client.h), printed as
//   {"domains": [{"domain", "domain_stats": STATE, "compliance_status": STATE,
//     "stats_date": "YYYY-MM-DD"|null, "spam_ratio": X|null,
//     "auth_success_ratio": {"spf": X, ...}, "tls_ratio": {"inbound": X, ...},
//     "delivery_error_ratio": {"reject": {"ip_in_rbls": X, ...}, ...},
//     "compliance": {"spf": "compliant"|"needs_work", ...}}]}
// where STATE is the request's outcome ("ok", "no_data", "http_403", ...,
// postmaster_fetch_reason.h); values Google did not give are left out. No
// secret is ever printed. Exit 0 when every request gave data, every spam
// ratio is under 0.001 and no requirement needs work; 1 otherwise; 2 on usage
// errors or unreadable credentials.
#ifndef MAILREP_COLLECTORS_POSTMASTER_POSTMASTER_CHECK_COMMAND_H_
#define MAILREP_COLLECTORS_POSTMASTER_POSTMASTER_CHECK_COMMAND_H_

#include "exporter/core/check_command.h"

namespace mailrep {

extern const CheckCommand kPostmasterCheckCommand;

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_POSTMASTER_POSTMASTER_CHECK_COMMAND_H_
