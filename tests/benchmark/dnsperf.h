// RunDnsperf: one run of dnsperf (Debian package dnsperf, the anchor of the
// DNS benchmarks) over a query file against a server on 127.0.0.1, and the
// figures of its report. Benchmark only.
#ifndef MAILREP_TESTS_BENCHMARK_DNSPERF_H_
#define MAILREP_TESTS_BENCHMARK_DNSPERF_H_

#include <cstdint>
#include <string>

#include "exporter/util/status.h"

namespace mailrep {

struct DnsperfOptions {
  uint16_t port = 0;       // on 127.0.0.1
  std::string names_file;  // "name TYPE" lines
  int in_flight = 100;     // -q
  int max_seconds = 0;     // -l; 0 = no limit (one pass through the file)
};

struct DnsperfResult {
  uint64_t sent = 0;
  uint64_t completed = 0;
  uint64_t lost = 0;
  uint64_t noerror = 0;  // answers by response code
  uint64_t nxdomain = 0;
  double run_seconds = 0;
  double qps = 0;
  std::string output;  // the whole report
};

// Runs /usr/bin/dnsperf once through the file (-n 1, one client, one
// thread). NotFound when dnsperf is not installed; Unavailable, with its output,
// when it fails or its report has no rate.
StatusOr<DnsperfResult> RunDnsperf(const DnsperfOptions& options);

}  // namespace mailrep

#endif  // MAILREP_TESTS_BENCHMARK_DNSPERF_H_
