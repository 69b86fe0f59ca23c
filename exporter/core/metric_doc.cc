#include "exporter/core/metric_doc.h"

#include "exporter/core/dns_engine_metrics.h"
#include "exporter/core/probe_metrics.h"
#include "exporter/core/process_metrics.h"
#include "exporter/core/seen_sending_ips_metrics.h"
#include "exporter/core/self_metrics.h"
#include "exporter/core/tlsrpt_intake_metrics.h"

namespace mailrep {
namespace {

// "*_queue" for {"postfix_queue", "exim_queue"}: the longest common suffix
// that starts at an underscore.
std::string SharedTitle(const std::vector<std::string_view>& names) {
  std::string_view suffix = names.front();
  for (std::string_view name : names) {
    while (!name.ends_with(suffix)) suffix.remove_prefix(1);
  }
  size_t underscore = suffix.find('_');
  return underscore == std::string_view::npos ? std::string(names.front())
                                              : "*" + std::string(suffix.substr(underscore));
}

}  // namespace

std::vector<MetricGroup> CollectorMetricGroups(const std::vector<CollectorSpec>& specs) {
  std::vector<MetricGroup> groups;
  std::vector<std::vector<std::string_view>> names;  // the specs of each group
  for (const CollectorSpec& spec : specs) {
    if (spec.metrics.empty()) continue;
    bool shared = false;
    for (size_t i = 0; i < groups.size(); ++i) {
      if (groups[i].families.data() == spec.metrics.data()) {
        names[i].push_back(spec.defaults.name);
        shared = true;
      }
    }
    if (shared) continue;
    groups.push_back({std::string(spec.defaults.name), spec.metrics});
    names.push_back({spec.defaults.name});
  }
  for (size_t i = 0; i < groups.size(); ++i) {
    if (names[i].size() > 1) groups[i].title = SharedTitle(names[i]);
  }
  return groups;
}

std::vector<MetricGroup> AllMetricGroups(const std::vector<CollectorSpec>& specs) {
  std::vector<MetricGroup> groups = {{"exporter", SelfMetricFamilies()},
                                     {"exporter", DnsEngineMetricFamilies()},
                                     {"exporter", SeenSendingIpsMetricFamilies()},
                                     {"exporter", TlsRptIntakeMetricFamilies()},
                                     {"exporter", ProcessMetricFamilies()}};
  for (MetricGroup& group : CollectorMetricGroups(specs)) groups.push_back(std::move(group));
  groups.push_back({"probe", ProbeEnvelopeFamilies()});
  return groups;
}

std::string MetricReferenceMarkdown(const std::vector<MetricGroup>& groups) {
  std::string out;
  std::string title;
  for (const MetricGroup& group : groups) {
    for (const MetricFamily& family : group.families) {
      if (group.title != title || out.empty()) {
        title = group.title;
        if (!out.empty()) out += "\n";
        out += "#### `" + title + "`\n\n";
        out += "| metric | type | labels | meaning |\n|---|---|---|---|\n";
      }
      std::string labels;
      for (size_t i = 0; i < family.label_count(); ++i) {
        if (i > 0) labels += ", ";
        labels += family.labels[i];
      }
      out += "| `" + std::string(family.name) + "` | " + std::string(MetricTypeName(family.type)) +
             " | " + labels + " | " + HelpText(family) + " |\n";
    }
  }
  return out;
}

}  // namespace mailrep
