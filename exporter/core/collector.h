// Collector: one family of measurements that runs in the background.
//
// A collector is built from the config by its factory, then the Scheduler
// calls Collect() on the collector's interval, from one thread at a time (never
// concurrently with itself). Collect() fills a MetricSet that becomes the
// collector's immutable Snapshot; scrapes only ever read snapshots, so a slow
// or failing collector never slows or fails a scrape.
//
// Adding a collector: write collectors/<family>/<name>_collector.{h,cc} with
// the collector, its MetricFamily descriptions and a <Name>CollectorSpec(),
// plus its _test.cc (the folder's build picks them up by name), and add one
// line to collectors/registry.cc (README "Adding a collector";
// tests/example_collector/ is a worked example). The flags
// --collector.<name>/--no-collector.<name>, the config section
// `collectors.<name>` with enabled/interval/timeout, and the self-metrics
// mailrep_collector_* come with that line.
#ifndef MAILREP_EXPORTER_CORE_COLLECTOR_H_
#define MAILREP_EXPORTER_CORE_COLLECTOR_H_

#include <chrono>
#include <functional>
#include <memory>
#include <span>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "exporter/config/config.h"
#include "exporter/core/clock.h"
#include "exporter/core/metric_family.h"
#include "exporter/core/metric_set.h"
#include "exporter/core/probe.h"
#include "exporter/core/shard.h"
#include "exporter/util/status.h"

namespace mailrep {

struct CollectContext {
  // Requested when the collector's timeout passes, on reload and at shutdown.
  // Long collectors poll it and return Status::Cancelled promptly.
  std::stop_token stop;
  // When the run must be finished (steady clock).
  std::chrono::steady_clock::time_point deadline;
};

class Collector {
 public:
  virtual ~Collector() = default;

  // Measures once and adds the results to `out`. On error, returns a non-OK
  // Status; `out` is then discarded and the previous snapshot stays current.
  // A collector with partial results it wants kept returns OK and reports the
  // problem in its own metrics.
  virtual Status Collect(const CollectContext& ctx, MetricSet* out) = 0;

  // The /probe modules this collector offers (see probe.h); none by default.
  // Called once per config generation that runs this instance (an unchanged
  // collector is kept across a reload). The exporter keeps the collector alive
  // while any of its modules runs.
  virtual std::vector<ProbeModule> ProbeModules() { return {}; }

  // Reload hand-over. When a reload changes this collector's config, the
  // exporter builds a new instance and calls this on it, before its first run,
  // with the previous instance of the same name (same factory, so the same
  // dynamic type), whose runs have ended and which is released afterwards (a
  // probe of the old generation may still use it: take only Collect() state).
  // The new instance takes over what still applies under its own config:
  // counters, open log files and their positions, cached values. Not called
  // when the config did not change (the old instance simply keeps running),
  // nor when the previous instance's run could not be stopped in time.
  // Does nothing by default.
  virtual void AdoptState(Collector& previous) { (void)previous; }
};

// Defined in collectors/dns/dns_engine.h, collectors/http_fetch/http_fetcher.h,
// collectors/host/seen_sending_ips.h and collectors/delivery/message_id_index.h;
// the core only passes them along.
class DnsEngine;
class HttpFetcher;
class SeenSendingIps;
class MessageIdIndex;

// What a factory receives: the config, and the process's shared ways to
// reach the outside (files under `root`, the DNS engine, the HTTP fetcher,
// the clock) and to share what they learn (the sending IPs seen), which tests replace with fixtures
// and fakes. References live only during the factory call; copy what the collector needs (keep the
// shared_ptrs).
struct CollectorEnv {
  const Config& config;
  const CollectorSettings& settings;
  // Prefix for every absolute path the collector reads ("" in production;
  // a fixture tree in tests), e.g. root + "/var/spool/postfix".
  std::string root;
  // The process's one DNS engine (resolver, cache, per-zone rate limiter),
  // made from config.dns and --dns.resolv-conf, started on first use. Every
  // collector and /probe module that queries DNS uses it and makes no
  // resolver of its own. Null in tests of collectors that need no DNS.
  std::shared_ptr<DnsEngine> dns{};
  // Where the collector reads the time (a FakeClock in tests).
  std::shared_ptr<const Clock> clock = Clock::Real();
  // The process's one HTTP(S) fetcher (libcurl), made once at start and kept
  // across reloads. Every collector and /probe module that fetches over
  // HTTP(S) uses it and makes no client of its own. Null in tests of
  // collectors that fetch nothing (a FakeHttpFetcher in those that do).
  std::shared_ptr<HttpFetcher> http{};
  // This replica's share of the targets (--shard); collectors that sweep
  // many targets (dnsbl) check only those it Owns().
  Shard shard{};
  // The process's one store of the public sending IPs seen in the MTA logs,
  // kept across reloads: the delivery collector records into it, the dnsbl
  // collector may add them as targets. Null in tests that need none.
  std::shared_ptr<SeenSendingIps> seen_sending_ips{};
  // The process's one index of the messages sent, by Message-ID, kept across
  // reloads: the delivery collector adds to it, the reports collector joins
  // complaints with it. Null in tests that need none.
  std::shared_ptr<MessageIdIndex> message_ids{};
};

// Validates `options` (calling options.Finish()) and builds the collector. An
// options error must come from ConfigNode so it names file, line and key.
// A plain function, or a closure (the queue collectors bind their MTA).
using CollectorFactory = std::function<StatusOr<std::unique_ptr<Collector>>(const CollectorEnv& env,
                                                                            ConfigNode& options)>;

struct CollectorSpec {
  CollectorDefaults defaults;  // name, enabled by default, interval, timeout
  std::string_view help;       // one line, for --help and the landing page
  CollectorFactory factory;
  // Every family the collector can export, described once (metric_family.h);
  // --help-metrics and the README's reference list them.
  std::span<const MetricFamily> metrics;
};

}  // namespace mailrep

#endif  // MAILREP_EXPORTER_CORE_COLLECTOR_H_
