// `mailrep_exporter check mta_sts --domain D [--dns-server HOST:PORT]...
//  [--ca-file F] [--format text|json]`: the domain's MTA-STS record, its policy
// fetched over HTTPS (--ca-file: a PEM CA bundle instead of the system store),
// MX coverage and the TLS-RPT record, printed for a person or as one JSON
// object. Exit 0 only when the status is valid, 1 otherwise, 2 on usage or
// resolver errors.
#ifndef MAILREP_COLLECTORS_AUTH_MTA_STS_CHECK_COMMAND_H_
#define MAILREP_COLLECTORS_AUTH_MTA_STS_CHECK_COMMAND_H_

#include "exporter/core/check_command.h"

namespace mailrep {

extern const CheckCommand kMtaStsCheckCommand;

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_AUTH_MTA_STS_CHECK_COMMAND_H_
