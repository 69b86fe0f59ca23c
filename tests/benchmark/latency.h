// Latency summaries for the scrape benchmarks (scrape_benchmark,
// gzip_scrape_benchmark, dnsbl_scrape_benchmark): percentiles of per-request
// milliseconds, and a libcurl write callback that only counts the body.
#ifndef MAILREP_TESTS_BENCHMARK_LATENCY_H_
#define MAILREP_TESTS_BENCHMARK_LATENCY_H_

#include <cstddef>
#include <vector>

namespace mailrep {

struct Latencies {
  double p50_ms = 0, p99_ms = 0, max_ms = 0;
};

// The nearest-rank p50, p99 and maximum of `ms`; all 0 when it is empty.
Latencies SummarizeLatencies(std::vector<double> ms);

// CURLOPT_WRITEFUNCTION that adds the bytes to the size_t at `userdata`
// (CURLOPT_WRITEDATA) and keeps nothing.
size_t CountBodyBytes(char* data, size_t size, size_t n, void* userdata);

}  // namespace mailrep

#endif  // MAILREP_TESTS_BENCHMARK_LATENCY_H_
