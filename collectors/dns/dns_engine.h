// DnsEngine: the one DNS engine of an exporter process — one resolver (one
// c-ares channel, one worker thread, one answer cache) and one per-key
// RateLimiter, shared by every collector, /probe module and check command.
//
// The exporter makes one engine per `dns` config section (servers, timeout)
// and hands it to every collector factory in CollectorEnv::dns. On reload it
// keeps the engine when the section is unchanged; when it changed, every
// collector is rebuilt anyway (its fingerprint covers the whole document but
// other collectors' sections) and gets the new engine. `check` commands build
// theirs from --dns-server flags through the same Create
// (StartDnsEngineForCheck).
//
// Lazy: Create() only checks the settings. The c-ares channel and its thread
// start at the first resolver() call, which a collector makes in its factory
// when it has something to check (spf, dkim, dmarc, ptr, mta_sts) or at its
// first run (dnsbl); so a config with no DNS targets starts no thread and
// sends no query.
//
// Rate limits: the limiter holds one token bucket per DnsQuery::rate_key.
// Whoever owns a key sets its rate (the dnsbl collector, one key per list
// zone); keys without a rate are unlimited.
//
// Query budgets: one daily budget per budget key (query_budget.h;
// DnsQuery::budget_key, else its rate_key), set by the same owner (the dnsbl
// collector: one key per operator's budget group, shared by its zones);
// every query the engine sends spends it, whoever asked (collector runs and
// /probe alike), and a query over it is not sent.
//
// Thread-safe: every method may be called from any thread.
//
//   StatusOr<std::shared_ptr<DnsEngine>> dns = DnsEngine::Create(config.dns, resolv_conf);
//   dns->rate_limiter().SetRate("zen.spamhaus.org", 10, 10);
//   StatusOr<std::shared_ptr<Resolver>> resolver = (*dns)->resolver();  // starts c-ares
#ifndef MAILREP_COLLECTORS_DNS_DNS_ENGINE_H_
#define MAILREP_COLLECTORS_DNS_DNS_ENGINE_H_

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "collectors/dns/cares_resolver.h"
#include "collectors/dns/query_budget.h"
#include "collectors/dns/rate_limiter.h"
#include "collectors/dns/resolver.h"
#include "exporter/config/config.h"
#include "exporter/core/clock.h"
#include "exporter/core/collector.h"
#include "exporter/core/dns_engine_metrics.h"
#include "exporter/util/status.h"

namespace mailrep {

class DnsEngine {
 public:
  // An engine on `dns.servers` (when empty, the system's: the nameserver
  // lines of `resolv_conf`, "" = /etc/resolv.conf) with `dns.timeout` per
  // try. Fails when a server does not parse (naming it as dns.servers[i]).
  // Starts nothing. The rate limiter and the cache read `clock`'s steady
  // time (c-ares' own timeouts run on the real clock).
  static StatusOr<std::shared_ptr<DnsEngine>> Create(
      const DnsConfig& dns, std::string resolv_conf,
      std::shared_ptr<const Clock> clock = Clock::Real());

  // For tests and tools: an engine whose resolver is `resolver` (e.g. a
  // StaticResolver), already "started"; its rate limiter is not consulted
  // unless `resolver` was built with it.
  static std::shared_ptr<DnsEngine> ForResolver(std::shared_ptr<Resolver> resolver);

  DnsEngine(const DnsEngine&) = delete;
  DnsEngine& operator=(const DnsEngine&) = delete;

  // The settings it was made from; the exporter keeps the engine across a
  // reload when they are equal.
  const DnsConfig& config() const { return dns_; }

  // The resolver. The first call starts the c-ares engine and logs a warning
  // for each well-known public resolver among its servers (the major
  // blocklists refuse queries through those); later calls return the same
  // one. A failed start (unreadable resolv_conf, c-ares init) is returned and
  // tried again on the next call.
  StatusOr<std::shared_ptr<Resolver>> resolver();

  // Per-key query rate caps applied by the resolver (see the header comment).
  RateLimiter& rate_limiter() { return *rate_limiter_; }

  // Per-key daily query budgets applied by the resolver (see above).
  const std::shared_ptr<QueryBudget>& query_budget() const { return query_budget_; }

  // Counters of the c-ares resolver since it started; all zero before.
  CaresResolverStats stats() const;

 private:
  DnsEngine(DnsConfig dns, CaresResolverOptions options, std::shared_ptr<RateLimiter> limiter,
            std::shared_ptr<QueryBudget> budget);

  const DnsConfig dns_;
  const CaresResolverOptions options_;  // rate_limiter and query_budget set
  const std::shared_ptr<RateLimiter> rate_limiter_;
  const std::shared_ptr<QueryBudget> query_budget_;

  mutable std::mutex mu_;  // guards the members below
  std::shared_ptr<Resolver> resolver_;
  std::shared_ptr<CaresResolver> cares_;  // resolver_ when it is the c-ares one
};

// For `check` commands: a new engine on `servers` (the --dns-server values;
// the system's, from `resolv_conf`, when empty), made by Create as the
// exporter's is, and its resolver, started. A server that does not parse is
// an error naming it as --dns-server.
StatusOr<std::shared_ptr<Resolver>> StartDnsEngineForCheck(const std::vector<std::string>& servers,
                                                           std::string resolv_conf);

// For a collector's factory: env.dns's resolver when the collector has
// something to check (`needed`), else null, so a collector with no targets
// neither starts the engine nor sends a query. Errors name the config file.
StatusOr<std::shared_ptr<Resolver>> ResolverIfNeeded(const CollectorEnv& env, bool needed);

// For the self-metrics (exporter/core/dns_engine_metrics.h): the c-ares
// engines alive in the process (CaresResolver::LiveCount) and `engine`'s
// counters (zeros for null or an engine not started).
DnsEngineStats DnsEngineStatsOf(const DnsEngine* engine);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_DNS_DNS_ENGINE_H_
