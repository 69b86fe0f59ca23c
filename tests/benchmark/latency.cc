#include "tests/benchmark/latency.h"

#include <algorithm>

namespace mailrep {

Latencies SummarizeLatencies(std::vector<double> ms) {
  if (ms.empty()) return {};
  std::sort(ms.begin(), ms.end());
  auto at = [&](double q) { return ms[static_cast<size_t>(q * (ms.size() - 1))]; };
  return {at(0.5), at(0.99), ms.back()};
}

size_t CountBodyBytes(char*, size_t size, size_t n, void* userdata) {
  *static_cast<size_t*>(userdata) += size * n;
  return size * n;
}

}  // namespace mailrep
