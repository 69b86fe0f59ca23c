// CPU time per SPF check over the OpenSPF RFC 7208 suite's zones, for this
// evaluator (in-memory MemoryDns) and for pyspf with the same in-memory
// zones (spf_pyspf_driver.py hooks pyspf's DNS lookup), in one run.
//
//   spf_benchmark [--suite FILE] [--iterations N] [--pyspf-iterations N]
//                 [--runs N] [--python PATH] [--pyspf-driver PATH]
//
// Each of the --runs rounds (default 3) times both sides; the summary gives
// the minimum and median of each side and of the per-round ratio, since a
// shared machine makes single rounds noisy.
#include <time.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "collectors/auth/spf_evaluator.h"
#include "collectors/auth/spf_suite.h"
#include "tests/benchmark/benchmark_flags.h"

#ifndef MAILREP_SPF_PYSPF_DRIVER
#define MAILREP_SPF_PYSPF_DRIVER "spf_pyspf_driver.py"
#endif

namespace mailrep {
namespace {

double CpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

// Runs the pyspf driver; returns CPU seconds per check, or a negative value.
double PyspfSecondsPerCheck(const std::string& python, const std::string& driver,
                            const std::string& suite, int iterations) {
  std::string command = "'" + python + "' '" + driver + "' bench '" + suite + "' " +
                        std::to_string(iterations) + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return -1;
  char line[512];
  long checks = 0;
  double seconds = -1;
  while (fgets(line, sizeof(line), pipe) != nullptr) {
    if (std::sscanf(line, "checks=%ld cpu_seconds=%lf", &checks, &seconds) != 2) {
      std::fprintf(stderr, "pyspf driver: %s", line);
    }
  }
  if (pclose(pipe) != 0 || checks <= 0 || seconds < 0) return -1;
  return seconds / static_cast<double>(checks);
}

int Main(int argc, char** argv) {
  std::string suite = "/usr/share/doc/python3-spf/rfc7208-tests.yml.gz";
  std::string python = "/usr/bin/python3";
  std::string driver = MAILREP_SPF_PYSPF_DRIVER;
  int iterations = 2000;
  int pyspf_iterations = 50;
  int runs = 3;
  BenchmarkFlags flags("spf_benchmark",
                       "CPU per SPF check over the RFC 7208 suite: this evaluator vs pyspf.");
  flags.String("--suite", &suite, "the OpenSPF suite (python3-spf)")
      .Int("--iterations", &iterations, "passes of ours per run")
      .Int("--pyspf-iterations", &pyspf_iterations, "passes of pyspf per run")
      .Int("--runs", &runs, "rounds")
      .String("--python", &python, "python3")
      .String("--pyspf-driver", &driver, "spf_pyspf_driver.py");
  if (std::optional<int> code = flags.Parse(argc, argv)) return *code;
  StatusOr<std::string> text = ReadSpfSuiteFile(suite);
  if (!text.ok()) {
    std::fprintf(stderr, "%s (apt-get install python3-spf)\n", text.status().ToString().c_str());
    return 1;
  }
  StatusOr<std::vector<SpfSuiteScenario>> scenarios = ParseSpfSuite(*text);
  if (!scenarios.ok()) {
    std::fprintf(stderr, "%s\n", scenarios.status().ToString().c_str());
    return 1;
  }
  struct Prepared {
    MemoryDns* dns;
    SpfRequest request;
  };
  std::vector<Prepared> checks;
  for (SpfSuiteScenario& scenario : *scenarios) {
    for (const SpfSuiteCase& c : scenario.cases) {
      StatusOr<IpAddress> ip = IpAddress::Parse(c.host);
      if (ip.ok()) checks.push_back({&scenario.dns, {*ip, c.mail_from, c.helo}});
    }
  }
  SpfOptions options;
  options.default_explanation = "DEFAULT";
  options.now_seconds = 0;
  std::printf("suite: %s (%zu cases)\n", suite.c_str(), checks.size());
  size_t sink = 0;
  std::vector<double> ours_runs;
  std::vector<double> theirs_runs;
  std::vector<double> ratios;
  for (int run = 0; run < runs; ++run) {
    double start = CpuSeconds();
    for (int i = 0; i < iterations; ++i) {
      for (const Prepared& p : checks)
        sink += CheckSpf(p.request, *p.dns, options).explanation.size();
    }
    double ours = (CpuSeconds() - start) / static_cast<double>(iterations * checks.size());
    ours_runs.push_back(ours);
    std::printf("mailrep: %d checks, %.3f us CPU per check (sink %zu)\n",
                iterations * static_cast<int>(checks.size()), ours * 1e6, sink % 10);
    double theirs = PyspfSecondsPerCheck(python, driver, suite, pyspf_iterations);
    if (theirs < 0) {
      std::printf("pyspf: unavailable (apt-get install python3-spf python3-yaml)\n");
      continue;
    }
    theirs_runs.push_back(theirs);
    ratios.push_back(theirs / ours);
    std::printf("pyspf: %d checks, %.3f us CPU per check\n",
                pyspf_iterations * static_cast<int>(checks.size()), theirs * 1e6);
    std::printf("ratio: %.1fx (pyspf time / mailrep time)\n", theirs / ours);
  }
  auto min_median = [](std::vector<double> v) {
    std::sort(v.begin(), v.end());
    size_t n = v.size();
    double median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    return std::pair<double, double>(v.front(), median);
  };
  auto [ours_min, ours_median] = min_median(ours_runs);
  std::printf("summary over %d runs: mailrep min %.3f median %.3f us per check\n", runs,
              ours_min * 1e6, ours_median * 1e6);
  if (!ratios.empty()) {
    auto [theirs_min, theirs_median] = min_median(theirs_runs);
    auto [ratio_min, ratio_median] = min_median(ratios);
    std::printf("summary: pyspf min %.3f median %.3f us per check\n", theirs_min * 1e6,
                theirs_median * 1e6);
    std::printf("summary: ratio min %.1fx median %.1fx\n", ratio_min, ratio_median);
  }
  return 0;
}

}  // namespace
}  // namespace mailrep

int main(int argc, char** argv) { return mailrep::Main(argc, argv); }
