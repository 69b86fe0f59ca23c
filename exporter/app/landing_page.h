// The HTML page served on "/": name, version, links, and each collector's
// state (enabled, interval, last run and result).
#ifndef MAILREP_EXPORTER_APP_LANDING_PAGE_H_
#define MAILREP_EXPORTER_APP_LANDING_PAGE_H_

#include <string>
#include <vector>

#include "exporter/core/collector_status.h"
#include "exporter/core/self_metrics.h"
#include "exporter/util/duration.h"

namespace mailrep {

struct LandingCollector {
  std::string name;
  std::string help;
  bool enabled = false;
  Duration interval{};
  CollectorStatus status;  // meaningful when enabled
};

struct LandingInfo {
  BuildInfo build;
  std::string telemetry_path;
  std::string config_source;
  std::vector<LandingCollector> collectors;
  std::vector<std::string> probe_modules;
};

// Every dynamic string is HTML-escaped.
std::string RenderLandingPage(const LandingInfo& info);
std::string HtmlEscape(const std::string& text);

}  // namespace mailrep

#endif  // MAILREP_EXPORTER_APP_LANDING_PAGE_H_
