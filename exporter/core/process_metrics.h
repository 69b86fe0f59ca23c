// Process metrics: the standard process_* series that Prometheus client
// libraries export about the exporter itself (CPU time, memory, start time,
// file descriptors), read from Linux procfs.
//
// A file that cannot be read or parsed drops only the series it feeds; these
// functions never fail and never throw. Stateless and thread-compatible: call
// them from any thread, each call with its own MetricSet.
#ifndef MAILREP_EXPORTER_CORE_PROCESS_METRICS_H_
#define MAILREP_EXPORTER_CORE_PROCESS_METRICS_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "exporter/core/metric_family.h"
#include "exporter/core/metric_set.h"

namespace mailrep {

// Adds the series for the calling process from /proc, using the system's page
// size and clock tick rate: CPU time, memory, address-space limit, start time,
// open and maximum file descriptors (the families described in
// process_metrics.cc).
void AddProcessMetrics(MetricSet* out);

// The descriptions of those families, for the metric reference (metric_doc.h).
std::span<const MetricFamily> ProcessMetricFamilies();

// Same, reading `proc_root`/self/stat, `proc_root`/self/limits,
// `proc_root`/self/fd/ and `proc_root`/stat (btime). `page_size_bytes` and
// `clock_ticks_per_second` must be positive.
void AddProcessMetricsFrom(const std::string& proc_root, int64_t page_size_bytes,
                           int64_t clock_ticks_per_second, MetricSet* out);

// The parsers behind it, exposed for tests and fuzzing. Each returns nullopt
// for input it cannot make sense of.

// Fields of /proc/<pid>/stat that the metrics use, in the kernel's units.
struct ProcStat {
  uint64_t utime_ticks = 0;
  uint64_t stime_ticks = 0;
  uint64_t start_time_ticks = 0;  // since boot
  uint64_t vsize_bytes = 0;
  uint64_t rss_pages = 0;
};
std::optional<ProcStat> ParseProcStat(std::string_view text);

// The soft limit of the /proc/<pid>/limits row named `limit_name` (e.g. "Max
// open files"); "unlimited" is UINT64_MAX.
std::optional<uint64_t> ParseSoftLimit(std::string_view text, std::string_view limit_name);

// The "btime" line of /proc/stat: boot time, Unix seconds.
std::optional<uint64_t> ParseBootTime(std::string_view text);

}  // namespace mailrep

#endif  // MAILREP_EXPORTER_CORE_PROCESS_METRICS_H_
