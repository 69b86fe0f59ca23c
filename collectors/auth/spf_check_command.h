// `mailrep_exporter check spf --ip IP --sender ADDR [--helo NAME]
//  [--dns-server HOST:PORT]... [--format text|json]`: the RFC 7208 SPF result
// for mail from IP with this envelope sender (or, without --sender, the HELO
// name), printed for a person or as one JSON object. Exit code: 0 on pass,
// 1 on any other result, 2 on usage or resolver errors.
#ifndef MAILREP_COLLECTORS_AUTH_SPF_CHECK_COMMAND_H_
#define MAILREP_COLLECTORS_AUTH_SPF_CHECK_COMMAND_H_

#include <ostream>
#include <string>

#include "collectors/auth/spf_evaluator.h"
#include "exporter/core/check_command.h"
#include "exporter/util/ip_network.h"

namespace mailrep {

// Prints one result the way `check spf` does: text for a person, or one JSON
// object (no trailing newline). `sender` "" means the HELO identity.
void PrintSpfCheck(const IpAddress& ip, const std::string& sender, const std::string& helo,
                   const SpfCheckResult& result, bool json, std::ostream& out);

extern const CheckCommand kSpfCheckCommand;

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_AUTH_SPF_CHECK_COMMAND_H_
