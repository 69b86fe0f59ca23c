#include "exporter/core/self_metrics.h"

#include "exporter/core/exposition_repair.h"
#include "exporter/core/log.h"

namespace mailrep {
namespace {

using prometheus::MetricType;

constexpr MetricFamily kBuildInfo{
    "mailrep_build_info",
    MetricType::Gauge,
    {"version", "revision"},
    "A metric with a constant '1' value labeled by the version and revision of mailrep_exporter."};
constexpr MetricFamily kReloadSuccessful{
    "mailrep_config_last_reload_successful",
    MetricType::Gauge,
    {},
    "Whether the last configuration load or reload succeeded (1) or failed (0)."};
constexpr MetricFamily kReloadSuccessTime{"mailrep_config_last_reload_success_timestamp_seconds",
                                          MetricType::Gauge,
                                          {},
                                          "Unix time of the last successful configuration load."};
constexpr MetricFamily kReloadFailures{
    "mailrep_config_reload_failures_total",
    MetricType::Counter,
    {},
    "Configuration reloads that failed and kept the running configuration."};
constexpr MetricFamily kRepairedStrings{
    "mailrep_exposition_repaired_strings_total",
    MetricType::Counter,
    {},
    "Strings repaired (invalid UTF-8 or control characters replaced with U+FFFD) or series "
    "dropped (invalid names) while serializing metrics; counted at every serialization, so it "
    "grows while some input stays broken."};
constexpr MetricFamily kLogMessages{
    "mailrep_log_messages_total",
    MetricType::Counter,
    {"level"},
    "Warnings (warn) and errors (error) the exporter logged, counted even when --log.level hides "
    "them: a problem that is only logged shows here."};
constexpr MetricFamily kCollectorRuns{"mailrep_collector_runs_total",
                                      MetricType::Counter,
                                      {"collector"},
                                      "Background runs of the collector, successful or not."};
constexpr MetricFamily kCollectorErrors{
    "mailrep_collector_errors_total",
    MetricType::Counter,
    {"collector"},
    "Background runs of the collector that failed or timed out; the collector then keeps its "
    "last good values."};
constexpr MetricFamily kCollectorSuccess{
    "mailrep_collector_success",
    MetricType::Gauge,
    {"collector"},
    "Whether the collector's last background run succeeded (1) or failed (0); absent before its "
    "first run."};
constexpr MetricFamily kCollectorDuration{"mailrep_collector_duration_seconds",
                                          MetricType::Gauge,
                                          {"collector"},
                                          "Duration of the collector's last background run."};
constexpr MetricFamily kCollectorLastSuccess{
    "mailrep_collector_last_success_timestamp_seconds",
    MetricType::Gauge,
    {"collector"},
    "Unix time the collector's last successful run ended (0: never); its metrics are as of "
    "then."};

constexpr MetricFamily kShardOrdinal{
    "mailrep_shard_ordinal",
    MetricType::Gauge,
    {},
    "This replica's shard index (--shard=INDEX/TOTAL; 0 when not sharded)."};
constexpr MetricFamily kShardTotal{
    "mailrep_shards",
    MetricType::Gauge,
    {},
    "The number of shards the targets are split over (--shard=INDEX/TOTAL; 1 when not sharded)."};
constexpr MetricFamily kSelfFamilies[] = {
    kBuildInfo,        kReloadSuccessful,  kReloadSuccessTime,    kReloadFailures,
    kRepairedStrings,  kLogMessages,       kCollectorRuns,        kCollectorErrors,
    kCollectorSuccess, kCollectorDuration, kCollectorLastSuccess, kShardOrdinal,
    kShardTotal};

}  // namespace

std::span<const MetricFamily> SelfMetricFamilies() { return kSelfFamilies; }

double UnixSeconds(std::chrono::system_clock::time_point t) {
  return std::chrono::duration<double>(t.time_since_epoch()).count();
}

void AddSelfMetrics(const BuildInfo& build, const ReloadState& reload, const Shard& shard,
                    const std::vector<CollectorStatus>& collectors, MetricSet* out) {
  out->Add(kBuildInfo, {build.version, build.revision}, 1);
  out->Add(kShardOrdinal, {}, static_cast<double>(shard.index));
  out->Add(kShardTotal, {}, static_cast<double>(shard.total));
  out->Add(kReloadSuccessful, {}, reload.last_successful ? 1 : 0);
  out->Add(kReloadSuccessTime, {}, UnixSeconds(reload.last_success));
  out->Add(kReloadFailures, {}, static_cast<double>(reload.failures));
  out->Add(kRepairedStrings, {}, static_cast<double>(ExpositionRepairsTotal()));
  out->Add(kLogMessages, {"warn"}, static_cast<double>(LoggedTotal(LogLevel::kWarn)));
  out->Add(kLogMessages, {"error"}, static_cast<double>(LoggedTotal(LogLevel::kError)));

  for (const CollectorStatus& c : collectors) {
    out->Add(kCollectorRuns, {c.name}, static_cast<double>(c.runs));
    out->Add(kCollectorErrors, {c.name}, static_cast<double>(c.errors));
    if (c.runs == 0) continue;  // no run yet: success and duration are unknown
    out->Add(kCollectorSuccess, {c.name}, c.last_success ? 1 : 0);
    out->Add(kCollectorDuration, {c.name}, c.last_duration_seconds);
    out->Add(kCollectorLastSuccess, {c.name}, UnixSeconds(c.last_success_end));
  }
}

}  // namespace mailrep
