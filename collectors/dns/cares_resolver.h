// CaresResolver: the Resolver on c-ares 1.18.
//
// One worker thread owns the c-ares channel and drives it with poll() and
// ares_process_fd() (1.18 has no event thread). Submit() only queues the query
// and wakes the worker, so it is cheap and callable from any thread.
//
// The worker, per query: answers from the cache when it can; joins an
// identical query (same name and type) already queued or in flight, so both
// get its one answer (each still ends by its own deadline); otherwise waits
// for the query's rate-limit key to have a token and for an in-flight slot
// (at most max_in_flight queries are outstanding), then sends it if its
// budget key's daily query budget allows (else it ends with kBudgetExhausted,
// unsent; the budget key is DnsQuery::budget_key, or rate_key). c-ares
// retries each query `tries` times over the servers (the per-try timeout
// doubling each round), retries truncated UDP answers over TCP, and drops
// answers whose id or question do not match the query. A SERVFAIL or REFUSED
// answer ends the query (it is not retried on the next server: c-ares 1.18
// would report it as a connection error). Queries failed by a broken socket
// (c-ares fails every query outstanding to that server) are re-sent once. Answers are decoded
// with DecodeDnsAnswer; NXDOMAIN/NODATA/data answers are cached by TTL.
// Callbacks run on the worker thread.
//
// Thread-safety: all public methods are thread-safe.
#ifndef MAILREP_COLLECTORS_DNS_CARES_RESOLVER_H_
#define MAILREP_COLLECTORS_DNS_CARES_RESOLVER_H_

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "collectors/dns/dns_cache.h"
#include "collectors/dns/dns_server_address.h"
#include "collectors/dns/query_budget.h"
#include "collectors/dns/rate_limiter.h"
#include "collectors/dns/resolver.h"
#include "exporter/util/status.h"

namespace mailrep {

struct CaresResolverOptions {
  // Resolvers to ask. Empty: the system's, from the nameserver lines of
  // `resolv_conf`.
  std::vector<DnsServerAddress> servers;
  // The resolv.conf naming the system's resolvers, read when `servers` is
  // empty; "" is /etc/resolv.conf. Create fails when a named file cannot be
  // read (c-ares would silently fall back to 127.0.0.1). A file without
  // nameserver lines means 127.0.0.1, as for the system's.
  std::string resolv_conf;
  // Queries outstanding at once, over all servers.
  int max_in_flight = 256;
  // Timeout of a query's first try; c-ares doubles it each round over the
  // servers. With one server, tries = 2 and 2 s, a dead server costs 6 s.
  std::chrono::milliseconds timeout{2000};
  int tries = 2;
  // EDNS0 UDP payload size advertised (RFC 6891); 0 disables EDNS, so
  // answers above 512 bytes come back truncated and are retried over TCP.
  int edns_udp_size = 1232;
  // SO_RCVBUF for c-ares' sockets, in bytes (0: the OS default). A sweep
  // with hundreds of queries in flight gets bursts of answers; with Linux's
  // default 208 KiB some are dropped and cost a full timeout each. Linux caps
  // the value at net.core.rmem_max.
  int socket_receive_buffer = 1 << 20;
  // Set recursion desired (RD). On for recursive resolvers; tests against
  // an authoritative server may leave it on too.
  bool recursion_desired = true;
  DnsCacheOptions cache;
  // What the cache's expiry reads (c-ares' own timeouts run on real time).
  std::shared_ptr<const Clock> clock = Clock::Real();
  // Per-key query rate caps, shared with whoever configures them. Null: none.
  std::shared_ptr<RateLimiter> rate_limiter;
  // Per-key daily query budgets, spent by each query sent (not by cache hits
  // or coalesced queries) under its budget key; a query over that key's
  // budget is not sent and ends with kBudgetExhausted. Null: none.
  std::shared_ptr<QueryBudget> query_budget;
};

// Counters since creation, for self-metrics.
struct CaresResolverStats {
  uint64_t submitted = 0;
  uint64_t cache_hits = 0;
  uint64_t sent = 0;                    // queries handed to c-ares
  uint64_t rate_limited = 0;            // times a query had to wait for its rate-limit key
  uint64_t coalesced = 0;               // queries that joined an identical one in flight
  uint64_t budget_refused = 0;          // queries not sent: their key's daily budget was spent
  std::array<uint64_t, 10> outcomes{};  // indexed by DnsOutcome
  uint64_t in_flight = 0;               // gauge: outstanding in c-ares now
  uint64_t peak_in_flight = 0;          // the most ever outstanding at once
  uint64_t queued = 0;                  // gauge: waiting for a slot or a token now
};

class CaresResolver : public Resolver {
 public:
  // Starts the worker. Fails on bad options or when c-ares cannot initialise.
  static StatusOr<std::unique_ptr<CaresResolver>> Create(CaresResolverOptions options);

  // Stops the worker; queries not finished by then get kCancelled.
  ~CaresResolver() override;

  void Submit(DnsQuery query, DnsCallback done) override;

  // The servers c-ares uses (the configured ones, or the system's).
  const std::vector<DnsServerAddress>& servers() const;

  CaresResolverStats stats() const;

  // CaresResolvers alive in this process (each one c-ares channel and one
  // worker thread), for the self-metric mailrep_dns_engines.
  static int LiveCount();

 private:
  class Impl;
  explicit CaresResolver(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_DNS_CARES_RESOLVER_H_
