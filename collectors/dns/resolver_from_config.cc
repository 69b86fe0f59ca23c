#include "collectors/dns/resolver_from_config.h"

#include "collectors/dns/cares_resolver.h"
#include "collectors/dns/dns_server_address.h"
#include "collectors/dns/public_resolvers.h"
#include "exporter/core/log.h"

namespace mailrep {

StatusOr<std::shared_ptr<Resolver>> NewResolverFromConfig(const DnsConfig& dns,
                                                          const std::string& resolv_conf) {
  CaresResolverOptions options;
  options.resolv_conf = resolv_conf;
  for (size_t i = 0; i < dns.servers.size(); ++i) {
    StatusOr<DnsServerAddress> server = DnsServerAddress::Parse(dns.servers[i]);
    if (!server.ok()) {
      return server.status().Annotate("dns.servers[" + std::to_string(i) + "]");
    }
    options.servers.push_back(*server);
  }
  options.timeout = std::chrono::duration_cast<std::chrono::milliseconds>(dns.timeout);
  StatusOr<std::unique_ptr<CaresResolver>> resolver = CaresResolver::Create(std::move(options));
  if (!resolver.ok()) return resolver.status();
  for (const DnsServerAddress& server : (*resolver)->servers()) {
    if (IsWellKnownPublicResolver(server.address)) {
      LogWarn(
          "DNS resolver is a public one; Spamhaus and other major blocklists refuse queries "
          "through it, so their answers are errors, not listings. Run a local recursive "
          "resolver (unbound) and name it in dns.servers",
          {{"resolver", server.ToString()}});
    }
  }
  return std::shared_ptr<Resolver>(std::move(resolver).value());
}

StatusOr<std::shared_ptr<Resolver>> NewResolverFromFlags(const std::vector<std::string>& servers,
                                                         const std::string& resolv_conf) {
  DnsConfig dns;
  for (const std::string& s : servers) {
    StatusOr<DnsServerAddress> server = DnsServerAddress::Parse(s);
    if (!server.ok()) return server.status().Annotate("--dns-server " + s);
    dns.servers.push_back(s);
  }
  return NewResolverFromConfig(dns, resolv_conf);
}

}  // namespace mailrep
