// scrape_benchmark: /metrics latency with 10,000 cached series while a
// collector is busy, against the same HTTP server serving an identical static
// payload (the limit). Prints p50/p99 for both and the ratio.
//
//   scrape_benchmark [--scrapes N] [--series N]
#include <curl/curl.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "exporter/app/exporter.h"
#include "tests/benchmark/benchmark_flags.h"
#include "tests/benchmark/latency.h"

namespace mailrep {
namespace {

using Clock = std::chrono::steady_clock;

// Produces `series` gauges and burns CPU for a while each run, so scrapes
// happen while a collector is busy.
class BusyCollector : public Collector {
 public:
  explicit BusyCollector(int series) : series_(series) {}
  Status Collect(const CollectContext& ctx, MetricSet* out) override {
    for (int i = 0; i < series_; ++i) {
      out->AddGauge(
          "mailrep_bench_listed", "Synthetic series for the benchmark.",
          {{"ip", "198.51." + std::to_string(i / 256 % 256) + "." + std::to_string(i % 256)},
           {"dnsbl", "list" + std::to_string(i % 40) + ".example"}},
          i % 2);
    }
    auto until = Clock::now() + std::chrono::milliseconds(50);
    volatile uint64_t x = 0;
    while (Clock::now() < until && !ctx.stop.stop_requested()) x = x + 1;
    return Status::OK();
  }

 private:
  int series_;
};

int g_series = 10000;

StatusOr<std::unique_ptr<Collector>> NewBusy(const CollectorEnv&, ConfigNode& options) {
  if (Status s = options.Finish(); !s.ok()) return s;
  return std::unique_ptr<Collector>(new BusyCollector(g_series));
}

// One keep-alive connection per URL; requests alternate between the two so
// both see the same background load. The first 100 of each warm up.
std::pair<Latencies, Latencies> MeasureAlternating(const std::string& a, const std::string& b,
                                                   int scrapes, size_t* bytes_a) {
  CURL* curl[2] = {curl_easy_init(), curl_easy_init()};
  size_t bytes[2] = {0, 0};
  const std::string* urls[2] = {&a, &b};
  for (int c = 0; c < 2; ++c) {
    curl_easy_setopt(curl[c], CURLOPT_URL, urls[c]->c_str());
    curl_easy_setopt(curl[c], CURLOPT_WRITEFUNCTION, CountBodyBytes);
    curl_easy_setopt(curl[c], CURLOPT_WRITEDATA, &bytes[c]);
    curl_easy_setopt(curl[c], CURLOPT_TCP_NODELAY, 1L);
  }
  std::vector<double> ms[2];
  for (int i = 0; i < scrapes + 100; ++i) {
    for (int c = 0; c < 2; ++c) {
      bytes[c] = 0;
      auto start = Clock::now();
      CURLcode rc = curl_easy_perform(curl[c]);
      double elapsed = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
      if (rc != CURLE_OK) {
        std::fprintf(stderr, "scrape failed: %s\n", curl_easy_strerror(rc));
        std::exit(1);
      }
      if (i >= 100) ms[c].push_back(elapsed);
    }
  }
  *bytes_a = bytes[0];
  for (CURL* c : curl) curl_easy_cleanup(c);
  return {SummarizeLatencies(std::move(ms[0])), SummarizeLatencies(std::move(ms[1]))};
}

int Run(int scrapes) {
  std::vector<CollectorSpec> specs = {
      {{"bench", true, std::chrono::milliseconds(100), std::chrono::seconds(5)},
       "Busy.",
       NewBusy,
       {}}};
  Flags flags;
  flags.listen_addresses = {"127.0.0.1:0"};
  Exporter exporter(flags, specs, {"bench", "bench"});
  if (Status s = exporter.Start(); !s.ok()) {
    std::fprintf(stderr, "start: %s\n", s.ToString().c_str());
    return 1;
  }
  HttpRequest get{"GET", "/metrics", {}, {}, ""};
  auto metrics_text = [&] { return exporter.Handle(get).PlainText(); };
  while (metrics_text().find("mailrep_bench_listed") == std::string::npos) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  std::string payload = metrics_text();

  StatusOr<std::unique_ptr<HttpServer>> static_server =
      HttpServer::Start({{"127.0.0.1:0"}, 4}, WebConfig{}, [&payload](const HttpRequest&) {
        HttpResponse r;
        r.content_type = "text/plain; version=0.0.4; charset=utf-8";
        r.body = payload;
        return r;
      });
  if (!static_server.ok()) {
    std::fprintf(stderr, "static server: %s\n", static_server.status().ToString().c_str());
    return 1;
  }

  size_t bytes = 0;
  auto [live, fixed] = MeasureAlternating(
      "http://" + exporter.BoundAddresses()[0] + "/metrics",
      "http://" + (*static_server)->BoundAddresses()[0] + "/metrics", scrapes, &bytes);
  std::printf(
      "series: %d, payload: %zu bytes, scrapes: %d each, alternating, one keep-alive "
      "connection each\n",
      g_series, bytes, scrapes);
  std::printf("/metrics (collector busy): p50 %.3f ms  p99 %.3f ms  max %.3f ms\n", live.p50_ms,
              live.p99_ms, live.max_ms);
  std::printf("static payload (limit):    p50 %.3f ms  p99 %.3f ms  max %.3f ms\n", fixed.p50_ms,
              fixed.p99_ms, fixed.max_ms);
  std::printf("ratio /metrics / static:   p50 %.2fx  p99 %.2fx  (goal: p99 <= 2 ms, <= 2x)\n",
              live.p50_ms / fixed.p50_ms, live.p99_ms / fixed.p99_ms);
  (*static_server)->Stop();
  exporter.Stop();
  return 0;
}

}  // namespace
}  // namespace mailrep

int main(int argc, char** argv) {
  int scrapes = 10000;
  mailrep::BenchmarkFlags flags("scrape_benchmark",
                                "Scrape latency of /metrics over N series in snapshots.");
  flags.Int("--scrapes", &scrapes, "scrapes").Int("--series", &mailrep::g_series, "series");
  if (std::optional<int> code = flags.Parse(argc, argv)) return *code;
  curl_global_init(CURL_GLOBAL_DEFAULT);
  return mailrep::Run(scrapes);
}
