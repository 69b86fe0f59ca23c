#include "collectors/sketch/hyperloglog.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <string>

#include "collectors/sketch/hash64.h"

namespace mailrep {
namespace {

// Ertl's sigma(x) = x + sum_{k>=1} x^(2^k) 2^(k-1), for the registers at 0.
double Sigma(double x) {
  if (x == 1.0) return std::numeric_limits<double>::infinity();
  double y = 1.0;
  double z = x;
  for (;;) {
    x *= x;
    double previous = z;
    z += x * y;
    y += y;
    if (z == previous) return z;
  }
}

// Ertl's tau(x) = (1 - x - sum_{k>=1} (1 - x^(2^-k))^2 2^-k) / 3, for the
// registers at their largest value.
double Tau(double x) {
  if (x == 0.0 || x == 1.0) return 0.0;
  double y = 1.0;
  double z = 1.0 - x;
  for (;;) {
    x = std::sqrt(x);
    double previous = z;
    y *= 0.5;
    z -= (1.0 - x) * (1.0 - x) * y;
    if (z == previous) return z / 3.0;
  }
}

uint32_t EntryIndex(uint32_t entry) { return entry >> 8; }
uint8_t EntryValue(uint32_t entry) { return static_cast<uint8_t>(entry & 0xff); }

}  // namespace

Status HyperLogLog::CheckPrecision(int precision) {
  if (precision < kMinPrecision || precision > kMaxPrecision) {
    return Status::InvalidArgument(
        "HyperLogLog precision must be between " + std::to_string(kMinPrecision) + " and " +
        std::to_string(kMaxPrecision) + ", not " + std::to_string(precision));
  }
  return Status::OK();
}

HyperLogLog::HyperLogLog(int precision)
    : precision_(std::clamp(precision, kMinPrecision, kMaxPrecision)) {}

void HyperLogLog::Add(std::string_view item) { AddHash(Hash64(item)); }

void HyperLogLog::AddHash(uint64_t hash) {
  const int q = 64 - precision_;
  uint32_t index = static_cast<uint32_t>(hash >> q);
  uint64_t rest = hash << precision_;
  uint8_t value = static_cast<uint8_t>(rest == 0 ? q + 1 : std::countl_zero(rest) + 1);
  SetMax(index, value);
}

void HyperLogLog::SetMax(uint32_t index, uint8_t value) {
  if (!dense_.empty()) {
    dense_[index] = std::max(dense_[index], value);
    return;
  }
  auto it = std::lower_bound(sparse_.begin(), sparse_.end(), Entry(index, 0));
  if (it != sparse_.end() && EntryIndex(*it) == index) {
    if (value > EntryValue(*it)) *it = Entry(index, value);
    return;
  }
  // Past 2^p / 8 bytes of entries the dense array is the smaller form.
  size_t registers = size_t{1} << precision_;
  if ((sparse_.size() + 1) * sizeof(uint32_t) > registers / 8) {
    ToDense();
    dense_[index] = value;
    return;
  }
  sparse_.insert(it, Entry(index, value));
}

void HyperLogLog::ToDense() {
  dense_.assign(size_t{1} << precision_, 0);
  for (uint32_t entry : sparse_) dense_[EntryIndex(entry)] = EntryValue(entry);
  std::vector<uint32_t>().swap(sparse_);
}

double HyperLogLog::Estimate() const {
  const int q = 64 - precision_;
  const double m = static_cast<double>(size_t{1} << precision_);
  // histogram[v]: how many registers hold v, for v in 0..q+1.
  std::vector<double> histogram(static_cast<size_t>(q) + 2, 0.0);
  if (dense_.empty()) {
    histogram[0] = m - static_cast<double>(sparse_.size());
    for (uint32_t entry : sparse_) histogram[EntryValue(entry)] += 1;
  } else {
    for (uint8_t value : dense_) histogram[value] += 1;
  }
  double z = m * Tau(1.0 - histogram[static_cast<size_t>(q) + 1] / m);
  for (int k = q; k >= 1; --k) z = 0.5 * (z + histogram[static_cast<size_t>(k)]);
  z += m * Sigma(histogram[0] / m);
  const double alpha_infinity = 1.0 / (2.0 * std::log(2.0));
  return alpha_infinity * m * m / z;
}

void HyperLogLog::Merge(const HyperLogLog& other) {
  if (other.precision_ > precision_) {
    Merge(other.ReducedTo(precision_));
    return;
  }
  if (other.precision_ < precision_) *this = ReducedTo(other.precision_);
  if (&other == this) return;
  if (other.dense_.empty()) {
    for (uint32_t entry : other.sparse_) SetMax(EntryIndex(entry), EntryValue(entry));
    return;
  }
  if (dense_.empty()) ToDense();
  for (size_t i = 0; i < dense_.size(); ++i) dense_[i] = std::max(dense_[i], other.dense_[i]);
}

HyperLogLog HyperLogLog::ReducedTo(int precision) const {
  HyperLogLog reduced(precision);
  const int drop = precision_ - reduced.precision_;
  auto fold = [&](uint32_t index, uint8_t value) {
    if (value == 0) return;
    // The dropped low bits of the fine index are the first `drop` bits of
    // what the coarse sketch ranks: its rank is decided there unless all are 0.
    uint32_t low = index & ((uint32_t{1} << drop) - 1);
    uint8_t coarse = low != 0 ? static_cast<uint8_t>(drop - std::bit_width(low) + 1)
                              : static_cast<uint8_t>(drop + value);
    reduced.SetMax(index >> drop, coarse);
  };
  if (dense_.empty()) {
    for (uint32_t entry : sparse_) fold(EntryIndex(entry), EntryValue(entry));
  } else {
    for (size_t i = 0; i < dense_.size(); ++i) fold(static_cast<uint32_t>(i), dense_[i]);
  }
  return reduced;
}

void HyperLogLog::Clear() {
  std::vector<uint32_t>().swap(sparse_);
  std::vector<uint8_t>().swap(dense_);
}

double HyperLogLog::RelativeStandardError() const {
  return 1.04 / std::sqrt(static_cast<double>(size_t{1} << precision_));
}

uint8_t HyperLogLog::Register(uint32_t index) const {
  if (!dense_.empty()) return dense_[index];
  auto it = std::lower_bound(sparse_.begin(), sparse_.end(), Entry(index, 0));
  return it != sparse_.end() && EntryIndex(*it) == index ? EntryValue(*it) : 0;
}

size_t HyperLogLog::MemoryBytes() const {
  return sizeof(*this) + sparse_.capacity() * sizeof(uint32_t) + dense_.capacity();
}

}  // namespace mailrep
