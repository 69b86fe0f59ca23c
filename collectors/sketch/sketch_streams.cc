#include "collectors/sketch/sketch_streams.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <unordered_set>

namespace mailrep {

ZipfKeys::ZipfKeys(size_t keys, double s) {
  cdf_.reserve(keys);
  double sum = 0;
  for (size_t i = 0; i < keys; ++i) {
    sum += 1.0 / std::pow(static_cast<double>(i + 1), s);
    cdf_.push_back(sum);
  }
  for (double& c : cdf_) c /= sum;
}

size_t ZipfKeys::Draw(std::mt19937_64& rng) const {
  double u = static_cast<double>(rng() >> 11) * 0x1.0p-53;  // uniform in [0, 1)
  auto it = std::upper_bound(cdf_.begin(), cdf_.end(), u);
  return std::min(static_cast<size_t>(it - cdf_.begin()), cdf_.size() - 1);
}

double ZipfKeys::Probability(size_t i) const { return cdf_[i] - (i > 0 ? cdf_[i - 1] : 0.0); }

std::vector<uint32_t> ZipfStream(size_t keys, double s, size_t length, uint64_t seed) {
  ZipfKeys zipf(keys, s);
  std::mt19937_64 rng(seed);
  std::vector<uint32_t> stream(length);
  for (uint32_t& key : stream) key = static_cast<uint32_t>(zipf.Draw(rng));
  return stream;
}

std::string SubmitterName(size_t index) {
  char name[96];
  switch (index % 4) {
    case 0:
      std::snprintf(name, sizeof(name), "sasl:mailbox%04zu@customer%zu.example", index, index % 97);
      break;
    case 1:
      std::snprintf(name, sizeof(name), "local:www-data-%zu", index);
      break;
    case 2:
      std::snprintf(name, sizeof(name), "client:198.51.%zu.%zu", (index / 256) % 256, index % 256);
      break;
    default:
      std::snprintf(name, sizeof(name), "sasl:u%zu", index);
      break;
  }
  return name;
}

void ExactCounter::Add(std::string_view key, uint64_t weight) {
  if (weight == 0) return;
  auto it = counts_.find(std::string(key));
  if (it == counts_.end()) {
    counts_.emplace(std::string(key), weight);
  } else {
    it->second += weight;
  }
}

uint64_t ExactCounter::Count(std::string_view key) const {
  auto it = counts_.find(std::string(key));
  return it == counts_.end() ? 0 : it->second;
}

std::vector<std::pair<std::string, uint64_t>> ExactCounter::Top(size_t k) const {
  std::vector<std::pair<std::string, uint64_t>> all(counts_.begin(), counts_.end());
  size_t n = std::min(k, all.size());
  std::partial_sort(all.begin(), all.begin() + static_cast<ptrdiff_t>(n), all.end(),
                    [](const auto& a, const auto& b) {
                      return a.second != b.second ? a.second > b.second : a.first < b.first;
                    });
  all.resize(n);
  return all;
}

TopComparison CompareTop(const std::vector<HeavyHitter>& sketch, const ExactCounter& exact,
                         size_t k) {
  std::vector<std::pair<std::string, uint64_t>> truth = exact.Top(k + 1);
  // A key tied with the (k+1)-th may fairly be left out.
  uint64_t boundary = truth.size() > k ? truth[k].second : 0;
  if (truth.size() > k) truth.resize(k);
  TopComparison out;
  out.k = std::min({k, sketch.size(), truth.size()});
  std::unordered_set<std::string> reported;
  for (size_t i = 0; i < sketch.size() && i < k; ++i) {
    const HeavyHitter& h = sketch[i];
    reported.insert(h.key);
    uint64_t real = exact.Count(h.key);
    if (real > h.count || real < h.lower_bound()) out.bounds_hold = false;
    if (real > 0) {
      double error = std::fabs(static_cast<double>(h.count) - static_cast<double>(real)) /
                     static_cast<double>(real);
      out.max_count_error = std::max(out.max_count_error, error);
    }
    out.max_error_bound = std::max(out.max_error_bound, h.error);
    if (i < out.k && real != truth[i].second) ++out.rank_mismatches;
  }
  for (size_t i = 0; i < out.k; ++i) {
    if (!reported.contains(truth[i].first) && truth[i].second > boundary) ++out.set_misses;
  }
  return out;
}

}  // namespace mailrep
