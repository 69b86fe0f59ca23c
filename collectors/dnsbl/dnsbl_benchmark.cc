// dnsbl_benchmark: the DNSBL collector's sweep against dnsperf, in one run on
// the same input. Not a test; prints numbers, never fails on speed.
//
// Starts a private NSD on loopback serving M generated lists (some targets
// listed, RFC 5782 test points present), runs full DnsblCollector::Collect()
// sweeps of N IPv4 targets x M lists (plus the test points) through
// CaresResolver with the cache and rate limits off, then points dnsperf
// (Debian package dnsperf) at the same server with the same names and the
// same number of queries in flight. Prints both rates, their ratio, and the
// peak RSS of this process.
//
//   dnsbl_benchmark [--ips 1024] [--lists 30] [--rounds 3] [--in-flight 256]
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "collectors/dns/cares_resolver.h"
#include "collectors/dnsbl/dnsbl_collector.h"
#include "tests/benchmark/benchmark_flags.h"
#include "tests/benchmark/dnsperf.h"
#include "tests/dns/local_nsd.h"

namespace mailrep {
namespace {

struct Flags {
  int ips = 1024;
  int lists = 30;
  int rounds = 3;
  int in_flight = 256;
};

// nullopt: run; otherwise the exit code.
std::optional<int> ParseFlags(int argc, char** argv, Flags* flags) {
  BenchmarkFlags parser("dnsbl_benchmark", "Sweeps N addresses x M lists against a local NSD.");
  parser.Int("--ips", &flags->ips, "addresses", 1, 65536)
      .Int("--lists", &flags->lists, "lists")
      .Int("--rounds", &flags->rounds, "rounds")
      .Int("--in-flight", &flags->in_flight, "queries in flight");
  return parser.Parse(argc, argv);
}

std::string Zone(int list) { return "l" + std::to_string(list) + ".bench.test"; }

double PeakRssMegabytes() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024.0;
}

// dnsperf's queries per second over `names_file` (tests/benchmark/dnsperf.h),
// or a negative number with the reason in `report` when it is missing or fails.
double DnsperfQps(uint16_t port, const std::string& names_file, int in_flight,
                  std::string* report) {
  StatusOr<DnsperfResult> result = RunDnsperf({port, names_file, in_flight});
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

  // 198.18.0.0/15 is the benchmarking range (RFC 2544); every 50th IP is listed.
  StatusOr<std::vector<IpAddress>> all = ExpandNetwork(*IpNetwork::Parse("198.18.0.0/16"), 65536);
  std::vector<DnsblTarget> targets;
  for (int i = 0; i < flags.ips; ++i) targets.push_back(IpTarget((*all)[i]));

  std::string catalogue_text = "lists:\n";
  testing::LocalNsdOptions nsd_options;
  nsd_options.ipv6 = false;
  for (int l = 0; l < flags.lists; ++l) {
    catalogue_text += "  - {zone: " + Zone(l) +
                      ", kinds: [ip4], codes: [{code: 127.0.0.2, meaning: listed}],"
                      " errors: [{code: 127.255.255.0/24, meaning: refused}]}\n";
    std::string records = "2.0.0.127 A 127.0.0.2\n";
    for (int i = l % 50; i < flags.ips; i += 50)
      records += targets[i].query_prefix + " A 127.0.0.2\n";
    nsd_options.zones.push_back({Zone(l), records, 60});
  }
  StatusOr<DnsblCatalogue> catalogue = DnsblCatalogue::Parse(catalogue_text, "bench");
  if (!catalogue.ok()) {
    std::fprintf(stderr, "dnsbl_benchmark: %s\n", catalogue.status().ToString().c_str());
    return 1;
  }
  StatusOr<std::unique_ptr<testing::LocalNsd>> nsd = testing::LocalNsd::Start(nsd_options);
  if (!nsd.ok()) {
    std::fprintf(stderr, "dnsbl_benchmark: %s\n", nsd.status().ToString().c_str());
    return 1;
  }

  DnsblSettings settings;
  for (const DnsblList& list : catalogue->lists()) settings.lists.push_back({list, ""});
  settings.targets = targets;

  // The same names the sweep sends, for dnsperf.
  char names_file[] = "/tmp/mailrep-dnsbl-bench-XXXXXX";
  close(mkstemp(names_file));
  size_t query_count = 0;
  {
    std::ofstream names(names_file);
    for (const DnsblListConfig& c : settings.lists) {
      for (const DnsblTarget& t : targets) {
        names << DnsblQueryName(t.query_prefix, "", c.list.zone) << " A\n";
        ++query_count;
      }
      names << "2.0.0.127." << c.list.zone << " A\n1.0.0.127." << c.list.zone << " A\n";
      query_count += 2;
    }
  }

  CaresResolverOptions resolver_options;
  resolver_options.servers = {(*nsd)->v4()};
  resolver_options.cache.max_entries = 0;
  resolver_options.max_in_flight = flags.in_flight;
  DnsblCollector collector(
      settings,
      [&]() -> StatusOr<std::shared_ptr<Resolver>> {
        auto made = CaresResolver::Create(resolver_options);
        if (!made.ok()) return made.status();
        return std::shared_ptr<Resolver>(std::move(made).value());
      },
      nullptr);

  std::printf(
      "dnsbl_benchmark: %d IPs x %d lists + test points = %zu queries per sweep, %d in "
      "flight, NSD on 127.0.0.1:%u\n",
      flags.ips, flags.lists, query_count, flags.in_flight, (*nsd)->port());
  std::vector<double> ours;
  std::vector<double> theirs;
  std::vector<double> sweep_only;
  uint64_t sweep_errors = 0;
  std::string report;
  size_t series = 0;
  for (int round = 0; round < flags.rounds; ++round) {
    MetricSet out;
    auto start = std::chrono::steady_clock::now();
    CollectContext ctx{{}, start + std::chrono::minutes(10)};
    Status status = collector.Collect(ctx, &out);
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!status.ok()) {
      std::fprintf(stderr, "dnsbl_benchmark: %s\n", status.ToString().c_str());
      return 1;
    }
    series = out.series_count();
    ours.push_back(query_count / seconds);
    double dnsperf = DnsperfQps((*nsd)->port(), names_file, flags.in_flight, &report);
    if (dnsperf > 0) theirs.push_back(dnsperf);
    std::printf("round %d: sweep %.3f s, %.0f qps", round + 1, seconds, ours.back());
    if (dnsperf > 0) std::printf(", dnsperf %.0f qps, ratio %.2f", dnsperf, ours.back() / dnsperf);
    std::printf("\n");
  }
  double collect_rss = PeakRssMegabytes();
  for (int round = 0; round < flags.rounds; ++round) {
    // The sweep alone (lookups and decoding, no metric building), same resolver settings.
    {
      auto resolver = CaresResolver::Create(resolver_options);
      auto sweep_start = std::chrono::steady_clock::now();
      DnsblSweep sweep = RunDnsblSweep(resolver->get(), settings.lists, targets,
                                       sweep_start + std::chrono::minutes(10));
      double sweep_seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - sweep_start).count();
      sweep_only.push_back(query_count / sweep_seconds);
      for (const DnsblListOutcome& l : sweep.lists) {
        for (uint64_t e : l.errors) sweep_errors += e;
      }
    }
  }
  unlink(names_file);
  std::sort(ours.begin(), ours.end());
  std::printf("ours (median):         %.0f qps (full Collect(): lookups, decoding, metrics)\n",
              ours[ours.size() / 2]);
  std::sort(sweep_only.begin(), sweep_only.end());
  std::printf("sweep only (median):   %.0f qps (lookups and decoding; %llu lookup errors)\n",
              sweep_only[sweep_only.size() / 2], static_cast<unsigned long long>(sweep_errors));
  if (!theirs.empty()) {
    std::sort(theirs.begin(), theirs.end());
    std::printf("dnsperf (median):      %.0f qps\n", theirs[theirs.size() / 2]);
    std::printf("ratio ours/dnsperf:    %.2f\n", ours[ours.size() / 2] / theirs[theirs.size() / 2]);
  } else {
    std::printf("dnsperf:               not measured: %s\n", report.c_str());
  }
  std::printf("series per snapshot:   %zu\n", series);
  std::printf("peak RSS:              %.1f MB during the Collect() rounds\n", collect_rss);
  return 0;
}

}  // namespace
}  // namespace mailrep

int main(int argc, char** argv) { return mailrep::Main(argc, argv); }
