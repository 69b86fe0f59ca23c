// mailrep_exporter: flags and wiring only; see exporter/app/.
#include <unistd.h>

#include <iostream>

#include "collectors/host/host_collector.h"
#include "collectors/registry.h"
#include "exporter/app/check_config.h"
#include "exporter/app/exporter.h"
#include "exporter/app/flags.h"
#include "exporter/app/run_check.h"
#include "exporter/app/signals.h"
#include "exporter/core/log.h"
#include "exporter/core/metric_doc.h"
#include "exporter/version.h"

int main(int argc, char** argv) {
  using namespace mailrep;
  const std::vector<CollectorSpec>& specs = AllCollectors();
  StatusOr<Flags> flags = ParseFlags(argc, argv, specs);
  if (!flags.ok()) {
    std::cerr << "mailrep_exporter: " << flags.status().message() << "\n";
    return 2;
  }
  if (flags->show_help) {
    std::cout << Usage(specs);
    return 0;
  }
  if (flags->show_metrics) {
    std::cout << MetricReferenceMarkdown(AllMetricGroups(specs));
    return 0;
  }
  if (flags->show_version) {
    std::cout << "mailrep_exporter, version " << kVersion << " (revision: " << kRevision << ")\n";
    return 0;
  }
  if (!flags->command.empty()) {
    return RunCheckCommand(*flags, AllCheckCommands(), std::cout, std::cerr, isatty(STDOUT_FILENO));
  }
  if (Status s = InitLogging(flags->log_level, flags->log_format); !s.ok()) {
    std::cerr << "mailrep_exporter: " << s.message() << "\n";
    return 2;
  }
  if (flags->config_check) return CheckConfig(*flags, specs, std::cout, std::cerr);

  BlockServiceSignals();
  LogInfo("Starting mailrep_exporter", {{"version", kVersion}, {"revision", kRevision}});
  LogHostDetection(flags->rootfs);
  Exporter exporter(*flags, specs, BuildInfo{kVersion, kRevision});
  if (Status s = exporter.Start(); !s.ok()) {
    LogError("Could not start", {{"err", s.message()}});
    return 1;
  }
  // A failed reload is logged and counted (mailrep_config_reload_failures_total)
  // by Reload itself; the exporter keeps running the old configuration.
  int sig = WaitForStopSignal([&] { (void)exporter.Reload(); });
  LogInfo("Stopping", {{"signal", sig}});
  exporter.Stop();
  LogInfo("Stopped");
  return 0;
}
