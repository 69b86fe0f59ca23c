// `mailrep_exporter check dkim --domain D --selector S [--key FILE]
//  [--dns-server HOST:PORT]... [--format text|json]`: the published DKIM key
// (found, strong, not revoked, matching the signing key file when --key is
// given), printed for a person or as one JSON object. Exit code: 0 when
// DkimCheckPassed (dkim_check.h), 1 otherwise, 2 on usage or resolver
// errors.
#ifndef MAILREP_COLLECTORS_AUTH_DKIM_CHECK_COMMAND_H_
#define MAILREP_COLLECTORS_AUTH_DKIM_CHECK_COMMAND_H_

#include <ostream>

#include "collectors/auth/dkim_check.h"
#include "exporter/core/check_command.h"

namespace mailrep {

// Prints one result the way `check dkim` does: text for a person, or one JSON
// object (no trailing newline).
void PrintDkimCheck(const DkimKeyCheckResult& result, bool json, std::ostream& out);

extern const CheckCommand kDkimCheckCommand;

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_AUTH_DKIM_CHECK_COMMAND_H_
