// gzip_scrape_benchmark: /metrics with gzip over N cached series (100k by
// default) against the same HTTP server serving the same bytes
// pre-compressed, statically (the anchor). Also the old way for comparison:
// the same plain text gzipped anew on every request. Prints p50/p99 of each
// and the ratio to the anchor (goal: /metrics gzip p99 <= 2x).
//
//   gzip_scrape_benchmark [--scrapes N] [--series N] [--collectors N]
//
// Clients send "Accept-Encoding: gzip" and do not decompress, so the numbers
// are the server's cost plus the transfer.
#include <curl/curl.h>

#include <algorithm>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "exporter/app/exporter.h"
#include "exporter/util/ascii.h"
#include "exporter/util/gzip_parts.h"
#include "tests/benchmark/benchmark_flags.h"
#include "tests/benchmark/latency.h"

namespace mailrep {
namespace {

using Clock = std::chrono::steady_clock;

int g_series = 100000;
int g_collectors = 4;

// Exports its share of the series, as a DNSBL collector would, once a minute.
class SeriesCollector : public Collector {
 public:
  SeriesCollector(int first, int count) : first_(first), count_(count) {}
  Status Collect(const CollectContext&, MetricSet* out) override {
    for (int i = first_; i < first_ + count_; ++i) {
      out->AddGauge(
          "mailrep_bench_listed", "Synthetic series for the benchmark.",
          {{"ip", "198.51." + std::to_string(i / 256 % 256) + "." + std::to_string(i % 256)},
           {"dnsbl",
            "list" + std::to_string(i / 65536) + "-" + std::to_string(i % 40) + ".example"}},
          i % 7 == 0);
    }
    return Status::OK();
  }

 private:
  int first_;
  int count_;
};

struct Target {
  Target(std::string label_, std::string url_, bool gzip_)
      : label(std::move(label_)), url(std::move(url_)), gzip(gzip_) {}
  std::string label;
  std::string url;
  bool gzip;
  Latencies latencies{};
  size_t bytes = 0;
  std::string encoding;  // the Content-Encoding answered, with its leading space
};

size_t KeepContentEncoding(char* data, size_t size, size_t n, void* userdata) {
  std::string_view line(data, size * n);
  constexpr std::string_view kName = "content-encoding:";
  if (line.size() > kName.size() && EqualsIgnoreCase(line.substr(0, kName.size()), kName)) {
    line.remove_prefix(kName.size());
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
    *static_cast<std::string*>(userdata) = line;
  }
  return size * n;
}

// One keep-alive connection per target; requests go round the targets so all
// see the same conditions. The first 20 rounds warm up.
void MeasureRoundRobin(std::vector<Target>* targets, int scrapes) {
  std::vector<CURL*> curls;
  std::vector<curl_slist*> lists;
  std::vector<std::vector<double>> ms(targets->size());
  for (Target& t : *targets) {
    CURL* curl = curl_easy_init();
    curl_easy_setopt(curl, CURLOPT_URL, t.url.c_str());
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, CountBodyBytes);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &t.bytes);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, KeepContentEncoding);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &t.encoding);
    curl_easy_setopt(curl, CURLOPT_TCP_NODELAY, 1L);
    curl_slist* list = t.gzip ? curl_slist_append(nullptr, "Accept-Encoding: gzip") : nullptr;
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
    curls.push_back(curl);
    lists.push_back(list);
  }
  for (int i = 0; i < scrapes + 20; ++i) {
    for (size_t c = 0; c < targets->size(); ++c) {
      (*targets)[c].bytes = 0;
      auto start = Clock::now();
      CURLcode rc = curl_easy_perform(curls[c]);
      double elapsed = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
      if (rc != CURLE_OK) {
        std::fprintf(stderr, "scrape failed: %s\n", curl_easy_strerror(rc));
        std::exit(1);
      }
      if (i >= 20) ms[c].push_back(elapsed);
    }
  }
  for (size_t c = 0; c < targets->size(); ++c) {
    (*targets)[c].latencies = SummarizeLatencies(std::move(ms[c]));
    curl_easy_cleanup(curls[c]);
    curl_slist_free_all(lists[c]);
  }
}

std::unique_ptr<HttpServer> StaticServer(HttpHandler handler) {
  StatusOr<std::unique_ptr<HttpServer>> server =
      HttpServer::Start({{"127.0.0.1:0"}, 4}, WebConfig{}, std::move(handler));
  if (!server.ok()) {
    std::fprintf(stderr, "static server: %s\n", server.status().ToString().c_str());
    std::exit(1);
  }
  return std::move(server).value();
}

int Run(int scrapes) {
  std::vector<CollectorSpec> specs;
  int per = g_series / g_collectors;
  for (int c = 0; c < g_collectors; ++c) {
    int first = c * per, count = c + 1 == g_collectors ? g_series - first : per;
    specs.push_back(
        {{"bench" + std::to_string(c), true, std::chrono::minutes(1), std::chrono::seconds(30)},
         "Series.",
         [first, count](const CollectorEnv&,
                        ConfigNode& options) -> StatusOr<std::unique_ptr<Collector>> {
           if (Status s = options.Finish(); !s.ok()) return s;
           return std::unique_ptr<Collector>(new SeriesCollector(first, count));
         },
         {}});
  }
  Flags flags;
  flags.listen_addresses = {"127.0.0.1:0"};
  Exporter exporter(flags, specs, {"bench", "bench"});
  if (Status s = exporter.Start(); !s.ok()) {
    std::fprintf(stderr, "start: %s\n", s.ToString().c_str());
    return 1;
  }
  HttpRequest get{"GET", "/metrics", {}, {}, ""};
  auto metrics_text = [&] { return exporter.Handle(get).PlainText(); };
  std::string payload;
  auto ready = [&] {
    payload = metrics_text();
    size_t series = 0;
    for (size_t at = 0; (at = payload.find("\nmailrep_bench_listed{", at)) != std::string::npos;
         ++at) {
      ++series;
    }
    return series == static_cast<size_t>(g_series);
  };
  while (!ready()) std::this_thread::sleep_for(std::chrono::milliseconds(20));

  StatusOr<DeflatedPart> deflated = DeflatePart(payload);
  if (!deflated.ok()) return 1;
  std::string precompressed = GzipJoin({&*deflated});
  auto anchor = StaticServer([&precompressed](const HttpRequest&) {
    HttpResponse r;
    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
    r.body = precompressed;
    r.headers.push_back({"Content-Encoding", "gzip"});
    return r;
  });
  auto anew = StaticServer([&payload](const HttpRequest&) {
    HttpResponse r;
    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
    r.body = payload;
    r.compressible = true;  // gzipped whole on every request: the old /metrics
    return r;
  });

  std::string live = "http://" + exporter.BoundAddresses()[0] + "/metrics";
  std::vector<Target> targets = {
      {"/metrics gzip (cached parts)", live, true},
      {"static pre-compressed (anchor)", "http://" + anchor->BoundAddresses()[0] + "/", true},
      {"same text gzipped anew (before)", "http://" + anew->BoundAddresses()[0] + "/", true},
      {"/metrics plain", live, false},
  };
  // The goal's pair alternates alone, so neither runs with caches flushed
  // by the 7 MB of the other two; then the other two.
  std::vector<Target> goal(targets.begin(), targets.begin() + 2);
  std::vector<Target> others(targets.begin() + 2, targets.end());
  MeasureRoundRobin(&goal, scrapes);
  MeasureRoundRobin(&others, scrapes);
  targets = goal;
  targets.insert(targets.end(), others.begin(), others.end());
  // The handler alone (self-metrics made and serialized, no HTTP, no gzip),
  // and the per-scrape gzip work on its output: what /metrics adds.
  std::vector<double> handler_ms, join_ms;
  for (int i = 0; i < scrapes; ++i) {
    auto start = Clock::now();
    HttpResponse response = exporter.Handle(get);
    auto handled = Clock::now();
    StatusOr<DeflatedPart> head = DeflatePart(response.body);
    std::string joined = GzipJoin({&*head, &*response.tail->deflated});
    auto end = Clock::now();
    handler_ms.push_back(std::chrono::duration<double, std::milli>(handled - start).count());
    join_ms.push_back(std::chrono::duration<double, std::milli>(end - handled).count());
  }
  std::printf(
      "series: %d in %d collectors, text: %zu bytes, gzip: %zu bytes; %d scrapes each, "
      "alternating in pairs (rows 1-2, rows 3-4), one keep-alive connection each\n",
      g_series, g_collectors, payload.size(), precompressed.size(), scrapes);
  for (const Target& t : targets) {
    std::printf("%-32s p50 %8.3f ms  p99 %8.3f ms  max %8.3f ms  (%zu bytes%s%s)\n",
                t.label.c_str(), t.latencies.p50_ms, t.latencies.p99_ms, t.latencies.max_ms,
                t.bytes, t.encoding.empty() ? "" : ", content-encoding:", t.encoding.c_str());
  }
  Latencies handler = SummarizeLatencies(std::move(handler_ms)),
            join = SummarizeLatencies(std::move(join_ms));
  std::printf("%-32s p50 %8.3f ms  p99 %8.3f ms\n", "handler alone, no HTTP", handler.p50_ms,
              handler.p99_ms);
  std::printf("%-32s p50 %8.3f ms  p99 %8.3f ms\n", "gzip of head + join alone", join.p50_ms,
              join.p99_ms);
  const Latencies& a = targets[1].latencies;
  std::printf("ratio /metrics gzip / anchor:    p50 %.2fx  p99 %.2fx  (goal: p99 <= 2x)\n",
              targets[0].latencies.p50_ms / a.p50_ms, targets[0].latencies.p99_ms / a.p99_ms);
  std::printf("ratio gzip anew (before)/anchor: p50 %.2fx  p99 %.2fx\n",
              targets[2].latencies.p50_ms / a.p50_ms, targets[2].latencies.p99_ms / a.p99_ms);
  int exit_code = targets[0].encoding.find("gzip") == std::string::npos ? 1 : 0;
  anchor->Stop();
  anew->Stop();
  exporter.Stop();
  return exit_code;
}

}  // namespace
}  // namespace mailrep

int main(int argc, char** argv) {
  int scrapes = 1000;
  mailrep::BenchmarkFlags flags("gzip_scrape_benchmark",
                                "Latency of gzip /metrics over N series against the same "
                                "bytes pre-compressed, served statically.");
  flags.Int("--scrapes", &scrapes, "scrapes per target")
      .Int("--series", &mailrep::g_series, "series")
      .Int("--collectors", &mailrep::g_collectors, "collectors sharing the series", 1, 64);
  if (std::optional<int> code = flags.Parse(argc, argv)) return *code;
  curl_global_init(CURL_GLOBAL_DEFAULT);
  return mailrep::Run(scrapes);
}
