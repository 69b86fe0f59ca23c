#include "exporter/core/dns_engine_metrics.h"

namespace mailrep {
namespace {

using prometheus::MetricType;

constexpr MetricFamily kEngines{
    "mailrep_dns_engines",
    MetricType::Gauge,
    {},
    "DNS engines (c-ares channel and worker thread) running in the exporter; 1 once a DNS check "
    "has started, 0 before. Every DNS collector and probe shares the one engine."};
constexpr MetricFamily kQueries{"mailrep_dns_queries_total",
                                MetricType::Counter,
                                {},
                                "DNS queries submitted to the DNS engine by the DNS collectors "
                                "and probes."};
constexpr MetricFamily kCacheHits{"mailrep_dns_cache_hits_total",
                                  MetricType::Counter,
                                  {},
                                  "DNS queries the DNS engine answered from its cache."};
constexpr MetricFamily kSent{"mailrep_dns_queries_sent_total",
                             MetricType::Counter,
                             {},
                             "DNS queries the DNS engine handed to c-ares to send."};
constexpr MetricFamily kRateLimited{
    "mailrep_dns_rate_limited_total",
    MetricType::Counter,
    {},
    "Times a DNS query waited for its rate limit (a DNSBL's queries_per_second)."};

constexpr MetricFamily kCoalesced{
    "mailrep_dns_queries_coalesced_total",
    MetricType::Counter,
    {},
    "DNS queries that joined an identical query (same name and type) already queued or in "
    "flight in the DNS engine, and got its answer without a query of their own."};
constexpr MetricFamily kBudgetRefused{
    "mailrep_dns_queries_budget_refused_total",
    MetricType::Counter,
    {},
    "DNS queries the DNS engine did not send because their daily query budget (a DNSBL "
    "operator's budget group) was spent for the UTC day."};

constexpr MetricFamily kDnsEngineFamilies[] = {kEngines,     kQueries,   kCacheHits,    kSent,
                                               kRateLimited, kCoalesced, kBudgetRefused};

}  // namespace

void AddDnsEngineMetrics(const DnsEngineStats& stats, MetricSet* out) {
  out->Add(kEngines, {}, static_cast<double>(stats.engines));
  out->Add(kQueries, {}, static_cast<double>(stats.queries));
  out->Add(kCacheHits, {}, static_cast<double>(stats.cache_hits));
  out->Add(kSent, {}, static_cast<double>(stats.sent));
  out->Add(kRateLimited, {}, static_cast<double>(stats.rate_limited));
  out->Add(kCoalesced, {}, static_cast<double>(stats.coalesced));
  out->Add(kBudgetRefused, {}, static_cast<double>(stats.budget_refused));
}

std::span<const MetricFamily> DnsEngineMetricFamilies() { return kDnsEngineFamilies; }

}  // namespace mailrep
