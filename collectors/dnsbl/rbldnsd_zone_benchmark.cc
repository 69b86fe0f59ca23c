// Not a test: generates a large rbldnsd data file of a real feed's shape
// (rbldnsd_test_feed.h), loads it with LoadRbldnsdFile and prints the parse
// time, the zone's bytes and the RSS the load added; then the same file in
// Debian's rbldnsd and its RSS, and a lookup rate over a /16.
#include <sys/stat.h>

#include <chrono>
#include <fstream>
#include <iostream>

#include "collectors/dnsbl/rbldnsd_ip4.h"
#include "collectors/dnsbl/rbldnsd_test_feed.h"
#include "collectors/dnsbl/rbldnsd_zone_file.h"
#include "exporter/util/testing/scoped_temp_dir.h"
#include "tests/benchmark/benchmark_flags.h"
#include "tests/dns/local_rbldnsd.h"

namespace {

// VmRSS or VmHWM (the peak) of this process, KiB.
long StatusKib(const std::string& field) {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind(field + ":", 0) == 0) return std::stol(line.substr(field.size() + 1));
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace mailrep;
  int entries = 2000000;
  std::string format_name = "ip4set";
  bool skip_rbldnsd = false;
  BenchmarkFlags flags("rbldnsd_zone_benchmark",
                       "parse time and memory of a large rbldnsd data file, against rbldnsd");
  flags.Int("--entries", &entries, "entry lines to generate", 1, 50000000);
  flags.String("--format", &format_name, "ip4set, ip4trie, ip4tset or dnset");
  flags.Switch("--no-rbldnsd", &skip_rbldnsd, "do not start rbldnsd for its RSS");
  if (std::optional<int> code = flags.Parse(argc, argv)) return *code;
  std::optional<RbldnsdFormat> format = ParseRbldnsdFormat(format_name);
  if (!format) {
    std::cerr << "unknown --format\n";
    return 2;
  }

  ScopedTempDir dir("rbldnsd_bench");
  chmod(dir.path().c_str(), 0755);
  std::string path = dir.Path("data");
  {
    std::ofstream out(path);
    testing::RbldnsdTestFeedOptions feed;
    feed.format = *format;
    feed.entries = entries;
    testing::WriteRbldnsdTestFeed(feed, out);
  }
  struct stat st;
  stat(path.c_str(), &st);

  long rss_before = StatusKib("VmRSS");
  auto start = std::chrono::steady_clock::now();
  StatusOr<LoadedRbldnsdFile> loaded = LoadRbldnsdFile(path, *format, time(nullptr));
  double parse_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!loaded.ok()) {
    std::cerr << loaded.status().ToString() << "\n";
    return 1;
  }
  long rss_after = StatusKib("VmRSS");
  long peak = StatusKib("VmHWM");
  const RbldnsdZone& zone = loaded->zone;

  start = std::chrono::steady_clock::now();
  uint64_t listed = 0;
  for (uint32_t i = 0; i < 65536; ++i) listed += zone.LookupIp4(0x0A140000u | i, false) ? 1 : 0;
  double lookup_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  std::cout << "format " << format_name << ": " << entries << " entries, "
            << st.st_size / (1024 * 1024) << " MiB file\n"
            << "parse: " << parse_s << " s (" << entries / parse_s / 1e6 << " M lines/s)\n"
            << "zone: " << zone.MemoryBytes() / 1024 << " KiB; process RSS +"
            << rss_after - rss_before << " KiB; VmRSS " << rss_after << " KiB, peak (VmHWM) "
            << peak << " KiB\n"
            << "lookups: 65536 addresses of a /16 in " << lookup_s * 1000 << " ms (" << listed
            << " listed)\n";
  if (!skip_rbldnsd) {
    StatusOr<std::unique_ptr<testing::LocalRbldnsd>> server =
        testing::LocalRbldnsd::Start({{"bench.test", format_name, path}});
    if (!server.ok()) {
      std::cerr << server.status().ToString() << "\n";
      return 1;
    }
    std::cout << "rbldnsd holding the same file: VmRSS " << (*server)->RssKib() << " KiB\n";
  }
  return 0;
}
