// Feeds arbitrary bytes to ParseConfig, then lets each collector section be
// read and finished the way a factory would, and fingerprints each section as
// a reload does (CollectorFingerprints must not throw or crash either).
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "exporter/config/config.h"
#include "exporter/config/config_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using std::chrono::seconds;
  static const std::vector<mailrep::CollectorDefaults> known = {
      {"host", true, seconds(60), seconds(30)},
      {"dnsbl", true, seconds(300), seconds(30)},
      {"queue", false, seconds(10), seconds(30)},
  };
  std::string_view text(reinterpret_cast<const char*>(data), size);
  mailrep::StatusOr<mailrep::Config> config = mailrep::ParseConfig(text, "fuzz.yml", known);
  if (!config.ok()) return 0;
  if (mailrep::CollectorFingerprints(text, known).size() != known.size()) __builtin_trap();
  for (auto& [name, settings] : config->collectors) {
    mailrep::ConfigNode options = settings.options->WithOwnErrors();
    options.GetStringList("lists");
    options.GetInt("limit", 0, 0, 100);
    options.GetMapList("items");
    options.CheckUnknownKeys();
  }
  return 0;
}
