// Fuzzes the exposition path with arbitrary label and HELP bytes: whatever a
// collector puts into a MetricSet, SerializeMerged must produce text that the
// strict checker accepts.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "exporter/core/exposition_text_checker.h"
#include "exporter/core/metric_set.h"
#include "exporter/core/snapshot_store.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // The input is split at 0x01 0x01 into: help, then label values; a value's
  // first byte (when there is one) picks its label name, sometimes an invalid one.
  std::string input(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> parts;
  size_t start = 0;
  for (size_t cut; (cut = input.find("\x01\x01", start)) != std::string::npos; start = cut + 2) {
    parts.push_back(input.substr(start, cut - start));
  }
  parts.push_back(input.substr(start));
  static const char* const kNames[] = {"zone", "sender", "bad name", "__x", "le", "é"};
  mailrep::MetricSet set;
  mailrep::Labels labels;
  for (size_t i = 1; i < parts.size() && i < 8; ++i) {
    std::string name =
        parts[i].empty() ? "l" + std::to_string(i) : kNames[static_cast<uint8_t>(parts[i][0]) % 6];
    labels.emplace_back(name, parts[i]);
    set.AddGauge("mailrep_fuzz", parts[0], labels, static_cast<double>(i));
  }
  set.AddCounter("mailrep_fuzz_total", parts[0], {{"v", parts.back()}}, 1);
  mailrep::Snapshot families = set.families();
  std::string text = mailrep::SerializeMerged({&families});
  std::string error = mailrep::CheckExpositionText(text);
  if (!error.empty()) {
    std::fprintf(stderr, "invalid exposition: %s\n%s\n", error.c_str(), text.c_str());
    std::abort();
  }
  return 0;
}
