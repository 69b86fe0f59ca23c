// `mailrep_exporter check dmarc --domain D [--dns-server HOST:PORT]...
//  [--format text|json]`: the domain's DMARC record (found or inherited from
// the organizational domain, valid, policy, report authorization), printed for
// a person or as one JSON object. Exit code: 0 when DmarcCheckPassed
// (dmarc_collector.h), 1 otherwise, 2 on usage, suffix list or resolver errors.
#ifndef MAILREP_COLLECTORS_AUTH_DMARC_CHECK_COMMAND_H_
#define MAILREP_COLLECTORS_AUTH_DMARC_CHECK_COMMAND_H_

#include <ostream>

#include "collectors/auth/dmarc_check.h"
#include "collectors/auth/dmarc_collector.h"
#include "exporter/core/check_command.h"

namespace mailrep {

// Prints one result the way `check dmarc` does: text for a person, or one
// JSON object (no trailing newline). `alignment`, when given, is printed too.
void PrintDmarcCheck(const DmarcCheckResult& result, const DmarcConfiguredAlignment* alignment,
                     bool json, std::ostream& out);

extern const CheckCommand kDmarcCheckCommand;

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_AUTH_DMARC_CHECK_COMMAND_H_
