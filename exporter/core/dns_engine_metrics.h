// The DNS engine's self-metrics (collectors/dns/dns_engine.h): how many
// engines run in the process, and the shared engine's query counters.
// Described here, beside the exporter's other own families, so the metric
// reference lists them under "exporter"; the exporter fills them per scrape
// from DnsEngine (which lives above the core). Stateless; thread-safe.
#ifndef MAILREP_EXPORTER_CORE_DNS_ENGINE_METRICS_H_
#define MAILREP_EXPORTER_CORE_DNS_ENGINE_METRICS_H_

#include <cstdint>
#include <span>

#include "exporter/core/metric_family.h"
#include "exporter/core/metric_set.h"

namespace mailrep {

struct DnsEngineStats {
  int64_t engines = 0;  // c-ares engines (channel and worker thread) alive in the process
  // Of the exporter's engine, since it started (a reload that changes the
  // `dns` section starts a new engine, so the counters restart).
  uint64_t queries = 0;         // submitted
  uint64_t cache_hits = 0;      // answered from its cache
  uint64_t sent = 0;            // handed to c-ares
  uint64_t rate_limited = 0;    // times a query waited for its rate-limit key
  uint64_t coalesced = 0;       // joined an identical query already queued or in flight
  uint64_t budget_refused = 0;  // not sent: their daily query budget was spent
};

// Adds mailrep_dns_engines, mailrep_dns_queries_total,
// mailrep_dns_cache_hits_total, mailrep_dns_queries_sent_total,
// mailrep_dns_rate_limited_total, mailrep_dns_queries_coalesced_total and
// mailrep_dns_queries_budget_refused_total.
void AddDnsEngineMetrics(const DnsEngineStats& stats, MetricSet* out);

// The descriptions of those families, for the metric reference (metric_doc.h).
std::span<const MetricFamily> DnsEngineMetricFamilies();

}  // namespace mailrep

#endif  // MAILREP_EXPORTER_CORE_DNS_ENGINE_METRICS_H_
