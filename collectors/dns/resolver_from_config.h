// Builds the real resolver from the config's `dns` section, for collectors.
#ifndef MAILREP_COLLECTORS_DNS_RESOLVER_FROM_CONFIG_H_
#define MAILREP_COLLECTORS_DNS_RESOLVER_FROM_CONFIG_H_

#include <memory>
#include <string>
#include <vector>

#include "collectors/dns/resolver.h"
#include "exporter/config/config.h"
#include "exporter/util/status.h"

namespace mailrep {

// Every resolver the exporter and its `check` commands use is built here, so
// --dns.resolv-conf reaches all of them.

// A CaresResolver on `dns.servers` (when empty, the system's: the nameserver
// lines of `resolv_conf`, "" = /etc/resolv.conf) with `dns.timeout` per try. Logs a warning for
// each well-known public resolver among them: the major blocklists refuse queries that come through
// those.
StatusOr<std::shared_ptr<Resolver>> NewResolverFromConfig(const DnsConfig& dns,
                                                          const std::string& resolv_conf);

// For `check` commands: a resolver on the --dns-server values (the system's
// when there are none, from `resolv_conf` as above).
StatusOr<std::shared_ptr<Resolver>> NewResolverFromFlags(const std::vector<std::string>& servers,
                                                         const std::string& resolv_conf);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_DNS_RESOLVER_FROM_CONFIG_H_
