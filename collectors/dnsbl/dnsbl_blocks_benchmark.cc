// dnsbl_blocks_benchmark: the DNSBL collector on an estate-sized block. Not a
// test; prints numbers, never fails on speed.
//
// Against an in-process fake resolver (answers on the calling thread from a
// table of listed names, no sockets), configured through the same parser as
// the exporter (senders: [{ips: [198.18.0.0/16]}], a generated catalogue_file):
//   1. a /16 x --lists lists (default 10): full Collect() rounds, printing the
//      wall and CPU time per sweep and the peak RSS;
//   2. a /16 x --series-lists lists (default 30) with --listed addresses
//      (default 200) each listed on one list: the series exported (goal
//      <= 10,000), by family group.
//
// --detail-max sets collectors.dnsbl.detail_max_block_addresses (65536: the
// whole /16 in detail, to see the state's cost apart from the series').
//
//   dnsbl_blocks_benchmark [--lists 10] [--series-lists 30] [--listed 200] [--rounds 3]
//                          [--detail-max 256]
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "collectors/dnsbl/dnsbl_collector.h"
#include "tests/benchmark/benchmark_flags.h"

namespace mailrep {
namespace {

struct Flags {
  int lists = 10;
  int series_lists = 30;
  int listed = 200;
  int rounds = 3;
  int detail_max = 256;
};

const char kBlock[] = "198.18.0.0/16";  // RFC 2544's benchmarking range

// Answers A queries for the names in `listed` with 127.0.0.2, others NXDOMAIN.
class FakeResolver : public Resolver {
 public:
  explicit FakeResolver(std::unordered_set<std::string> listed) : listed_(std::move(listed)) {}
  void Submit(DnsQuery query, DnsCallback done) override {
    DnsAnswer answer;
    if (listed_.count(query.name)) {
      answer.outcome = DnsOutcome::kData;
      DnsRecord r;
      r.type = RecordType::kA;
      r.address = *IpAddress::Parse("127.0.0.2");
      answer.records.push_back(r);
    } else {
      answer.outcome = DnsOutcome::kNxDomain;
    }
    done(std::move(answer));
  }

 private:
  std::unordered_set<std::string> listed_;
};

std::string Zone(int list) { return "l" + std::to_string(list) + ".bench.test"; }

double PeakRssMegabytes() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024.0;
}

double CpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& tv) { return tv.tv_sec + tv.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// A collector for kBlock x `lists` generated lists; every 327th address of
// the block (`listed` of them) is listed on one list, round robin.
StatusOr<std::unique_ptr<DnsblCollector>> MakeCollector(int lists, int listed, int detail_max) {
  char catalogue_file[] = "/tmp/mailrep-dnsbl-blocks-XXXXXX";
  close(mkstemp(catalogue_file));
  std::string zones;
  {
    std::ofstream catalogue(catalogue_file);
    catalogue << "lists:\n";
    for (int l = 0; l < lists; ++l) {
      catalogue << "  - {zone: " << Zone(l)
                << ", kinds: [ip4], codes: [{code: 127.0.0.2, meaning: listed}],"
                   " errors: [{code: 127.255.255.0/24, meaning: refused}]}\n";
      zones += (l ? ", " : "") + Zone(l);
    }
  }
  std::vector<CollectorDefaults> known = {
      {"dnsbl", true, std::chrono::minutes(15), std::chrono::minutes(5)}};
  StatusOr<Config> config = ParseConfig(
      std::string("senders: [{ips: [") + kBlock + "]}]\ncollectors:\n  dnsbl:\n    lists: [" +
          zones + "]\n    catalogue_file: " + catalogue_file +
          "\n    detail_max_block_addresses: " + std::to_string(detail_max) + "\n",
      "bench.yml", known);
  if (!config.ok()) return config.status();
  ConfigNode options = config->collectors.at("dnsbl").options->WithOwnErrors();
  StatusOr<DnsblSettings> settings = ParseDnsblSettings(*config, options);
  unlink(catalogue_file);
  if (!settings.ok()) return settings.status();

  std::unordered_set<std::string> names;
  for (int l = 0; l < lists; ++l) names.insert("2.0.0.127." + Zone(l));
  for (int i = 0; i < listed; ++i) {
    const DnsblTarget& t = settings->targets[(static_cast<size_t>(i) * 327) % 65536];
    names.insert(DnsblQueryName(t.query_prefix, "", Zone(i % lists)));
  }
  std::shared_ptr<Resolver> resolver = std::make_shared<FakeResolver>(std::move(names));
  return std::make_unique<DnsblCollector>(
      std::move(settings).value(),
      [resolver]() -> StatusOr<std::shared_ptr<Resolver>> { return resolver; }, nullptr);
}

int Main(int argc, char** argv) {
  Flags flags;
  BenchmarkFlags parser("dnsbl_blocks_benchmark",
                        "A /16 sender block against an in-process fake resolver: sweep time, "
                        "peak RSS and series exported.");
  parser.Int("--lists", &flags.lists, "lists for the timed sweeps", 1, 100)
      .Int("--series-lists", &flags.series_lists, "lists for the series count", 1, 100)
      .Int("--listed", &flags.listed, "listed addresses for the series count", 0, 65536)
      .Int("--rounds", &flags.rounds, "timed sweeps", 1, 100)
      .Int("--detail-max", &flags.detail_max,
           "collectors.dnsbl.detail_max_block_addresses (65536: all in detail)", 1, 65536);
  if (std::optional<int> code = parser.Parse(argc, argv)) return *code;

  std::printf("dnsbl_blocks_benchmark: sender block %s (65,536 addresses)\n", kBlock);
  double rss_start = PeakRssMegabytes();
  {
    StatusOr<std::unique_ptr<DnsblCollector>> collector =
        MakeCollector(flags.lists, flags.listed, flags.detail_max);
    if (!collector.ok()) {
      std::fprintf(stderr, "dnsbl_blocks_benchmark: %s\n", collector.status().ToString().c_str());
      return 1;
    }
    std::printf(
        "1. /16 x %d lists, %d listed, detail_max_block_addresses %d: %zu queries per "
        "sweep\n",
        flags.lists, flags.listed, flags.detail_max, size_t{65536} * flags.lists + 2 * flags.lists);
    for (int round = 0; round < flags.rounds; ++round) {
      MetricSet out;
      double cpu = CpuSeconds();
      auto start = std::chrono::steady_clock::now();
      CollectContext ctx{{}, start + std::chrono::minutes(10)};
      Status status = (*collector)->Collect(ctx, &out);
      double seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      if (!status.ok()) {
        std::fprintf(stderr, "dnsbl_blocks_benchmark: %s\n", status.ToString().c_str());
        return 1;
      }
      std::printf("   round %d: Collect() %.3f s wall, %.3f s CPU, %zu series\n", round + 1,
                  seconds, CpuSeconds() - cpu, out.series_count());
    }
    std::printf("   peak RSS: %.1f MB (%.1f MB before the collector was made)\n",
                PeakRssMegabytes(), rss_start);
  }
  {
    StatusOr<std::unique_ptr<DnsblCollector>> collector =
        MakeCollector(flags.series_lists, flags.listed, flags.detail_max);
    if (!collector.ok()) {
      std::fprintf(stderr, "dnsbl_blocks_benchmark: %s\n", collector.status().ToString().c_str());
      return 1;
    }
    MetricSet out;
    CollectContext ctx{{}, std::chrono::steady_clock::now() + std::chrono::minutes(10)};
    if (Status status = (*collector)->Collect(ctx, &out); !status.ok()) {
      std::fprintf(stderr, "dnsbl_blocks_benchmark: %s\n", status.ToString().c_str());
      return 1;
    }
    size_t targets = 0;
    for (const auto& family : out.families()) {
      bool per_target = false;
      for (const auto& metric : family.metric) {
        for (const auto& label : metric.label) {
          per_target |= label.name == "ip" || label.name == "block" || label.name == "domain";
        }
      }
      if (per_target) targets += family.metric.size();
    }
    std::printf(
        "2. /16 x %d lists, %d listed addresses: %zu series exported (goal <= 10,000); "
        "%zu with an ip or block label\n",
        flags.series_lists, flags.listed, out.series_count(), targets);
    std::printf("   peak RSS: %.1f MB\n", PeakRssMegabytes());
  }
  return 0;
}

}  // namespace
}  // namespace mailrep

int main(int argc, char** argv) { return mailrep::Main(argc, argv); }
