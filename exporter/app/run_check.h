// Dispatches `mailrep_exporter check <name> [args...]` to a CheckCommand.
#ifndef MAILREP_EXPORTER_APP_RUN_CHECK_H_
#define MAILREP_EXPORTER_APP_RUN_CHECK_H_

#include <ostream>
#include <vector>

#include "exporter/app/flags.h"
#include "exporter/core/check_command.h"

namespace mailrep {

// `flags.command` is {"check", name, args...}. --config.file, --path.rootfs
// and --dns.resolv-conf may also stand among args (they are taken out and override the global
// ones). The command gets a libcurl HTTP fetcher in its context. Returns the exit code; without
// a name, or with an unknown one, lists the commands on `err` and returns 2.
int RunCheckCommand(const Flags& flags, const std::vector<CheckCommand>& commands,
                    std::ostream& out, std::ostream& err, bool out_is_terminal);

}  // namespace mailrep

#endif  // MAILREP_EXPORTER_APP_RUN_CHECK_H_
