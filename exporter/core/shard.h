// Shard: which part of the targets this exporter checks, when an estate is
// split over N replicas (`--shard=i/N`, i from 0).
//
// A target belongs to replica HashMod(target, N): the md5 of the target's
// text, its last 8 bytes read big-endian, modulo N -- exactly what Prometheus'
// `hashmod` relabel action computes for a label value. So background sweeps
// sharded here and `/probe` targets sharded by Prometheus relabelling agree on
// each target's owner. The default, 0/1, owns everything.
//
// Immutable; safe to copy and share.
#ifndef MAILREP_EXPORTER_CORE_SHARD_H_
#define MAILREP_EXPORTER_CORE_SHARD_H_

#include <cstdint>
#include <string_view>

#include "exporter/util/status.h"

namespace mailrep {

// Prometheus' hashmod of `value` (modulus > 0).
uint64_t HashMod(std::string_view value, uint64_t modulus);

struct Shard {
  uint64_t index = 0;
  uint64_t total = 1;

  // "i/N" with 0 <= i < N and 1 <= N <= 100000.
  static StatusOr<Shard> Parse(std::string_view text);

  bool Owns(std::string_view target) const { return total <= 1 || HashMod(target, total) == index; }
  bool operator==(const Shard&) const = default;
};

}  // namespace mailrep

#endif  // MAILREP_EXPORTER_CORE_SHARD_H_
