#include "collectors/dns/dns_engine.h"

#include <chrono>
#include <utility>

#include "collectors/dns/dns_server_address.h"
#include "collectors/dns/public_resolvers.h"
#include "exporter/core/log.h"

namespace mailrep {

StatusOr<std::shared_ptr<DnsEngine>> DnsEngine::Create(const DnsConfig& dns,
                                                       std::string resolv_conf,
                                                       std::shared_ptr<const Clock> clock) {
  CaresResolverOptions options;
  options.resolv_conf = std::move(resolv_conf);
  for (size_t i = 0; i < dns.servers.size(); ++i) {
    StatusOr<DnsServerAddress> server = DnsServerAddress::Parse(dns.servers[i]);
    if (!server.ok()) {
      return server.status().Annotate("dns.servers[" + std::to_string(i) + "]");
    }
    options.servers.push_back(*server);
  }
  options.timeout = std::chrono::duration_cast<std::chrono::milliseconds>(dns.timeout);
  options.clock = clock;
  auto limiter = std::make_shared<RateLimiter>(clock);
  auto budget = std::make_shared<QueryBudget>(std::move(clock));
  return std::shared_ptr<DnsEngine>(
      new DnsEngine(dns, std::move(options), std::move(limiter), std::move(budget)));
}

std::shared_ptr<DnsEngine> DnsEngine::ForResolver(std::shared_ptr<Resolver> resolver) {
  std::shared_ptr<DnsEngine> engine(new DnsEngine(DnsConfig{}, CaresResolverOptions{},
                                                  std::make_shared<RateLimiter>(),
                                                  std::make_shared<QueryBudget>()));
  engine->resolver_ = std::move(resolver);
  return engine;
}

DnsEngine::DnsEngine(DnsConfig dns, CaresResolverOptions options,
                     std::shared_ptr<RateLimiter> limiter, std::shared_ptr<QueryBudget> budget)
    : dns_(std::move(dns)),
      options_([&] {
        options.rate_limiter = limiter;
        options.query_budget = budget;
        return std::move(options);
      }()),
      rate_limiter_(std::move(limiter)),
      query_budget_(std::move(budget)) {}

StatusOr<std::shared_ptr<Resolver>> DnsEngine::resolver() {
  std::lock_guard lock(mu_);
  if (resolver_) return resolver_;
  StatusOr<std::unique_ptr<CaresResolver>> made = CaresResolver::Create(options_);
  if (!made.ok()) return made.status();
  cares_ = std::move(made).value();
  resolver_ = cares_;
  for (const DnsServerAddress& server : cares_->servers()) {
    if (std::optional<std::string_view> name = WellKnownPublicResolverName(server.address)) {
      LogWarn(
          "DNS resolver is a public one; Spamhaus and other major blocklists refuse queries "
          "through it, so their answers are errors, not listings. Run a local recursive "
          "resolver (unbound) and name it in dns.servers",
          {{"resolver", server.ToString()}, {"operator", std::string(*name)}});
    }
  }
  return resolver_;
}

CaresResolverStats DnsEngine::stats() const {
  std::lock_guard lock(mu_);
  return cares_ ? cares_->stats() : CaresResolverStats{};
}

StatusOr<std::shared_ptr<Resolver>> StartDnsEngineForCheck(const std::vector<std::string>& servers,
                                                           std::string resolv_conf) {
  DnsConfig dns;
  for (const std::string& server : servers) {
    StatusOr<DnsServerAddress> parsed = DnsServerAddress::Parse(server);
    if (!parsed.ok()) return parsed.status().Annotate("--dns-server " + server);
    dns.servers.push_back(server);
  }
  StatusOr<std::shared_ptr<DnsEngine>> engine = DnsEngine::Create(dns, std::move(resolv_conf));
  if (!engine.ok()) return engine.status();
  return (*engine)->resolver();
}

StatusOr<std::shared_ptr<Resolver>> ResolverIfNeeded(const CollectorEnv& env, bool needed) {
  if (!needed) return std::shared_ptr<Resolver>();
  if (!env.dns) {
    return Status::Internal(env.config.source + ": the collector got no DNS engine");
  }
  StatusOr<std::shared_ptr<Resolver>> resolver = env.dns->resolver();
  if (!resolver.ok()) return resolver.status().Annotate(env.config.source);
  return resolver;
}

DnsEngineStats DnsEngineStatsOf(const DnsEngine* engine) {
  DnsEngineStats out;
  out.engines = CaresResolver::LiveCount();
  if (engine == nullptr) return out;
  CaresResolverStats stats = engine->stats();
  out.queries = stats.submitted;
  out.cache_hits = stats.cache_hits;
  out.sent = stats.sent;
  out.rate_limited = stats.rate_limited;
  out.coalesced = stats.coalesced;
  out.budget_refused = stats.budget_refused;
  return out;
}

}  // namespace mailrep
