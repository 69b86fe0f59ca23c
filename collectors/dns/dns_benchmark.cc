// dns_benchmark: how fast CaresResolver sweeps DNSBL-style names, against the
// anchor dnsperf, in one run on the same input.
//
// Starts a private NSD on loopback serving M list zones (every 100th address
// listed, the rest NXDOMAIN, as real lists answer), sweeps N IPs x M lists
// with CaresResolver (cache off, no rate limits), then points dnsperf (Debian
// package dnsperf) at the same server with the same names and the same number
// of queries in flight. Prints both rates, their ratio and our peak RSS.
// One untimed warm-up sweep runs first.
//
//   dns_benchmark [--ips N] [--lists M] [--rounds R] [--in-flight Q] [--nsd-servers S]
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "collectors/dns/cares_resolver.h"
#include "tests/benchmark/benchmark_flags.h"
#include "tests/benchmark/dnsperf.h"
#include "tests/dns/local_nsd.h"

namespace mailrep {
namespace {

struct Flags {
  int ips = 1024;
  int lists = 30;
  int rounds = 3;
  int in_flight = 100;
  int nsd_servers = 1;
};

// nullopt: run; otherwise the exit code.
std::optional<int> ParseFlags(int argc, char** argv, Flags* flags) {
  BenchmarkFlags parser("dns_benchmark", "Sweeps N addresses x M lists through the resolver.");
  parser.Int("--ips", &flags->ips, "addresses")
      .Int("--lists", &flags->lists, "lists")
      .Int("--rounds", &flags->rounds, "rounds")
      .Int("--in-flight", &flags->in_flight, "queries in flight")
      .Int("--nsd-servers", &flags->nsd_servers, "NSD servers");
  return parser.Parse(argc, argv);
}

std::string ReversedIp(int i) {
  return std::to_string(i & 255) + "." + std::to_string(i >> 8 & 255) + "." +
         std::to_string(i >> 16 & 255) + ".10";
}

std::string Zone(int list) { return "list" + std::to_string(list) + ".bench.test"; }

double PeakRssMegabytes() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB
}

struct SweepResult {
  double seconds = 0;
  size_t data = 0, nxdomain = 0, other = 0;
};

SweepResult Sweep(CaresResolver& resolver, const std::vector<std::string>& names) {
  std::atomic<size_t> data{0}, nxdomain{0}, other{0}, done{0};
  std::mutex mu;
  std::condition_variable cv;
  auto start = std::chrono::steady_clock::now();
  for (const std::string& name : names) {
    DnsQuery query;
    query.name = name;
    resolver.Submit(std::move(query), [&](DnsAnswer answer) {
      if (answer.outcome == DnsOutcome::kData) {
        ++data;
      } else if (answer.outcome == DnsOutcome::kNxDomain) {
        ++nxdomain;
      } else {
        ++other;
      }
      if (++done == names.size()) {
        std::lock_guard<std::mutex> lock(mu);
        cv.notify_all();
      }
    });
  }
  std::unique_lock<std::mutex> lock(mu);
  cv.wait(lock, [&] { return done.load() == names.size(); });
  SweepResult result;
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  result.data = data;
  result.nxdomain = nxdomain;
  result.other = other;
  return result;
}

// dnsperf's queries per second over `names_file` (tests/benchmark/dnsperf.h),
// or a negative number with the reason in `report` when it is missing or fails.
double DnsperfQps(const testing::LocalNsd& nsd, const std::string& names_file, int in_flight,
                  std::string* report) {
  StatusOr<DnsperfResult> result = RunDnsperf({nsd.port(), names_file, in_flight});
  if (!result.ok()) {
    *report = result.status().ToString();
    return -1;
  }
  *report = result->output;
  return result->qps;
}

int Main(int argc, char** argv) {
  Flags flags;
  if (std::optional<int> code = ParseFlags(argc, argv, &flags)) return *code;

  testing::LocalNsdOptions options;
  options.ipv6 = false;
  options.server_count = flags.nsd_servers;
  for (int list = 0; list < flags.lists; ++list) {
    std::string records;
    for (int ip = 0; ip < flags.ips; ip += 100) {
      records += ReversedIp(ip) + " IN A 127.0.0.2\n";
    }
    options.zones.push_back({Zone(list), records, 60});
  }
  StatusOr<std::unique_ptr<testing::LocalNsd>> nsd = testing::LocalNsd::Start(options);
  if (!nsd.ok()) {
    std::fprintf(stderr, "dns_benchmark: %s\n", nsd.status().ToString().c_str());
    return 1;
  }

  std::vector<std::string> names;
  names.reserve(static_cast<size_t>(flags.ips) * flags.lists);
  for (int ip = 0; ip < flags.ips; ++ip) {
    for (int list = 0; list < flags.lists; ++list)
      names.push_back(ReversedIp(ip) + "." + Zone(list));
  }
  std::string names_file = (*nsd)->dir() + "/names.txt";
  {
    std::ofstream out(names_file);
    for (const std::string& name : names) out << name << " A\n";
  }

  CaresResolverOptions resolver_options;
  resolver_options.servers = {(*nsd)->v4()};
  resolver_options.max_in_flight = flags.in_flight;
  resolver_options.cache.max_entries = 0;
  StatusOr<std::unique_ptr<CaresResolver>> resolver = CaresResolver::Create(resolver_options);
  if (!resolver.ok()) {
    std::fprintf(stderr, "dns_benchmark: %s\n", resolver.status().ToString().c_str());
    return 1;
  }

  std::printf("sweep: %d IPs x %d lists = %zu names, %d rounds, %d in flight, NSD %d server(s)\n",
              flags.ips, flags.lists, names.size(), flags.rounds, flags.in_flight,
              flags.nsd_servers);
  std::printf(
      "each round runs our sweep, then dnsperf over the same names (load on the machine\n"
      "hits both alike); the median of the per-round ratios is the figure to quote\n");
  Sweep(**resolver, names);  // warm-up (NSD and page faults), not timed
  double ours_seconds = 0, theirs_seconds = 0;
  size_t errors = 0;
  std::vector<double> ratios;
  std::string dnsperf_report;
  for (int round = 0; round < flags.rounds; ++round) {
    SweepResult result = Sweep(**resolver, names);
    ours_seconds += result.seconds;
    errors += result.other;
    double ours = names.size() / result.seconds;
    double theirs = DnsperfQps(**nsd, names_file, flags.in_flight, &dnsperf_report);
    std::printf("  round %d: ours %.0f qps (listed %zu, nxdomain %zu, other %zu)", round + 1, ours,
                result.data, result.nxdomain, result.other);
    if (theirs > 0) {
      theirs_seconds += names.size() / theirs;
      ratios.push_back(ours / theirs);
      std::printf(", dnsperf %.0f qps, ratio %.2f", theirs, ours / theirs);
    }
    std::printf("\n");
  }
  double rss = PeakRssMegabytes();
  resolver->reset();

  double total = static_cast<double>(names.size()) * flags.rounds;
  std::printf("mailrep CaresResolver: %.0f qps (%zu errors)\n", total / ours_seconds, errors);
  if (!ratios.empty()) {
    std::sort(ratios.begin(), ratios.end());
    std::printf("dnsperf:               %.0f qps\n", total / theirs_seconds);
    std::printf("ratio ours/dnsperf:    %.2f median of rounds (%.2f min, %.2f max)\n",
                ratios[ratios.size() / 2], ratios.front(), ratios.back());
  } else {
    std::printf("dnsperf:               not measured: %s\n", dnsperf_report.c_str());
  }
  std::printf("peak RSS:              %.1f MB (whole benchmark process)\n", rss);
  return errors == 0 ? 0 : 1;
}

}  // namespace
}  // namespace mailrep

int main(int argc, char** argv) { return mailrep::Main(argc, argv); }
