// dnsbl_mirror_sweep_benchmark: a /16 sender block against --lists (default
// 10) lists, every one answered from a local mirror (#14). Not a test; prints
// numbers and the memory goal's verdict, never fails on speed or memory.
//
//   1. Generates one rbldnsd data file per list (rbldnsd_test_feed.h: mostly
//      ip4set, one ip4trie and one ip4tset; sizes falling off from the first
//      list, --entries in all, --focus-ppm of them inside the /16).
//   2. Builds the DnsblCollector through the exporter's own factory from a
//      config of the block, the lists (a generated catalogue_file) and their
//      mirrors, with no DNS server: the first Collect() loads the files and
//      sweeps; the --rounds after it only sweep. Prints the sweep time,
//      lookups per second, and this process's peak RSS (VmHWM) absolute and
//      over the baseline taken before the collector was made.
//   3. Starts Debian's rbldnsd on 127.0.0.1 holding the same files (one zone
//      each) and prints its RSS, and the ratio ours/rbldnsd (goal <= 1.5).
//   4. Runs dnsperf against that rbldnsd with the same names (every address
//      of the /16 reversed under each zone, type A), or every
//      --dnsperf-every'th of them, for at most --dnsperf-seconds; the time
//      for all names is its rate extrapolated, and set against our sweep.
//
//   dnsbl_mirror_sweep_benchmark [--lists 10] [--entries 500000] [--rounds 3]
//       [--focus-ppm 50] [--detail-max 256] [--dnsperf-every 1]
//       [--dnsperf-seconds 60] [--in-flight 100] [--no-rbldnsd] [--no-dnsperf]
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "collectors/dns/dns_engine.h"
#include "collectors/dnsbl/dnsbl_collector.h"
#include "collectors/dnsbl/rbldnsd_ip4.h"
#include "collectors/dnsbl/rbldnsd_test_feed.h"
#include "exporter/core/log.h"
#include "exporter/util/testing/scoped_temp_dir.h"
#include "tests/benchmark/benchmark_flags.h"
#include "tests/benchmark/dnsperf.h"
#include "tests/dns/local_rbldnsd.h"

namespace mailrep {
namespace {

struct Flags {
  int lists = 10;
  int entries = 500000;
  int rounds = 3;
  int focus_ppm = 50;
  int detail_max = 256;
  int dnsperf_every = 1;
  int dnsperf_seconds = 60;
  int in_flight = 100;
  bool no_rbldnsd = false;
  bool no_dnsperf = false;
};

constexpr uint32_t kBlock = 0xC6120000;  // 198.18.0.0/16, RFC 2544's benchmarking range
constexpr double kRssGoal = 1.5;         // ours / rbldnsd's, holding the same files

std::string Zone(int list) { return "l" + std::to_string(list) + ".mirror.test"; }

// Most lists are ip4set, as the big feeds are; one ip4trie and one ip4tset.
RbldnsdFormat FormatOf(int list) {
  if (list % 10 == 8) return RbldnsdFormat::kIp4trie;
  if (list % 10 == 9) return RbldnsdFormat::kIp4tset;
  return RbldnsdFormat::kIp4set;
}

// List l's share of `total` entries falls off as 1/(l+1): one big feed and
// smaller ones, as a real set of lists.
std::vector<int> EntriesPerList(int lists, int total) {
  double weights = 0;
  for (int l = 0; l < lists; ++l) weights += 1.0 / (l + 1);
  std::vector<int> entries;
  for (int l = 0; l < lists; ++l) {
    entries.push_back(std::max(1, static_cast<int>(total / weights / (l + 1))));
  }
  return entries;
}

// A field of /proc/self/status in KiB ("VmRSS", "VmHWM"); 0 when absent.
long StatusKib(const std::string& field) {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind(field + ":", 0) == 0) return std::stol(line.substr(field.size() + 1));
  }
  return 0;
}

// Resets VmHWM to the current RSS (Linux clear_refs "5"), so the peak taken
// later is the collector's, not the file generator's. False when refused.
bool ResetPeakRss() {
  std::ofstream clear("/proc/self/clear_refs");
  clear << "5";
  clear.flush();
  return clear.good();
}

double Mib(long kib) { return kib / 1024.0; }

// The sum of a family's samples in `out` (0 when absent).
double Sum(const MetricSet& out, const std::string& name) {
  double sum = 0;
  for (const prometheus::MetricFamily& family : out.families()) {
    if (family.name != name) continue;
    for (const prometheus::ClientMetric& m : family.metric) {
      sum += family.type == prometheus::MetricType::Counter ? m.counter.value : m.gauge.value;
    }
  }
  return sum;
}

StatusOr<std::unique_ptr<Collector>> MakeCollector(const Flags& flags, const ScopedTempDir& dir,
                                                   Config* config) {
  std::string catalogue_file = dir.Path("catalogue.yml");
  std::string zones;
  std::string mirrors;
  {
    std::ofstream catalogue(catalogue_file);
    catalogue << "lists:\n";
    for (int l = 0; l < flags.lists; ++l) {
      catalogue << "  - {zone: " << Zone(l)
                << ", kinds: [ip4], codes: [{code: 127.0.0.2/31, meaning: listed},"
                   " {code: 127.0.0.4, meaning: listed}],"
                   " errors: [{code: 127.255.255.0/24, meaning: refused}]}\n";
      zones += (l ? ", " : "") + Zone(l);
      mirrors += "      - {zone: " + Zone(l) + ", file: " + dir.Path(Zone(l)) +
                 ", format: " + std::string(RbldnsdFormatName(FormatOf(l))) + "}\n";
    }
  }
  std::vector<CollectorDefaults> known = {
      {"dnsbl", true, std::chrono::minutes(15), std::chrono::minutes(5)}};
  StatusOr<Config> parsed = ParseConfig(
      "senders: [{ips: [" + Ip4ToString(kBlock) + "/16]}]\ncollectors:\n  dnsbl:\n    lists: [" +
          zones + "]\n    catalogue_file: " + catalogue_file +
          "\n    detail_max_block_addresses: " + std::to_string(flags.detail_max) +
          "\n    mirrors:\n" + mirrors,
      "bench.yml", known);
  if (!parsed.ok()) return parsed.status();
  *config = std::move(parsed).value();
  // The exporter's DNS engine, which is never started: every list is mirrored.
  StatusOr<std::shared_ptr<DnsEngine>> dns = DnsEngine::Create(config->dns, "");
  if (!dns.ok()) return dns.status();
  ConfigNode options = config->collectors.at("dnsbl").options->WithOwnErrors();
  CollectorEnv env{*config, config->collectors.at("dnsbl"), "", *dns};
  return NewDnsblCollector(env, options);
}

struct OurRun {
  double load_and_sweep_s = 0;  // the first Collect()
  double sweep_s = 0;           // the median of the later ones
  double listed_pairs = 0;      // (address, list) pairs listed, from the block counts
  double healthy_lists = 0;
  double mirror_entries = 0;
  long baseline_kib = 0, rss_kib = 0, peak_kib = 0;
  bool peak_reset = false;
};

StatusOr<OurRun> RunOurs(const Flags& flags, const ScopedTempDir& dir) {
  OurRun run;
  run.peak_reset = ResetPeakRss();
  run.baseline_kib = StatusKib("VmRSS");
  Config config;
  StatusOr<std::unique_ptr<Collector>> collector = MakeCollector(flags, dir, &config);
  if (!collector.ok()) return collector.status();
  std::vector<double> sweeps;
  for (int round = 0; round <= flags.rounds; ++round) {
    MetricSet out;
    auto start = std::chrono::steady_clock::now();
    CollectContext ctx{{}, start + std::chrono::minutes(10)};
    if (Status status = (*collector)->Collect(ctx, &out); !status.ok()) return status;
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (round == 0) {
      run.load_and_sweep_s = seconds;
      run.healthy_lists = Sum(out, "mailrep_dnsbl_list_healthy");
      run.mirror_entries = Sum(out, "mailrep_dnsbl_mirror_entries");
      run.listed_pairs = Sum(out, "mailrep_dnsbl_block_listed_addresses");
      std::printf("   Collect() 1 (loads the %d files, then sweeps): %.3f s, %zu series\n",
                  flags.lists, seconds, out.series_count());
    } else {
      sweeps.push_back(seconds);
      std::printf("   Collect() %d (sweep only): %.3f s\n", round + 1, seconds);
    }
  }
  std::sort(sweeps.begin(), sweeps.end());
  run.sweep_s = sweeps[sweeps.size() / 2];
  run.rss_kib = StatusKib("VmRSS");
  run.peak_kib = StatusKib("VmHWM");
  return run;
}

// Every address of the block reversed under each zone, type A; every
// `every`th of them. Returns the names written.
size_t WriteNames(const std::string& path, int lists, int every) {
  std::ofstream names(path);
  size_t written = 0, n = 0;
  for (uint32_t i = 0; i < 65536; ++i) {
    uint32_t a = kBlock | i;
    std::string reversed = std::to_string(a & 255) + "." + std::to_string((a >> 8) & 255) + "." +
                           std::to_string((a >> 16) & 255) + "." + std::to_string(a >> 24) + ".";
    for (int l = 0; l < lists; ++l) {
      if (n++ % every != 0) continue;
      names << reversed << Zone(l) << " A\n";
      ++written;
    }
  }
  return written;
}

int Main(int argc, char** argv) {
  Flags flags;
  BenchmarkFlags parser("dnsbl_mirror_sweep_benchmark",
                        "A /16 sender block against lists answered from local mirrors: sweep "
                        "time, peak RSS against rbldnsd's holding the same files, and the same "
                        "lookups as DNS queries to that rbldnsd through dnsperf.");
  parser.Int("--lists", &flags.lists, "mirrored lists", 1, 100)
      .Int("--entries", &flags.entries, "entry lines in all the files", 1, 50000000)
      .Int("--rounds", &flags.rounds, "timed sweeps after the first (loading) run", 1, 100)
      .Int("--focus-ppm", &flags.focus_ppm, "entries inside the swept /16, per million", 0, 1000000)
      .Int("--detail-max", &flags.detail_max, "collectors.dnsbl.detail_max_block_addresses", 1,
           65536)
      .Int("--dnsperf-every", &flags.dnsperf_every,
           "ask dnsperf every Nth name only (its time for all is extrapolated)", 1, 65536)
      .Int("--dnsperf-seconds", &flags.dnsperf_seconds, "dnsperf's time limit (-l)", 1, 3600)
      .Int("--in-flight", &flags.in_flight,
           "dnsperf's queries in flight (-q; at 256 rbldnsd drops some)", 1, 65536)
      .Switch("--no-rbldnsd", &flags.no_rbldnsd, "do not start rbldnsd (nor dnsperf)")
      .Switch("--no-dnsperf", &flags.no_dnsperf, "start rbldnsd for its RSS, but run no dnsperf");
  if (std::optional<int> code = parser.Parse(argc, argv)) return *code;
  // The first run logs every current listing once (thousands of lines on a
  // /16): the terminal's cost, not the sweep's. Errors still show.
  if (Status status = InitLogging("error", "logfmt"); !status.ok()) {
    std::fprintf(stderr, "dnsbl_mirror_sweep_benchmark: %s\n", status.ToString().c_str());
    return 1;
  }

  ScopedTempDir dir("mirror_sweep_bench");
  chmod(dir.path().c_str(), 0755);  // rbldnsd runs as another user
  std::vector<int> entries = EntriesPerList(flags.lists, flags.entries);
  std::vector<testing::RbldnsdDataset> datasets;
  off_t bytes = 0;
  for (int l = 0; l < flags.lists; ++l) {
    std::string path = dir.Path(Zone(l));
    {
      std::ofstream out(path);
      testing::RbldnsdTestFeedOptions feed;
      feed.format = FormatOf(l);
      feed.entries = entries[l];
      feed.seed = 1400 + l;
      feed.focus_base = kBlock;
      feed.focus_bits = 16;
      feed.focus_ppm = flags.focus_ppm;
      testing::WriteRbldnsdTestFeed(feed, out);
    }
    chmod(path.c_str(), 0644);
    struct stat st {};
    stat(path.c_str(), &st);
    bytes += st.st_size;
    datasets.push_back({Zone(l), std::string(RbldnsdFormatName(FormatOf(l))), path});
  }
  size_t lookups = size_t{65536} * flags.lists;
  std::printf(
      "dnsbl_mirror_sweep_benchmark: %s/16 (65,536 addresses) x %d mirrored lists = %zu "
      "lookups per sweep\n"
      "1. files: %d entry lines in all (%d in the biggest, %d in the smallest), %.1f MiB, "
      "%d per million inside the /16\n",
      Ip4ToString(kBlock).c_str(), flags.lists, lookups, flags.entries, entries.front(),
      entries.back(), bytes / 1048576.0, flags.focus_ppm);

  std::printf("2. ours: DnsblCollector from the exporter's factory, every list mirrored, no DNS\n");
  StatusOr<OurRun> ours = RunOurs(flags, dir);
  if (!ours.ok()) {
    std::fprintf(stderr, "dnsbl_mirror_sweep_benchmark: %s\n", ours.status().ToString().c_str());
    return 1;
  }
  long ours_peak = ours->peak_kib - ours->baseline_kib;
  long ours_steady = ours->rss_kib - ours->baseline_kib;
  std::printf(
      "   %.0f of %d lists healthy, %.0f entries loaded, %.0f (address, list) pairs listed\n"
      "   sweep (median of %d): %.3f s, %.2f M lookups/s (the first run, with the loads: %.3f "
      "s)\n"
      "   RSS: baseline %.1f MiB before the collector was made; after the sweeps %.1f MiB "
      "(+%.1f);\n"
      "        peak (VmHWM) %.1f MiB (+%.1f)%s\n",
      ours->healthy_lists, flags.lists, ours->mirror_entries, ours->listed_pairs, flags.rounds,
      ours->sweep_s, lookups / ours->sweep_s / 1e6, ours->load_and_sweep_s, Mib(ours->baseline_kib),
      Mib(ours->rss_kib), Mib(ours_steady), Mib(ours->peak_kib), Mib(ours_peak),
      ours->peak_reset ? "" : " (VmHWM could not be reset: the file generator's peak is in it)");
  // Not speed: a list left unhealthy means the files or the path are broken.
  if (ours->healthy_lists != flags.lists) {
    std::fprintf(stderr, "dnsbl_mirror_sweep_benchmark: only %.0f of %d lists are healthy\n",
                 ours->healthy_lists, flags.lists);
    return 1;
  }
  if (flags.no_rbldnsd) return 0;

  StatusOr<std::unique_ptr<testing::LocalRbldnsd>> server = testing::LocalRbldnsd::Start(datasets);
  if (!server.ok()) {
    std::printf("3. rbldnsd: not measured: %s\n", server.status().ToString().c_str());
    return 0;
  }
  long theirs_rss = (*server)->RssKib();
  long theirs_peak = (*server)->PeakRssKib();
  double ratio = theirs_rss > 0 ? static_cast<double>(ours_peak) / theirs_rss : 0;
  std::printf(
      "3. rbldnsd (pid %d) holding the same %d files: VmRSS %.1f MiB, peak (VmHWM) %.1f MiB\n"
      "   ratio ours/rbldnsd: %.2f (our peak over the baseline / its RSS; goal <= %.1f: %s)\n"
      "                       %.2f (after the sweeps / its RSS), %.2f (peak / its peak)\n",
      static_cast<int>((*server)->pid()), flags.lists, Mib(theirs_rss), Mib(theirs_peak), ratio,
      kRssGoal, ratio <= kRssGoal ? "met" : "MISSED",
      theirs_rss > 0 ? static_cast<double>(ours_steady) / theirs_rss : 0,
      theirs_peak > 0 ? static_cast<double>(ours_peak) / theirs_peak : 0);
  if (flags.no_dnsperf) return 0;

  std::string names_file = dir.Path("names.txt");
  size_t names = WriteNames(names_file, flags.lists, flags.dnsperf_every);
  DnsperfOptions options;
  options.port = (*server)->port();
  options.names_file = names_file;
  options.in_flight = flags.in_flight;
  options.max_seconds = flags.dnsperf_seconds;
  StatusOr<DnsperfResult> perf = RunDnsperf(options);
  if (!perf.ok()) {
    std::printf("4. dnsperf: not measured: %s\n", perf.status().ToString().c_str());
    return 0;
  }
  bool whole = flags.dnsperf_every == 1 && perf->sent == lookups;
  double all_s = lookups / perf->qps;
  std::printf(
      "4. dnsperf -> that rbldnsd on 127.0.0.1 (UDP, %d in flight): %zu names written (every "
      "%d of %zu), %llu sent in %.2f s, %llu lost\n"
      "   %.0f queries/s; NOERROR %llu, NXDOMAIN %llu\n"
      "   time for all %zu lookups: %.2f s (%s)\n"
      "   ratio dnsperf time / our sweep: %.0fx\n",
      flags.in_flight, names, flags.dnsperf_every, lookups,
      static_cast<unsigned long long>(perf->sent), perf->run_seconds,
      static_cast<unsigned long long>(perf->lost), perf->qps,
      static_cast<unsigned long long>(perf->noerror),
      static_cast<unsigned long long>(perf->nxdomain), lookups, all_s,
      whole ? "measured" : "extrapolated from its rate", all_s / ours->sweep_s);
  if (whole) {
    std::printf("   listed: rbldnsd answered %llu names with data, our sweep listed %.0f pairs%s\n",
                static_cast<unsigned long long>(perf->noerror), ours->listed_pairs,
                perf->noerror == ours->listed_pairs ? " (the same)"
                : perf->lost > 0                    ? " (they differ; dnsperf lost some queries)"
                                                    : " (they DIFFER)");
  }
  return 0;
}

}  // namespace
}  // namespace mailrep

int main(int argc, char** argv) { return mailrep::Main(argc, argv); }
