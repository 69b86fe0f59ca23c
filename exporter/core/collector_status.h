// CollectorStatus: the self-health of one collector, as the scheduler last saw
// it; the source of the mailrep_collector_* metrics and the landing page.
#ifndef MAILREP_EXPORTER_CORE_COLLECTOR_STATUS_H_
#define MAILREP_EXPORTER_CORE_COLLECTOR_STATUS_H_

#include <chrono>
#include <cstdint>
#include <string>

namespace mailrep {

struct CollectorStatus {
  std::string name;
  uint64_t runs = 0;    // finished runs
  uint64_t errors = 0;  // failed or timed-out runs
  bool last_success = false;
  double last_duration_seconds = 0;
  std::chrono::system_clock::time_point last_run_end{};      // epoch if never
  std::chrono::system_clock::time_point last_success_end{};  // epoch if never
  std::string last_error;                                    // "" after a success
};

}  // namespace mailrep

#endif  // MAILREP_EXPORTER_CORE_COLLECTOR_STATUS_H_
