#include "tests/benchmark/dnsperf.h"

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "tests/dns/child_process.h"

namespace mailrep {
namespace {

constexpr char kDnsperfPath[] = "/usr/bin/dnsperf";

// The number after `label` in `text` (0 when absent).
double After(const std::string& text, std::string_view label) {
  size_t at = text.find(label);
  if (at == std::string::npos) return 0;
  return std::strtod(text.c_str() + at + label.size(), nullptr);
}

}  // namespace

StatusOr<DnsperfResult> RunDnsperf(const DnsperfOptions& options) {
  if (access(kDnsperfPath, X_OK) != 0) {
    return Status::NotFound(
        "dnsperf not installed (Debian package dnsperf; exporter/scripts/install-deps.sh test)");
  }
  std::vector<std::string> argv = {kDnsperfPath,
                                   "-s",
                                   "127.0.0.1",
                                   "-p",
                                   std::to_string(options.port),
                                   "-d",
                                   options.names_file,
                                   "-n",
                                   "1",
                                   "-q",
                                   std::to_string(options.in_flight),
                                   "-c",
                                   "1",
                                   "-T",
                                   "1"};
  if (options.max_seconds > 0) {
    argv.push_back("-l");
    argv.push_back(std::to_string(options.max_seconds));
  }
  StatusOr<std::unique_ptr<testing::ChildProcess>> child = testing::ChildProcess::Start(argv);
  if (!child.ok()) return child.status().Annotate("starting dnsperf");
  DnsperfResult result;
  auto limit = std::chrono::seconds(options.max_seconds > 0 ? options.max_seconds + 60 : 600);
  result.output = (*child)->ReadAll(limit);
  (*child)->Wait(std::chrono::seconds(10));
  result.qps = After(result.output, "Queries per second:");
  if (result.qps <= 0) return Status::Unavailable("dnsperf reported no rate:\n" + result.output);
  result.sent = static_cast<uint64_t>(After(result.output, "Queries sent:"));
  result.completed = static_cast<uint64_t>(After(result.output, "Queries completed:"));
  result.lost = static_cast<uint64_t>(After(result.output, "Queries lost:"));
  result.noerror = static_cast<uint64_t>(After(result.output, "NOERROR "));
  result.nxdomain = static_cast<uint64_t>(After(result.output, "NXDOMAIN "));
  result.run_seconds = After(result.output, "Run time (s):");
  return result;
}

}  // namespace mailrep
