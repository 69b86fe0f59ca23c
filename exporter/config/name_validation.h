// Syntax checks for names written in the config: host names, DNS server
// addresses. Pure functions over text; no lookups.
#ifndef MAILREP_EXPORTER_CONFIG_NAME_VALIDATION_H_
#define MAILREP_EXPORTER_CONFIG_NAME_VALIDATION_H_

#include <string_view>

#include "exporter/util/status.h"

namespace mailrep {

// A DNS host name: LDH labels of 1-63 characters that neither start nor end
// with '-', at most 253 characters, one optional trailing dot. The message
// says which rule `name` breaks.
Status ValidateHostname(std::string_view name);

// A DNS server: "ip", "ip:port", "[v6]:port" (an address, never a name).
// Ports are 1-65535.
Status ValidateDnsServer(std::string_view server);

}  // namespace mailrep

#endif  // MAILREP_EXPORTER_CONFIG_NAME_VALIDATION_H_
