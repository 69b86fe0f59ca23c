// `mailrep_exporter check ptr --ip IP [--helo NAME] [--dns-server HOST:PORT]...
//  [--format text|json]`: reverse DNS of a sending IP (PTR, forward
// confirmation, HELO match, generic names), printed for a person or as one
// JSON object. Exit code: 0 when the status is ok, 1 otherwise, 2 on usage or
// resolver errors.
#ifndef MAILREP_COLLECTORS_AUTH_PTR_CHECK_COMMAND_H_
#define MAILREP_COLLECTORS_AUTH_PTR_CHECK_COMMAND_H_

#include <ostream>

#include "collectors/auth/ptr_check.h"
#include "exporter/core/check_command.h"
#include "exporter/util/ip_network.h"

namespace mailrep {

// Prints one result the way `check ptr` does: text for a person, or one JSON
// object (no trailing newline).
void PrintPtrCheck(const IpAddress& ip, const PtrCheckResult& result, bool json, std::ostream& out);

extern const CheckCommand kPtrCheckCommand;

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_AUTH_PTR_CHECK_COMMAND_H_
