// Resolver: the asynchronous DNS interface every DNS check uses (DNSBL, SPF,
// DKIM, DMARC, PTR). Built for sweeps of thousands of names: submit them all,
// the implementation keeps a bounded number in flight, applies per-key rate
// limits and caching, and calls back once per query.
//
// Implementations: CaresResolver (c-ares, the real one) and StaticResolver
// (in-process answers for tests).
//
// Thread-safety: every method may be called from any thread concurrently.
//
// A sweep, as the DNSBL collector does it:
//
//   std::vector<DnsQuery> queries;
//   for (const std::string& ip : reversed_ips) {
//     queries.push_back({ip + ".zen.spamhaus.org", RecordType::kA, "zen.spamhaus.org", deadline});
//   }
//   std::vector<DnsAnswer> answers = resolver.ResolveAll(std::move(queries));
//
// or Submit() each query with a callback to process answers as they arrive.
#ifndef MAILREP_COLLECTORS_DNS_RESOLVER_H_
#define MAILREP_COLLECTORS_DNS_RESOLVER_H_

#include <chrono>
#include <functional>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "collectors/dns/dns_types.h"
#include "exporter/core/clock.h"

namespace mailrep {

struct DnsQuery {
  std::string name;  // "2.0.0.127.zen.spamhaus.org"; a trailing dot is optional
  RecordType type = RecordType::kA;
  // Rate-limit bucket (see RateLimiter), usually the DNSBL zone. Empty: no
  // limit of its own (the limiter's default rate applies).
  std::string rate_key;
  // The query ends with kTimeout if it has no answer by then (including time
  // spent waiting for the rate limit or an in-flight slot).
  SteadyTime deadline = SteadyTime::max();
  // Daily query budget (QueryBudget) the query spends when sent, usually
  // the DNSBL operator's budget group, which several zones share. Empty:
  // rate_key's.
  std::string budget_key = "";
};

// Called exactly once per submitted query, with its answer. It may run on any
// thread — for CaresResolver the resolver's own thread, for others possibly
// inside Submit() — so it must be quick, must not block, and must not call the
// blocking Resolve()/ResolveAll(); it may call Submit().
using DnsCallback = std::function<void(DnsAnswer answer)>;

class Resolver {
 public:
  virtual ~Resolver() = default;

  // Queues `query`; `done` gets the answer (kCancelled if the resolver is
  // destroyed first).
  virtual void Submit(DnsQuery query, DnsCallback done) = 0;

  // Blocking conveniences built on Submit(). Each returns by the queries'
  // deadlines (plus scheduling slack). Must not be called from a DnsCallback.
  DnsAnswer Resolve(std::string_view name, RecordType type, SteadyTime deadline);
  // Answers in the order of `queries`. If `stop` is requested first, returns
  // at once with kCancelled for the unfinished ones (they still run to
  // completion in the background; their answers are dropped).
  std::vector<DnsAnswer> ResolveAll(std::vector<DnsQuery> queries, std::stop_token stop = {});
};

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_DNS_RESOLVER_H_
