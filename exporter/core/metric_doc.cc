#include "exporter/core/metric_doc.h"

namespace mailrep {

std::string MetricReferenceMarkdown(const std::vector<MetricDoc>& docs) {
  std::string out;
  std::string_view source;
  for (const MetricDoc& doc : docs) {
    if (doc.source != source || out.empty()) {
      source = doc.source;
      if (!out.empty()) out += "\n";
      out += "#### `" + std::string(source) + "`\n\n";
      out += "| metric | type | labels | meaning |\n|---|---|---|---|\n";
    }
    out += "| `" + std::string(doc.name) + "` | " + std::string(doc.type) + " | " +
           std::string(doc.labels) + " | " + std::string(doc.meaning) + " |\n";
  }
  return out;
}

}  // namespace mailrep
