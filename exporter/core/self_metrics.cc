#include "exporter/core/self_metrics.h"

#include "exporter/core/exposition_repair.h"

namespace mailrep {

double UnixSeconds(std::chrono::system_clock::time_point t) {
  return std::chrono::duration<double>(t.time_since_epoch()).count();
}

void AddSelfMetrics(const BuildInfo& build, const ReloadState& reload,
                    const std::vector<CollectorStatus>& collectors, MetricSet* out) {
  out->AddGauge("mailrep_build_info",
                "A metric with a constant '1' value labeled by the version and revision of "
                "mailrep_exporter.",
                {{"version", build.version}, {"revision", build.revision}}, 1);
  out->AddGauge("mailrep_config_last_reload_successful",
                "Whether the last configuration load or reload succeeded (1) or failed (0).", {},
                reload.last_successful ? 1 : 0);
  out->AddGauge("mailrep_config_last_reload_success_timestamp_seconds",
                "Unix time of the last successful configuration load.", {},
                UnixSeconds(reload.last_success));
  out->AddCounter("mailrep_config_reload_failures_total",
                  "Configuration reloads that failed and kept the running configuration.", {},
                  static_cast<double>(reload.failures));
  out->AddCounter("mailrep_exposition_repaired_strings_total",
                  "Strings repaired (invalid UTF-8 or control characters replaced with U+FFFD) "
                  "or series dropped (invalid names) while serializing metrics; counted at every "
                  "serialization, so it grows while some input stays broken.",
                  {}, static_cast<double>(ExpositionRepairsTotal()));

  for (const CollectorStatus& c : collectors) {
    Labels labels = {{"collector", c.name}};
    out->AddCounter("mailrep_collector_runs_total",
                    "Background runs of the collector, successful or not.", labels,
                    static_cast<double>(c.runs));
    out->AddCounter("mailrep_collector_errors_total",
                    "Background runs of the collector that failed or timed out; the collector "
                    "then keeps its last good values.",
                    labels, static_cast<double>(c.errors));
    if (c.runs == 0) continue;  // no run yet: success and duration are unknown
    out->AddGauge("mailrep_collector_success",
                  "Whether the collector's last background run succeeded (1) or failed (0).",
                  labels, c.last_success ? 1 : 0);
    out->AddGauge("mailrep_collector_duration_seconds",
                  "Duration of the collector's last background run.", labels,
                  c.last_duration_seconds);
    out->AddGauge("mailrep_collector_last_success_timestamp_seconds",
                  "Unix time the collector's last successful run ended (0: never); its metrics "
                  "are as of then.",
                  labels, UnixSeconds(c.last_success_end));
  }
}

}  // namespace mailrep
