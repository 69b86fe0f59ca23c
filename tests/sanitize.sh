#!/usr/bin/env bash
# CI stage: the unit tests under AddressSanitizer + UndefinedBehaviorSanitizer,
# then every libFuzzer target for a bounded time each (FUZZ_SECONDS, default
# 15), all built with clang in build/sanitize.
set -euo pipefail
cd "$(dirname "$0")/.."
fuzz_seconds="${FUZZ_SECONDS:-15}"

bash exporter/scripts/install-deps.sh test
CC=clang CXX=clang++ cmake -S . -B build/sanitize -DCMAKE_BUILD_TYPE=Debug \
  -DMAILREP_SANITIZE=ON -DMAILREP_FUZZ=ON >/dev/null
cmake --build build/sanitize -j"$(nproc)"

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
(cd build/sanitize && ctest -L unit --output-on-failure -j"$(nproc)" --timeout 300)

mapfile -t fuzzers < <(find build/sanitize -type f -executable -name '*_fuzzer' | sort)
for fuzzer in "${fuzzers[@]}"; do
  name=$(basename "$fuzzer")
  seeds=$(find . -path ./build -prune -o -type d -path "*/fuzz_corpus/$name" -print | sed -n 1p)
  work="build/sanitize/fuzz-work/$name"
  mkdir -p "$work"
  echo "fuzzing $name for ${fuzz_seconds}s" >&2
  "$fuzzer" -max_total_time="$fuzz_seconds" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=0 "$work" ${seeds:+"$seeds"} 2>"$work.log" \
    || { tail -n 60 "$work.log"; echo "fuzzer $name found a crash" >&2; exit 1; }
done
echo "fuzzed ${#fuzzers[@]} targets for ${fuzz_seconds}s each" >&2
