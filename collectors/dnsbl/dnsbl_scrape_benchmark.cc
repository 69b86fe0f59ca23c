// dnsbl_scrape_benchmark: /metrics latency while the DNSBL collector sweeps,
// against /metrics latency while it is idle, in one run of one exporter. Not a
// test; prints numbers, never fails on speed.
//
// Starts a private NSD on loopback serving M generated lists (TTL 0, so the
// resolver's cache never answers for it), and an in-process Exporter whose
// only collector is the real dnsbl collector (the production factory, config
// read from a generated file) checking the first N addresses of 198.18.0.0/22
// against the M lists every 2 s. One curl handle scrapes /metrics over a
// keep-alive connection, pausing --pause-ms between scrapes so the samples
// spread over many sweeps. Each scrape is classified by what the collector was
// doing: "sweep" if a Collect() run was in progress when it started, "idle" if
// none ran during it and the last one ended >= 100 ms before. Runs until both
// classes have --scrapes samples; prints p50/p99/max and the ratios.
//
// By default lists have no query-rate cap, so a sweep saturates the CPU (the
// worst case); --qps-per-list Q caps each list as the catalogue does in
// production (5-10), and stretches the interval to fit the longer sweeps.
//
//   dnsbl_scrape_benchmark [--ips 1024] [--lists 30] [--scrapes 2000]
//                          [--pause-ms 5] [--qps-per-list 0] [--gzip]
#include <curl/curl.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "collectors/dnsbl/dnsbl_collector.h"
#include "exporter/app/exporter.h"
#include "exporter/core/log.h"
#include "tests/benchmark/benchmark_flags.h"
#include "tests/benchmark/latency.h"
#include "tests/dns/local_nsd.h"

namespace mailrep {
namespace {

using Clock = std::chrono::steady_clock;

struct BenchFlags {
  int ips = 1024;
  int lists = 30;
  int scrapes = 2000;
  int pause_ms = 5;
  int qps_per_list = 0;
  bool gzip = false;
};

// nullopt: run; otherwise the exit code.
std::optional<int> ParseBenchFlags(int argc, char** argv, BenchFlags* flags) {
  BenchmarkFlags parser("dnsbl_scrape_benchmark",
                        "/metrics p50/p99 while the DNSBL collector sweeps a local NSD, and idle.");
  parser.Int("--ips", &flags->ips, "addresses, a power of 2", 1, 1024)
      .Int("--lists", &flags->lists, "lists", 0)
      .Int("--scrapes", &flags->scrapes, "scrapes", 0)
      .Int("--pause-ms", &flags->pause_ms, "pause between scrapes", 0)
      .Int("--qps-per-list", &flags->qps_per_list, "query rate per list (0: none)", 0)
      .Switch("--gzip", &flags->gzip, "ask for gzip");
  if (std::optional<int> code = parser.Parse(argc, argv)) return code;
  // A CIDR block of 1..1024 addresses (a /22 at most).
  if ((flags->ips & (flags->ips - 1)) != 0) return parser.UsageError("--ips must be a power of 2");
  return std::nullopt;
}

// What the collector is doing, for classifying scrapes.
std::atomic<bool> g_sweeping{false};
std::atomic<uint64_t> g_sweeps{0};
std::atomic<int64_t> g_last_end_ns{0};
std::atomic<int64_t> g_sweep_ns_total{0};

int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch())
      .count();
}

// The real collector, with its runs made visible.
class ObservedCollector : public Collector {
 public:
  explicit ObservedCollector(std::unique_ptr<Collector> inner) : inner_(std::move(inner)) {}
  Status Collect(const CollectContext& ctx, MetricSet* out) override {
    int64_t start = NowNs();
    g_sweeping = true;
    Status status = inner_->Collect(ctx, out);
    g_last_end_ns = NowNs();
    g_sweep_ns_total.fetch_add(g_last_end_ns.load() - start);
    g_sweeps.fetch_add(1);
    g_sweeping = false;
    return status;
  }
  std::vector<ProbeModule> ProbeModules() override { return inner_->ProbeModules(); }

 private:
  std::unique_ptr<Collector> inner_;
};

StatusOr<std::unique_ptr<Collector>> NewObservedDnsbl(const CollectorEnv& env,
                                                      ConfigNode& options) {
  StatusOr<std::unique_ptr<Collector>> inner = NewDnsblCollector(env, options);
  if (!inner.ok()) return inner.status();
  return std::unique_ptr<Collector>(new ObservedCollector(std::move(inner).value()));
}

std::string Zone(int list) { return "l" + std::to_string(list) + ".scrape.test"; }

bool WriteText(const std::string& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
  out.close();
  return static_cast<bool>(out);
}

int Main(int argc, char** argv) {
  BenchFlags flags;
  if (std::optional<int> code = ParseBenchFlags(argc, argv, &flags)) return *code;
  if (Status s = InitLogging("error", "logfmt"); !s.ok()) return 1;
  curl_global_init(CURL_GLOBAL_DEFAULT);

  // The block 198.18.0.0/(32 - log2 N); every 50th address is listed, per list.
  testing::LocalNsdOptions nsd_options;
  nsd_options.ipv6 = false;
  std::string catalogue = "lists:\n";
  for (int l = 0; l < flags.lists; ++l) {
    catalogue += "  - {zone: " + Zone(l) +
                 ", queries_per_second: " + std::to_string(flags.qps_per_list) +
                 ", kinds: [ip4], codes: [{code: 127.0.0.2, meaning: listed}],"
                 " errors: [{code: 127.255.255.0/24, meaning: refused}]}\n";
    std::string records = "$TTL 0\n2.0.0.127 A 127.0.0.2\n";
    for (int i = l % 50; i < flags.ips; i += 50) {
      records += std::to_string(i % 256) + "." + std::to_string(i / 256) + ".18.198 A 127.0.0.2\n";
    }
    nsd_options.zones.push_back({Zone(l), records, 0});
  }
  StatusOr<std::unique_ptr<testing::LocalNsd>> nsd = testing::LocalNsd::Start(nsd_options);
  if (!nsd.ok()) {
    std::fprintf(stderr, "dnsbl_scrape_benchmark: %s\n", nsd.status().ToString().c_str());
    return 1;
  }

  std::string dir = (*nsd)->dir();  // removed with the NSD
  std::string zones;
  for (int l = 0; l < flags.lists; ++l) zones += (l ? ", " : "") + Zone(l);
  int prefix = 32;
  while ((1 << (32 - prefix)) < flags.ips) --prefix;
  int interval_s = 2;
  if (flags.qps_per_list > 0) interval_s = 2 * (flags.ips + 2) / flags.qps_per_list + 2;
  std::string interval = std::to_string(interval_s) + "s";
  std::string config = "dns: {servers: [\"127.0.0.1:" + std::to_string((*nsd)->port()) +
                       "\"]}\nsenders:\n  - ips: [198.18.0.0/" + std::to_string(prefix) +
                       "]\ncollectors:\n  dnsbl:\n    interval: " + interval +
                       "\n    timeout: " + interval + "\n    lists: [" + zones +
                       "]\n    catalogue_file: " + dir + "/catalogue.yml\n";
  if (!WriteText(dir + "/catalogue.yml", catalogue) || !WriteText(dir + "/mailrep.yml", config)) {
    std::fprintf(stderr, "dnsbl_scrape_benchmark: cannot write to %s\n", dir.c_str());
    return 1;
  }

  std::vector<CollectorSpec> specs = {
      {{"dnsbl", true, std::chrono::seconds(1), std::chrono::seconds(1)},
       "The real DNSBL collector, observed.",
       NewObservedDnsbl,
       {}}};
  Flags exporter_flags;
  exporter_flags.listen_addresses = {"127.0.0.1:0"};
  exporter_flags.config_file = dir + "/mailrep.yml";
  exporter_flags.log_level = "error";
  Exporter exporter(exporter_flags, specs, {"bench", "bench"});
  if (Status s = exporter.Start(); !s.ok()) {
    std::fprintf(stderr, "dnsbl_scrape_benchmark: start: %s\n", s.ToString().c_str());
    return 1;
  }
  HttpRequest get{"GET", "/metrics", {}, {}, ""};
  auto metrics_text = [&] { return exporter.Handle(get).PlainText(); };
  auto warmup_deadline = Clock::now() + std::chrono::seconds(60 + interval_s);
  while (g_sweeps.load() < 1 || metrics_text().find("mailrep_dnsbl_listed{") == std::string::npos) {
    if (Clock::now() > warmup_deadline) {
      std::fprintf(stderr, "dnsbl_scrape_benchmark: no DNSBL series after a sweep\n");
      return 1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }

  CURL* curl = curl_easy_init();
  size_t bytes = 0;
  std::string url = "http://" + exporter.BoundAddresses()[0] + "/metrics";
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, CountBodyBytes);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &bytes);
  curl_easy_setopt(curl, CURLOPT_TCP_NODELAY, 1L);
  if (flags.gzip) curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "gzip");

  std::vector<double> sweep_ms;
  std::vector<double> idle_ms;
  size_t other = 0;
  size_t payload = 0;
  uint64_t first_sweep = g_sweeps.load();
  int64_t first_sweep_ns = g_sweep_ns_total.load();
  auto deadline = Clock::now() + std::chrono::minutes(10);
  const int64_t kQuietNs = 100'000'000;
  while ((sweep_ms.size() < static_cast<size_t>(flags.scrapes) ||
          idle_ms.size() < static_cast<size_t>(flags.scrapes)) &&
         Clock::now() < deadline) {
    bool sweeping_at_start = g_sweeping.load();
    uint64_t sweeps_at_start = g_sweeps.load();
    int64_t start_ns = NowNs();
    bytes = 0;
    CURLcode rc = curl_easy_perform(curl);
    double ms = (NowNs() - start_ns) / 1e6;
    if (rc != CURLE_OK) {
      std::fprintf(stderr, "dnsbl_scrape_benchmark: scrape failed: %s\n", curl_easy_strerror(rc));
      return 1;
    }
    payload = bytes;
    if (flags.pause_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(flags.pause_ms));
    bool idle = !sweeping_at_start && !g_sweeping.load() && g_sweeps.load() == sweeps_at_start &&
                start_ns - g_last_end_ns.load() >= kQuietNs;
    if (sweeping_at_start) {
      if (sweep_ms.size() < static_cast<size_t>(flags.scrapes)) sweep_ms.push_back(ms);
    } else if (idle) {
      if (idle_ms.size() < static_cast<size_t>(flags.scrapes)) idle_ms.push_back(ms);
    } else {
      ++other;
    }
  }
  uint64_t sweeps = g_sweeps.load() - first_sweep;
  double mean_sweep_s =
      sweeps ? (g_sweep_ns_total.load() - first_sweep_ns) / 1e9 / static_cast<double>(sweeps) : 0;
  curl_easy_cleanup(curl);
  std::string body = metrics_text();
  size_t series = 0;
  for (size_t at = 0; at < body.size();) {
    size_t end = body.find('\n', at);
    if (end == std::string::npos) end = body.size();
    if (end > at && body[at] != '#') ++series;
    at = end + 1;
  }
  exporter.Stop();
  if (sweep_ms.empty() || idle_ms.empty()) {
    std::fprintf(stderr, "dnsbl_scrape_benchmark: too few samples (sweep %zu, idle %zu)\n",
                 sweep_ms.size(), idle_ms.size());
    return 1;
  }
  Latencies busy = SummarizeLatencies(sweep_ms);
  Latencies quiet = SummarizeLatencies(idle_ms);
  std::printf(
      "dnsbl_scrape_benchmark: %d IPs x %d lists (%s) every %d s against NSD on "
      "127.0.0.1:%u; %zu series, payload %zu bytes%s; one keep-alive curl connection, "
      "%d ms between scrapes\n",
      flags.ips, flags.lists,
      flags.qps_per_list ? (std::to_string(flags.qps_per_list) + " queries/s per list").c_str()
                         : "no rate cap",
      interval_s, (*nsd)->port(), series, payload, flags.gzip ? " before gzip" : "",
      flags.pause_ms);
  std::printf(
      "scrapes: %zu during sweeps, %zu idle, %zu in neither (just after a sweep); %llu sweeps "
      "of %.3f s on average\n",
      sweep_ms.size(), idle_ms.size(), other, static_cast<unsigned long long>(sweeps),
      mean_sweep_s);
  std::printf("/metrics during a sweep: p50 %.3f ms  p99 %.3f ms  max %.3f ms\n", busy.p50_ms,
              busy.p99_ms, busy.max_ms);
  std::printf("/metrics idle:           p50 %.3f ms  p99 %.3f ms  max %.3f ms\n", quiet.p50_ms,
              quiet.p99_ms, quiet.max_ms);
  std::printf("ratio sweep / idle:      p50 %.2fx  p99 %.2fx  (goal: p99 unchanged)\n",
              busy.p50_ms / quiet.p50_ms, busy.p99_ms / quiet.p99_ms);
  return 0;
}

}  // namespace
}  // namespace mailrep

int main(int argc, char** argv) { return mailrep::Main(argc, argv); }
